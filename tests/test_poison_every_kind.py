"""Whatever is stored, the hall can be read: every kind of event the engine writes, then the
worst times a broken clock or a hand-edited database could leave, read back through the state
and the event stream; and a status page never shows another branch's ticket."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from kiosk import schema
from kiosk.clock import SimulatedClock
from kiosk.engine import Engine
from kiosk.server.app import create_app
from kiosk.store import Store, sqlite_url
from tests.conftest import DAY_START


def every_kind_of_event(engine: Engine, clock) -> set[str]:
    e = engine
    for _ in range(3):
        e.issue("general", kiosk="kiosk", language="en")
    e.call_next(1)
    e.recall(1)
    e.start(1)
    e.transfer(1, "payment")
    e.call_next(1)
    e.no_show(1)
    e.call_next(2)
    e.finish(2)
    e.reprint(3, by="test")
    e.pause(3, "lunch", clock.now() + 600)
    e.resume(3)
    gid = e.greet_arrival(clock.now(), ("door",), 2.0, True)
    e.greet_join(gid, "radar")
    e.greet_repeat(gid, 1)
    e.greet_escalate(gid)
    e.confirm_greeting(gid, 1)
    e.device_alert("printer", "paper_out", "x", ticket="A001", kind="printer")
    for c in (1, 2, 3):  # serve everyone, then close the day
        if next(x for x in e.counters() if x.id == c).current_ticket_id is not None:
            e.finish(c)
        while e.call_next(c) is not None:
            e.finish(c)
    e.close_day()
    return {ev.kind for ev in e.events_after(0)}


def test_every_event_kind_with_impossible_times_still_encodes(tmp_path, config):
    clock = SimulatedClock(DAY_START)
    store = Store(sqlite_url(tmp_path / "q.sqlite3"))
    engine = Engine(config, store, clock)
    engine.setup()
    kinds = every_kind_of_event(engine, clock)
    assert len(kinds) >= 15, kinds
    with store.writer.begin() as conn:  # the worst a broken clock or hand edit leaves
        conn.execute(sa.update(schema.events).values(at=1e300))
        conn.execute(sa.update(schema.tickets).values(issued_at=-1e18, called_at=253402297200.0))
        conn.execute(sa.update(schema.counters).values(state="paused", pause_until=1e300))
    token = next(t.token for t in config.tokens if t.role == "display")
    client = TestClient(create_app(engine))
    state = client.get("/api/v1/state", headers={"Authorization": f"Bearer {token}"})
    assert state.status_code == 200
    with client.websocket_connect("/api/v1/events?after=0", headers={"Authorization": f"Bearer {token}"}) as ws:
        got = {ws.receive_json()["kind"] for _ in range(len(engine.events_after(0)))}
    assert got == kinds
    store.dispose()


def test_a_status_page_only_shows_its_own_branchs_tickets(tmp_path, config):
    url = sqlite_url(tmp_path / "shared.sqlite3")
    north_cfg = config.model_copy(update={"site": config.site.model_copy(update={"branch": "north"})})
    north = Engine(north_cfg, Store(url), SimulatedClock(DAY_START))
    north.setup()
    theirs = north.issue("general").ticket
    main = Engine(config, Store(url), SimulatedClock(DAY_START))
    main.setup()
    mine = main.issue("general").ticket
    client = TestClient(create_app(main))
    assert client.get(f"/t/{theirs.status_token}.json").status_code == 404
    page = client.get(f"/t/{mine.status_token}.json")
    assert page.status_code == 200 and page.json()["number"] == mine.number
