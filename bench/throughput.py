"""Throughput of `kiosk serve` beside the machine's limits, with the targets of issue 27.

    python bench/throughput.py [--tickets 2000] [--waiting 1000] [--counters 50] [--bursts 50]
                               [--rounds 5] [--each] [--one-core] [--pg]

One run prints, for the real server over HTTP on loopback (one keep-alive client, a durable
store):
  - issue, sequential: tickets a second, p50/p99, and the server's CPU per ticket (from /proc);
  - call-next with 50 and with --waiting tickets in line (its cost must not grow with the line);
  - --counters counters pressing at the same instant, --bursts times: p99, the slowest press of
    each burst, and double calls (must be 0);
each over --rounds fresh servers as median [lowest - highest]; then
  - what a Raspberry Pi 5 core would give, scaled by sysbench's single-thread ratio (an estimate);
  - with --pg, the same on a throwaway PostgreSQL, and why: its round trips a ticket, this
    machine's loopback round trip, and a bare INSERT + COMMIT;
and two baselines that show how far the server is from this machine's limit:
  - the same ASGI stack (uvicorn + httptools + FastAPI) answering a constant;
  - a bare SQLite insert + fsync loop (WAL, synchronous=FULL), no HTTP at all.
KIOSK_PLAIN_SQL=1 (every statement through SQLAlchemy's execute), KIOSK_FRAMEWORK_ONLY=1 (no
lean routes) and KIOSK_GC_DEFAULT=1 (Python's own collector settings) give the "before" figures.
--one-core pins every server to one CPU with taskset (a stand-in for one core of a Pi 4) and the
client to the other. The client is http.client, so the client's own cost stays small. Bounded:
every loop stops by count, and only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from bench._pg import postgres_url  # noqa: E402
from bench._stats import pct  # noqa: E402
from kiosk.testing import free_port, serve_command, write_config  # noqa: E402

# issue 27's targets, the same on both databases but the CPU one, which is for SQLite (a PostgreSQL
# ticket also pays the driver's work for each of its round trips: see pg_reasons)
TARGETS = {"issue_per_s": 500, "issue_p99_ms": 5.0, "issue_cpu_ms": 0.5, "call_p99_ms": 5.0, "burst_p99_ms": 50.0}
# sysbench cpu --threads=1 (primes to 10,000) on a Raspberry Pi 5 (Cortex-A76, 2.4 GHz), as
# published: leoncode.co.uk/articles/raspberry-pi-benchmarks (2,737 events/s, 60 s) and
# zbotic.in's Pi 5 benchmarks (1,847 events/s, 10 s). Their ratio to this machine's own sysbench
# scales a figure measured here to a Pi 5 core: a range, and an estimate, not a measurement.
PI5_SYSBENCH = (1847.0, 2737.0)
CLIENT_CPU, SERVER_CPU = "0", "1"


def _pin(cmd: list[str], cpu: str | None) -> list[str]:
    return ["taskset", "-c", cpu, *cmd] if cpu is not None and shutil.which("taskset") else cmd


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Proc:
    """A server process on 127.0.0.1, waited for until it answers."""

    def __init__(self, cmd: list[str], port: int, cpu: str | None):
        self.port = port
        self.proc = subprocess.Popen(
            _pin(cmd, cpu),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"server died: {self.proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        raise SystemExit("server did not come up")

    def cpu_s(self) -> float:
        return _cpu_s(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


class Client:
    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = f"Bearer {token}"

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        data = json.dumps(body).encode() if body is not None else b""
        headers = {"Authorization": self.auth, "Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"}
        t0 = time.perf_counter()
        try:
            self.conn.request("POST", path, body=data, headers=headers)
            r = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # the server closed a keep-alive connection left idle past its timeout: as a real
            # client does, connect again (the idempotency key makes the retry safe)
            self.conn.close()
            t0 = time.perf_counter()
            self.conn.request("POST", path, body=data, headers=headers)
            r = self.conn.getresponse()
        payload = r.read()
        return r.status, json.loads(payload) if payload else {}, (time.perf_counter() - t0) * 1000

    def get(self, path: str) -> float:
        t0 = time.perf_counter()
        self.conn.request("GET", path, headers={"Authorization": self.auth})
        self.conn.getresponse().read()
        return (time.perf_counter() - t0) * 1000


def _line(label: str, ms: list[float], extra: str = "") -> str:
    return f"  {label:<44} p50 {statistics.median(ms):6.2f} ms  p99 {pct(ms, 0.99):6.2f} ms  {extra}"


def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def constant_baseline(n: int, cpu: str | None) -> str:
    port = free_port()
    app = (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/healthz')\ndef h(): return {'status': 'ok'}\n"
        "@app.post('/api/v1/tickets', status_code=201)\ndef t(): return {'ticket': {'number': 'A001'}}\n"
    )
    folder = Path(tempfile.mkdtemp(prefix="kiosk-const-"))
    (folder / "constapp.py").write_text(app)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(folder),
        "constapp:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    server = Proc(cmd, port, cpu)
    try:
        c = Client(port, "x")
        for _ in range(200):
            c.post("/api/v1/tickets", {})
        cpu0, t0 = server.cpu_s(), time.perf_counter()
        ms = [c.post("/api/v1/tickets", {})[2] for _ in range(n)]
        wall, cpu = time.perf_counter() - t0, server.cpu_s() - cpu0
    finally:
        server.stop()
    return _line(
        "baseline: same ASGI stack, a constant", ms, f"{n / wall:5.0f}/s  server CPU {cpu / n * 1000:.2f} ms/request"
    )


def sqlite_baseline(n: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bare-"))
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT, at REAL)")
    ms = []
    t0 = time.perf_counter()
    for i in range(n):
        s = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (number, at) VALUES (?, ?)", (f"A{i:03d}", time.time()))
        db.execute("COMMIT")
        ms.append((time.perf_counter() - s) * 1000)
    wall = time.perf_counter() - t0
    return _line("baseline: bare SQLite insert + fsync", ms, f"{n / wall:5.0f}/s")


def pg_reasons(url: str, n: int) -> list[str]:
    """Why PostgreSQL's figures are what they are: the round trips a ticket and a call make
    (counted on the driver, in process, on the real engine), this machine's loopback round trip,
    and a bare insert + commit, the floor of any durable write on this server."""
    import psycopg

    from kiosk.config import load_config
    from kiosk.engine import Engine
    from kiosk.store import Store

    counted = {"trips": 0}
    execute, executemany, commit = psycopg.Cursor.execute, psycopg.Cursor.executemany, psycopg.Connection.commit

    def trip(cursor) -> None:  # type: ignore[no-untyped-def]
        idle = cursor.connection.info.transaction_status == 0 and not cursor.connection.autocommit
        counted["trips"] += 1 + idle  # idle: psycopg sends BEGIN first

    def counting_execute(self, *a, **k):  # type: ignore[no-untyped-def]
        trip(self)
        return execute(self, *a, **k)

    def counting_executemany(self, *a, **k):  # type: ignore[no-untyped-def]
        trip(self)  # every row in one pipeline: one round trip
        return executemany(self, *a, **k)

    def counting_commit(self):  # type: ignore[no-untyped-def]
        counted["trips"] += 1
        return commit(self)

    folder = Path(tempfile.mkdtemp(prefix="kiosk-pgtrips-"))
    cfg, _ = write_config(folder, url, counters=4)
    engine = Engine(load_config(str(cfg))[0], Store(url))
    engine.setup()
    psycopg.Cursor.execute, psycopg.Connection.commit = counting_execute, counting_commit  # type: ignore[method-assign]
    psycopg.Cursor.executemany = counting_executemany  # type: ignore[method-assign]
    try:
        trips = {}
        for what, act in (("issue", lambda: engine.issue("general", key=uuid.uuid4().hex)), ("call", None)):
            act = act or (lambda: engine.call_next(1))
            act()
            counted["trips"] = 0
            for _ in range(20):
                act()
            trips[what] = counted["trips"] / 20
    finally:
        psycopg.Cursor.execute, psycopg.Connection.commit = execute, commit  # type: ignore[method-assign]
        psycopg.Cursor.executemany = executemany  # type: ignore[method-assign]
        engine.store.writer.dispose()
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    conn.execute("CREATE TABLE IF NOT EXISTS bench_bare (id serial PRIMARY KEY, number text, at float8)")
    conn.commit()
    t0 = time.perf_counter()
    for _ in range(n):
        conn.execute("SELECT 1").fetchall()
    rtt = (time.perf_counter() - t0) / n * 1e6
    t0 = time.perf_counter()
    for _ in range(n):
        conn.execute("INSERT INTO bench_bare (number, at) VALUES (%s, %s)", ("A001", time.time()))
        conn.commit()
    bare = (time.perf_counter() - t0) / n * 1e3
    conn.close()
    return [
        "  why (PostgreSQL): every statement is a round trip to the database server, waited for in turn",
        f"    round trips: {trips['issue']:.0f} a ticket, {trips['call']:.0f} a call-next (BEGIN; the branch lock with "
        f"the event number and the answer already given for the key; the statements; the new event number, the "
        f"events and the answer in one statement, which also tells the other servers; COMMIT)",
        f"    one loopback round trip here (SELECT 1): {rtt:.0f} us, so about "
        f"{trips['issue'] * rtt / 1000:.2f} ms of each ticket is waiting for replies",
        f"    a bare INSERT + COMMIT (BEGIN, INSERT, COMMIT, WAL flush): {bare:.2f} ms, at most {1000 / bare:.0f}/s "
        "for any durable write done one at a time on this server",
    ]


def pi5_estimate(cpu_ms: float, per_s: float) -> str:
    """A Pi 5 core's figures, scaled from this machine's by sysbench's single-thread ratio."""
    if not shutil.which("sysbench"):
        return "  Pi 5 estimate: not made (sysbench is not installed: apt-get install sysbench)"
    out = subprocess.run(
        ["sysbench", "cpu", "--threads=1", "--time=10", "run"], capture_output=True, text=True, check=True
    ).stdout
    here = float(next(line.split(":")[1] for line in out.splitlines() if "events per second" in line))
    slow = [here / pi for pi in sorted(PI5_SYSBENCH, reverse=True)]  # this machine / Pi 5
    return (
        f"  Pi 5 estimate (sysbench single-thread here {here:.0f} events/s, a Pi 5 {PI5_SYSBENCH[0]:.0f}-"
        f"{PI5_SYSBENCH[1]:.0f}: a Pi 5 core is {slow[0]:.1f}-{slow[1]:.1f}x slower): server CPU "
        f"{cpu_ms * slow[0]:.2f}-{cpu_ms * slow[1]:.2f} ms a ticket, so one core issues at most "
        f"{1000 / (cpu_ms * slow[1]):.0f}-{1000 / (cpu_ms * slow[0]):.0f} tickets/s (measured here: {per_s:.0f}/s)"
    )


