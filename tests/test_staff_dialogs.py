"""The counter panel's dialogs driven with a finger, as a clerk would: signing in on the keypad,
bringing back a no-show picked from today's list, calling a number out of turn with a reason
from the list, pausing with one tap on the return time. And each dialog at every counter size in
every language: nothing cut off, every control at least 15 mm, no button in Qt's English."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from kiosk.compose import build_hall
from kiosk.engine.appointments import Booking
from kiosk.testing import staff_toml
from tests.conftest import config_with, local_ts
from tests.layout_check import layout_problems

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.theme import apply_base_style  # noqa: E402

LANGS = ("zh-Hant", "zh-Hans", "en")
COUNTER_SIZES = [(1366, 768), (1280, 800)]


@pytest.fixture
def hall(tmp_path, clock):
    h = build_hall(config_with(extra=staff_toml()), f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "t")
    yield h
    h.printer.close()


@pytest.fixture
def backend(qapp, hall):
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()
    install_language("en")


def panel(qtbot, backend, lang="en", size=(1280, 800)) -> CounterPanel:
    install_language(lang)
    p = CounterPanel(backend, 1, lang)
    p.silence()
    qtbot.addWidget(p)
    p.resize(*size)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    return p


def tap(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def opened(qtbot, p, ask):
    ask()
    qtbot.waitUntil(lambda: getattr(p, "dialog", None) is not None and p.dialog.isVisible(), timeout=5000)
    return p.dialog


def test_a_clerk_signs_in_with_the_keypad_alone(qtbot, backend, hall):
    p = panel(qtbot, backend)
    tap(qtbot, p.staff_button)
    d = opened(qtbot, p, lambda: None)
    d.person.setCurrentIndex(d.person.findData("lin"))
    for digit in "271828":
        tap(qtbot, d.pad.keys[digit])
    assert d.pin.text() == "271828"
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: hall.engine.counters()[0].staff_id == "lin", timeout=5000)
    qtbot.waitUntil(lambda: "Sign out" in p.staff_button.text(), timeout=5000)


def test_a_no_show_is_brought_back_by_tapping_it_in_todays_list(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    for _ in range(3):
        e.issue("general")
    e.call_next(1)
    e.no_show(1)  # A001 did not come
    p = panel(qtbot, backend)
    qtbot.waitUntil(lambda: [t.number for t in p.state.no_shows] == ["A001"], timeout=5000)
    d = opened(qtbot, p, p.ask_return)
    assert not d.ok.isEnabled()  # nothing chosen yet
    tap(qtbot, d.choices["A001"])
    assert d.number.text() == "A001"
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: p.message.text() == "A001 is back in line", timeout=5000)
    assert e.ticket_by_number("A001").state.value == "waiting"
    qtbot.waitUntil(lambda: p.state.no_shows == [], timeout=5000)  # the list is today's no-shows only


def test_a_number_is_called_out_of_turn_with_a_reason_from_the_list(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    for _ in range(3):
        e.issue("general")
    p = panel(qtbot, backend)
    d = opened(qtbot, p, p.ask_call_number)
    for key in "A003":
        tap(qtbot, d.pad.keys[key])
    assert not d.ok.isEnabled()  # a call out of turn is never without its reason
    d.reason.setCurrentIndex(0)
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: p.number.text() == "A003", timeout=5000)
    [called] = [ev for ev in e.latest_events("ticket_called", 5)]
    assert called.data["manual"] and called.data["reason"] == "Appointment"


def test_a_pause_takes_its_return_time_from_one_tap(qtbot, backend, hall, clock):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    p = panel(qtbot, backend)
    d = opened(qtbot, p, p.ask_pause)
    tap(qtbot, d.minutes.button(30))
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: e.counters()[0].state.value == "paused", timeout=5000)
    assert e.counters()[0].pause_until == pytest.approx(clock.now() + 30 * 60)


def test_a_phone_complaint_is_logged_from_the_panel_and_lands_on_the_follow_up_board(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    p = panel(qtbot, backend)
    d = opened(qtbot, p, p.ask_log_contact)
    assert d.channel.checkedButton().text() == "Phone"  # most entries are calls
    d.kind.setCurrentIndex(d.kind.findData("complaint"))
    assert d.reply.isChecked() and not d.reply.isEnabled()  # a complaint is always followed up
    assert not d.ok.isEnabled()  # nothing is logged without what the customer said
    qtbot.keyClicks(d.note, "water leaking in the car park")
    tap(qtbot, d.reply_in.button(24))
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: "Logged." in p.message.text(), timeout=5000)
    assert "follow-up board" in p.message.text()
    [fu] = e.follow_ups()
    assert fu["number"].startswith("TEL-") and fu["note"] == "water leaking in the car park"
    assert fu["opened_by"] == "lin" and fu["due_at"] - fu["opened_at"] <= 24 * 3600 + 1


def test_a_letter_of_praise_is_registered_without_a_follow_up(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    p = panel(qtbot, backend)
    d = opened(qtbot, p, p.ask_log_contact)
    tap(qtbot, d.channel.button(1))  # a letter
    d.kind.setCurrentIndex(d.kind.findData("praise"))
    assert not d.reply.isChecked() and not d.reply.isEnabled()
    qtbot.keyClicks(d.note, "thanks to Mr Chen at counter 1")
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: p.message.text() == "Logged.", timeout=5000)
    assert e.follow_ups() == []


def test_a_booking_is_found_by_name_and_checked_in_at_the_counter(qtbot, backend, hall):
    e = hall.engine
    e.book(
        [
            Booking("payment", local_ts(2026, 11, 25, 9, 10), "500001", "Lee Siu Ming"),
            Booking("general", local_ts(2026, 11, 25, 9, 20), "500002", "Chan Tai Man"),
        ]
    )
    p = panel(qtbot, backend)
    d = opened(qtbot, p, p.ask_check_in)
    assert not d.ok.isEnabled()  # nobody chosen yet
    qtbot.keyClicks(d.search, "siu")
    assert d.picks[1].isVisible() and not d.picks[2].isVisible()
    assert d.picks[1].text() == "09:10  Lee Siu Ming\nPayments"
    tap(qtbot, d.picks[1])
    tap(qtbot, d.ok)
    qtbot.waitUntil(lambda: p.message.text() == "Checked in: B001", timeout=5000)
    t = e.ticket_by_number("B001")
    assert t.appointment_at == local_ts(2026, 11, 25, 9, 10) and t.state.value == "waiting"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", COUNTER_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_staff_dialog_fits_and_is_finger_sized(qtbot, qapp, backend, hall, size, lang):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    for _ in range(14):  # a busy morning: a full list of no-shows to choose from
        e.issue("general")
    for _ in range(12):
        e.call_next(1)
        e.no_show(1)
    apply_base_style(qapp, lang)
    p = panel(qtbot, backend, lang, size)
    qtbot.waitUntil(lambda: len(p.state.no_shows) == 12, timeout=5000)
    asks = {"bring back": p.ask_return, "call a number": p.ask_call_number, "reprint": p.ask_reprint}
    asks |= {"pause": p.ask_pause, "follow-up": p.ask_follow_up, "log a call": p.ask_log_contact}
    times = [local_ts(2026, 11, 25, 9 + i // 4, 15 * (i % 4)) for i in range(8)]  # eight bookings to choose from
    e.book([Booking("general", when, None, f"陳大文 {i}") for i, when in enumerate(times)])
    asks |= {"check in a booking": p.ask_check_in}
    for what, ask in asks.items():
        d = opened(qtbot, p, ask)
        qtbot.wait(50)
        problems = layout_problems(d)
        assert problems == [], f"{what} at {size[0]}x{size[1]} in {lang}:\n" + "\n".join(problems)
        assert d.width() <= size[0] and d.height() <= size[1], f"{what} is larger than the panel"
        for w in [w for kind in (QPushButton, QLineEdit, QComboBox) for w in d.findChildren(kind)]:
            if w.isVisible():
                label = w.currentText() if isinstance(w, QComboBox) else w.text()
                assert w.height() >= 56, f"{what}: {type(w).__name__} {label!r} is {w.height()} px high"
        texts = {b.text() for b in d.findChildren(QPushButton)}
        if lang != "en":
            assert not texts & {"OK", "Cancel", "&OK", "&Cancel"}, f"{what} has Qt's English buttons"
        d.reject()
        qtbot.waitUntil(lambda d=d: not d.isVisible(), timeout=5000)
