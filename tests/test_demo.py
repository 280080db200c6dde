"""`kiosk demo` runs a whole day on the real engine and proves the day was fair."""

from __future__ import annotations

import json
import subprocess
import sys


def test_demo_day_is_fair_loses_nobody_and_serves_everyone_after_closing():
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--date", "2026-11-25", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    d = json.loads(out)
    assert d["fairness_violation_count"] == 0 and d["fairness_violations"] == []
    assert d["lost_tickets"] == []
    assert d["issued"] > 150 and d["priority"] > 0 and d["transfers"] > 0
    assert d["served"] + d["no_shows"] == d["issued"]  # everyone served or a staff-marked no-show
    assert d["waiting_at_closing"] > 0 and d["refused_after_closing"] > 0
    assert d["last_call_local"] > "17:00"  # those waiting at 17:00 were still called
    assert d["refused_service_closed"] > 0  # manager reception closes at lunch
    assert any("counter 2 12:" in p for p in d["pauses"])
    assert {s["service"] for s in d["by_service"]} == {"general", "payment", "manager"}


def test_demo_prints_a_readable_summary():
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--date", "2026-11-25"], capture_output=True, text=True, check=True
    ).stdout
    assert "fairness violations       0" in out
    assert "still waiting at closing" in out and "午餐休息" in out


def test_every_event_of_a_whole_day_is_of_a_known_kind(tmp_path):
    """A screen, the server and the remote backend all dispatch on kiosk.events.EventKind: a kind
    written under another name would be an event nobody hears."""
    from datetime import date

    import sqlalchemy as sa

    from kiosk.config import example_config_text, parse_config
    from kiosk.demo import run_demo
    from kiosk.events import EventKind

    run_demo(parse_config(example_config_text()), date(2026, 11, 25), db_dir=tmp_path)
    db = sa.create_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with db.connect() as conn:
        kinds = {k for (k,) in conn.execute(sa.text("SELECT DISTINCT kind FROM events"))}
    db.dispose()
    assert {"ticket_issued", "ticket_called", "ticket_finished", "counter_paused"} <= kinds
    assert kinds <= set(EventKind), kinds - set(EventKind)
