"""PostgreSQL's pooled connections are checked only after they sat idle (kiosk/store.py), not
before every transaction: the server restarted overnight must not cost the morning's first
customer an error, and a connection killed while in steady use must not lose or double a ticket."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kiosk import store as store_module


def _kill_every_connection_of(pg_url: str) -> int:
    """What a PostgreSQL restart does to the pool: every backend but the caller's ends."""
    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as other:
        killed = other.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(killed[0]) if killed else 0


@pytest.mark.postgres
def test_an_idle_connection_found_dead_is_replaced_before_anyone_uses_it(make_engine, pg_url, config, monkeypatch):
    engine = make_engine(pg_url, config)
    engine.issue("general")
    assert _kill_every_connection_of(pg_url) >= 1
    monkeypatch.setattr(store_module, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle
    # a read has no retry of its own: it works only because the dead connection was never used
    assert [t.number for t in engine.waiting_tickets()] == ["A001"]
    assert engine.issue("general").ticket.number == "A002"


@pytest.mark.postgres
def test_without_the_idle_check_a_dead_connection_reaches_a_read(make_engine, pg_url, config, monkeypatch):
    """The check above is what saves that read: with it off, the same read fails."""
    engine = make_engine(pg_url, config)
    engine.issue("general")
    _kill_every_connection_of(pg_url)
    monkeypatch.setattr(store_module, "IDLE_PING_S", float("inf"))
    with pytest.raises(DBAPIError), engine.store.read() as conn:
        conn.execute(text("SELECT 1"))


@pytest.mark.postgres
def test_a_connection_killed_while_busy_costs_no_ticket_and_no_double(make_engine, pg_url, config, monkeypatch):
    engine = make_engine(pg_url, config)
    for _ in range(3):
        engine.issue("general", key=uuid.uuid4().hex)
    monkeypatch.setattr(store_module, "IDLE_PING_S", float("inf"))  # in steady use: no check
    _kill_every_connection_of(pg_url)
    key = uuid.uuid4().hex
    first = engine.issue("general", key=key)  # fails on the dead connection, tried again on a fresh one
    again = engine.issue("general", key=key)  # the kiosk's retry of the same tap
    assert first.ticket.number == again.ticket.number == "A004"
    assert [t.number for t in engine.waiting_tickets()] == ["A001", "A002", "A003", "A004"]
