"""The screens, driven with qtbot as a customer, a clerk and a manager would, checking what
they show. Offscreen (QT_QPA_PLATFORM=offscreen)."""

from __future__ import annotations

import os
import secrets

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy.exc import OperationalError

from kiosk.compose import build_hall
from kiosk.devices import PrinterState
from kiosk.domain import TicketState
from kiosk.phrases import phrase
from tests.conftest import local_ts
from tests.qr_reader import read_qr

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.display_board import DisplayBoard  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.kiosk_screen import KioskScreen, qr_pixmap  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402

LANGS = ("zh-Hant", "zh-Hans", "en")


@pytest.fixture
def hall(tmp_path, config, clock):
    h = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    yield h
    h.printer.close()


@pytest.fixture
def backend(qapp, hall):
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()


def kiosk(qtbot, backend, lang="zh-Hant") -> KioskScreen:
    w = KioskScreen(backend, lang)
    qtbot.addWidget(w)
    w.resize(1080, 1920)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    return w


def tap(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def qr_text(label) -> str:
    img = label.pixmap().toImage().convertToFormat(label.pixmap().toImage().Format.Format_Grayscale8)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, : img.width()]
    return read_qr(arr)


# ---------------------------------------------------------------- ticket kiosk
@pytest.mark.parametrize("lang", LANGS)
def test_tap_a_service_and_see_your_number_in_each_language(qtbot, backend, hall, lang):
    hall.engine.issue("general")
    hall.engine.issue("general")
    w = kiosk(qtbot, backend, lang)
    assert w.welcome.text() == phrase("welcome", lang)
    general = w.service_buttons["general"]
    assert hall.engine.config.services[0].names[lang] in general.text()
    assert phrase("queue_line", lang, n=2, minutes=4).split("·")[0].strip() in general.text()
    tap(qtbot, general)
    qtbot.waitUntil(lambda: w.number.text() == "A003", timeout=5000)
    assert w.ahead.text() == phrase("ahead", lang, n=2)
    qtbot.waitUntil(lambda: phrase("take_ticket", lang) in w.status.text(), timeout=10000)
    assert hall.engine.ticket(3).state == TicketState.WAITING
    assert len(hall.printer.printer.printed) == 1  # one tap, one ticket on paper


def test_switching_language_changes_the_whole_start_page(qtbot, backend):
    w = kiosk(qtbot, backend, "zh-Hant")
    tap(qtbot, w.lang_buttons["en"])
    assert w.welcome.text() == "Hello, welcome" and "General enquiries" in w.service_buttons["general"].text()
    tap(qtbot, w.lang_buttons["zh-Hans"])
    assert w.welcome.text() == "您好，欢迎光临" and "一般业务" in w.service_buttons["general"].text()


def test_priority_option_makes_a_priority_ticket(qtbot, backend, hall):
    w = kiosk(qtbot, backend)
    # it comes before the services, which a customer taps to take the ticket
    assert w.priority.geometry().bottom() < w.service_buttons["general"].mapTo(w.start_page, QPoint(0, 0)).y()
    assert w.priority.text().startswith("♿")
    tap(qtbot, w.priority)
    assert w.priority.isChecked() and w.priority.text().startswith("✓")  # chosen, seen without colour
    tap(qtbot, w.service_buttons["payment"])
    qtbot.waitUntil(lambda: w.number.text() == "B001", timeout=5000)
    assert hall.engine.ticket(1).priority and "優先" in w.service_line.text()


@pytest.mark.parametrize("side", [180, 300, 443])
def test_the_on_screen_qr_code_reads_back_for_any_ticket_at_every_size(qtbot, side):
    # the token is random: a code that reads 99 times in 100 leaves one customer without a link
    for _ in range(60):
        url = f"http://kiosk.local:8000/t/{secrets.token_urlsafe(16)}"
        label = QLabel()
        label.setPixmap(qr_pixmap(url, side))
        assert qr_text(label) == url


