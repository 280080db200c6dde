"""The hot paths' statements run precompiled on the driver's cursor (kiosk/precompiled.py): each
must answer exactly what SQLAlchemy answers (rows, JSON, booleans, column names), fail with the
errors the engine retries on, and really be taken on SQLite (else the speed is gone unseen)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk import precompiled, schema
from kiosk import statements as sql


@pytest.fixture
def engine(engine_any_db):
    """An engine on SQLite and on PostgreSQL, with a line and a ticket called."""
    for _ in range(4):
        engine_any_db.issue("general", key=uuid.uuid4().hex)
    engine_any_db.call_next(1)
    return engine_any_db


def test_answers_as_sqlalchemy_does(engine):
    branch = engine.ledger.branch
    pg = not engine.store.is_sqlite
    everyone, priority, with_lines = (
        sql.estimate_inputs(20, 20, priority=p, postgres=pg, shared=lines)
        for p, lines in ((False, False), (True, False), (False, True))
    )
    with engine.store.write(branch) as conn:
        day = conn.execute(sql.newest_day, {"branch": branch}).scalar()
        key = conn.execute(select(schema.idempotency.c.key)).first().key
        asked = {"branch": branch, "service": "general", "day": day, "priority": False}
        cases = [
            (sql.newest_day, {"branch": branch}),
            (sql.counter_row, {"branch": branch, "counter": 1}),
            (sql.ticket_row, {"id": 1}),  # a boolean column, every column of a ticket
            (sql.recent_errors(20), {"branch": branch, "service": "general", "priority": False}),
            # PostgreSQL: with the called ticket's estimate and wait in a JSON list, and the lines
            # of the services asked about in a JSON object
            (everyone, asked),
            (priority, {**asked, "priority": True}),
            (with_lines, {**asked, "services": ["general", "payment"]}),
            # the opening read: the branch's last event number with the answers found for the keys
            (sql.branch_opening(pg, with_keys=True), {"branch": branch, "keys": [key]}),  # a JSON answer
            (sql.branch_opening(pg, with_keys=True), {"branch": branch, "keys": ["never-used"]}),  # none
            (sql.branch_opening(pg, with_keys=True), {"branch": branch, "keys": [key, "never-used"]}),
            (sql.branch_opening(pg, with_keys=False), {"branch": branch}),
            # a list expanded into IN, the same statement with one value and with three
            (sql.waiting_by_service, {"branch": branch, "day": day, "services": ["general"]}),
            (sql.waiting_by_service, {"branch": branch, "day": day, "services": ["x", "general", "y"]}),
            (sql.waiting_by_service, {"branch": branch, "day": day, "services": ["x"]}),
        ]
        for stmt, params in cases:
            expected = conn.execute(stmt, params).all()
            got = precompiled.run(conn, stmt, params).all()
            assert [tuple(r) for r in got] == [tuple(r) for r in expected]
            assert [dict(r._mapping) for r in got] == [dict(r._mapping) for r in expected]
            assert expected or stmt is not sql.waiting_by_service or params["services"] == ["x"]
        answer = precompiled.run(conn, sql.branch_opening(pg, with_keys=True), {"branch": branch, "keys": [key]}).one()
        assert isinstance(answer.response, dict) and answer.response["ticket"]["number"]
        if pg:  # the one called: [estimate, waited], and the 3 still waiting, read with the estimate's inputs
            inputs = precompiled.run(conn, with_lines, {**asked, "services": ["general", "payment"]}).first()
            assert [len(pair) for pair in inputs.errors] == [2] and inputs.shared == {"general": 3}
        assert precompiled.run(conn, sql.ticket_row, {"id": 1}).one().priority is False


def test_a_broken_rule_is_sqlalchemys_integrity_error(engine):
    """The engine retries a transaction on IntegrityError: a duplicate answer must raise it."""
    branch = engine.config.site.branch
    row = {"branch": branch, "key": "k1", "scope": "issue", "response": {"a": 1}, "created_at": 1.0}
    with pytest.raises(IntegrityError), engine.store.write(branch) as conn:
        precompiled.run(conn, sql.remember_answer, row)
        precompiled.run(conn, sql.remember_answer, row)
    with engine.store.read() as conn:  # the transaction was undone whole
        assert conn.execute(select(schema.idempotency).where(schema.idempotency.c.key == "k1")).first() is None


def test_a_ticket_takes_the_precompiled_path(engine):
    """Taking a ticket leaves SQLAlchemy's execute only for the transaction's own statements
    (BEGIN, COMMIT): were the fast path silently lost, every statement on the queue's tables
    would come through it."""
    through_sqlalchemy: list[str] = []
    listener = lambda *a: through_sqlalchemy.append(a[2])  # noqa: E731
    event.listen(engine.store.writer, "before_cursor_execute", listener)
    try:
        result = engine.issue("general", key=uuid.uuid4().hex)
    finally:
        event.remove(engine.store.writer, "before_cursor_execute", listener)
    assert result.ticket.number == "A005"
    tables = ("tickets", "idempotency", "events", "day_numbers", "counters", "appointments")
    assert [s for s in through_sqlalchemy if any(t in s for t in tables)] == []


def test_a_connection_cut_mid_transaction_is_not_given_out_again(make_engine, pg_url, config):
    """PostgreSQL restarted or a connection killed between two statements: the precompiled path
    fails as SQLAlchemy's would (the connection marked invalid, not handed to the next command),
    and the next ticket is taken on a fresh connection."""
    import psycopg

    engine = make_engine(pg_url, config)
    engine.issue("general")
    branch = engine.ledger.branch
    invalidated = []
    with pytest.raises(DBAPIError) as cut, engine.store.write(branch) as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        try:
            precompiled.run(conn, sql.counter_row, {"branch": branch, "counter": 1})
        finally:  # seen at once, before the transaction's own rollback has a say
            invalidated.append(conn.invalidated)
    assert invalidated == [True] and cut.value.connection_invalidated
    assert engine.issue("general", key=uuid.uuid4().hex).ticket.number == "A002"
