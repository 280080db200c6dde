"""`kiosk audit --date`: a real hall checks its own day from its database, as the demo's day is
checked: calls out of turn with their reasons, a number left from the day before named with its
date, anyone still open, and a broken promise found in the log makes the command fail."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, insert, select

from kiosk import schema
from kiosk.clock import SimulatedClock
from kiosk.config import load_config
from kiosk.engine import Engine
from kiosk.store import Store
from kiosk.testing import run_kiosk, write_config
from tests.conftest import TZ, local_ts


def two_days(tmp_path):
    """Wednesday: A001 is left in line overnight. Thursday: A001 and A002 are taken, A002 is
    called out of turn for an appointment, then yesterday's A001 comes first."""
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", counters=2)
    config = load_config(str(cfg))[0]
    clock = SimulatedClock(local_ts(2026, 12, 2, 16, 0))
    engine = Engine(config, Store(config.site.database), clock)
    engine.setup()
    engine.issue("general")
    clock.set(local_ts(2026, 12, 3, 9, 5))
    engine.issue("general")
    engine.issue("general")
    engine.call_number(1, "A002", "appointment")
    clock.advance(60)
    engine.call_next(2)
    return cfg, engine, clock


def test_the_day_is_audited_with_calls_out_of_turn_and_an_earlier_days_number_dated(tmp_path):
    cfg, engine, _ = two_days(tmp_path)
    out = run_kiosk("audit", "--config", str(cfg), "--date", "2026-12-03")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("audit of 2026-12-03: 2 issued, 2 calls, 1 out of turn")
    assert "fairness: no violation" in out.stdout
    assert "  A002 at counter 1: appointment" in out.stdout
    # yesterday's A001 was called by counter 2; today's A001 and the two at the counters are open
    assert "still open at the end of the day: A001 12/02, A001, A002" in out.stdout

    day_before = json.loads(run_kiosk("audit", "--config", str(cfg), "--date", "2026-12-02", "--json").stdout)
    assert (day_before["issued"], day_before["calls"], day_before["still_open"]) == (1, 0, ["A001"])


def test_a_ticket_called_twice_in_the_log_fails_the_audit_and_is_named(tmp_path):
    cfg, engine, clock = two_days(tmp_path)
    E = schema.events
    with engine.store.write(engine.branch) as conn:  # what a bug or a hand-edited database would leave
        seq = conn.execute(select(func.max(E.c.seq)).where(E.c.branch == engine.branch)).scalar_one()
        called = conn.execute(select(E.c.data).where(E.c.kind == "ticket_called").order_by(E.c.seq)).scalars().first()
        again = {"branch": engine.branch, "seq": seq + 1, "at": clock.now(), "kind": "ticket_called", "data": called}
        conn.execute(insert(E).values(**again))
    out = run_kiosk("audit", "--config", str(cfg), "--date", f"{datetime.fromtimestamp(clock.now(), TZ):%Y-%m-%d}")
    assert out.returncode == 1
    assert "fairness: 1 violation(s)" in out.stdout and "A002 called by counter 1 while called" in out.stdout


def test_a_bad_date_is_refused_with_the_form_expected(tmp_path):
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    out = run_kiosk("audit", "--config", str(cfg), "--date", "03/12/2026")
    assert out.returncode == 2 and "expected a date like 2026-11-25" in out.stderr