def test_printer_out_of_paper_shows_the_ticket_on_screen_with_its_qr_code(qtbot, backend, hall):
    hall.printer.printer.state = PrinterState.PAPER_OUT
    w = kiosk(qtbot, backend)
    tap(qtbot, w.service_buttons["general"])
    qtbot.waitUntil(lambda: w.qr.isVisible(), timeout=10000)
    ticket = hall.engine.ticket(1)
    assert w.number.text() == "A001" and w.status.text() == phrase("printer_problem", "zh-Hant")
    assert qr_text(w.qr) == f"{hall.engine.config.site.public_url}/t/{ticket.status_token}"
    assert ticket.state == TicketState.WAITING  # the customer keeps their place
    alert = hall.engine.latest_events("device_alert", 1)[0]
    assert alert.data["state"] == "paper_out"


def test_a_printer_hanging_10_s_never_freezes_the_kiosk(qtbot, backend, hall):
    hall.printer.printer.hang_s = 10
    hall.printer.printer.timeout_s = 15
    w = kiosk(qtbot, backend)
    tap(qtbot, w.service_buttons["general"])
    qtbot.waitUntil(lambda: w.number.text() == "A001", timeout=5000)
    assert w.status.text() == phrase("printing", "zh-Hant")  # the waiting state
    assert not w.done.isEnabled()  # greyed, not a button that does nothing
    for lang in ("en", "zh-Hans", "zh-Hant"):  # taps answered while the printer hangs
        tap(qtbot, w.lang_buttons[lang])
        assert w.status.text() == phrase("printing", lang)
        qtbot.wait(1500)
    tap(qtbot, w.service_buttons["payment"])  # a second tap while busy: ignored
    assert hall.engine.waiting_counts()["payment"] == 0
    qtbot.waitUntil(lambda: phrase("take_ticket", "zh-Hant") in w.status.text(), timeout=15000)
    assert w.done.isEnabled()
    tap(qtbot, w.done)
    assert w.pages.currentWidget() is w.start_page


def test_after_closing_time_the_kiosk_says_so_politely(qtbot, backend, clock):
    clock.set(local_ts(2026, 11, 25, 17, 30))
    w = kiosk(qtbot, backend, "en")
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.closed_page, timeout=5000)
    assert w.closed_title.text() == "Sorry, we are closed for today"
    assert "Opening hours: 09:00-17:00" in w.closed_detail.text()
    assert "Next opening: tomorrow 09:00" in w.closed_detail.text()  # in words, not 11-26
    assert all(not b.isEnabled() for b in w.service_buttons.values())


def test_a_closed_service_says_when_it_opens(qtbot, backend, clock):
    clock.set(local_ts(2026, 11, 26, 10, 0))  # not a manager reception day
    w = kiosk(qtbot, backend, "zh-Hant")
    manager = w.service_buttons["manager"]
    assert not manager.isEnabled()
    assert "此業務現在暫停辦理" in manager.text() and "12月10日（星期四）09:00" in manager.text()


def test_the_kiosk_returns_to_the_start_after_idle(qtbot, backend, monkeypatch):
    monkeypatch.setattr("ui.kiosk_screen.IDLE_RESULT_S", 0.5)
    w = kiosk(qtbot, backend, "zh-Hant")
    tap(qtbot, w.lang_buttons["en"])
    tap(qtbot, w.service_buttons["general"])
    qtbot.waitUntil(lambda: "Please take your ticket" in w.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.start_page, timeout=3000)
    assert w.lang == "zh-Hant"  # back in the site's language


def test_locked_down_kiosk_only_leaves_with_the_staff_pin(qtbot, backend, hall):
    w = kiosk(qtbot, backend)
    w._locked = True
    w.close()
    assert w.isVisible()  # Alt+F4 does nothing
    assert not w.unlock("0000")
    w.close()
    assert w.isVisible()
    assert w.unlock(hall.engine.config.site.staff_pin)
    w.close()
    assert not w.isVisible()


def test_service_buttons_are_big_enough_to_touch(qtbot, backend):
    w = kiosk(qtbot, backend)
    for b in list(w.service_buttons.values()) + [w.priority] + list(w.lang_buttons.values()):
        assert b.height() >= 56  # 15 mm at 96 dpi


# ---------------------------------------------------------------- counter panel and display
def panel(qtbot, backend, counter=1) -> CounterPanel:
    p = CounterPanel(backend, counter)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    return p


