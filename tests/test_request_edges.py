"""Requests at the edges, against a real `kiosk serve` on SQLite and on PostgreSQL (issue 23
items 5 and 8): a NUL character anywhere is a 400 naming it, never "database not available";
a greeting that can never be stored is dropped instead of blocking the ones behind it;
`count: false` is refused; an over-long status-page token is "no such ticket"; dates are
documented as dates; a screen that missed pruned events is told to reload."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.sync.client import connect

from kiosk import schema
from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.engine import Engine
from kiosk.greeter import Greeter
from kiosk.store import Store
from kiosk.testing import ServerProcess, wait_until, write_config


@pytest.fixture
def server(tmp_path, db_url):
    cfg, tokens = write_config(tmp_path, db_url)
    s = ServerProcess(cfg, tokens)
    yield s
    s.stop()


def test_a_nul_in_a_path_or_query_is_a_400_and_the_queue_goes_on(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    for url in ("/t/%00", "/t/abc%00def.json", "/api/v1/tickets/by-number/A%0001", "/api/v1/log?number=A%00"):
        r = c.get(url, headers=server.headers("manager"))
        assert r.status_code == 400 and "NUL" in r.json()["detail"], (url, r.status_code, r.text)
    assert c.get("/healthz").status_code == 200  # no outage was declared
    issued = c.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk"))
    assert issued.status_code == 201


def test_a_presence_post_with_count_false_or_a_nul_source_is_refused_with_the_field_named(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    h = server.headers("manager")
    r = c.post("/api/v1/presence", json={"source": "door", "kind": "enter", "count": False}, headers=h)
    assert r.status_code == 422 and "count" in r.text
    r = c.post("/api/v1/presence", json={"source": "do\u0000or", "kind": "enter"}, headers=h)
    assert r.status_code == 422 and "source" in r.text and "NUL" in r.text


def test_a_status_page_token_of_any_length_that_is_no_ticket_is_not_found(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    assert c.get("/t/" + "x" * 65).status_code == 404
    assert c.get("/t/" + "x" * 500 + ".json").status_code == 404


def test_the_logs_dates_are_documented_as_dates_and_a_bad_one_is_a_422_naming_it(server):
    c = httpx.Client(base_url=server.url, timeout=10)
    spec = c.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/log"]["get"]["parameters"]}
    assert params["from"]["schema"]["anyOf"][0] == {"type": "string", "format": "date"}
    r = c.get("/api/v1/log", params={"from": "2026-13-40"}, headers=server.headers("manager"))
    assert r.status_code == 422 and "from" in r.text
    for not_a_day in ("0000000000", "0"):  # pydantic alone read these as 1 January 1970
        r = c.get("/api/v1/log", params={"from": not_a_day}, headers=server.headers("manager"))
        assert r.status_code == 422 and "2026-11-25" in r.text
    assert c.get("/api/v1/log", params={"from": "2026-12-01"}, headers=server.headers("manager")).status_code == 200


def test_a_screen_that_missed_pruned_events_is_told_to_reload(server, tmp_path, db_url, config):
    c = httpx.Client(base_url=server.url, timeout=10)
    for _ in range(3):
        c.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk"))
    store = Store(db_url)
    Engine(server_config(tmp_path), store).prune(-60)  # everything so far is older than the retention
    store.dispose()
    c.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk"))  # seq 4
    url = server.url.replace("http", "ws") + f"/api/v1/events?after=1&token={server.tokens['display']}"
    with connect(url, open_timeout=5) as ws:  # it saw seq 1; 2 and 3 are gone
        first = json.loads(ws.recv(timeout=5))
    assert first["kind"] == "reset" and first["seq"] == 4


def server_config(tmp_path):
    from kiosk.config import load_config

    return load_config(tmp_path / "kiosk.toml")[0]


def test_a_greeting_that_can_never_be_stored_is_dropped_not_blocking_the_next(make_engine, db_url, config):
    engine = make_engine(db_url, config)
    greeter = Greeter(engine)
    now = engine.clock.now()
    greeter.on_presence(PresenceEvent("side\x00door", PresenceKind.ENTER, now))  # PostgreSQL refuses NUL
    greeter.on_presence(PresenceEvent("side\x00door", PresenceKind.LEAVE, now + 5))
    engine.clock.advance(60)
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.ENTER, engine.clock.now(), 2.0))
    wait_until(lambda: greeter.pending == 0, 10, "the outbox to empty")
    with engine.store.read() as conn:
        logged = [r.sources for r in conn.execute(schema.greetings.select()).all()]
    assert any("entrance radar" in str(s) for s in logged), logged  # the next arrival was logged
    greeter.stop()
