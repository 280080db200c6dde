"""The reception log on the screens, driven with qtbot as a clerk and a manager would: signing in
with one's own PIN, ending a visit with its category in one tap, a complaint that cannot end
without a note, calling a number out of turn, bringing back a no-show, the follow-up board
replied from the manager view, a counter's services changed there, closing the day refused
while someone waits, and a ticket left from an earlier day shown with its date."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.compose import build_hall
from kiosk.testing import staff_toml
from tests.conftest import config_with

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.display_board import DisplayBoard  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402
from ui.touch_dialogs import FollowUpDialog  # noqa: E402

STAFF = staff_toml()  # wang (a manager, PIN 314159) and lin (a clerk, PIN 271828)


@pytest.fixture
def hall(tmp_path, clock):
    h = build_hall(config_with(extra=STAFF), f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    yield h
    h.printer.close()


@pytest.fixture
def backend(qapp, hall):
    install_language("en")
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()


def panel(qtbot, backend, counter=1) -> CounterPanel:
    p = CounterPanel(backend, counter, "en")
    p.silence()
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    return p


def tap(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_clerk_signs_in_calls_and_ends_a_visit_with_its_category_in_one_tap(qtbot, backend, hall):
    e = hall.engine
    e.issue("payment")
    e.issue("general")
    p = panel(qtbot, backend)
    assert p.state_label.text() == "Nobody signed in" and not p.buttons["call_next"].isEnabled()
    p.sign_in("lin", "000000")
    qtbot.waitUntil(lambda: p.message.text() == "That name and PIN do not match.", timeout=5000)
    p.sign_in("lin", "271828")
    qtbot.waitUntil(lambda: "林美華" in p.staff_button.text() and p.buttons["call_next"].isEnabled(), timeout=5000)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "B001", timeout=5000)
    assert p.category.currentData() == "payment"  # the service's default, preselected
    tap(qtbot, p.buttons["start"])
    qtbot.waitUntil(lambda: p.buttons["finish"].isEnabled() and not p.buttons["start"].isEnabled(), timeout=5000)
    tap(qtbot, p.buttons["finish"])
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    done = e.ticket_by_number("B001")
    assert (done.category, done.outcome, done.finished_by) == ("payment", "resolved", "lin")
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    assert p.category.currentData() == "enquiry"
    p.category.setCurrentIndex(p.category.findData("problem"))
    tap(qtbot, p.buttons["finish"])
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    assert e.ticket_by_number("A001").category == "problem"


def test_a_complaint_cannot_end_without_a_note_of_what_was_promised(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    e.issue("general")
    e.call_next(1)
    p = panel(qtbot, backend)
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    p.category.setCurrentIndex(p.category.findData("complaint"))
    seen = {}

    def fill_the_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FollowUpDialog)
        seen["ok_before_note"] = dialog.ok.isEnabled()
        dialog.note.setText("waited too long; the manager calls back")
        dialog.contact.setText("0912-345-678")
        dialog.reply_in.button(4).click()  # the manager promised to call back within 4 hours
        dialog.ok.click()

    QTimer.singleShot(200, fill_the_dialog)
    tap(qtbot, p.buttons["finish"])  # opens the follow-up dialog instead of finishing
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    assert seen["ok_before_note"] is False
    [fu] = e.follow_ups()
    assert fu["complaint"] and fu["contact"] == "0912-345-678" and fu["opened_by"] == "lin"
    assert fu["due_at"] - fu["opened_at"] == pytest.approx(4 * 3600)  # not the complaint's usual 72 h


def test_recall_turns_off_after_the_last_recall_allowed_and_says_what_to_do_next(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    e.issue("general")
    p = panel(qtbot, backend)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    for n in range(1, e.config.queue.max_recalls + 1):
        qtbot.waitUntil(lambda: p.buttons["recall"].isEnabled(), timeout=5000)
        tap(qtbot, p.buttons["recall"])
        qtbot.waitUntil(lambda n=n: f"recalled ×{n}" in p.detail.text(), timeout=5000)
    qtbot.waitUntil(lambda: "no more recalls" in p.detail.text(), timeout=5000)
    assert not p.buttons["recall"].isEnabled() and p.buttons["no_show"].isEnabled()
    assert p.message.text() == ""  # nothing was refused: the button was simply off


def test_calling_a_number_out_of_turn_and_bringing_back_a_no_show(qtbot, backend, hall):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    for _ in range(3):
        e.issue("general")
    p = panel(qtbot, backend)
    p.call_number("A003", "appointment")
    qtbot.waitUntil(lambda: p.number.text() == "A003", timeout=5000)
    tap(qtbot, p.buttons["no_show"])
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    p.bring_back("a003")
    qtbot.waitUntil(lambda: p.message.text() == "A003 is back in line", timeout=5000)
    p.bring_back("A001")
    qtbot.waitUntil(lambda: "not a no-show" in p.message.text(), timeout=5000)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)  # A003 is back at its place


def test_the_manager_replies_to_an_overdue_follow_up_from_the_board(qtbot, backend, hall, clock):
    e = hall.engine
    e.sign_in(2, "lin", "271828")
    e.issue("general")
    e.call_next(2)
    e.finish(2, "enquiry", "follow_up", "check the bill and call back; " * 12)  # a long note, as clerks write
    clock.advance(5 * 86400)
    e.check_follow_ups()
    m = ManagerView(backend, "en")
    qtbot.addWidget(m)
    m.resize(1280, 800)
    m.show()
    qtbot.waitUntil(lambda: m.follow_up_alert.isVisible(), timeout=5000)  # before the PIN too
    assert "A001" in m.follow_up_alert.text()
    m.pin.setText("271828")  # a clerk's PIN does not open the manager view, and is not "wrong"
    m.unlock()
    qtbot.waitUntil(lambda: m.pin_error.text() == "Only a manager can open this view", timeout=5000)
    assert not m.unlocked
    m.pin.setText("314159")
    m.unlock()
    qtbot.waitUntil(lambda: m.unlocked, timeout=5000)
    m.tabs.setCurrentWidget(m.board)
    qtbot.waitUntil(lambda: m.board.table.rowCount() == 1, timeout=5000)
    assert m.board.table.item(0, 4).text() == "overdue"
    assert m.board.summary.text().startswith("Awaiting a reply: 1   Overdue: 1")
    table = m.board.table  # the note wraps: every column is in view without scrolling sideways
    assert sum(table.columnWidth(c) for c in range(table.columnCount())) <= table.viewport().width()
    m.board.table.selectRow(0)
    tap(qtbot, m.board.reply_button)  # an empty reply is not a reply
    qtbot.waitUntil(lambda: m.board.message.text() == "Say in the note what the customer was told.", timeout=5000)
    assert e.follow_ups()[0]["state"] == "open"
    m.board.note.setText("the bill was right; told the customer")
    tap(qtbot, m.board.reply_button)
    qtbot.waitUntil(lambda: m.board.message.text() == "Reply recorded", timeout=5000)
    [fu] = e.follow_ups()
    assert (fu["state"], fu["replied_by"], fu["reply_method"]) == ("replied", "王小明", "phone")
    qtbot.waitUntil(lambda: not m.follow_up_alert.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: m.board.table.item(0, 4).text() == "replied (late)", timeout=5000)
    m.board.table.selectRow(0)
    m.board.note.setText("the customer says the bill is still wrong")
    tap(qtbot, m.board.reopen_button)
    qtbot.waitUntil(lambda: m.board.message.text() == "Opened again", timeout=5000)
    assert e.follow_ups()[0]["state"] == "open" and e.follow_ups()[0]["reopened"] == 1


def test_the_manager_changes_a_counters_services_and_cannot_close_the_day_while_someone_waits(qtbot, backend, hall):
    e = hall.engine
    e.issue("general")
    m = ManagerView(backend, "en")
    qtbot.addWidget(m)
    m.show()
    m.pin.setText("314159")
    m.unlock()
    qtbot.waitUntil(lambda: m.unlocked, timeout=5000)
    m.tabs.setCurrentWidget(m.hall)
    m.hall.boxes[3]["general"].setChecked(False)
    tap(qtbot, m.hall.apply_buttons[3])
    qtbot.waitUntil(lambda: "from its next call" in m.hall.message.text(), timeout=5000)
    assert e.counters()[2].services == ("payment", "manager")
    e.sign_in(1, "lin", "271828")
    tap(qtbot, m.hall.close_button)  # asks first: one stray tap must not sign everyone out
    assert m.hall.confirm.isVisible() and "signed out" in m.hall.confirm_text.text()
    tap(qtbot, m.hall.confirm_no)
    assert not m.hall.confirm.isVisible()
    assert e.counters()[0].staff_id == "lin" and e.counters()[0].state.value != "closed"
    tap(qtbot, m.hall.close_button)
    tap(qtbot, m.hall.confirm_yes)
    qtbot.waitUntil(lambda: "still open" in m.hall.message.text(), timeout=5000)
    assert m.hall.message.text().startswith("1 ticket(s) are still open (A001)")
    assert not m.hall.confirm.isVisible() and e.counters()[0].staff_id == "lin"


def test_a_ticket_left_from_an_earlier_day_is_shown_with_its_date(qtbot, backend, hall, clock):
    e = hall.engine
    e.issue("general")
    clock.advance(86400)  # the day was not closed
    e.issue("general")  # today's A001
    e.sign_in(1, "lin", "271828")
    e.call_next(1)  # yesterday's A001 comes first
    board = DisplayBoard(backend, "en")
    board.announcer.silence()
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: "A001 11/25" in board.call.text(), timeout=5000)
    p = panel(qtbot, backend)
    qtbot.waitUntil(lambda: p.number.text() == "A001 11/25", timeout=5000)


def test_the_panel_says_when_its_called_customer_became_a_no_show_by_itself(qtbot, backend, hall, clock):
    e = hall.engine
    e.sign_in(1, "lin", "271828")
    e.issue("general")
    p = panel(qtbot, backend)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    clock.advance(e.config.queue.no_show_after_minutes * 60 + 1)
    assert e.expire_calls() == 1  # what the timekeeper does every 15 s
    qtbot.waitUntil(lambda: p.message.text() == "A001 did not come and is now a no-show", timeout=5000)
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
