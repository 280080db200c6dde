"""Shared fixtures: a site config, a simulated clock, and fresh databases (SQLite file per
test; a new PostgreSQL database per test when KIOSK_TEST_PG_URL points at a server, which
./run-tests starts)."""

from __future__ import annotations

import gc
import os
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from kiosk.clock import SimulatedClock
from kiosk.config import KioskConfig, example_config_text, parse_config
from kiosk.engine import Engine
from kiosk.store import Store, sqlite_url

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Taipei")
PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "")


def local_ts(y: int, mo: int, d: int, h: int = 9, mi: int = 0, s: int = 0) -> float:
    return datetime(y, mo, d, h, mi, s, tzinfo=TZ).timestamp()


# Wednesday 25 November 2026, 09:00 in Taipei: a weekday and a manager reception day.
DAY_START = local_ts(2026, 11, 25, 9, 0)


@pytest.fixture(autouse=True)
def _garbage_on_the_main_thread():
    """As the screens do (ui/app.py): no automatic collection, which could free a Qt object
    from a worker thread and crash; each test's garbage is collected here, on the main thread."""
    gc.disable()
    yield
    gc.collect()


@pytest.fixture
def config() -> KioskConfig:
    return parse_config(example_config_text())


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(DAY_START)


def _pg_database() -> str:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: KIOSK_TEST_PG_URL is not set (./run-tests sets it)")
        pytest.skip("PostgreSQL tests need KIOSK_TEST_PG_URL (./run-tests starts a server and sets it)")
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def pg_url():
    url = _pg_database()
    yield url
    _drop_pg(url)


@pytest.fixture
def pg_restart() -> tuple[str, str]:
    """The shell commands that stop and start the test PostgreSQL (./run-tests sets them for its
    throwaway server); CI must have them, elsewhere the test is skipped with the reason."""
    stop, start = os.environ.get("KIOSK_TEST_PG_STOP", ""), os.environ.get("KIOSK_TEST_PG_START", "")
    if not (stop and start):
        if os.environ.get("CI"):
            pytest.fail("CI must run this test: KIOSK_TEST_PG_STOP/START are not set (./run-tests sets them)")
        pytest.skip("needs KIOSK_TEST_PG_STOP and _START: ./run-tests sets them for its throwaway PostgreSQL")
    return stop, start


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "queue.sqlite3")
    else:
        url = _pg_database()
        yield url
        _drop_pg(url)


@pytest.fixture
def make_engine(clock):
    made: list[Store] = []

    def make(url: str, config: KioskConfig, clk=None) -> Engine:
        store = Store(url)
        made.append(store)
        engine = Engine(config, store, clk or clock)
        engine.setup()
        return engine

    yield make
    for s in made:
        s.dispose()


@pytest.fixture
def engine(make_engine, tmp_path, config) -> Engine:
    return make_engine(sqlite_url(tmp_path / "queue.sqlite3"), config)


@pytest.fixture
def engine_any_db(make_engine, db_url, config) -> Engine:
    return make_engine(db_url, config)


def config_with(text_replacements: dict[str, str] | None = None, extra: str = "") -> KioskConfig:
    text = example_config_text()
    for old, new in (text_replacements or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return parse_config(text + extra)
