"""Who can reach the web manager view (/manage): only a manager signed in with their own PIN.
Every page and action is refused without a session, every action without the session's CSRF
token or from another site; no device token opens it; the PIN lock-out is the one the API and
the screens count; a session ends on sign-out and when left idle."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kiosk.engine.sessions import IDLE_S
from kiosk.server.app import create_app
from kiosk.testing import staff_toml
from tests.conftest import config_with

PAGES = ["/manage/log", "/manage/follow-ups", "/manage/counters", "/manage/health", "/manage/news", "/manage/log.csv"]
ACTIONS = [
    ("/manage/reprint", {"number": "A001"}),
    ("/manage/follow-ups/1/reply", {"method": "phone", "note": "called back"}),
    ("/manage/follow-ups/1/reopen", {"reason": "not settled"}),
    ("/manage/counters/1/services", {"service": "general"}),
    ("/manage/day/close", {"confirm": "yes"}),
    ("/manage/sign-out", {}),
]
MANAGER_PIN, CLERK_PIN = "314159", "271828"  # kiosk.testing.STAFF: wang is a manager, lin is not


@pytest.fixture
def hall(make_engine, tmp_path):
    config = config_with(extra=staff_toml())
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}", config)
    return engine, TestClient(create_app(engine), base_url="http://hall.local")


def signed_in(client: TestClient, pin: str = MANAGER_PIN) -> str:
    r = client.post("/manage/sign-in", data={"pin": pin, "next": "/manage/counters"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get("/manage/counters").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_every_page_without_a_session_goes_to_the_sign_in_form_and_shows_nothing(hall):
    _engine, client = hall
    for path in PAGES:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/manage/sign-in?next="), path
    assert client.get("/manage/live").status_code == 401
    # a live region's partial update gets 401 (the page's script then goes to the form)
    assert client.get("/manage/log", headers={"HX-Request": "true"}).status_code == 401


def test_every_action_without_a_session_is_refused_and_changes_nothing(hall):
    engine, client = hall
    engine.issue("general")
    for path, form in ACTIONS:
        r = client.post(path, data=form, follow_redirects=False)
        assert r.status_code == 401, path
    assert engine.hall_state().waiting["general"] == 1  # the day was not closed, nothing reprinted
    assert engine.counter_services_now()[1] != ("general",)


def test_no_device_token_opens_the_manager_view(hall):
    engine, client = hall
    for t in engine.config.tokens:  # the kiosk's, a counter's, the display's, even the manager device's
        auth = {"Authorization": f"Bearer {t.token}"}
        assert client.get("/manage/log", headers=auth, follow_redirects=False).status_code == 303, t.role
        r = client.post("/manage/day/close", data={"confirm": "yes"}, headers=auth, follow_redirects=False)
        assert r.status_code == 401, t.role


def test_an_action_without_the_csrf_token_or_from_another_site_is_refused(hall):
    engine, client = hall
    csrf = signed_in(client)
    r = client.post("/manage/counters/2/services", data={"service": "general"})
    assert r.status_code == 403 and "security token" in r.json()["detail"]
    r = client.post("/manage/counters/2/services", data={"service": "general", "csrf": "guessed"})
    assert r.status_code == 403
    r = client.post(
        "/manage/counters/2/services",
        data={"service": "general", "csrf": csrf},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403 and "another site" in r.json()["detail"]
    assert engine.counter_services_now()[2] != ("general",)
    # the same form with the token, from this server, is done
    r = client.post("/manage/counters/2/services", data={"service": "general", "csrf": csrf})
    assert r.status_code == 200 and engine.counter_services_now()[2] == ("general",)


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(hall):
    _engine, client = hall
    r = client.post("/manage/sign-in", data={"pin": MANAGER_PIN}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/manage" in cookie
    page = client.get("/manage/log")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"


def test_a_clerks_pin_does_not_open_it_and_does_not_count_toward_the_lock_out(hall):
    _engine, client = hall
    for _ in range(6):
        r = client.post("/manage/sign-in?lang=en", data={"pin": CLERK_PIN})
        assert r.status_code == 403 and "Only a manager can do this." in r.text
    assert client.post("/manage/sign-in", data={"pin": MANAGER_PIN}, follow_redirects=False).status_code == 303


def test_wrong_pins_on_the_api_lock_the_web_sign_in_too_and_the_other_way_round(hall):
    engine, client = hall
    manager = {"Authorization": f"Bearer {next(t.token for t in engine.config.tokens if t.role == 'manager')}"}
    for _ in range(5):
        assert client.post("/api/v1/manager-pin", json={"pin": "000000"}, headers=manager).status_code == 403
    r = client.post("/manage/sign-in?lang=en", data={"pin": MANAGER_PIN}, follow_redirects=False)
    assert r.status_code == 429 and "Too many wrong PINs" in r.text
    engine.clock.advance(61)
    for _ in range(5):
        r = client.post("/manage/sign-in?lang=en", data={"pin": "000000"})
        assert r.status_code == 403 and "Wrong PIN" in r.text
    r = client.post("/api/v1/manager-pin", json={"pin": MANAGER_PIN}, headers=manager)
    assert r.status_code == 403 and r.json()["why"] == "pin_locked"


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(hall):
    _engine, client = hall
    csrf = signed_in(client)
    stolen = dict(client.cookies)
    assert client.post("/manage/sign-out", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    other = TestClient(client.app, base_url="http://hall.local", cookies=stolen)
    assert other.get("/manage/log", follow_redirects=False).status_code == 303


def test_a_session_left_idle_ends(hall):
    engine, client = hall
    signed_in(client)
    engine.clock.advance(IDLE_S / 2)
    assert client.get("/manage/log", follow_redirects=False).status_code == 200  # in use: kept
    engine.clock.advance(IDLE_S + 1)
    assert client.get("/manage/log", follow_redirects=False).status_code == 303


def test_the_sign_in_link_never_sends_a_manager_to_another_site(hall):
    _engine, client = hall
    for where in ("https://evil.example/", "//evil.example/x", "/manage/../api/v1/log", "/\\evil"):
        r = client.post("/manage/sign-in", data={"pin": MANAGER_PIN, "next": where}, follow_redirects=False)
        assert r.headers["location"] in ("/manage/log", where) and r.headers["location"].startswith("/manage/")


def test_a_reply_without_a_note_is_refused_and_a_replied_one_can_be_reopened_with_a_reason(hall):
    engine, client = hall
    engine.sign_in(1, "lin", CLERK_PIN)
    engine.issue("general")
    engine.call_next(1)
    engine.finish(1, category="payment", outcome="follow_up", note="will check the bill")
    fu = engine.follow_ups()[0]
    csrf = signed_in(client)
    r = client.post(f"/manage/follow-ups/{fu['id']}/reply?lang=en", data={"csrf": csrf, "method": "phone", "note": " "})
    assert r.status_code == 200 and "Say in the note what the customer was told" in r.text
    assert engine.follow_ups()[0]["state"] == "open"
    r = client.post(f"/manage/follow-ups/{fu['id']}/reply", data={"csrf": csrf, "method": "phone", "note": "refunded"})
    assert engine.follow_ups()[0]["state"] == "replied" and engine.follow_ups()[0]["replied_by"] == "王小明"
    # the reply did not settle it: reopened from the board, with a reason (none: refused, said why)
    r = client.post(f"/manage/follow-ups/{fu['id']}/reopen?lang=en", data={"csrf": csrf, "reason": ""})
    assert "Reopening needs a reason." in r.text and engine.follow_ups()[0]["state"] == "replied"
    r = client.post(f"/manage/follow-ups/{fu['id']}/reopen", data={"csrf": csrf, "reason": "refund not received"})
    assert engine.follow_ups()[0]["state"] == "open"


def test_a_hall_without_staff_opens_it_with_the_site_pin(make_engine, tmp_path):
    config = config_with()
    assert not config.staff and config.site.staff_pin == "2580"
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}", config)
    client = TestClient(create_app(engine), base_url="http://hall.local")
    r = client.post("/manage/sign-in", data={"pin": "2580"}, follow_redirects=False)
    assert r.status_code == 303 and client.get("/manage/log").status_code == 200
