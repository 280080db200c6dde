"""Fifty counters pressing call-next at the same instant: nobody is called twice, nobody is lost.
On SQLite (threads in one process) and on PostgreSQL (threads, and several processes)."""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections import Counter

from kiosk.audit import audit
from kiosk.clock import SystemClock
from kiosk.config import KioskConfig
from kiosk.engine import Engine
from kiosk.store import Store
from tests.helpers import always_open_config

COUNTERS = 50
TICKETS = 400


def fifty_counter_config() -> KioskConfig:
    return always_open_config(COUNTERS)


def _counters_press(engine: Engine, counter_ids: list[int], barrier, results: list) -> None:
    def worker(cid: int) -> None:
        got = []
        barrier.wait()
        while True:
            t = engine.call_next(cid)
            if t is None:
                break
            got.append(t.id)
        results.append((cid, got))

    threads = [threading.Thread(target=worker, args=(c,)) for c in counter_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a counter hung"


def _issue(engine: Engine, n: int) -> list[int]:
    ids = []
    for i in range(n):
        ids.append(engine.issue(("general", "payment")[i % 2], priority=(i % 7 == 0)).ticket.id)
    return ids


def _check(engine: Engine, issued: list[int], results: list, config: KioskConfig) -> None:
    calls = Counter(tid for _, got in results for tid in got)
    doubles = [tid for tid, n in calls.items() if n > 1]
    assert doubles == [], f"tickets called twice: {doubles}"
    assert sorted(calls) == sorted(issued), "some tickets were never called"
    events = engine.events_after(0, limit=10**9)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    targets = {code: s.target_wait_s for code, s in engine.services.items()}
    res = audit(
        events,
        {cid: info.services for cid, info in engine.counter_info.items()},
        targets,
        config.queue.max_priority_in_a_row,
    )
    assert res.violations == []
    assert res.calls == len(issued)


def test_fifty_counters_at_once_on_one_database(db_url):
    """Parametrised over SQLite and PostgreSQL by the db_url fixture."""
    config = fifty_counter_config()
    store = Store(db_url, pool_size=COUNTERS)
    engine = Engine(config, store, SystemClock())
    engine.setup()
    issued = _issue(engine, TICKETS)
    results: list = []
    _counters_press(engine, list(range(1, COUNTERS + 1)), threading.Barrier(COUNTERS), results)
    _check(engine, issued, results, config)
    store.dispose()


def _process_main(url: str, counter_ids: list[int], barrier, queue) -> None:
    config = fifty_counter_config()
    store = Store(url, pool_size=len(counter_ids))
    engine = Engine(config, store, SystemClock())
    results: list = []
    _counters_press(engine, counter_ids, barrier, results)
    queue.put(results)
    store.dispose()


def test_fifty_counters_in_four_server_processes_on_postgresql(pg_url):
    config = fifty_counter_config()
    store = Store(pg_url)
    engine = Engine(config, store, SystemClock())
    engine.setup()
    issued = _issue(engine, TICKETS)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(COUNTERS)
    queue = ctx.Queue()
    groups = [list(range(1 + i, COUNTERS + 1, 4)) for i in range(4)]
    procs = [ctx.Process(target=_process_main, args=(pg_url, g, barrier, queue)) for g in groups]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        results.extend(queue.get(timeout=300))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    _check(engine, issued, results, config)
    store.dispose()