def board(qtbot, backend, lang=None, size=(1920, 1080)) -> DisplayBoard:
    d = DisplayBoard(backend, lang, voice=False)
    d.announcer.silence()
    qtbot.addWidget(d)
    d.resize(*size)
    d.show()
    qtbot.waitUntil(lambda: d.state is not None, timeout=5000)
    return d


@pytest.mark.parametrize("lang", LANGS)
def test_call_next_on_the_panel_changes_the_display(qtbot, backend, hall, clock, lang):
    install_language(lang)
    hall.engine.issue("general")
    clock.advance(20 * 60)  # past the 15-minute target
    p, d = panel(qtbot, backend), board(qtbot, backend, lang)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    qtbot.waitUntil(lambda: "A001" in d.call.text(), timeout=5000)
    assert (
        d.call.text()
        == {  # the counter as the configuration names it in each language
            "zh-Hant": "請 A001 號到 1號櫃台",
            "zh-Hans": "请 A001 号到 1号柜台",
            "en": "Number A001, please go to Counter 1",
        }[lang]
    )
    assert d.apology.text() == phrase("apology", lang)  # waited past the target
    assert {"zh-Hant": "叫下一位", "zh-Hans": "叫下一位", "en": "Call next"}[lang] in p.buttons["call_next"].text()
    install_language("en")


def test_keyboard_shortcut_calls_next(qtbot, backend, hall):
    hall.engine.issue("payment")
    p = panel(qtbot, backend)
    qtbot.keyClick(p, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: p.number.text() == "B001", timeout=5000)
    assert p.buttons["start"].isEnabled() and p.buttons["recall"].isEnabled()


def test_pause_shows_the_sign_on_the_display_and_resume_clears_it(qtbot, backend, hall, clock):
    install_language("zh-Hant")
    p, d = panel(qtbot, backend, 2), board(qtbot, backend, "zh-Hant")
    en = board(qtbot, backend, "en")
    p.pause("lunch", clock.now() + 30 * 60)  # "午餐休息", chosen from the list
    qtbot.waitUntil(lambda: "暫停服務" in d.counter_labels[2][1].text(), timeout=5000)
    assert "午餐休息" in d.counter_labels[2][1].text() and "09:30 回來" in d.counter_labels[2][1].text()
    qtbot.waitUntil(lambda: "Lunch break" in en.counter_labels[2][1].text(), timeout=5000)  # each in its language
    assert en.counter_labels[2][0].text() == "Counter 2"
    qtbot.waitUntil(lambda: p.buttons["resume"].isVisible(), timeout=5000)
    assert not p.buttons["call_next"].isEnabled()
    tap(qtbot, p.buttons["resume"])
    qtbot.waitUntil(lambda: "等候叫號" in d.counter_labels[2][1].text(), timeout=5000)
    install_language("en")


def test_the_display_stops_calling_to_a_paused_counter_and_never_shows_a_return_time_gone_by(
    qtbot, backend, hall, clock
):
    e = hall.engine
    e.issue("general")
    e.issue("general")
    p, d = panel(qtbot, backend, 2), board(qtbot, backend, "en")
    e.call_next(1)
    e.call_next(2)
    qtbot.waitUntil(lambda: d.call.text() == phrase("call", "en", number="A002", counter="Counter 2"), timeout=5000)
    e.finish(2)
    p.pause("lunch", clock.now() + 20 * 60)
    # nobody is sent to counter 2 any more: the big line goes back to the call still standing
    qtbot.waitUntil(lambda: d.call.text() == phrase("call", "en", number="A001", counter="Counter 1"), timeout=5000)
    assert "Back at 09:20" in d.counter_labels[2][1].text()
    clock.advance(25 * 60)  # the clerk is late back: no event, only time passes
    qtbot.waitUntil(lambda: "Back shortly" in d.counter_labels[2][1].text(), timeout=5000)
    assert "09:20" not in d.counter_labels[2][1].text()


def test_a_reason_typed_by_staff_stays_on_staff_screens(qtbot, backend, hall, clock):
    p, d = panel(qtbot, backend, 2), board(qtbot, backend, "en")
    p.pause("dentist, sorry", clock.now() + 30 * 60)
    qtbot.waitUntil(lambda: "Closed for now" in d.counter_labels[2][1].text(), timeout=5000)
    assert "dentist" not in d.counter_labels[2][1].text()  # the waiting room reads no free text
    qtbot.waitUntil(lambda: "dentist, sorry" in p.state_label.text(), timeout=5000)


