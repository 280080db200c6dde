"""A kiosk process killed with SIGKILL mid-stream, again and again: every ticket it had
acknowledged is still there afterwards, and no number is ever issued twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter

import sqlalchemy as sa

from kiosk.store import Store, sqlite_url
from tests.conftest import ROOT


def test_killed_issuer_loses_no_acknowledged_ticket_and_never_repeats_a_number(tmp_path):
    db = tmp_path / "queue.sqlite3"
    acknowledged: list[tuple[int, str, str]] = []
    rng = random.Random(3)
    for _round in range(5):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_issuer", str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        stop_after = rng.randint(20, 120)
        for _ in range(stop_after):
            line = child.stdout.readline()
            assert line, "the issuing process died on its own"
            tid, day, number = line.split()
            acknowledged.append((int(tid), day, number))
        child.send_signal(signal.SIGKILL)  # mid-stream: it is issuing the next ticket right now
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL

    store = Store(sqlite_url(db))
    with store.read() as conn:
        rows = conn.execute(sa.text("SELECT id, business_day, number FROM tickets")).all()
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    stored = {r.id: (r.business_day, r.number) for r in rows}
    for tid, day, number in acknowledged:
        assert stored.get(tid) == (day, number), f"acknowledged ticket {number} lost or changed"
    repeats = [k for k, n in Counter(stored.values()).items() if n > 1]
    assert repeats == []
    assert mode == "wal"
    assert len(stored) >= len(acknowledged)  # the killed in-flight ticket may or may not be there
    store.dispose()
