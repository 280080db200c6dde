"""A serial ticket printer as the kiosk meets it in the field: a real serial port (a pseudo-
terminal) with a printer at the far end that reads at its baud rate, answers status queries
with one byte, and sometimes jams, goes deaf or is unplugged mid-ticket."""

from __future__ import annotations

import re
import time

import pytest

from hardware.factory import build_printer
from hardware.printer.fakes import PtyPrinter
from kiosk.config import PrinterModel, example_config_text, parse_config
from kiosk.devices import PrinterState
from kiosk.printing import GRACE_S, PrintService
from kiosk.testing import finishes, run_kiosk
from kiosk.ticket_doc import make_ticket_doc
from tests.escpos_decode import decode


@pytest.fixture
def pty_printer():
    made = []

    def make(**kw) -> PtyPrinter:
        made.append(PtyPrinter(**kw))
        return made[-1]

    yield make
    for p in made:
        p.close()


def serial_printer(fake: PtyPrinter, timeout_s: float = 2, **kw):
    return build_printer(
        PrinterModel(kind="serial", serial_port=fake.port, baudrate=fake.baudrate, timeout_s=timeout_s, **kw)
    )


def serial_config(tmp_path, fake: PtyPrinter, timeout_s: float = 5):
    """The example configuration with this serial printer (checked: a changed example fails here)."""
    text = example_config_text()
    printer = '[printer]\nkind = "simulated"\n'
    assert printer in text
    text = text.replace(
        printer,
        f'[printer]\nkind = "serial"\nserial_port = "{fake.port}"\n'
        f"baudrate = {fake.baudrate}\ntimeout_s = {timeout_s}\n",
    )
    text = text.replace("\ntimeout_s = 5 ", "\n# timeout_s = 5 ", 1)
    parse_config(text)
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def alerts_of(engine) -> list[dict]:
    return [e.data for e in engine.events_after(0) if e.kind == "device_alert"]


def numbers_printed(fake: PtyPrinter) -> list[str]:
    return [re.search(rb"\b[A-Z]\d{3}\b", bytes(decode(t).text)).group().decode() for t in fake.tickets]


def issue_and_print(engine, config, service: PrintService, n: int, every_s: float):
    outcomes = []
    for i in range(n):
        if i:
            time.sleep(every_s)
        res = engine.issue("general", key=f"k{i}")
        outcomes.append(service.submit(make_ticket_doc(res.ticket, config, "en", config.site.public_url)))
    return [f.result() for f in outcomes]


def test_a_healthy_printer_answers_its_status_at_once_not_after_the_timeout(pty_printer):
    fake = pty_printer(baudrate=115200)
    printer = serial_printer(fake, timeout_s=5)
    # three one-byte answers, not three 5 s timeouts
    health = finishes(printer.health, 6, "the printer's three status answers")
    assert health.state == PrinterState.READY
    assert fake.queries == 3


@pytest.mark.parametrize("baudrate,chinese", [(115200, "raster"), (9600, "gb18030")])
def test_three_customers_4_s_apart_all_get_their_ticket_and_nobody_is_told_it_failed(
    pty_printer, engine, config, baudrate, chinese
):
    fake = pty_printer(baudrate=baudrate)
    service = PrintService(serial_printer(fake, timeout_s=2, chinese=chinese), engine.device_alert)
    outcomes = issue_and_print(engine, config, service, 3, 4)
    assert [o.printed for o in outcomes] == [True, True, True], [o.message for o in outcomes]
    assert alerts_of(engine) == []
    assert numbers_printed(fake) == ["A001", "A002", "A003"]
    service.close()