def test_transfer_and_no_show_from_the_panel(qtbot, backend, hall):
    hall.engine.issue("general")
    hall.engine.issue("general")
    p = panel(qtbot, backend)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    p.press("transfer", "payment")
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    assert hall.engine.ticket(1).service == "payment" and hall.engine.ticket(1).state == TicketState.WAITING
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)  # kept its place: first again
    tap(qtbot, p.buttons["no_show"])
    qtbot.waitUntil(lambda: p.number.text() == "—", timeout=5000)
    assert hall.engine.ticket(1).state == TicketState.NO_SHOW


def test_a_refused_press_says_why(qtbot, backend, hall):
    p = panel(qtbot, backend)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.message.text() != "", timeout=5000)
    assert p.message.text() == "Nobody is waiting for this counter."


def test_an_unreachable_queue_shows_clearly_and_blocks_nothing(qtbot, backend, hall, monkeypatch):
    hall.engine.issue("general")
    p = panel(qtbot, backend)

    def down(*a, **k):
        raise OperationalError("SELECT", {}, Exception("database is unreachable"))

    monkeypatch.setattr(hall.engine, "call_next", down)
    monkeypatch.setattr(hall.engine, "counters", down)  # reads fail too
    monkeypatch.setattr(hall.engine, "hall_state", down)
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.offline.isVisible(), timeout=5000)
    assert "Cannot reach the queue" in p.offline.text()
    qtbot.waitUntil(lambda: p.buttons["call_next"].isEnabled(), timeout=5000)  # can press again
    monkeypatch.undo()
    tap(qtbot, p.buttons["call_next"])
    qtbot.waitUntil(lambda: p.number.text() == "A001", timeout=5000)
    assert not p.offline.isVisible()


def test_a_printer_alert_reaches_the_panel(qtbot, backend, hall):
    p = panel(qtbot, backend)
    hall.engine.device_alert("simulated printer", "paper_out", "ticket A001 was not printed (out of paper)")
    qtbot.waitUntil(lambda: p.alert.isVisible(), timeout=5000)
    assert "out of paper" in p.alert.text()


def test_announcements_queue_and_never_cut_each_other_off(qtbot, backend, hall, monkeypatch):
    monkeypatch.setattr("ui.display_board.CHIME_MS", 200)
    monkeypatch.setattr("ui.display_board.GAP_MS", 100)
    for _ in range(3):
        hall.engine.issue("general")
    d = board(qtbot, backend)
    for c in (1, 2, 3):
        hall.engine.call_next(c)  # three calls at once
    qtbot.waitUntil(lambda: len(d.announcer.history) == 6, timeout=10000)
    kinds = [k for k, _ in d.announcer.history]
    assert kinds == ["start", "end"] * 3  # one at a time, each finished
    texts = [text for k, text in d.announcer.history if k == "start"]
    assert [t.split(" ")[1] for t in texts] == ["A001", "A002", "A003"]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_display_fits_both_tv_sizes(qtbot, backend, hall, size):
    hall.engine.issue("general")
    hall.engine.pause(2, "午餐休息")
    hall.engine.call_next(1)
    d = board(qtbot, backend, "zh-Hant", size)
    qtbot.waitUntil(lambda: "A001" in d.call.text(), timeout=5000)
    assert d.call.sizeHint().width() <= size[0]
    assert d.grab().size().width() == size[0]


