"""`kiosk backup` and `kiosk restore` for a SQLite store: nothing to copy by hand.

A backup is taken with SQLite's online backup API, consistent while tickets are being issued.
A restore must not lose the restore or corrupt the store, and must not give a number twice:

- it refuses while any process uses the store (each holds a shared lock on `<db>.lock`;
  kiosk/store.py), and holds the lock alone until it has finished, so nothing starts meanwhile;
- it checks the backup's integrity before touching anything;
- the database it replaces is kept beside it, with its write-ahead log (`-wal`, `-shm`), which
  SQLite would otherwise replay on top of the restored file;
- numbering continues after the highest number each prefix reached in either database, so a
  number a customer already holds (issued after the backup) is never handed out again;
- the event sequence continues after the replaced store's, with a "reset" event first, so every
  screen reloads the restored state instead of resuming from numbers it has already seen.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk import schema
from kiosk.store import Store, lock_path

logger = logging.getLogger(__name__)


class RestoreRefused(Exception):
    """The restore did nothing; the message says why and what to do."""


def backup_sqlite(store: Store, out: Path, branch: str = "main") -> int:
    """Copy a live SQLite database with SQLite's online backup API (consistent even while
    tickets are being issued). Returns how many tickets the copy holds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(store.writer.url.database))
    dst = sqlite3.connect(str(out))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        n = int(dst.execute("SELECT count(*) FROM tickets").fetchone()[0])
    finally:
        dst.close()
        src.close()
    _note_backup(store, out, n, branch)
    return n


def _note_backup(store: Store, out: Path, tickets: int, branch: str) -> None:
    """The hall's health page shows when the last backup was made (kiosk/hall_health.py)."""
    try:
        with store.write(branch) as conn:
            conn.execute(
                schema.backups.insert().values(
                    branch=branch, at=time.time(), file=str(out.resolve()), tickets=tickets, bytes=out.stat().st_size
                )
            )
    except Exception as e:  # an old database without the table: the backup itself is good
        logger.warning("the backup was written but could not be noted in the database: %s", e)


@dataclass
class Restored:
    tickets: int
    kept_as: Path | None  # the replaced database, kept
    numbers_moved_on: dict[str, int]  # "branch day prefix" -> the last number now


def _check(path: Path) -> int:
    """The backup's ticket count, or RestoreRefused if it is not a sound queue database."""
    if not path.is_file():
        raise RestoreRefused(f"{path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise RestoreRefused(f"{path} is damaged ({verdict}); choose another backup")
            return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise RestoreRefused(f"{path} is not a queue database ({e})") from None


def _highest(db: Path) -> tuple[dict[tuple[str, str, str], int], dict[str, int]]:
    """Each prefix's last number per branch and day, and each branch's last event, in a
    database (with its write-ahead log: what the screens saw)."""
    if not db.exists():
        return {}, {}
    try:
        conn = sqlite3.connect(str(db))
        try:
            rows = conn.execute("SELECT branch, business_day, prefix, last_number FROM day_numbers")
            numbers = {(b, d, p): n for b, d, p, n in rows}
            seqs = dict(conn.execute("SELECT id, last_event_seq FROM branches").fetchall())
            return numbers, seqs
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # the store being replaced is itself damaged: nothing to learn
        return {}, {}


def restore_sqlite(db: Path, backup: Path, now: float | None = None) -> Restored:
    tickets = _check(backup)
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RestoreRefused(
                f"a server or kiosk is running on {db}; stop it first (sudo systemctl stop kiosk-server "
                "kiosk-screens), then restore"
            ) from None
        numbers, seqs = _highest(db)
        kept = _keep_aside(db, now or time.time())
        dst = sqlite3.connect(str(db))
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            src.backup(dst)
        finally:
            src.close()
        try:
            moved = _move_on(dst, numbers, seqs, now or time.time())
            dst.commit()
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
        if verdict != "ok":  # cannot happen with a checked backup; never leave it half done
            raise RestoreRefused(f"the restored {db} failed its check ({verdict}); the replaced one is {kept}")
        return Restored(tickets, kept, moved)
    finally:
        os.close(fd)


def _keep_aside(db: Path, now: float) -> Path | None:
    """Move the database being replaced, with its -wal and -shm, to `<db>.before-restore-<time>`."""
    if not db.exists():
        for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            extra.unlink(missing_ok=True)
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    kept = db.with_name(f"{db.name}.before-restore-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db}{suffix}")
        if src.exists():
            shutil.move(str(src), f"{kept}{suffix}")
    return kept


def _move_on(
    conn: sqlite3.Connection, numbers: dict[tuple[str, str, str], int], seqs: dict[str, int], now: float
) -> dict[str, int]:
    moved = {}
    for (branch, day, prefix), last in numbers.items():
        row = conn.execute(
            "SELECT last_number FROM day_numbers WHERE branch = ? AND business_day = ? AND prefix = ?",
            (branch, day, prefix),
        ).fetchone()
        if row is not None and row[0] >= last:
            continue
        conn.execute(
            "INSERT INTO day_numbers (branch, business_day, prefix, last_number) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (branch, business_day, prefix) DO UPDATE SET last_number = excluded.last_number",
            (branch, day, prefix, last),
        )
        moved[f"{branch} {day} {prefix}"] = last
    for branch, seen in seqs.items():
        row = conn.execute("SELECT last_event_seq FROM branches WHERE id = ?", (branch,)).fetchone()
        if row is None:
            continue
        reset = max(seen, row[0]) + 1
        conn.execute(
            "INSERT INTO events (branch, seq, at, kind, data) VALUES (?, ?, ?, 'reset', ?)",
            (branch, reset, now, json.dumps({})),
        )
        conn.execute("UPDATE branches SET last_event_seq = ? WHERE id = ?", (reset, branch))
    return moved
