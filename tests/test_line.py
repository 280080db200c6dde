"""call-next reads only the head of the line (kiosk/line.py), yet chooses exactly what the
fairness policy chooses from the whole line: the same ticket, for the same reason, overtaking
the same tickets. Checked with hypothesis on random lines in a real database."""

from __future__ import annotations

import tempfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kiosk import schema
from kiosk.fairness import Candidate, choose_next
from kiosk.line import LineReader, services_with_mixed_targets
from kiosk.store import Store, sqlite_url

T = schema.tickets
NOW = 100_000.0
TARGETS = {"general": 900.0, "payment": 600.0, "loans": 1800.0}
_store: Store | None = None


def store() -> Store:
    global _store
    if _store is None:
        _store = Store(sqlite_url(tempfile.mkdtemp(prefix="kiosk-line-") + "/q.sqlite3"))
        _store.upgrade()
    return _store


ticket = st.fixed_dictionaries(
    {
        "service": st.sampled_from(list(TARGETS)),
        # mostly within the targets (so the priority bound decides), sometimes long overdue
        "age_s": st.one_of(st.floats(0, 550, allow_nan=False), st.floats(0, 4000, allow_nan=False)),
        "priority": st.booleans(),
        "run": st.integers(0, 3),
        # a checked-in appointment (never also priority): its queue time is its booked time,
        # which may still be ahead (checked in early: a negative age)
        "appointment": st.sampled_from([False, False, False, True]),
        "early_s": st.floats(0, 900, allow_nan=False),
    }
).map(lambda t: {**t, "priority": t["priority"] and not t["appointment"]})


def _age(t: dict) -> float:
    return t["age_s"] - t.get("early_s", 0) if t.get("appointment") else t["age_s"]


def _fill(conn, line: list[dict]) -> list[tuple]:
    conn.execute(delete(T))
    for i, t in enumerate(line, start=1):
        conn.execute(
            T.insert().values(
                id=i,
                branch="b",
                business_day="2026-11-23",
                issued_hour=9,
                number=f"A{i:03d}",
                service=t["service"],
                original_service=t["service"],
                priority=t["priority"],
                state="waiting",
                queue_time=NOW - _age(t),
                issued_at=NOW - t["age_s"],
                appointment_at=NOW - _age(t) if t.get("appointment") else None,
                target_wait_s=TARGETS[t["service"]],
                priority_run=t["run"],
                status_token=f"tok{i}",
            )
        )
    return []


def _runs(conn) -> dict[int, tuple[int, int]]:
    return {r.id: (r.priority_run, r.overtaken) for r in conn.execute(select(T.c.id, T.c.priority_run, T.c.overtaken))}


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(ticket, max_size=30),
    st.sampled_from([("general",), ("general", "payment"), ("payment", "loans"), ("general", "payment", "loans")]),
    st.integers(0, 3),
    st.integers(0, 3),
)
# a normal ticket held back twice behind an older one that was not (it came by a transfer): the
# bound still stops the priority call
@example(
    [
        {"service": "general", "age_s": 300, "priority": False, "run": 0},
        {"service": "general", "age_s": 200, "priority": False, "run": 2},
        {"service": "general", "age_s": 100, "priority": True, "run": 0},
    ],
    ("general",),
    2,
    2,
)
def test_the_head_of_the_line_gives_the_same_call_as_the_whole_line(line, services, max_run, max_appointments):
    s = store()
    with s.write("b") as conn:
        _fill(conn, line)
        whole = [
            Candidate(i, NOW - _age(t), t["priority"], TARGETS[t["service"]], t["run"], t.get("appointment", False))
            for i, t in enumerate(line, start=1)
            if t["service"] in services
        ]
        expected = choose_next(whole, NOW, max_run, max_appointments)
        bounds = [k for k in (max_run, max_appointments) if k > 0]  # as kiosk/engine/counter_rows.py reads
        reader = LineReader(services, min(bounds) if bounds else 0)
        head = reader.candidates(conn, "b")
        assert len(head) <= len(whole)
        got = choose_next(head, NOW, max_run, max_appointments)
        if expected is None:
            assert got is None
            return
        assert (got.ticket_id, got.reason, got.reset_runs) == (expected.ticket_id, expected.reason, expected.reset_runs)
        assert bool(got.overtaken) == bool(expected.overtaken)
        if got.overtaken:  # the ranged update touches exactly the tickets the policy overtook
            before = _runs(conn)
            reader.overtaken_by(conn, "b", next(c for c in head if c.id == got.ticket_id))
            after = _runs(conn)
            changed = {i for i in after if after[i] != before[i]}
            assert changed == set(expected.overtaken)
        if got.reset_runs:  # a normal call: afterwards nobody in these services is held back
            reader.reset_runs(conn, "b", head)
            runs = _runs(conn)
            assert [i for i, t in enumerate(line, start=1) if t["service"] in services and runs[i][0]] == []
        conn.rollback()


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(ticket, max_size=30),
    services=st.sampled_from([("general",), ("general", "payment"), ("general", "payment", "loans")]),
    max_run=st.integers(0, 3),
)
def test_on_postgresql_the_line_read_with_the_counters_row_is_the_line_read_alone(pg_store, lines, services, max_run):
    """call-next reads the counter's row and its line in one round trip on PostgreSQL, the line
    carried as JSON: the same candidates, to the bit, as the line's own statement gives."""
    with pg_store.write("b") as conn:
        _fill(conn, lines)
        reader = LineReader(services, max_run)
        alone = reader.candidates(conn, "b")
        row = conn.execute(reader.with_counter, {"branch": "b", "counter": 1}).one()
        assert row.id == 1 and reader.listed(row.line) == alone
        conn.rollback()


@pytest.fixture(scope="module")
def pg_store():
    from tests.conftest import _drop_pg, _pg_database

    url = _pg_database()
    s = Store(url)
    s.upgrade()
    with s.write("b") as conn:
        conn.execute(schema.counters.insert().values(branch="b", id=1, state="open", updated_at=NOW))
    yield s
    s.dispose()
    _drop_pg(url)


def test_a_long_line_is_not_read_whole():
    s = store()
    line = [{"service": "general", "age_s": 3000 - i, "priority": i % 50 == 0, "run": 0} for i in range(1000)]
    with s.write("b") as conn:
        _fill(conn, line)
        head = LineReader(("general",), 2).candidates(conn, "b")
        # the oldest normal ticket, the 20 priority ones and the one held back longest (maybe one of those)
        assert 1 + 20 <= len(head) <= 1 + 20 + 1
        conn.rollback()


def test_a_service_whose_target_changed_while_people_waited_is_read_whole():
    s = store()
    line = [{"service": "general", "age_s": 100 + i, "priority": False, "run": 0} for i in range(5)]
    with s.write("b") as conn:
        _fill(conn, line)
        assert services_with_mixed_targets(conn, "b", TARGETS) == frozenset()
        mixed = services_with_mixed_targets(conn, "b", {**TARGETS, "general": 300.0})
        assert mixed == {"general"}
        assert len(LineReader(("general",), 2, mixed).candidates(conn, "b")) == 5
        conn.rollback()


def test_a_service_code_is_written_into_the_line_statement_only_if_it_is_a_code():
    with pytest.raises(ValueError, match="not service codes"):
        LineReader(("general", "x') OR ('1'='1"), 2)