# ---------------------------------------------------------------- manager view
def test_manager_view_needs_the_pin_and_shows_the_days_log(qtbot, backend, hall, clock, tmp_path):
    e = hall.engine
    for _ in range(3):
        e.issue("general")
    e.issue("payment")
    clock.advance(300)
    e.call_next(1)
    e.call_next(2)
    m = ManagerView(backend)
    qtbot.addWidget(m)
    m.show()
    qtbot.keyClicks(m.pin, "0000")
    tap(qtbot, m.unlock_button)
    qtbot.waitUntil(lambda: m.pin_error.text() == "Wrong PIN", timeout=5000)
    assert not m.unlocked
    qtbot.keyClicks(m.pin, hall.engine.config.site.staff_pin)
    tap(qtbot, m.unlock_button)
    qtbot.waitUntil(lambda: m.unlocked, timeout=5000)
    qtbot.waitUntil(lambda: m.table.rowCount() == 4, timeout=5000)
    assert m.figure_labels["Tickets"].text() == "4"
    assert m.figure_labels["Still open"].text() == "4"
    m.service.setCurrentIndex(m.service.findData("payment"))
    tap(qtbot, m.show_button)
    qtbot.waitUntil(lambda: m.table.rowCount() == 1, timeout=5000)
    assert m.table.item(0, 0).text() == "B001"
    csv_path, pdf_path = tmp_path / "log.csv", tmp_path / "day.pdf"
    m.export_csv(str(csv_path))
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf") and "繳費" in csv_path.read_text(encoding="utf-8-sig")
    m.export_pdf(str(pdf_path))
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert m.chart.by_hour and m.chart.by_hour[0].group == {"hour": 9}


# ---------------------------------------------------------------- presence on screen
def test_presence_to_banner_to_greeted_to_log(qtbot, backend, hall, clock):
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter
    from kiosk.reports import greeting_rows

    install_language("zh-Hant")
    greeter = Greeter(hall.engine)
    p1, p2 = panel(qtbot, backend, 1), panel(qtbot, backend, 2)
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.ENTER, clock.now(), 2.6))
    qtbot.waitUntil(lambda: p1.greet.isVisible() and p2.greet.isVisible(), timeout=5000)
    assert p1.greet_text.text() == "有客人到訪，請起立問候" and p1.greet_button.text() == "已問候"
    assert p1.chimes == 1 and p2.chimes == 1  # it sounds, once per ring
    clock.advance(5)
    tap(qtbot, p2.greet_button)
    qtbot.waitUntil(lambda: not p1.greet.isVisible(), timeout=5000)  # gone everywhere
    assert "已由櫃台問候" in p1.message.text() and "2" in p1.message.text()
    (row,) = greeting_rows(hall.engine.store, hall.engine.config)
    assert row["confirmed_by"] == 2 and row["latency_s"] == 5.0 and row["sources"] == "entrance radar"
    greeter.stop()
    install_language("en")


def test_escalation_turns_the_banner_red_on_every_counter_and_tells_the_manager(qtbot, backend, hall, clock):
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter

    hall.engine.pause(3, "break")
    greeter = Greeter(hall.engine)
    p3 = panel(qtbot, backend, 3)
    manager = ManagerView(backend)  # still behind its PIN
    qtbot.addWidget(manager)
    manager.show()
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
    qtbot.wait(300)
    assert not p3.greet.isVisible() and not manager.escalation.isVisible()  # paused: not asked at first
    for _ in range(4):
        clock.advance(10)
        greeter.tick()
    qtbot.waitUntil(lambda: p3.greet.isVisible() and manager.escalation.isVisible(), timeout=5000)
    assert "Nobody has greeted yet" in p3.greet_text.text() and "b00020" in p3.greet.styleSheet()
    assert p3.chimes == 1  # only the escalation reached it
    tap(qtbot, p3.greet_button)
    qtbot.waitUntil(lambda: not manager.escalation.isVisible(), timeout=5000)
    greeter.stop()


def test_the_kiosk_sleeps_and_wakes_when_someone_approaches(qtbot, backend, hall, clock):
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter

    w = kiosk(qtbot, backend)
    w.go_to_sleep()
    assert w.asleep and w.sleep_touch.text() == "請觸碰螢幕取號"
    greeter = Greeter(hall.engine)
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.ENTER, clock.now(), 2.8))
    qtbot.waitUntil(lambda: not w.asleep, timeout=5000)
    assert w.pages.currentWidget() is w.start_page
    w.go_to_sleep()
    tap(qtbot, w.sleep_page)
    assert not w.asleep
    greeter.stop()


def test_manager_view_shows_greeting_figures(qtbot, backend, hall, clock):
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter

    greeter = Greeter(hall.engine)
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
    aid = hall.engine.latest_events("greet_alert", 1)[0].data["alert_id"]
    clock.advance(7)
    hall.engine.confirm_greeting(aid, 1)
    m = ManagerView(backend)
    qtbot.addWidget(m)
    m.show()
    m.pin.setText(hall.engine.config.site.staff_pin)
    m.unlock()
    qtbot.waitUntil(lambda: m.greet_labels["Arrivals"].text() == "1", timeout=5000)
    assert m.greet_row.isVisible()
    assert m.greet_labels["Median time to greet"].text() == "7.0 s"
    assert m.greet_labels["Greeted within target"].text() == "100.0 %"
    assert m.greet_labels["Left without a ticket"].text() == "1"
    greeter.stop()


