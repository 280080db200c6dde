"""Engine latency and throughput: issue a ticket, call the next one; SQLite and PostgreSQL.

    python bench/engine.py [--tickets N] [--counters N]

Prints p50/p99 latency of issue (API-free: engine call to committed row, durable) and of
call-next for one counter at a time, then 50 counters pressing at once (p99 and double calls).
The design's targets: issue p99 < 10 ms durable on SQLite; call-next with 50 counters p99 < 25 ms.
As a machine reference it also prints the time of one fsync'd 4 KiB write on this disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._pg import postgres_url  # noqa: E402
from bench._stats import pct  # noqa: E402
from kiosk.clock import SystemClock  # noqa: E402
from kiosk.engine import Engine  # noqa: E402
from kiosk.store import Store, sqlite_url  # noqa: E402
from kiosk.testing import make_config as always_open_config  # noqa: E402


def fsync_ms(directory: str, n: int = 200) -> float:
    path = os.path.join(directory, "fsync-probe")
    times = []
    with open(path, "wb") as f:
        for _ in range(n):
            t = time.perf_counter()
            f.write(b"x" * 4096)
            f.flush()
            os.fsync(f.fileno())
            times.append((time.perf_counter() - t) * 1000)
    os.remove(path)
    return statistics.median(times)


def run(label: str, url: str, tickets: int, counters: int) -> None:
    config = always_open_config(counters=counters)
    store = Store(url, pool_size=counters)
    engine = Engine(config, store, SystemClock())
    engine.setup()
    for _ in range(20):  # warm caches and the connection pool
        engine.issue("general")
    while engine.call_next(1):
        pass
    engine.finish(1) if engine.counters()[0].current_ticket_id else None

    issue_ms = []
    t0 = time.perf_counter()
    for i in range(tickets):
        t = time.perf_counter()
        engine.issue(("general", "payment")[i % 2], priority=(i % 9 == 0))
        issue_ms.append((time.perf_counter() - t) * 1000)
    issue_rate = tickets / (time.perf_counter() - t0)

    call_ms = []
    for i in range(tickets // 2):
        t = time.perf_counter()
        engine.call_next(1 + i % counters)
        call_ms.append((time.perf_counter() - t) * 1000)

    # a realistic hall: about 50 people waiting, one arrives for each one called
    steady_ms = []
    for _ in range(tickets // 4):
        engine.issue("general")
    while sum(engine.waiting_counts().values()) > 50:
        engine.call_next(1)
    for i in range(300):
        engine.issue("payment")
        t = time.perf_counter()
        engine.call_next(1 + i % counters)
        steady_ms.append((time.perf_counter() - t) * 1000)
    crowd_tickets = tickets - tickets // 2
    for _ in range(crowd_tickets - sum(engine.waiting_counts().values())):
        engine.issue("general")

    # the other half in rounds: every counter presses at the same instant, as many rounds as
    # it takes to empty the line. The last of 50 simultaneous presses waits for the 49 before it.
    barrier = threading.Barrier(counters)
    crowd_ms: list[float] = []
    got: list[int] = []
    lock = threading.Lock()
    rounds = max(1, crowd_tickets // counters + 1)

    def press(cid: int) -> None:
        for _ in range(rounds):
            barrier.wait()
            t = time.perf_counter()
            ticket = engine.call_next(cid)
            dt = (time.perf_counter() - t) * 1000
            with lock:
                crowd_ms.append(dt)
                if ticket:
                    got.append(ticket.id)

    threads = [threading.Thread(target=press, args=(c,)) for c in range(1, counters + 1)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    crowd_rate = len(crowd_ms) / (time.perf_counter() - t0)
    doubles = sum(1 for n in Counter(got).values() if n > 1)
    waiting_left = sum(engine.waiting_counts().values())

    print(f"{label}")
    print(
        f"  issue                 p50 {pct(issue_ms, 0.5):6.2f} ms  p99 {pct(issue_ms, 0.99):6.2f} ms  "
        f"{issue_rate:7.0f} tickets/s  ({tickets} tickets, one kiosk)"
    )
    print(
        f"  call-next, one at a time  p50 {pct(call_ms, 0.5):6.2f} ms  p99 {pct(call_ms, 0.99):6.2f} ms"
        f"  ({tickets} down to {tickets // 2} waiting)"
    )
    print(f"  call-next, ~50 waiting    p50 {pct(steady_ms, 0.5):6.2f} ms  p99 {pct(steady_ms, 0.99):6.2f} ms")
    print(
        f"  call-next, {counters} at once  p50 {pct(crowd_ms, 0.5):6.2f} ms  p99 {pct(crowd_ms, 0.99):6.2f} ms  "
        f"max {max(crowd_ms):6.1f} ms  {crowd_rate:5.0f} presses/s  ({rounds} rounds)"
    )
    print(f"  double calls {doubles}, tickets left waiting {waiting_left}, called {len(got)} of {crowd_tickets}")
    store.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1000)
    ap.add_argument("--counters", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        print(
            f"machine reference: one fsync'd 4 KiB write {fsync_ms(d):.2f} ms (median); "
            f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
        )
        run("SQLite (WAL, synchronous=FULL)", sqlite_url(Path(d) / "bench.sqlite3"), args.tickets, args.counters)
    with postgres_url() as url:
        if url is None:
            print("PostgreSQL: not measured (no server; set KIOSK_BENCH_PG_URL or install postgresql)")
        else:
            run("PostgreSQL (READ COMMITTED, branch row lock)", url, args.tickets, args.counters)


if __name__ == "__main__":
    main()
