"""The same widgets as a client of a server on another machine (`kiosk screen ... --server`):
they show the hall, hear calls over the event stream, say "offline" clearly, and a press made
while the server is down is retried with its idempotency key: nobody is skipped or called twice."""

from __future__ import annotations

import os

import httpx
import pytest
from PySide6.QtCore import Qt

from tests.test_server import Server, write_config

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.display_board import DisplayBoard  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402
from ui.remote_backend import RemoteBackend, fetch_config  # noqa: E402


@pytest.fixture
def hall(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    s = Server(cfg, tokens)
    yield s, cfg, tokens
    s.stop()


def remote(s: Server, role: str, qapp) -> RemoteBackend:
    token = s.tokens[role]
    return RemoteBackend(s.url, token, fetch_config(s.url, token))


def test_remote_panel_calls_and_the_remote_display_shows_it(qtbot, qapp, hall):
    s, _, _ = hall
    httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
    panel_backend, display_backend = remote(s, "counter", qapp), remote(s, "display", qapp)
    panel = CounterPanel(panel_backend, 1)
    board = DisplayBoard(display_backend, voice=False)
    board.announcer.silence()
    for w in (panel, board):
        qtbot.addWidget(w)
        w.show()
    qtbot.waitUntil(lambda: panel.state is not None and board.state is not None, timeout=10000)
    assert panel.waiting_rows["general"].text() == "1"
    qtbot.mouseClick(panel.buttons["call_next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=10000)
    qtbot.waitUntil(lambda: "A001" in board.call.text(), timeout=10000)  # heard over the event stream
    assert board.call.text() == "請 A001 號到 1號櫃台"
    panel_backend.close()
    display_backend.close()


def test_a_press_during_an_outage_is_retried_and_acts_once(qtbot, qapp, hall):
    s, cfg, tokens = hall
    for _ in range(2):
        httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
    backend = remote(s, "counter", qapp)
    panel = CounterPanel(backend, 1)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.state is not None and backend.connected, timeout=10000)
    s.stop()  # the server machine reboots
    qtbot.mouseClick(panel.buttons["call_next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.offline.isVisible(), timeout=15000)
    assert "Cannot reach the queue" in panel.offline.text()
    qtbot.wait(18000)  # longer than a kiosk customer would wait
    assert panel.number.text() != "A001"  # still trying, not given up
    back = Server(cfg, tokens, port=s.port)  # back on the same address and database
    try:
        qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=30000)
        qtbot.waitUntil(lambda: not panel.offline.isVisible(), timeout=15000)
        log = httpx.get(back.url + "/api/v1/log", headers=back.headers("manager")).json()
        assert {r["number"]: r["state"] for r in log} == {"A001": "called", "A002": "waiting"}
    finally:
        backend.close()
        back.stop()


def test_remote_kiosk_issues_through_the_server(qtbot, qapp, hall):
    s, _, _ = hall
    backend = remote(s, "kiosk", qapp)
    w = KioskScreen(backend, "en")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=10000)
    qtbot.mouseClick(w.service_buttons["payment"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.number.text() == "B001", timeout=10000)
    assert w.unlock(backend.config.site.staff_pin)  # a kiosk knows the staff PIN, even offline
    backend.close()


def test_remote_manager_view_reads_the_log_over_the_api(qtbot, qapp, hall):
    from ui.manager_view import ManagerView

    s, _, _ = hall
    for svc in ("general", "payment", "general"):
        httpx.post(s.url + "/api/v1/tickets", json={"service": svc}, headers=s.headers("kiosk"))
    httpx.post(s.url + "/api/v1/counters/1/call-next", headers=s.headers("counter"))
    backend = remote(s, "manager", qapp)
    m = ManagerView(backend)
    qtbot.addWidget(m)
    m.show()
    m.pin.setText(backend.config.site.staff_pin)
    m.unlock()
    qtbot.waitUntil(lambda: m.unlocked, timeout=10000)  # the server checked the PIN
    qtbot.waitUntil(lambda: m.table.rowCount() == 3, timeout=10000)
    assert m.figure_labels["Tickets"].text() == "3" and m.figure_labels["Still open"].text() == "3"
    assert [m.table.item(r, 0).text() for r in range(3)] == ["A001", "B001", "A002"]
    backend.close()


def test_a_display_token_cannot_open_the_manager_view_data(qtbot, qapp, hall):
    from ui.manager_view import ManagerView

    s, _, _ = hall
    backend = remote(s, "display", qapp)
    assert "staff_pin" not in httpx.get(s.url + "/api/v1/config", headers=s.headers("display")).json()["site"]
    m = ManagerView(backend)
    qtbot.addWidget(m)
    m.reload()  # even if someone got past the PIN screen
    qtbot.waitUntil(lambda: m.saved.text() != "", timeout=10000)
    assert "manager token" in m.saved.text() and m.table.rowCount() == 0
    backend.close()


def test_a_remote_kiosk_prints_the_reprints_addressed_to_it_and_tells_the_counters_of_its_printer(
    qtbot, qapp, hall, tmp_path
):
    from kiosk.compose import start_print_service
    from kiosk.config import load_config
    from kiosk.devices import PrinterState
    from ui.app import _remote_kiosk_printer

    s, cfg, _ = hall
    local = load_config(str(cfg))[0]
    local = local.model_copy(
        update={
            "printer": local.printer.model_copy(
                update={"kind": "simulated", "out_dir": str(tmp_path / "kiosk-tickets"), "poll_s": 0}
            )
        }
    )
    backend = remote(s, "kiosk", qapp)
    _remote_kiosk_printer(backend, lambda alert: start_print_service(local, alert))
    qtbot.waitUntil(lambda: len(backend.stream_listeners) == 1, timeout=10000)  # it knows its name
    kiosk = KioskScreen(backend, "en")
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.state is not None, timeout=10000)
    printer = backend.printer.printer
    printer.state = PrinterState.PAPER_OUT
    qtbot.mouseClick(kiosk.service_buttons["general"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.print_again.isVisible(), timeout=10000)

    # the counters hear of the kiosk's printer through the server
    def printer_alert():
        alerts = httpx.get(s.url + "/api/v1/state", headers=s.headers("counter")).json()["alerts"]
        return next((a for a in alerts if a["kind"] == "printer"), None)

    qtbot.waitUntil(lambda: printer_alert() is not None, timeout=10000)
    assert printer_alert()["ticket"] == "A001" and printer_alert()["state"] == "paper_out"
    printer.state = PrinterState.READY
    # a clerk reprints A001 at counter 1: the kiosk that issued it prints it
    found = httpx.get(s.url + "/api/v1/tickets/by-number/A001", headers=s.headers("counter")).json()
    r = httpx.post(s.url + f"/api/v1/tickets/{found['ticket']['id']}/reprint", headers=s.headers("counter"))
    assert r.status_code == 200 and r.json()["ticket"]["reprints"] == 1
    qtbot.waitUntil(lambda: len(printer.printed) == 1, timeout=10000)
    qtbot.wait(1000)
    assert len(printer.printed) == 1  # once
    backend.close()
    backend.printer.close()


def test_a_remote_hall_with_staff_signs_in_ends_a_visit_with_a_follow_up_and_the_manager_replies(qtbot, qapp, tmp_path):
    """Over the network: the counter signs in through the server (which alone holds the PINs),
    ends a visit with a follow-up, brings back a no-show; the remote manager view replies to it
    and changes a counter's services."""
    from kiosk.testing import STAFF
    from ui.manager_view import ManagerView

    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", staff=STAFF)
    s = Server(cfg, tokens)
    try:
        for _ in range(2):
            httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
        backend = remote(s, "counter", qapp)
        assert {p.pin for p in backend.config.staff} == {""}  # withheld from a counter
        panel = CounterPanel(backend, 1, "en")
        panel.silence()
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitUntil(lambda: panel.state is not None, timeout=10000)
        assert not panel.buttons["call_next"].isEnabled()
        panel.sign_in("lin", "271828")
        qtbot.waitUntil(lambda: panel.buttons["call_next"].isEnabled(), timeout=10000)
        qtbot.mouseClick(panel.buttons["call_next"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=10000)
        qtbot.mouseClick(panel.buttons["no_show"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.number.text() == "—", timeout=10000)
        # today's no-shows come over the network too, for the one-tap list
        qtbot.waitUntil(lambda: [t.number for t in panel.state.no_shows] == ["A001"], timeout=10000)
        panel.bring_back("A001")
        qtbot.waitUntil(lambda: panel.message.text() == "A001 is back in line", timeout=10000)
        qtbot.mouseClick(panel.buttons["call_next"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=10000)
        panel.finish_with_follow_up("problem", "check the meter and call back", "0912-345-678")
        qtbot.waitUntil(lambda: panel.number.text() == "—", timeout=10000)
        # a letter of praise, logged through the server: registered, not on the follow-up board
        panel.press("log_contact", "letter", "praise", "thanks to Ms Lin", "", False, None)
        qtbot.waitUntil(lambda: panel.message.text() == "Logged.", timeout=10000)

        manager = remote(s, "manager", qapp)
        m = ManagerView(manager, "en")
        qtbot.addWidget(m)
        m.show()
        m.pin.setText("314159")
        m.unlock()
        qtbot.waitUntil(lambda: m.unlocked, timeout=10000)
        m.tabs.setCurrentWidget(m.board)
        qtbot.waitUntil(lambda: m.board.table.rowCount() == 1, timeout=10000)
        assert m.board.table.item(0, 6).text() == "0912-345-678"  # the manager sees the contact
        m.board.table.selectRow(0)
        m.board.note.setText("the meter was read again; told the customer by phone")
        qtbot.mouseClick(m.board.reply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: m.board.message.text() == "Reply recorded", timeout=10000)
        m.tabs.setCurrentWidget(m.hall)
        qtbot.waitUntil(lambda: m.hall.people[1].text() == "林美華", timeout=10000)
        m.hall.boxes[2]["manager"].setChecked(False)
        qtbot.mouseClick(m.hall.apply_buttons[2], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "from its next call" in m.hall.message.text(), timeout=10000)
        state = httpx.get(s.url + "/api/v1/state", headers=s.headers("manager")).json()
        assert state["counters"][1]["services"] == ["general", "payment"]
        follow = httpx.get(s.url + "/api/v1/follow-ups", headers=s.headers("manager")).json()
        assert follow[0]["state"] == "replied" and follow[0]["replied_by"] == "王小明"
        backend.close()
        manager.close()
    finally:
        s.stop()


def _iso(t: float) -> str:
    import time

    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t))
    return stamp[:-2] + ":" + stamp[-2:]


def test_a_remote_kiosk_and_a_remote_panel_check_bookings_in_through_the_server(qtbot, qapp, hall):
    """The kiosk's scan and the counter's check-in by name, over the API: a refusal (409) is
    said on the kiosk, not raised as an error; the panel lists the day's bookings by name."""
    import time

    from kiosk.phrases import phrase
    from ui.counter_panel import CounterPanel

    s, _, _ = hall
    now = time.time()
    booked = httpx.post(
        f"{s.url}/api/v1/appointments/add",
        json={
            "bookings": [
                {"service": "payment", "at": _iso(now - 60), "ref": "700001"},
                {"service": "general", "at": _iso(now - 15 * 60), "ref": "700002"},
                {"service": "general", "at": _iso(now - 60), "ref": "700003", "name": "Lee Siu Ming"},
            ]
        },
        headers=s.headers("manager"),
    ).json()["added"]
    kiosk_backend = remote(s, "kiosk", qapp)
    w = KioskScreen(kiosk_backend, "en")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.state is not None, timeout=10000)
    qtbot.keyClicks(w, "700001")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.number.text() == "B001", timeout=10000)
    w.back_to_start()
    qtbot.keyClicks(w, "700002")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    late_day = booked[1]["business_day"] == booked[0]["business_day"]  # (not if just after midnight)
    said = w.ref_message.text
    qtbot.waitUntil(lambda: said() != "" and said() != phrase("please_wait", w.lang), timeout=10000)
    if late_day:
        # (the start page went back to the hall's own language for the next customer)
        assert w.walk_in.isVisible() and said() == phrase("appointment_too_late", w.lang, time=booked[1]["at"][11:16])
    panel_backend = remote(s, "counter", qapp)
    p = CounterPanel(panel_backend, 1, "en")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=10000)
    p.ask_check_in()
    qtbot.waitUntil(lambda: getattr(p, "dialog", None) is not None and p.dialog.isVisible(), timeout=10000)
    d = p.dialog
    qtbot.keyClicks(d.search, "lee")
    [lee] = [i for i, b in d.picks.items() if b.isVisible()]
    qtbot.mouseClick(d.picks[lee], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(d.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.message.text().startswith("Checked in: A"), timeout=10000)
    kiosk_backend.close()
    panel_backend.close()