def server_figures(
    db_url: str | None, label: str, args, judge_cpu: bool = True, record: dict[str, float] | None = None
) -> list[str]:
    """The figures against the targets (the CPU one only if `judge_cpu`); the numbers also go
    into `record` for the summary over rounds."""
    record = {} if record is None else record
    T = TARGETS
    folder = Path(tempfile.mkdtemp(prefix="kiosk-tp-"))
    cfg, tokens = write_config(
        folder,
        db_url or f"sqlite:///{folder / 'q.sqlite3'}",
        counters=args.counters,
        server={"kiosk_tickets_per_minute": 600},
    )
    port = free_port()
    server = Proc(serve_command(cfg, port), port, SERVER_CPU if args.one_core else None)
    out = [label]
    try:
        manager = Client(port, tokens["manager"])
        kiosk = Client(port, tokens["kiosk"])
        for _ in range(50):
            kiosk.get("/api/v1/services")

        # issue, sequential, one keep-alive connection (the manager token has no per-minute cap)
        cpu0, t0 = server.cpu_s(), time.perf_counter()
        ms = []
        for _ in range(args.tickets):
            status, body, dt = manager.post("/api/v1/tickets", {"service": "general"})
            assert status == 201, body
            ms.append(dt)
        wall, cpu = time.perf_counter() - t0, server.cpu_s() - cpu0
        rate, cpu_ms = args.tickets / wall, cpu / args.tickets * 1000
        record.update(issue_per_s=rate, issue_p99_ms=pct(ms, 0.99), issue_cpu_ms=cpu_ms)
        out.append(
            _line(
                f"issue, sequential ({args.tickets})",
                ms,
                f"{rate:5.0f}/s {_mark(rate >= T['issue_per_s'])}  "
                f"p99 {_mark(pct(ms, 0.99) < T['issue_p99_ms'])}  "
                f"server CPU {cpu_ms:.2f} ms/ticket {_mark(cpu_ms <= T['issue_cpu_ms']) if judge_cpu else ''}",
            )
        )

        # call-next with a short and a long line: one counter, sequential presses
        counter = Client(port, tokens["counter"])

        def presses(n: int) -> list[float]:
            res = []
            for _ in range(n):
                status, body, dt = counter.post("/api/v1/counters/1/call-next")
                assert status == 200 and body["ticket"], body
                res.append(dt)
            return res

        waiting = args.tickets
        # drain to 50 + 200 waiting, then measure 200 presses (the line stays near 50)
        for target in (args.waiting, 50):
            while waiting < target + 200:
                manager.post("/api/v1/tickets", {"service": "general"})
                waiting += 1
            while waiting > target + 200:
                counter.post("/api/v1/counters/1/call-next")
                waiting -= 1
            ms = presses(200)
            waiting -= 200
            p99 = pct(ms, 0.99)
            record[f"call_{target}_p99_ms"] = p99
            out.append(_line(f"call-next, {target} waiting", ms, f"p99 {_mark(p99 < T['call_p99_ms'])}"))

        # counters pressing at the same instant, --bursts times (a rare slow burst, a garbage
        # collection say, shows only over many)
        while waiting < args.counters * (args.bursts + 1):
            manager.post("/api/v1/tickets", {"service": "general"})
            waiting += 1
        called: list[str] = []
        burst: list[float] = []
        worst: dict[int, float] = {}  # burst -> its slowest press
        lock = threading.Lock()
        barrier = threading.Barrier(args.counters)

        def press(cid: int) -> None:
            c = Client(port, tokens["counter"] if cid == 1 else f"counter-{cid}-{tokens['counter']}")
            c.get("/api/v1/services")
            for b in range(args.bursts):
                barrier.wait(timeout=60)
                status, body, dt = c.post(f"/api/v1/counters/{cid}/call-next")
                with lock:
                    burst.append(dt)
                    worst[b] = max(worst.get(b, 0.0), dt)
                    if status == 200 and body.get("ticket"):
                        called.append(body["ticket"]["number"])

        threads = [threading.Thread(target=press, args=(i,)) for i in range(1, args.counters + 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        doubles = sum(1 for v in Counter(called).values() if v > 1)
        out.append(
            _line(
                f"{args.counters} counters pressing at once (x{args.bursts})",
                burst,
                f"p99 {_mark(pct(burst, 0.99) < T['burst_p99_ms'])}  double calls {doubles} {_mark(doubles == 0)}",
            )
        )
        slow = sorted(worst.values())
        over = sum(v >= T["burst_p99_ms"] for v in slow)
        record.update(burst_p99_ms=pct(burst, 0.99), burst_max_ms=slow[-1], double_calls=doubles)
        out.append(
            f"  slowest press of each burst: median {statistics.median(slow):.1f} ms, max {slow[-1]:.1f} ms; "
            f"{over} of {len(slow)} bursts had a press over {T['burst_p99_ms']:.0f} ms"
        )
    finally:
        server.stop()
    return out


SUMMARY = (  # figure, its target (None: shown, not judged), higher is better
    ("issue_per_s", "issue, sequential (tickets/s)", "issue_per_s", True),
    ("issue_p99_ms", "issue p99 (ms)", "issue_p99_ms", False),
    ("issue_cpu_ms", "server CPU a ticket (ms)", "issue_cpu_ms", False),
    ("call_1000_p99_ms", "call-next p99, 1000 waiting (ms)", "call_p99_ms", False),
    ("call_50_p99_ms", "call-next p99, 50 waiting (ms)", "call_p99_ms", False),
    ("burst_p99_ms", "50 at once p99 (ms)", "burst_p99_ms", False),
    ("burst_max_ms", "slowest press of any burst (ms)", None, False),
    ("double_calls", "double calls", None, False),
)


def summary(rounds: list[dict[str, float]], judge_cpu: bool = True) -> list[str]:
    """Each figure over the rounds: the median, judged against its target, and the spread."""
    out = [f"  over {len(rounds)} rounds: median [lowest - highest]"]
    for key, label, target_key, higher in SUMMARY:
        values = sorted(r[key] for r in rounds if key in r)
        if not values:
            continue
        mid = statistics.median(values)
        mark = ""
        if target_key is not None:
            target = TARGETS[target_key]
            if target_key == "issue_cpu_ms" and not judge_cpu:
                mark = "(shown, not judged)"
            else:
                mark = _mark(mid >= target if higher else mid <= target)
        elif key == "double_calls":
            mark = _mark(values[-1] == 0)
        out.append(f"    {label:<36} {mid:8.2f} [{values[0]:.2f} - {values[-1]:.2f}] {mark}")
    return out


def rounds_of(
    db_url: str | None, label: str, args, judge_cpu: bool = True, records: list[dict[str, float]] | None = None
) -> list[str]:
    """--rounds fresh servers; each round's lines with --each, the summary always (each round's
    figures also go into `records`)."""
    records = [] if records is None else records
    lines = [label]
    for i in range(args.rounds):
        record: dict[str, float] = {}
        each = server_figures(db_url, f"{label}, round {i + 1}", args, judge_cpu, record)
        if args.each or args.rounds == 1:
            lines += each
        records.append(record)
    return lines + summary(records, judge_cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=2000)
    ap.add_argument("--waiting", type=int, default=1000)
    ap.add_argument("--counters", type=int, default=50)
    ap.add_argument("--bursts", type=int, default=50, help="times the counters press at once")
    ap.add_argument("--rounds", type=int, default=5, help="fresh servers measured; medians and spreads printed")
    ap.add_argument("--each", action="store_true", help="print every round's figures too")
    ap.add_argument("--one-core", action="store_true", help="server on one CPU (taskset), client on another")
    ap.add_argument("--pg", action="store_true", help="also on a throwaway PostgreSQL")
    args = ap.parse_args()
    if args.one_core:
        os.sched_setaffinity(0, {int(CLIENT_CPU)})
    where = "server pinned to one core" if args.one_core else f"{os.cpu_count()} cores shared by server and client"
    print(
        f"targets: issue >= {TARGETS['issue_per_s']}/s, p99 < {TARGETS['issue_p99_ms']} ms, <= "
        f"{TARGETS['issue_cpu_ms']} ms server CPU; call-next p99 < {TARGETS['call_p99_ms']} ms; "
        f"{args.counters} at once p99 < {TARGETS['burst_p99_ms']} ms ({where})"
    )
    sqlite_records: list[dict[str, float]] = []
    for line in rounds_of(None, "SQLite (WAL, synchronous=FULL)", args, records=sqlite_records):
        print(line)
    median = {k: statistics.median(r[k] for r in sqlite_records) for k in ("issue_cpu_ms", "issue_per_s")}
    print(pi5_estimate(median["issue_cpu_ms"], median["issue_per_s"]))
    if args.pg:
        with postgres_url() as url:
            if url is None:
                print("PostgreSQL: not measured (no server; set KIOSK_BENCH_PG_URL or install postgresql)")
            else:
                for line in rounds_of(url, "PostgreSQL", args, judge_cpu=False):
                    print(line)
                for line in pg_reasons(url, args.tickets // 2):
                    print(line)
    print(constant_baseline(args.tickets, SERVER_CPU if args.one_core else None))
    print(sqlite_baseline(args.tickets))


if __name__ == "__main__":
    main()
