"""Phones watching their tickets on one real `kiosk serve`: each holds the status page's live
stream (server-sent events, one ticket each) while counters call.

    python bench/phones.py [--phones 500] [--calls 40] [--pg]

Prints the call-to-phone time (from the call-next request leaving to the called customer's
phone holding "please go to counter N"), p50/p95/max; the time until every phone whose page
changed with a call has its new page (the fan-out of one call to the whole hall); messages per
call; the server's memory before and with the phones connected; and its CPU per call. The phones
run in a separate process (a busy client would slow the figures it measures). Loopback only;
every loop stops by count or by time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import httpx  # noqa: E402

from bench._pg import postgres_url  # noqa: E402
from bench._stats import pct  # noqa: E402
from kiosk.testing import ServerProcess as Server  # noqa: E402
from kiosk.testing import write_config  # noqa: E402

GAP_S = 0.3  # between calls: each call's fan-out is measured on its own


def phones(port: int, tokens: list[str], out: mp.Queue, ready: mp.Queue, stop_after_s: float) -> None:
    """One SSE reader per token on raw sockets; records (monotonic time, token, state) of every
    page that arrives. time.monotonic is the machine's CLOCK_MONOTONIC: the parent reads the same."""

    async def one(token: str, log: list[tuple[float, str, str]], opened: list[int]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /t/{token}/live HTTP/1.1\r\nHost: hall\r\nAccept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        status = await reader.readline()
        assert b" 200 " in status, status
        opened[0] += 1
        deadline = time.monotonic() + stop_after_s
        try:
            while time.monotonic() < deadline:
                line = await asyncio.wait_for(reader.readline(), deadline - time.monotonic())
                if not line:
                    break
                i = line.find(b"data: {")
                if i >= 0:
                    page = json.loads(line[i + 6 :])
                    log.append((time.monotonic(), token, page["state"]))
        except TimeoutError:
            pass
        finally:
            writer.close()

    async def main() -> None:
        log: list[tuple[float, str, str]] = []
        opened = [0]
        tasks = [asyncio.create_task(one(t, log, opened)) for t in tokens]
        while opened[0] < len(tokens):
            await asyncio.sleep(0.05)
        ready.put(time.monotonic())
        await asyncio.gather(*tasks, return_exceptions=True)
        out.put(log)

    asyncio.run(main())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(db_url: str | None, label: str, n: int, calls: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-phones-"))
    cfg, tokens = write_config(
        folder, db_url or f"sqlite:///{folder / 'q.sqlite3'}", server={"kiosk_tickets_per_minute": 600}
    )
    server = Server(cfg, tokens)
    try:
        c = httpx.Client(base_url=server.url, timeout=30)
        kiosk, counter = server.headers("kiosk"), server.headers("counter")
        services = ["general", "payment"]
        issued = [
            c.post("/api/v1/tickets", json={"service": services[i % 2]}, headers=kiosk).json()["ticket"]
            for i in range(n)
        ]
        by_token = {t["status_token"]: t for t in issued}
        pid = server.proc.pid
        rss_before = rss_mb(pid)
        out: mp.Queue = mp.Queue()
        ready: mp.Queue = mp.Queue()
        watch_s = 60 + calls * (GAP_S + 0.2)
        p = mp.Process(target=phones, args=(server.port, list(by_token), out, ready, watch_s))
        p.start()
        ready.get(timeout=120)
        time.sleep(1.0)  # the first pages delivered
        rss_with = rss_mb(pid)
        cpu0 = cpu_s(pid)
        sent: list[tuple[float, str]] = []  # (when, the called ticket's token)
        for _ in range(calls):
            t0 = time.monotonic()
            r = c.post("/api/v1/counters/1/call-next", headers=counter)
            if r.status_code != 200:
                break
            sent.append((t0, r.json()["ticket"]["status_token"]))
            time.sleep(GAP_S)
        cpu1 = cpu_s(pid)
        p.join(timeout=watch_s + 30)
        log = out.get(timeout=30)
    finally:
        server.stop()
    call_ms, fanout_ms, per_call = [], [], []
    for i, (t0, token) in enumerate(sent):
        end = sent[i + 1][0] if i + 1 < len(sent) else float("inf")
        window = [(t, tok, st) for t, tok, st in log if t0 <= t < end]
        mine = [t for t, tok, st in window if tok == token and st == "called"]
        if mine:
            call_ms.append((mine[0] - t0) * 1000)
        if window:
            fanout_ms.append((max(t for t, _, _ in window) - t0) * 1000)
            per_call.append(len(window))
    print(f"\n{label}: {n} phones watching, {len(sent)} calls ({GAP_S * 1000:.0f} ms apart), server pid {pid}")
    print(f"  first pages: {len(log) - sum(per_call)} (one a phone, as it connects)")
    print(
        f"  call to the called phone:  p50 {pct(call_ms, 0.5):.1f} ms  p95 {pct(call_ms, 0.95):.1f} ms  "
        f"max {max(call_ms, default=float('nan')):.1f} ms  ({len(call_ms)} of {len(sent)} seen)"
    )
    print(
        f"  call to every changed page: p50 {pct(fanout_ms, 0.5):.1f} ms  p95 {pct(fanout_ms, 0.95):.1f} ms  "
        f"({statistics.mean(per_call) if per_call else 0:.0f} pages a call)"
    )
    print(f"  server memory: {rss_before:.0f} MB before the phones, {rss_with:.0f} MB with them")
    print(f"  server CPU: {(cpu1 - cpu0) * 1000 / max(1, len(sent)):.1f} ms a call (the call and its fan-out)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--calls", type=int, default=40)
    ap.add_argument("--pg", action="store_true", help="also on a throwaway PostgreSQL")
    a = ap.parse_args()
    run(None, "SQLite", a.phones, a.calls)
    if a.pg:
        with postgres_url() as url:
            if url is None:
                print("PostgreSQL: not measured (no server; set KIOSK_BENCH_PG_URL or install postgresql)")
            else:
                run(url, "PostgreSQL", a.phones, a.calls)


if __name__ == "__main__":
    main()
