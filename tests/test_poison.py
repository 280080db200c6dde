"""One request must not poison the hall: values are bounded where they enter, and encoding an
event or the hall state never fails, whatever is stored."""

from __future__ import annotations

import json

import httpx
import pytest

from kiosk.engine import QueueError
from kiosk.server.wire import iso, out
from tests.test_server import server  # noqa: F401  (fixture)


def test_a_pause_ends_within_max_pause_hours(engine, clock):
    with pytest.raises(QueueError) as e:
        engine.pause(1, "lunch", clock.now() + 13 * 3600)
    assert e.value.why == "return_too_far"
    for bad in (float("nan"), float("inf"), 253402297200.0):  # NaN, infinity, 9999-12-31T23:00Z
        with pytest.raises(QueueError):
            engine.pause(1, "lunch", bad)
    engine.pause(1, "lunch", clock.now() + 3600)  # an hour is fine


def test_encoding_never_fails_on_any_stored_time(engine, config):
    tz = config.tz()
    for t in (253402297200.0, -1e18, 1e300, float("nan")):
        assert iso(t, tz) is None
    events = engine.events_after(0)
    json.dumps(out([{"at": e.at, **e.data} for e in events], tz))


def test_the_api_refuses_a_poison_pause_and_the_hall_stays_readable(server):  # noqa: F811
    s = server
    r = httpx.post(
        s.url + "/api/v1/counters/1/pause",
        json={"reason": "x", "until": "9999-12-31T23:00:00Z"},
        headers=s.headers("counter"),
    )
    assert r.status_code == 409 and r.json()["why"] == "return_too_far"
    assert httpx.get(s.url + "/api/v1/state", headers=s.headers("display")).status_code == 200


def test_database_trouble_is_a_503_with_retry_after_and_one_log_line(engine, config, monkeypatch, caplog):
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import OperationalError

    from kiosk.server.app import create_app

    kiosk_token = next(t.token for t in config.tokens if t.role == "kiosk")
    client = TestClient(create_app(engine))
    assert client.get("/healthz").status_code == 200

    def down(*a, **kw):
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(engine, "issue", down)
    monkeypatch.setattr(engine, "check_writable", down)
    with caplog.at_level("WARNING", logger="kiosk.server.app"):
        for _ in range(20):
            r = client.post(
                "/api/v1/tickets", json={"service": "general"}, headers={"Authorization": f"Bearer {kiosk_token}"}
            )
            assert r.status_code == 503 and r.headers["Retry-After"] == "2" and r.json()["code"] == "unavailable"
    assert len([rec for rec in caplog.records if "database trouble" in rec.message]) == 1
    h = client.get("/healthz")
    assert h.status_code == 503 and h.json()["status"] == "unavailable"
    monkeypatch.undo()
    with caplog.at_level("WARNING", logger="kiosk.server.app"):
        assert client.get("/healthz").status_code == 200
    assert any("available again" in rec.message for rec in caplog.records)
