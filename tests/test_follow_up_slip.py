"""The promised reply time on paper (seed 000 篇3 六, 002: tell the customer when the reply will
come): a clerk who promises a follow-up taps "Print a slip" and the customer gets a slip with the
reply's date and time, the matter's reference and the ticket's status page, printed by the kiosk
that issued the ticket, or by the printer the counter names. Nothing personal is printed."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from hardware.fonts import find_cjk_font
from hardware.printer.simulated import SimulatedPrinter
from kiosk.compose import build_hall
from kiosk.devices import PrinterState
from kiosk.engine import QueueError
from kiosk.printing import PrintService
from kiosk.reprints import Reprints
from kiosk.testing import staff_toml, wait_until
from tests.conftest import config_with
from tests.escpos_decode import decode
from tests.qr_reader import read_qr

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.i18n import install_language  # noqa: E402

PROMISE = "We check the October meter reading and call you back"


@pytest.fixture
def hall(tmp_path, clock):
    h = build_hall(config_with(extra=staff_toml()), f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "t")
    yield h
    h.printer.close()


def visit_with_follow_up(engine, kiosk="kiosk", language="en", note=PROMISE, contact="0912-345-678"):
    if engine.counters()[0].staff_id is None:
        engine.sign_in(1, "lin", "271828")
    t = engine.issue("general", kiosk=kiosk, language=language).ticket
    engine.call_next(1)
    engine.finish(1, "problem", "follow_up", note, contact)
    return t


def printed_slips(out_dir) -> list:
    return sorted(p for p in out_dir.glob("*.escpos"))


def test_a_slip_goes_to_the_kiosk_that_issued_the_ticket_and_says_the_reply_time(hall, tmp_path):
    e = hall.engine
    t = visit_with_follow_up(e)
    [fu] = e.follow_ups()
    answer = e.follow_up_slip("Counter 1", ticket_id=t.id)
    assert answer["printer"] == "kiosk" and answer["follow_up"]["id"] == fu["id"]
    assert "contact" not in answer["follow_up"]  # the slip's event reaches every screen
    wait_until(lambda: printed_slips(tmp_path / "t"), 10, "the kiosk's printer printed the slip")
    [slip] = printed_slips(tmp_path / "t")
    d = decode(slip.read_bytes())
    text = bytes(d.text).decode("ascii", "replace")
    due = datetime.fromtimestamp(fu["due_at"], ZoneInfo(e.config.site.timezone))
    assert f"{due.day} " in text and f"{due:%H:%M}" in text and "reply" in text  # the date, not "tomorrow"
    assert "A001" in text and PROMISE.split()[0] in text
    assert "0912" not in text  # the customer's phone stays off paper
    assert d.qr_data == [f"{e.config.site.public_url.rstrip('/')}/t/{t.status_token}".encode()]


def test_the_slip_prints_where_the_counter_says_and_a_replied_matter_gets_none(tmp_path, clock):
    config = config_with(extra=staff_toml())
    counters = [c.model_copy(update={"slip_printer": "desk-1"}) if c.id == 1 else c for c in config.counters]
    config = config.model_copy(update={"counters": counters})
    h = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "t")
    try:
        e = h.engine
        t = visit_with_follow_up(e, kiosk="kiosk-lobby")
        assert e.follow_up_slip("Counter 1", ticket_id=t.id)["printer"] == "desk-1"
        assert e.follow_up_slip("Counter 1", ticket_id=t.id, printer="kiosk-lobby")["printer"] == "kiosk-lobby"
        [fu] = e.follow_ups()
        e.reply_follow_up(fu["id"], "lin", "phone", "meter was read wrong; bill corrected")
        with pytest.raises(QueueError) as refused:
            e.follow_up_slip("Counter 1", follow_up_id=fu["id"])
        assert refused.value.why == "already_replied"
        plain = e.issue("general").ticket
        with pytest.raises(QueueError) as none:
            e.follow_up_slip("Counter 1", ticket_id=plain.id)
        assert none.value.why == "no_follow_up"
    finally:
        h.printer.close()


def test_a_chinese_slip_is_drawn_with_its_time_whole_and_its_status_code_readable(hall, tmp_path):
    e = hall.engine
    t = visit_with_follow_up(e, language="zh-Hant", note="我們會核對十月份的水錶讀數，三天內回電")
    e.follow_up_slip("1號櫃台", ticket_id=t.id)
    wait_until(lambda: list((tmp_path / "t").glob("*.png")), 10, "the slip was printed")
    [png] = (tmp_path / "t").glob("*.png")
    [fu] = e.follow_ups()
    due = datetime.fromtimestamp(fu["due_at"], ZoneInfo(e.config.site.timezone))
    ev = e.latest_events("follow_up_slip", 1)[0]
    assert ev.data["language"] == "zh-Hant"
    from kiosk.slip_doc import make_slip_doc

    doc = make_slip_doc(ev.data, e.config)
    weekday = "一二三四五六日"[due.weekday()]
    assert doc.reply_line == f"我們會在 {due.month}月{due.day}日（星期{weekday}）{due:%H:%M} 前回覆您"
    assert doc.heading == "回覆通知單" and "A001" in doc.reference_line
    picture = np.array(Image.open(png).convert("L"))
    assert read_qr(picture).endswith(f"/t/{t.status_token}")


def test_a_phone_call_has_no_ticket_its_slip_goes_to_the_hall_kiosk_without_a_code(tmp_path, clock, hall):
    e = hall.engine
    e.issue("general", kiosk="kiosk")  # the hall's kiosk has printed today
    e.sign_in(1, "lin", "271828")
    entry = e.log_contact(1, "visit", "complaint", "broken lift in block B", "", follow_up=True)
    answer = e.follow_up_slip("Counter 1", follow_up_id=entry["follow_up_id"])
    assert answer["printer"] == "kiosk"
    ev = e.latest_events("follow_up_slip", 1)[0]
    assert ev.data["status_token"] is None
    wait_until(lambda: printed_slips(tmp_path / "t"), 10, "the slip was printed")
    assert decode(printed_slips(tmp_path / "t")[0].read_bytes()).qr_data == []


def test_a_slip_the_printer_cannot_print_tells_staff_the_reply_is_still_on_the_board(tmp_path, hall):
    e = hall.engine
    alerts = []
    printer = SimulatedPrinter(tmp_path / "desk", str(find_cjk_font()))
    printer.state = PrinterState.PAPER_OUT
    service = PrintService(printer, alert=lambda *a, **k: alerts.append(a[2]))
    try:
        t = visit_with_follow_up(e)
        e.follow_up_slip("Counter 1", ticket_id=t.id, printer="desk-1")
        desk = Reprints("desk-1", service, e.config, now=e.clock.now)
        outcome = desk.on_event(e.latest_events("follow_up_slip", 1)[0])
        assert outcome is not None and not outcome.result(10).printed
        assert alerts and "follow-up slip A001 was not printed" in alerts[0] and "follow-up board" in alerts[0]
    finally:
        service.close()


def test_the_clerk_promises_a_reply_and_the_customer_gets_the_slip_from_the_panel(qtbot, qapp, hall, tmp_path):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    install_language("en")
    backend = LocalBackend(e, hall.printer)
    try:
        e.issue("general", kiosk="kiosk", language="en")
        p = CounterPanel(backend, 1, "en")
        p.silence()
        qtbot.addWidget(p)
        p.resize(1280, 800)
        p.show()
        qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
        qtbot.mouseClick(p.buttons["call_next"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
        p.ask_follow_up("problem")
        qtbot.waitUntil(lambda: getattr(p, "dialog", None) is not None and p.dialog.isVisible(), timeout=5000)
        d = p.dialog
        assert d.slip.isChecked()  # the customer is at the desk: paper by default
        qtbot.keyClicks(d.note, PROMISE)
        qtbot.mouseClick(d.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "slip with the reply time is printing at the kiosk" in p.message.text(), timeout=5000)
        wait_until(lambda: printed_slips(tmp_path / "t"), 10, "the kiosk printed the slip")
        assert b"reply" in bytes(decode(printed_slips(tmp_path / "t")[-1].read_bytes()).text)
    finally:
        backend.close()
