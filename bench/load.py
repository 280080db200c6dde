"""Load on a real `kiosk serve` over loopback: kiosks issuing, 50 counters calling, 100
WebSocket displays listening.

    python bench/load.py [--tickets 600] [--counters 50] [--displays 100] [--pg]

Prints issue p99 and call-next p99 (HTTP round trip, so API to committed row and back), the
call-to-display fan-out p99 (the event's commit time, stamped by the server, to its arrival at
each display), and double calls (must be 0). The displays run in a separate process so the
clients do not slow each other down. Bounded: every loop stops by count or by time, and only
127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import httpx  # noqa: E402

from bench._pg import postgres_url  # noqa: E402
from bench._stats import pct  # noqa: E402
from kiosk.testing import ServerProcess as Server  # noqa: E402
from kiosk.testing import write_config  # noqa: E402


def _server_ms(r: httpx.Response) -> float:
    """The server's own time for a request, from its Server-Timing header."""
    return float(r.headers.get("server-timing", "app;dur=nan").split("dur=")[1])


def displays(url: str, token: str, n: int, after: int, expect_calls: int, out: mp.Queue, ready) -> None:
    """n WebSocket clients; each records when every ticket_called event reached it."""
    from websockets.asyncio.client import connect

    async def one(i: int, lags: list[float]) -> int:
        seen = 0
        async with connect(
            f"{url.replace('http', 'ws')}/api/v1/events?after={after}&token={token}", max_queue=None
        ) as ws:
            ready.release()
            deadline = time.monotonic() + 120
            while seen < expect_calls and time.monotonic() < deadline:
                try:
                    msg = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
                except TimeoutError:
                    break
                if msg["kind"] == "ticket_called":
                    lags.append((time.time() - datetime.fromisoformat(msg["at"]).timestamp()) * 1000)
                    seen += 1
        return seen

    async def main() -> None:
        lags: list[float] = []
        counts = await asyncio.gather(*(one(i, lags) for i in range(n)))
        out.put((lags, counts))

    asyncio.run(main())


def run(db_url: str | None, label: str, tickets: int, counters: int, n_displays: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-load-"))
    cfg, tokens = write_config(
        folder,
        db_url or f"sqlite:///{folder / 'q.sqlite3'}",
        counters=counters,
        server={"kiosk_tickets_per_minute": 600},
    )
    server = Server(cfg, tokens)
    try:
        _load(server, label, tickets, counters, n_displays)
    finally:
        server.stop()


def _load(server: Server, label: str, tickets: int, counters: int, n_displays: int) -> None:
    base = server.url
    issue_ms: list[float] = []
    issue_srv: list[float] = []
    call_srv: list[float] = []
    with httpx.Client(base_url=base, timeout=30, headers=server.headers("kiosk")) as c:
        for _ in range(20):  # warm up connections and caches
            c.get("/api/v1/services")
    after = httpx.get(base + "/healthz").json()["last_event_seq"]

    ctx = mp.get_context("spawn")
    out, ready = ctx.Queue(), ctx.Semaphore(0)
    proc = ctx.Process(target=displays, args=(base, server.tokens["display"], n_displays, after, tickets, out, ready))
    proc.start()
    for _ in range(n_displays):
        ready.acquire(timeout=60)

    # kiosks: two of them, issuing all the tickets
    def kiosk(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30, headers=server.headers("kiosk")) as c:
            for i in range(k, tickets, 2):
                t0 = time.perf_counter()
                r = c.post(
                    "/api/v1/tickets",
                    json={"service": ("general", "payment")[i % 2]},
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                issue_ms.append((time.perf_counter() - t0) * 1000)
                issue_srv.append(_server_ms(r))
                assert r.status_code == 201, r.text

    ks = [threading.Thread(target=kiosk, args=(k,)) for k in range(2)]
    for t in ks:
        t.start()
    for t in ks:
        t.join()

    # counters: all press at once, round after round, until nobody waits
    call_ms: list[float] = []
    called: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(counters)
    rounds = tickets // counters + 2

    def counter(cid: int) -> None:
        with httpx.Client(base_url=base, timeout=60, headers=server.headers("counter", cid)) as c:
            for _ in range(rounds):
                barrier.wait(timeout=120)
                t0 = time.perf_counter()
                r = c.post(f"/api/v1/counters/{cid}/call-next", headers={"Idempotency-Key": str(uuid.uuid4())})
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    call_ms.append(dt)
                    call_srv.append(_server_ms(r))
                    if r.status_code == 200:
                        called.append(r.json()["ticket"]["number"])

    cs = [threading.Thread(target=counter, args=(i,)) for i in range(1, counters + 1)]
    t_calls = time.perf_counter()
    for t in cs:
        t.start()
    for t in cs:
        t.join()
    calls_s = time.perf_counter() - t_calls

    lags, counts = out.get(timeout=180)
    proc.join(30)
    doubles = sum(1 for n in Counter(called).values() if n > 1)
    print(label)
    print(
        f"  issue (2 kiosks, {tickets} tickets)        p50 {statistics.median(issue_ms):6.1f} ms  "
        f"p99 {pct(issue_ms, 0.99):6.1f} ms"
        f"   in the server: p50 {statistics.median(issue_srv):5.1f} ms  p99 {pct(issue_srv, 0.99):5.1f} ms"
    )
    print(
        f"  call-next ({counters} counters at once)     p50 {statistics.median(call_ms):6.1f} ms  "
        f"p99 {pct(call_ms, 0.99):6.1f} ms"
        f"   in the server: p50 {statistics.median(call_srv):5.1f} ms  p99 {pct(call_srv, 0.99):5.1f} ms"
        f"  ({len(call_ms) / calls_s:.0f} presses/s)"
    )
    print(
        f"  call -> {n_displays} displays fan-out        p50 {statistics.median(lags):6.1f} ms  "
        f"p99 {pct(lags, 0.99):6.1f} ms  "
        f"({len(lags)} deliveries; every display got {min(counts)}-{max(counts)} of {tickets} calls)"
    )
    print(f"  tickets called {len(called)} of {tickets}, double calls {doubles}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=600)
    ap.add_argument("--counters", type=int, default=50)
    ap.add_argument("--displays", type=int, default=100)
    ap.add_argument("--pg", action="store_true", help="also on a throwaway PostgreSQL")
    args = ap.parse_args()
    run(None, "SQLite (WAL, synchronous=FULL)", args.tickets, args.counters, args.displays)
    if args.pg:
        with postgres_url() as url:
            if url is None:
                print("PostgreSQL: not measured (no server; set KIOSK_BENCH_PG_URL or install postgresql)")
            else:
                run(url, "PostgreSQL", args.tickets, args.counters, args.displays)


if __name__ == "__main__":
    main()