def test_a_slow_ticket_and_one_queued_behind_it_both_print(pty_printer, engine, config):
    """A raster ticket needs ~7 s at 19200 baud: its deadline is timeout + wire time, and the
    second ticket's time starts when its turn comes, not when the customer tapped."""
    fake = pty_printer(baudrate=19200)
    service = PrintService(serial_printer(fake, timeout_s=2), engine.device_alert)
    zh = [
        make_ticket_doc(engine.issue("general", key=f"z{i}").ticket, config, "zh-Hant", config.site.public_url)
        for i in range(2)
    ]
    futures = [service.submit(d) for d in zh]
    outcomes = [f.result() for f in futures]
    assert all(o.printed for o in outcomes), [o.message for o in outcomes]
    assert outcomes[0].seconds > 2 + 2  # longer than timeout_s alone, and still fine
    assert alerts_of(engine) == [] and len(fake.tickets) == 2
    service.close()


def test_a_printer_that_stops_reading_mid_ticket_is_not_printed_and_staff_hear_once(pty_printer, engine, config):
    fake = pty_printer(baudrate=115200, stop_reading_after=3000)
    printer = serial_printer(fake, timeout_s=1)
    service = PrintService(printer, engine.device_alert)
    res = engine.issue("general")
    d = make_ticket_doc(res.ticket, config, "zh-Hant", config.site.public_url)
    allowed = printer.timeout_s + printer.wire_seconds(len(printer.render(d).escpos))
    out = finishes(lambda: service.print(d), allowed + GRACE_S + 10, "the print to give up at its deadline")
    assert not out.printed and out.state == PrinterState.OFFLINE
    assert [a["ticket"] for a in alerts_of(engine)] == ["A001"]
    assert fake.tickets == []  # no cut reached the printer
    service.close()


def test_a_printer_that_never_answers_gets_no_ticket_and_is_offline(pty_printer, engine, config):
    fake = pty_printer(baudrate=115200, answers=False)
    service = PrintService(serial_printer(fake, timeout_s=1), engine.device_alert)
    d = make_ticket_doc(engine.issue("general").ticket, config, "en", config.site.public_url)
    out = finishes(lambda: service.print(d), 10, "the print to give up")
    assert not out.printed and out.state == PrinterState.OFFLINE
    assert fake.stream.data_bytes == 0  # nothing sent to a printer we cannot hear
    assert len(alerts_of(engine)) == 1
    service.close()


def test_a_printer_unplugged_mid_ticket_is_not_printed_and_can_reprint_once_back(pty_printer, engine, config):
    fake = pty_printer(baudrate=115200, vanish_after=2000)
    service = PrintService(serial_printer(fake, timeout_s=1), engine.device_alert)
    res = engine.issue("general")
    out = service.print(make_ticket_doc(res.ticket, config, "zh-Hant", config.site.public_url))
    assert not out.printed and out.state in (PrinterState.OFFLINE, PrinterState.MISSING)
    assert [a["ticket"] for a in alerts_of(engine)] == ["A001"]
    service.close()
    # plugged in again (a new port name, as a USB-serial adapter gets): staff reprint
    back = pty_printer(baudrate=115200)
    service = PrintService(serial_printer(back, timeout_s=1), engine.device_alert)
    from kiosk.reprints import Reprints

    engine.reprint(res.ticket.id, by="counter 1", kiosk="kiosk")
    ev = engine.latest_events("ticket_reprint", 1)[0]
    again = Reprints("kiosk", service, config, now=engine.clock.now).on_event(ev).result()
    assert again.printed and numbers_printed(back) == ["A001"]
    assert engine.ticket(res.ticket.id).reprints == 1
    service.close()


def test_print_test_on_a_healthy_115200_printer_prints_one_ticket_and_returns_0(pty_printer, tmp_path):
    fake = pty_printer(baudrate=115200)
    cfg = serial_config(tmp_path, fake)
    r = run_kiosk("print-test", "--config", str(cfg), timeout=30)  # its speed: bench/ticket.py
    assert r.returncode == 0, r.stderr
    assert len(fake.tickets) == 1


def test_print_test_on_a_jammed_printer_gives_up_by_its_deadline_with_one_line(pty_printer, tmp_path):
    fake = pty_printer(baudrate=115200, stop_reading_after=1000)
    cfg = serial_config(tmp_path, fake, timeout_s=1)
    r = run_kiosk("print-test", "--config", str(cfg), timeout=20)  # not the whole ticket's wire time, not hung
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "not printed" in r.stderr
