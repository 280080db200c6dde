"""The reception log over the network API, against a real `kiosk serve`: staff sign in with their
own PIN, a visit ends with its category and a follow-up, the follow-up board by role (contacts
only for the manager and the owning counter), replies, a manual call, a no-show brought back, a
manager changing a counter's services, and the report's reply rate and per-person figures.
Refusals are 4xx with a reason."""

from __future__ import annotations

import httpx
import pytest

from kiosk.testing import STAFF, ServerProcess, write_config


@pytest.fixture
def server(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", staff=STAFF)
    s = ServerProcess(cfg, tokens)
    yield s
    s.stop()


def test_a_clerk_signs_in_serves_and_promises_a_follow_up_that_the_manager_sees_replied(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    k, c1, c2, m = (server.headers("kiosk"), server.headers("counter"), server.headers("counter", 2),
                    server.headers("manager"))  # fmt: skip
    c.post("/api/v1/tickets", json={"service": "general"}, headers=k)
    refused = c.post("/api/v1/counters/1/call-next", headers=c1)
    assert refused.status_code == 409 and refused.json()["why"] == "not_signed_in"
    wrong = c.post("/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "000000"}, headers=c1)
    assert wrong.status_code == 403 and wrong.json()["why"] == "wrong_pin"
    signed = c.post("/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "271828"}, headers=c1).json()
    assert (signed["staff_id"], signed["staff_name"]) == ("lin", "林美華")
    assert c.post("/api/v1/counters/1/call-next", headers=c1).json()["ticket"]["called_by"] == "lin"
    no_note = c.post("/api/v1/counters/1/finish", json={"category": "complaint"}, headers=c1)
    assert no_note.status_code == 409 and no_note.json()["why"] == "follow_up_note"
    too_soon = c.post(
        "/api/v1/counters/1/finish",
        json={"category": "problem", "outcome": "follow_up", "note": "meter reading", "due_hours": 0.25},
        headers=c1,
    )
    assert too_soon.status_code == 422 and "due_hours" in too_soon.text  # named, and nothing finished
    done = c.post(
        "/api/v1/counters/1/finish",
        json={"category": "problem", "outcome": "follow_up", "note": "meter reading", "contact": "0912-345-678"},
        headers=c1,
    ).json()["ticket"]
    assert (done["category"], done["outcome"], done["finished_by"]) == ("problem", "follow_up", "lin")

    [mine] = c.get("/api/v1/follow-ups", headers=c1).json()
    assert mine["contact"] == "0912-345-678" and mine["due_at"].endswith("+08:00") and mine["overdue"] is False
    assert c.get("/api/v1/follow-ups", headers=c2).json() == []  # counter 2 does not own it
    other = c.post(
        f"/api/v1/follow-ups/{mine['id']}/reply",
        json={"by": "wu", "method": "phone", "note": "called back"},
        headers=c2,
    )
    assert other.status_code == 403
    bad = c.post(
        f"/api/v1/follow-ups/{mine['id']}/reply",
        json={"by": "lin", "method": "pigeon", "note": "called back"},
        headers=c1,
    )
    assert bad.status_code == 422
    replied = c.post(
        f"/api/v1/follow-ups/{mine['id']}/reply",
        json={"by": "lin", "method": "phone", "note": "called back"},
        headers=c1,
    )
    assert replied.json()["state"] == "replied"
    assert c.get("/api/v1/follow-ups?state=replied", headers=m).json()[0]["replied_by"] == "lin"
    assert c.post(f"/api/v1/follow-ups/{mine['id']}/reopen", json={"reason": "x"}, headers=c1).status_code == 403

    report = c.get("/api/v1/report", headers=m).json()
    assert report["follow_ups"]["reply_rate_pct"] == 100.0 and report["follow_ups"]["replied_within_target"] == 1
    assert report["categories"] == [{"category": "problem", "category_name": "反映問題", "visits": 1, "follow_ups": 1}]
    assert report["staff"][0]["staff"] == "林美華" and report["staff"][0]["served"] == 1


def test_missed_calls_and_a_services_change_over_the_api(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    k, c1, c3, m = (server.headers("kiosk"), server.headers("counter"), server.headers("counter", 3),
                    server.headers("manager"))  # fmt: skip
    c.post("/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "271828"}, headers=c1)
    c.post("/api/v1/counters/3/sign-in", json={"staff": "wang", "pin": "314159"}, headers=c3)
    for _ in range(3):
        c.post("/api/v1/tickets", json={"service": "general"}, headers=k)
    manual = c.post("/api/v1/counters/1/call-number", json={"number": "A003", "reason": "appointment"}, headers=c1)
    assert manual.json()["ticket"]["call_reason"] == "manual"
    assert c.post("/api/v1/counters/1/no-show", headers=c1).json()["ticket"]["state"] == "no_show"
    back = c.post("/api/v1/tickets/by-number/A003/return", headers=c1).json()
    assert back["ticket"]["state"] == "waiting" and back["ticket"]["returns"] == 1
    again = c.post("/api/v1/tickets/by-number/A003/return", headers=c1)
    assert again.status_code == 409 and again.json()["why"] == "not_no_show"

    assert c.put("/api/v1/counters/3/services", json={"services": ["manager"]}, headers=c3).status_code == 403
    for cid in (1, 2):  # in this hall every counter serves everything; now only counter 3 does the rest
        assert c.put(f"/api/v1/counters/{cid}/services", json={"services": ["general"]}, headers=m).status_code == 200
    orphan = c.put("/api/v1/counters/3/services", json={"services": ["general"]}, headers=m)
    assert orphan.status_code == 409 and orphan.json()["why"] == "service_unserved"
    changed = c.put("/api/v1/counters/3/services", json={"services": ["manager", "payment"]}, headers=m).json()
    assert changed["services"] == ["manager", "payment"]
    assert c.post("/api/v1/counters/3/call-next", headers=c3).status_code == 204  # no general for it now
    unknown = c.put("/api/v1/counters/3/services", json={"services": ["bogus"]}, headers=m)
    assert unknown.status_code == 404


def test_no_screen_ever_receives_a_pin_or_its_hash_and_the_manager_view_opens_through_the_server(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    for role in ("counter", "display", "kiosk", "manager"):
        data = c.get("/api/v1/config", headers=server.headers(role)).json()
        assert {p["pin"] for p in data["staff"]} == {""}, role
        assert "staff_pin" not in data["site"], role  # a kiosk's exit PIN is in its own config
        assert "314159" not in str(data) and "scrypt$" not in str(data)
    m = server.headers("manager")
    opened = c.post("/api/v1/manager-pin", json={"pin": "314159"}, headers=m)
    assert opened.status_code == 200 and opened.json() == {"staff": "wang", "name": "王小明", "manager": True}
    clerk = c.post("/api/v1/manager-pin", json={"pin": "271828"}, headers=m)
    assert clerk.status_code == 403 and clerk.json()["why"] == "not_manager"  # right PIN, not a manager's
    assert c.post("/api/v1/manager-pin", json={"pin": "314159"}, headers=server.headers("counter")).status_code == 403


def test_wrong_pins_are_counted_by_every_server_process_and_kept_across_a_restart(tmp_path):
    """Two processes on one store: alternating between them does not reset the count; the lock
    outlives a restart; the 403 says when to try again."""
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", staff=STAFF)
    a, b = ServerProcess(cfg, tokens), ServerProcess(cfg, tokens)
    try:
        answers = []
        for i in range(5):  # 5 wrong PINs, alternating: 3 to one process, 2 to the other
            s = (a, b)[i % 2]
            r = httpx.post(s.url + "/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "000000"},
                           headers=s.headers("counter"), timeout=10)  # fmt: skip
            answers.append(r.json()["why"])
        assert answers == ["wrong_pin"] * 5
        b.stop()
        b = ServerProcess(cfg, tokens)  # restarted: the lock is in the store
        locked = httpx.post(b.url + "/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "271828"},
                            headers=b.headers("counter"), timeout=10)  # fmt: skip
        assert locked.status_code == 403 and locked.json()["why"] == "pin_locked"  # even the right PIN
        assert 0 < int(locked.headers["Retry-After"]) <= 60
        other = httpx.post(a.url + "/api/v1/counters/2/sign-in", json={"staff": "wang", "pin": "314159"},
                           headers=a.headers("counter", 2), timeout=10)  # fmt: skip
        assert other.status_code == 200  # only lin's sign-in is locked
    finally:
        a.stop()
        b.stop()


def test_a_promised_reply_is_printed_on_a_slip_by_the_kiosk_that_issued_the_ticket(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    k, c1, c2 = server.headers("kiosk"), server.headers("counter"), server.headers("counter", 2)
    kiosk_name = c.get("/api/v1/me", headers=k).json()["name"]
    ticket = c.post("/api/v1/tickets", json={"service": "general"}, headers=k).json()["ticket"]
    c.post("/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "271828"}, headers=c1)
    c.post("/api/v1/counters/1/call-next", headers=c1)
    plain = c.post(f"/api/v1/tickets/{ticket['id']}/slip", headers=c1)
    assert plain.status_code == 404  # no reply promised yet: nothing to print
    c.post(
        "/api/v1/counters/1/finish",
        json={"category": "problem", "outcome": "follow_up", "note": "meter reading", "contact": "0912-345-678"},
        headers=c1,
    )
    assert c.post(f"/api/v1/tickets/{ticket['id']}/slip", headers=c2).status_code == 403  # not counter 2's
    slip = c.post(f"/api/v1/tickets/{ticket['id']}/slip", headers=c1)
    assert slip.status_code == 200, slip.text
    assert slip.json()["printer"] == kiosk_name and "contact" not in slip.json()["follow_up"]
    fu = slip.json()["follow_up"]
    elsewhere = c.post(f"/api/v1/follow-ups/{fu['id']}/slip", json={"printer": "desk-1"}, headers=c1).json()
    assert elsewhere["printer"] == "desk-1" and elsewhere["follow_up"]["due_at"] == fu["due_at"]
    c.post(f"/api/v1/follow-ups/{fu['id']}/reply", json={"by": "lin", "method": "phone", "note": "done"}, headers=c1)
    late = c.post(f"/api/v1/follow-ups/{fu['id']}/slip", headers=c1)
    assert late.status_code == 409 and late.json()["why"] == "already_replied"
