"""Where the queue lives: one SQLAlchemy Core code path for SQLite and PostgreSQL.

SQLite (the default, one machine): WAL and synchronous=FULL, so a committed ticket survives a
power cut; write transactions start with BEGIN IMMEDIATE so they queue for the write lock up
front instead of failing half-way with "database is locked".
PostgreSQL (several server processes or branches): READ COMMITTED, and every write transaction
locks its branch row first (see schema.branches).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError

from kiosk import schema
from kiosk.precompiled import run
from kiosk.statements import branch_opening

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Built once: they run at the start of every write on PostgreSQL (see kiosk/statements.py). In the
# same round trip they ask for generic plans for the rest of the transaction: a write's statements
# are index lookups whose plan does not depend on the values, and the line's union of a dozen
# parts (kiosk/line.py) would otherwise be planned again at every call (0.4 ms of 0.6)
_OPENINGS = {(pg, keys): branch_opening(pg, keys) for pg in (False, True) for keys in (False, True)}
_BRANCH_LOCK = _OPENINGS[True, False]


@dataclass(frozen=True)
class Opened:
    """A ledger's write transaction as it starts: the branch's last event number, and the answers
    already given for the keys asked about (key -> (scope, answer))."""

    conn: Connection
    last_seq: int
    answers: dict[str, tuple[str, Any]]


# A pooled PostgreSQL connection idle this long is checked before use: the server restarted
# overnight, or a firewall cut an idle connection. One in steady use is not: a ping before every
# transaction was one round trip of a ticket's 13. A connection that fails anyway (the server
# restarted a moment ago) fails its transaction's first statement, which the ledger tries again
# on a fresh one (SQLAlchemy drops the whole pool on a disconnect).
IDLE_PING_S = 2.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            # the pool throws this connection away and hands out a fresh one
            raise DisconnectionError(f"a pooled connection idle {time.monotonic() - since:.0f} s was dead: {e}") from e


def default_sqlite_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("front-desk-kiosk")) / "queue.sqlite3"


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


class StoreUnavailable(Exception):
    """The database cannot be opened or created where the configuration says."""


class Store:
    def __init__(self, url: str, *, pool_size: int = 8):
        self.url = url
        u = make_url(url)
        self.is_sqlite = u.get_backend_name() == "sqlite"
        self._in_use: int | None = None  # the lock file's descriptor (SQLite file)
        if self.is_sqlite:
            if u.database and u.database != ":memory:":
                try:
                    Path(u.database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise StoreUnavailable(
                        f"cannot create the folder {Path(u.database).parent}: {e.strerror}"
                    ) from None
                self._in_use = mark_in_use(Path(u.database))
            self.writer = self._sqlite_engine(url, immediate=True)
            self.reader = self._sqlite_engine(url, immediate=False)
        else:
            self.writer = create_engine(url, pool_size=pool_size, max_overflow=64)
            _ping_when_idle(self.writer)
            self.reader = self.writer
        # Writes to one branch are serial anyway (branch row lock). Queueing them on a lock in
        # this process first means a waiting counter wakes the moment it is its turn, instead of
        # SQLite's busy handler sleeping with growing back-off (seconds under 50 presses at once).
        self._branch_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    @staticmethod
    def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
        # Pooled: opening a file and setting its pragmas per transaction cost ~1 ms per ticket.
        engine = create_engine(
            url, pool_size=4, max_overflow=64, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextlib.contextmanager
    def write(self, branch: str) -> Iterator[Connection]:
        """One write transaction holding the branch lock; commits on normal exit."""
        with self._branch_locks[branch], self.writer.begin() as conn:
            # SQLite: BEGIN IMMEDIATE already holds the database's one write lock
            if not self.is_sqlite and conn.execute(_BRANCH_LOCK, {"branch": branch}).first() is None:
                conn.execute(schema.branches.insert().values(id=branch, last_event_seq=0))
                conn.execute(_BRANCH_LOCK, {"branch": branch})  # lock the row we just made, as the others would
            yield conn

    @contextlib.contextmanager
    def open_branch(self, branch: str, keys: Sequence[str]) -> Iterator[Opened]:
        """`write`, reading what the ledger needs first in the statement that takes the lock
        (kiosk/statements.py branch_opening): one round trip on PostgreSQL where it was three."""
        pg = not self.is_sqlite
        opening = _OPENINGS[pg, bool(keys)]
        params: dict[str, Any] = {"branch": branch, "keys": list(keys)} if keys else {"branch": branch}
        with self._branch_locks[branch], self.writer.begin() as conn:
            rows = run(conn, opening, params).all()
            if not rows:  # the branch's first write ever: make its row, and lock it as the others would
                conn.execute(schema.branches.insert().values(id=branch, last_event_seq=0))
                rows = run(conn, opening, params).all()
            answers = {r.key: (r.scope, r.response) for r in rows if keys and r.key is not None}
            yield Opened(conn, rows[0].last_event_seq, answers)

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn:
            with conn.begin():
                yield conn

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (run on every start; cheap when current)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.writer.connect() as conn:
            if not self.is_sqlite:
                # Several servers may start at once; one migrates, the others wait for it.
                conn.exec_driver_sql("SELECT pg_advisory_lock(7240001)")
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if conn.in_transaction():
                    conn.commit()
            finally:
                if not self.is_sqlite:
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(7240001)")
                    conn.commit()

    def disk_short(self, need_bytes: int = 1 << 20) -> str:
        """Why a SQLite store's disk cannot take a day's writes ("" if it can, or for PostgreSQL,
        whose server reports its own disk)."""
        if not self.is_sqlite or not self.writer.url.database or self.writer.url.database == ":memory:":
            return ""
        folder = Path(self.writer.url.database).parent
        try:
            st = os.statvfs(folder)
        except OSError:
            return ""
        free = st.f_bavail * st.f_frsize
        return f"the disk holding {folder} has {free // 1024} KB free" if free < need_bytes else ""

    def dispose(self) -> None:
        """A clean stop: SQLite's write-ahead log folded into the database file and emptied, so
        the file alone is the whole database (nothing left for a later open to replay)."""
        if self.reader is not self.writer:
            self.reader.dispose()  # first: a reader's open snapshot would hold the log
        if self.is_sqlite:
            try:
                with self.writer.connect() as conn:
                    busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
                if busy:
                    log.warning("the database's write-ahead log could not be emptied at stop (a reader held it)")
            except Exception as e:  # a full disk, say: the WAL stays, and is replayed on the next open
                log.warning("the database's write-ahead log could not be emptied at stop: %s", e)
        self.writer.dispose()
        if self._in_use is not None:
            os.close(self._in_use)  # releases the shared lock
            self._in_use = None


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def mark_in_use(db: Path) -> int:
    """Every process using a SQLite store holds a shared lock on `<db>.lock` while it does, so
    `kiosk restore` can tell that a server or kiosk still runs on it (it needs the lock alone)."""
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreUnavailable(f"{db} is being restored (kiosk restore); start again when it has finished") from None
    return fd