def test_a_panel_opened_during_an_alert_still_shows_it(qtbot, backend, hall, clock):
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter

    greeter = Greeter(hall.engine)
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
    p = panel(qtbot, backend, 2)  # restarted after the alert went out
    qtbot.waitUntil(lambda: p.greet.isVisible(), timeout=5000)
    tap(qtbot, p.greet_button)
    qtbot.waitUntil(lambda: hall.engine.open_greetings() == [], timeout=5000)
    late = panel(qtbot, backend, 1)
    qtbot.wait(300)
    assert not late.greet.isVisible()  # nothing left to greet
    greeter.stop()


def test_the_daily_pdf_prints_every_name_as_typed_never_as_markup(qtbot, make_engine, tmp_path):
    """A site or service name with < or & (a hall called "A&B <East>") is text in the PDF, not
    markup that swallows it."""
    from PySide6.QtGui import QTextDocument

    from kiosk.config import parse_config
    from kiosk.report import read_report
    from kiosk.reports import LogFilter
    from kiosk.testing import _toml, config_data
    from ui.report_pdf import report_html

    data, _ = config_data()
    data["site"]["name"] = {"zh-Hant": "A&B <East> 大廳", "zh-Hans": "A&B <East>", "en": "A&B <East> hall"}
    data["services"][0]["names"]["en"] = "<b>Loans</b> & cards"
    config = parse_config(_toml(data))
    e = make_engine(f"sqlite:///{tmp_path / 'q.db'}", config)
    e.issue(config.services[0].code)
    e.call_next(1)
    e.finish(1)
    report = read_report(e.store, config, LogFilter(), e.clock.now(), lang="en")
    doc = QTextDocument()
    doc.setHtml(report_html(report, config, "en"))
    shown = doc.toPlainText()
    assert "A&B <East> hall" in shown and "<b>Loans</b> & cards" in shown
    # a report a manager can read: waits with their unit, the target line named, a row per counter
    assert "Mean wait (min)" in shown and "dashed line: the target wait" in shown
    assert f"\n{config.counters[0].name_in('en')}\n1\n" in shown


def test_a_busy_days_pdf_never_cuts_a_table_in_two(qtbot, make_engine, tmp_path):
    """However long the category and staff tables grow, a table that fits on a page is printed
    whole: one that would run over the foot of a page starts on the next (looked at: a busy day's
    category table began at the foot of page 1 and went on overleaf)."""
    import dataclasses

    from kiosk.report import read_report
    from kiosk.reports import LogFilter
    from kiosk.testing import make_config
    from ui.report_pdf import hour_chart, laid_out, paginated, pdf_writer, split_tables

    config = make_config()
    e = make_engine(f"sqlite:///{tmp_path / 'q.db'}", config)
    for _ in range(3):
        e.issue("general")
        e.call_next(1)
        e.finish(1)
    base = read_report(e.store, config, LogFilter(), e.clock.now(), lang="en")
    chart = hour_chart(base, config)
    writer = pdf_writer(str(tmp_path / "day.pdf"))
    would_cut = 0
    for rows in range(0, 40, 2):  # a category table of 0 to 38 rows moves every table below it
        categories = [{"category_name": f"Matter {i}", "visits": i, "follow_ups": i % 3} for i in range(rows)]
        report = dataclasses.replace(base, categories=categories)
        plain = laid_out(report, config, "en", chart, writer, set())
        would_cut += bool(split_tables(plain))
        doc = paginated(report, config, "en", chart, writer)
        assert split_tables(doc) == [], f"{rows} categories: a table runs over a page's foot"
        assert doc.pageCount() <= plain.pageCount() + 1  # a table moved costs at most a page
        text = doc.toPlainText()
        assert all(f"Matter {i}\n" in text for i in range(rows))  # nothing dropped by the new page
    assert would_cut, "no table length reached a page's foot: the test shows nothing"
