"""PostgreSQL restarts in the middle of a busy morning, under two server processes: the
screens get 503 with Retry-After (never a 500), and once it is back nothing is lost or
doubled: every ticket a kiosk was given exists once, and a press retried with its key acts once."""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.test_server import Server, write_config


@pytest.mark.postgres
def test_a_postgresql_restart_mid_load_gives_503s_and_loses_nothing(tmp_path, pg_url, pg_restart):
    stop_db, start_db = pg_restart
    cfg, tokens = write_config(tmp_path, pg_url)
    servers = [Server(cfg, tokens), Server(cfg, tokens)]
    statuses: list[int] = []
    issued: dict[str, str] = {}  # idempotency key -> ticket number
    stop = threading.Event()
    lock = threading.Lock()

    def kiosk(n: int) -> None:
        with httpx.Client(timeout=10) as c:
            i = 0
            while not stop.is_set():
                key, srv = f"k{n}-{i}", servers[i % 2]
                while not stop.is_set():  # a kiosk retries its tap with the same key
                    try:
                        r = c.post(
                            srv.url + "/api/v1/tickets",
                            json={"service": "general"},
                            headers=srv.headers("manager", key=key),
                        )  # no rate limit in the way
                    except httpx.HTTPError:
                        time.sleep(0.2)
                        continue
                    with lock:
                        statuses.append(r.status_code)
                    if r.status_code == 503:
                        assert r.headers.get("Retry-After") and r.json()["code"] == "unavailable"
                        time.sleep(0.2)
                        continue
                    assert r.status_code == 201, r.text
                    with lock:
                        issued[key] = r.json()["ticket"]["number"]
                    break
                i += 1

    workers = [threading.Thread(target=kiosk, args=(n,)) for n in range(3)]
    try:
        for w in workers:
            w.start()
        time.sleep(2)
        quiet: dict[str, Any] = {
            "shell": True,
            "check": True,
            "timeout": 120,
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
        }
        subprocess.run(stop_db, **quiet)  # the database server goes away for 3 s
        time.sleep(3)
        subprocess.run(start_db, **quiet)
        time.sleep(4)
        stop.set()
        for w in workers:
            w.join(timeout=60)
        assert 500 not in statuses and 503 in statuses, sorted(set(statuses))
        db = sa.create_engine(pg_url)
        with db.connect() as conn:
            numbers = conn.execute(sa.text("SELECT number FROM tickets")).scalars().all()
        db.dispose()
        assert len(numbers) == len(set(numbers)), "a number was given twice"
        assert sorted(issued.values()) == sorted(numbers), "a ticket a kiosk was given is missing, or one more exists"
    finally:
        stop.set()
        for s in servers:
            s.stop()
