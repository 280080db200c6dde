"""What staff and customers see of the ticket printer: a banner on the counter panel in the
panel's language that clears when the printer works again and can be dismissed; reprints from
the counter panel, the manager view and the kiosk's own "print again"; the idle printer watched."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import Qt

from kiosk.compose import build_hall
from kiosk.devices import PrinterState
from kiosk.printing import PrintService
from kiosk.ticket_doc import make_ticket_doc

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from hardware.printer.simulated import SimulatedPrinter  # noqa: E402
from tests.test_ticket_printing import FONT  # noqa: E402
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402


@pytest.fixture
def hall(tmp_path, config, clock):
    h = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    yield h
    h.close()


@pytest.fixture
def backend(qapp, hall):
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()


@pytest.fixture
def zh_hant(qapp):
    install_language("zh-Hant")
    yield
    install_language("en")


def show(qtbot, w, size=(1280, 1000)):
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    return w


def print_for(hall, number_hint: str = "general"):
    res = hall.engine.issue(number_hint, kiosk="kiosk", language="zh-Hant")
    doc = make_ticket_doc(res.ticket, hall.engine.config, "zh-Hant", hall.engine.config.site.public_url)
    return res.ticket, hall.printer.print(doc)


def test_the_printer_banner_speaks_the_panels_language_and_clears_when_the_printer_works(qtbot, backend, hall, zh_hant):
    p = show(qtbot, CounterPanel(backend, 1, "zh-Hant"))
    hall.printer.printer.state = PrinterState.PAPER_OUT
    _, out = print_for(hall)
    assert not out.printed
    qtbot.waitUntil(lambda: p.device_banner.isVisible(), timeout=5000)
    assert "號碼單印表機" in p.alert.text() and "缺紙" in p.alert.text() and "A001" in p.alert.text()
    assert "paper" not in p.alert.text()  # no driver English on a Chinese panel
    hall.printer.printer.state = PrinterState.READY  # staff changed the roll
    _, out = print_for(hall)
    assert out.printed
    qtbot.waitUntil(lambda: not p.device_banner.isVisible(), timeout=5000)


def test_a_dismissed_banner_stays_away_until_a_new_problem(qtbot, backend, hall):
    p = show(qtbot, CounterPanel(backend, 1, "en"))
    hall.printer.printer.state = PrinterState.COVER_OPEN
    print_for(hall)
    qtbot.waitUntil(lambda: p.device_banner.isVisible(), timeout=5000)
    assert "cover open" in p.alert.text()
    qtbot.mouseClick(p.alert_dismiss, Qt.MouseButton.LeftButton)
    assert not p.device_banner.isVisible()
    p.refresh()  # the hall state still lists the old alert
    qtbot.wait(500)
    assert not p.device_banner.isVisible()
    hall.printer.printer.state = PrinterState.PAPER_OUT  # something new
    print_for(hall)
    qtbot.waitUntil(lambda: p.device_banner.isVisible(), timeout=5000)
    assert "out of paper" in p.alert.text()


def test_a_panel_opened_after_the_printer_recovered_shows_no_banner(qtbot, backend, hall):
    hall.printer.printer.state = PrinterState.PAPER_OUT
    print_for(hall)
    hall.printer.printer.state = PrinterState.READY
    print_for(hall)
    p = show(qtbot, CounterPanel(backend, 1, "en"))
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    assert not p.device_banner.isVisible()


def test_reprint_from_the_counter_panel_prints_once_and_keeps_the_place_in_line(qtbot, backend, hall):
    first, _ = print_for(hall)
    print_for(hall)
    printed = len(hall.printer.printer.printed)
    p = show(qtbot, CounterPanel(backend, 1, "en"))
    p.reprint("a001")  # as typed
    qtbot.waitUntil(lambda: "A001 is printing again" in p.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: len(hall.printer.printer.printed) == printed + 1, timeout=5000)
    assert hall.engine.ticket(first.id).reprints == 1
    assert hall.engine.call_next(1).number == "A001"  # still first in line


def test_reprint_of_an_unknown_number_says_so(qtbot, backend, hall):
    p = show(qtbot, CounterPanel(backend, 1, "en"))
    p.reprint("Z999")
    qtbot.waitUntil(lambda: "no ticket Z999" in p.message.text(), timeout=5000)


def test_reprint_from_the_manager_view(qtbot, backend, hall):
    ticket, _ = print_for(hall)
    printed = len(hall.printer.printer.printed)
    m = show(qtbot, ManagerView(backend), (1600, 1000))
    m.pin.setText(hall.engine.config.site.staff_pin)
    m.unlock()
    qtbot.waitUntil(lambda: m.table.rowCount() == 1, timeout=5000)
    m.table.selectRow(0)
    qtbot.mouseClick(m.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(hall.printer.printer.printed) == printed + 1, timeout=5000)
    qtbot.waitUntil(lambda: m.table.item(0, m.table.columnCount() - 1).text() == "1", timeout=5000)


def test_the_kiosk_offers_print_again_when_the_ticket_did_not_come_out(qtbot, backend, hall):
    hall.engine.issue("general", kiosk="kiosk")  # someone ahead, called while the printer is fixed
    hall.printer.printer.state = PrinterState.PAPER_OUT
    w = show(qtbot, KioskScreen(backend, "en"), (1080, 1920))
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    qtbot.mouseClick(w.service_buttons["general"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.print_again.isVisible(), timeout=5000)
    assert w.print_again.text() == "Print again" and w.qr.isVisible() and "1 ahead of you" in w.ahead.text()
    hall.printer.printer.state = PrinterState.READY
    hall.engine.call_next(1)
    qtbot.mouseClick(w.print_again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Please take your ticket" in w.status.text(), timeout=5000)
    assert not w.print_again.isVisible() and len(hall.printer.printer.printed) == 1  # once, not twice
    mine = hall.engine.ticket_by_number("A002")
    assert mine.state.value == "waiting" and mine.reprints == 1  # in the log like any reprint
    printed = hall.printer.printer.printed[0].with_suffix(".escpos").read_bytes()
    assert b"0 ahead of you" in printed  # the line as it is now, not at issue


def test_an_idle_printer_is_watched_staff_hear_when_it_fails_and_when_it_is_back(tmp_path):
    printer = SimulatedPrinter(tmp_path, FONT)
    alerts: list[tuple[str, str]] = []

    def alert(device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device") -> None:
        alerts.append((state, kind))

    service = PrintService(printer, alert, poll_s=0.05)
    time.sleep(0.3)
    assert alerts == []  # fine and quiet
    printer.state = PrinterState.OFFLINE
    time.sleep(0.3)
    printer.state = PrinterState.READY
    time.sleep(0.3)
    service.close()
    assert alerts == [("offline", "printer"), ("ready", "printer")]  # once each, not every poll


def test_when_no_number_can_be_given_the_customer_is_sent_to_a_person_and_staff_hear(qtbot, backend, hall, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from kiosk.phrases import phrase

    w = show(qtbot, KioskScreen(backend, "en"), (1080, 1920))
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    real_issue = hall.engine.issue

    def broken(*a, **kw):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(hall.engine, "issue", broken)
    qtbot.mouseClick(w.service_buttons["general"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.status.text() == phrase("issue_failed", "en"), timeout=5000)
    assert w.pages.currentWidget() is w.result_page and w.number.text() == "" and not w.qr.isVisible()
    qtbot.waitUntil(
        lambda: any(e.data.get("kind") == "kiosk" for e in hall.engine.latest_events("device_alert", 5)), timeout=5000
    )
    p = show(qtbot, CounterPanel(backend, 1, "en"))
    qtbot.waitUntil(lambda: p.device_banner.isVisible(), timeout=5000)
    assert "could not issue a ticket" in p.alert.text()
    monkeypatch.setattr(hall.engine, "issue", real_issue)
    qtbot.mouseClick(w.done, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.service_buttons["general"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.number.text() == "A001", timeout=5000)  # it works again at once


def test_print_again_still_prints_when_the_queue_cannot_be_reached(qtbot, hall):
    class QueueGone(LocalBackend):  # a remote kiosk whose server went away after issuing
        def ask_reprint(self, ticket_id: int):
            raise OSError("cannot reach the server")

    b = QueueGone(hall.engine, hall.printer)
    try:
        hall.engine.issue("general", kiosk="kiosk")
        hall.printer.printer.state = PrinterState.PAPER_OUT
        w = show(qtbot, KioskScreen(b, "en"), (1080, 1920))
        qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
        qtbot.mouseClick(w.service_buttons["general"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.print_again.isVisible(), timeout=5000)
        hall.printer.printer.state = PrinterState.READY
        qtbot.mouseClick(w.print_again, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Please take your ticket" in w.status.text(), timeout=5000)
        printed = hall.printer.printer.printed[0].with_suffix(".escpos").read_bytes()
        assert b"1 ahead of you" in printed  # the place it was given, not "0 ahead"
    finally:
        b.close()
