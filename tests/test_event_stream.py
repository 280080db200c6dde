"""The event stream under a long history and a restore: a screen starting up does not replay
the day, a client that was away gets every event it missed however many, in pages, and one
ahead of a restored server is told to reload."""

from __future__ import annotations

import json
import time

import httpx
import sqlalchemy as sa
from websockets.sync.client import connect

from kiosk import schema
from tests.test_hostile_client import rss
from tests.test_server import Server, write_config


def ws(server: Server, query: str = ""):
    return connect(
        server.url.replace("http", "ws") + "/api/v1/events" + query,
        max_size=2**20,
        additional_headers={"Authorization": f"Bearer {server.tokens['display']}"},
    )


def test_a_screen_starting_up_hears_only_new_events(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    s = Server(cfg, tokens)
    try:
        for _ in range(5):
            httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
            httpx.post(s.url + "/api/v1/counters/1/call-next", headers=s.headers("counter"))
        with ws(s) as conn:  # no "after": from now
            time.sleep(0.3)
            httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
            first = json.loads(conn.recv(timeout=5))
        assert first["kind"] == "ticket_issued" and first["data"]["ticket"]["number"] == "A006"
    finally:
        s.stop()


def test_a_client_ahead_of_a_restored_server_is_told_to_reload(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    s = Server(cfg, tokens)
    try:
        httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
        with ws(s, "?after=5000") as conn:  # it saw event 5000 before the restore
            msg = json.loads(conn.recv(timeout=5))
        assert msg["kind"] == "reset" and msg["seq"] == 1
    finally:
        s.stop()


def test_a_client_gets_all_of_100001_missed_events_in_pages(tmp_path):
    db = tmp_path / "q.sqlite3"
    cfg, tokens = write_config(tmp_path, f"sqlite:///{db}")
    s = Server(cfg, tokens)  # creates the schema
    s.stop()
    n = 100_001
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        branch = conn.execute(sa.select(schema.branches.c.id)).scalar() or "main"
        conn.execute(sa.delete(schema.events))
        for start in range(1, n + 1, 20_000):
            conn.execute(
                schema.events.insert(),
                [
                    {
                        "branch": branch,
                        "seq": i,
                        "at": 1.79e9 + i,
                        "kind": "device_alert",
                        "data": {"device": "x", "kind": "device", "state": "ok", "message": "m" * 40, "ticket": None},
                    }
                    for i in range(start, min(n, start + 19_999) + 1)
                ],
            )
        conn.execute(sa.update(schema.branches).values(last_event_seq=n))
        if not conn.execute(sa.select(schema.branches)).first():
            conn.execute(schema.branches.insert().values(id=branch, last_event_seq=n))
    engine.dispose()
    s = Server(cfg, tokens)
    try:
        before, peak, last, count = rss(s.proc.pid), 0, 0, 0
        with ws(s, "?after=0") as conn:
            while last < n:
                msg = json.loads(conn.recv(timeout=20))
                assert msg["seq"] == last + 1, "an event was skipped"
                last, count = msg["seq"], count + 1
                if count % 10_000 == 0:
                    peak = max(peak, rss(s.proc.pid))
        assert count == n
        assert peak - before < 80 << 20  # pages, not the whole history in memory
    finally:
        s.stop()


def test_old_events_and_answers_are_pruned_and_the_log_stays(engine, clock):
    engine.issue("general", key="k1")
    clock.advance(100 * 86400)
    engine.issue("general", key="k2")
    events, answers = engine.prune(90 * 86400)
    assert events >= 1 and answers == 1
    assert [e.kind for e in engine.events_after(0)] == ["ticket_issued"]
    assert engine.ticket(1).number == "A001"  # the waiting-time log keeps its rows
    engine.issue("general")
    assert engine.events_after(0)[-1].seq == 3  # numbering goes on: no number is reused
