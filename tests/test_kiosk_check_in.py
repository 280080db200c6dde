"""Checking in a booked appointment at the kiosk, as a customer does it on a 7-inch 800x480
panel: the reference tapped on the keypad, or the confirmation's code read by a USB scanner
(which types like a keyboard and ends with Enter). Pictures go where KIOSK_SCREENSHOTS points."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.compose import build_hall
from kiosk.engine.appointments import Booking
from kiosk.phrases import phrase
from tests.conftest import local_ts
from tests.escpos_decode import decode

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402

SIZE = (800, 480)


def at(h: int, m: int = 0) -> float:
    return local_ts(2026, 11, 25, h, m)


@pytest.fixture
def hall(tmp_path, config, clock):
    h = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    h.engine.book(
        [
            Booking("general", at(9, 20), "123456", "Chan Tai Man"),
            Booking("payment", at(9, 25), "654321"),
            Booking("general", at(11, 0), "777777"),
            Booking("payment", at(9, 0), "888888"),
        ]
    )
    yield h
    h.printer.close()


@pytest.fixture
def kiosk(qtbot, qapp, hall):
    backend = LocalBackend(hall.engine, hall.printer)
    w = KioskScreen(backend, "zh-Hant")
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    yield w
    backend.close()


def picture(w: KioskScreen, name: str) -> None:
    if os.environ.get("KIOSK_SCREENSHOTS"):
        out = Path(os.environ["KIOSK_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(out / f"check-in-{name}-{SIZE[0]}x{SIZE[1]}.png"))


def tap(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_booking_checked_in_on_the_keypad_gets_a_ticket_that_says_its_time(qtbot, kiosk, hall):
    w = kiosk
    tap(qtbot, w.appointment)
    assert w.pages.currentWidget() is w.check_in_page
    assert w.ref_prompt.text() == phrase("enter_reference", "zh-Hant")
    for digit in "1234567":  # one too many, taken back
        tap(qtbot, w.keys[digit])
    tap(qtbot, w.keys["del"])
    assert w.ref_entry.text() == "123456"
    picture(w, "keypad")
    for key in w.keys.values():  # finger-sized on the small panel
        assert key.height() >= 44 and key.width() >= 44, key.text()
    tap(qtbot, w.keys["ok"])
    qtbot.waitUntil(lambda: w.number.text() == "A001", timeout=5000)
    assert "預約 09:20" in w.service_line.text()
    qtbot.waitUntil(lambda: phrase("take_ticket", "zh-Hant") in w.status.text(), timeout=10000)
    picture(w, "ticket")
    t = hall.engine.ticket(1)
    assert t.appointment_at == at(9, 20) and t.queue_time == at(9, 20)
    assert len(hall.printer.printer.printed) == 1
    booked = {a["ref"]: a for a in hall.engine.appointments_of("2026-11-25")}
    assert booked["123456"]["state"] == "checked_in" and booked["123456"]["ticket_id"] == 1


def test_a_scanned_confirmation_checks_in_from_the_start_page(qtbot, kiosk, hall):
    w = kiosk
    tap(qtbot, w.lang_buttons["en"])
    assert w.pages.currentWidget() is w.start_page
    qtbot.keyClicks(w, "APPT:654321")  # what a scanner types from the confirmation's QR code
    assert w.pages.currentWidget() is w.check_in_page and w.ref_entry.text() == "654321"
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.number.text() == "B001", timeout=5000)
    assert w.service_line.text() == "Payments · Appointment 09:25"
    qtbot.waitUntil(lambda: len(hall.printer.printer.printed) == 1, timeout=10000)
    printed = decode(hall.printer.printer.printed[0].with_suffix(".escpos").read_bytes())
    assert b"B001" in printed.text
    # checked in again (a second scan): the same number, nothing printed twice. "Done" acts once
    # the screen has heard the ticket printed (on a busy machine that is later than the paper)
    qtbot.waitUntil(lambda: not w.busy, timeout=10000)
    tap(qtbot, w.done)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.start_page, timeout=5000)
    qtbot.keyClicks(w, "654321")
    qtbot.keyClick(w, Qt.Key.Key_Enter)
    # (the start page went back to the hall's own language for the next customer)
    qtbot.waitUntil(lambda: w.status.text() == phrase("already_checked_in", "zh-Hant"), timeout=5000)
    assert w.number.text() == "B001" and len(hall.printer.printer.printed) == 1


def test_too_early_says_when_to_come_back_and_too_late_offers_a_normal_ticket(qtbot, kiosk, hall, clock):
    w = kiosk
    clock.set(at(9, 15))  # 15 minutes after 888888's time: beyond its 10-minute window
    tap(qtbot, w.appointment)
    for digit in "777777":
        tap(qtbot, w.keys[digit])
    tap(qtbot, w.keys["ok"])
    early = phrase("appointment_too_early", "zh-Hant", time="11:00", opens="10:30")
    qtbot.waitUntil(lambda: w.ref_message.text() == early, timeout=5000)
    assert w.ref_entry.text().strip() == "" and not w.walk_in.isVisible()
    picture(w, "too-early")
    for digit in "888888":
        tap(qtbot, w.keys[digit])
    tap(qtbot, w.keys["ok"])
    late = phrase("appointment_too_late", "zh-Hant", time="09:00")
    qtbot.waitUntil(lambda: w.ref_message.text() == late, timeout=5000)
    assert w.walk_in.text() == phrase("take_normal_ticket", "zh-Hant", service="繳費")
    picture(w, "too-late")
    tap(qtbot, w.walk_in)
    qtbot.waitUntil(lambda: w.number.text() == "B001", timeout=5000)
    assert "預約" not in w.service_line.text()  # a normal ticket, in line from now
    assert hall.engine.ticket(1).appointment_at is None
    assert len(hall.engine.waiting_tickets()) == 1
    qtbot.waitUntil(lambda: phrase("take_ticket", "zh-Hant") in w.status.text(), timeout=10000)


def test_a_mistyped_reference_is_said_plainly_and_nothing_is_issued(qtbot, kiosk, hall):
    w = kiosk
    tap(qtbot, w.lang_buttons["zh-Hans"])
    tap(qtbot, w.appointment)
    for digit in "999999":
        tap(qtbot, w.keys[digit])
    tap(qtbot, w.keys["ok"])
    qtbot.waitUntil(lambda: w.ref_message.text() == phrase("reference_not_found", "zh-Hans"), timeout=5000)
    assert hall.engine.waiting_tickets() == []
    tap(qtbot, w.ref_back)
    assert w.pages.currentWidget() is w.start_page
