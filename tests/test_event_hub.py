"""The event hub hands every event to this process's screens once, in order, without gaps:
events this process just committed go out without being read back, and whatever arrives out of
order or from another process is read from the log."""

from __future__ import annotations

import time

from kiosk.event_hub import EventHub


def _heard(hub: EventHub) -> list[int]:
    seqs: list[int] = []
    hub.subscribe(lambda ev: seqs.append(ev.seq))
    return seqs


def test_events_committed_here_reach_screens_without_reading_them_back(make_engine, db_url, config, monkeypatch):
    engine = make_engine(db_url, config)
    hub = EventHub(engine)
    assert hub.listening.wait(10)  # PostgreSQL: its first look at the log is done before we count
    heard = _heard(hub)
    read: list[int] = []
    empty_reads = []
    original = engine.events_after

    def counted(*a, **k):
        got = original(*a, **k)
        read.extend(ev.seq for ev in got)
        empty_reads.extend([a] if not got else [])
        return got

    monkeypatch.setattr(engine, "events_after", counted)
    for _ in range(3):
        engine.issue("general")
    engine.call_next(1)
    assert heard == list(range(heard[0], heard[0] + len(heard))) and len(heard) >= 4
    ours = heard[-1]
    if not engine.store.is_sqlite:
        # PostgreSQL also notifies at each commit; another server process then writes one
        # more, whose notification comes after ours: once it is heard, ours were all handled
        make_engine(db_url, config).issue("payment")
        deadline = time.monotonic() + 10
        while heard[-1] == ours and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heard[-1] == ours + 1  # the other process's event, read from the log
    assert [seq for seq in read if seq <= ours] == []  # nothing re-read by the process that wrote it
    assert empty_reads == []  # nor looked for in vain
    hub.close()


def test_hand_overs_out_of_order_still_reach_screens_in_order_once(engine):
    hub = EventHub(engine)
    heard = _heard(hub)
    start = hub.last_seq
    # three commits whose hand-overs are lost (another process wrote them, as PostgreSQL's
    # NOTIFY would tell), then one handed over here: the gap is read from the log first
    captured = []
    unsubscribe = engine.bus.subscribe(captured.append)
    hub._unsubscribe()
    for _ in range(3):
        engine.issue("general")
    hub._unsubscribe = engine.bus.subscribe(hub._committed)
    engine.issue("payment")
    hub._committed(captured[0])  # a late hand-over of an event already delivered
    unsubscribe()
    assert heard == [start + 1, start + 2, start + 3, start + 4]
    hub.close()
