"""Who is signed in to the web manager view, and which devices call the server.

A session is opened only by a manager's PIN (StaffCommands.check_manager_pin, with its lock-out
shared by every screen and the API). The cookie carries a random secret; the store keeps its
SHA-256, so neither a backup nor a look at the database opens a session. A session ends when
its manager signs out, after `IDLE_S` without a request (a manager who walked away from an
office PC), or after `LONGEST_S` whatever happens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from kiosk import schema
from kiosk.engine.ledger import Ledger
from kiosk.engine.staff import StaffMember

S = schema.manager_sessions
D = schema.devices_seen
IDLE_S = 15 * 60.0
LONGEST_S = 12 * 3600.0
TOUCH_EVERY_S = 30.0  # a session's last use is written at most this often (not on every page)


@dataclass(frozen=True)
class Session:
    staff_id: str
    name: str  # "manager" for the site PIN of a hall without staff
    csrf: str
    created_at: float


@dataclass(frozen=True)
class DeviceSeen:
    device: str
    role: str
    address: str
    last_seen: float
    version: str
    clock_offset_s: float | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ManagerSessions:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def open_session(self, manager: StaffMember) -> tuple[str, Session]:
        """A new session for a manager whose PIN was checked: (the cookie's secret, the session)."""
        secret, now = secrets.token_urlsafe(32), self.ledger.clock.now()
        session = Session(manager.id, manager.name or "manager", secrets.token_urlsafe(32), now)
        with self.ledger.store.write(self.ledger.branch) as conn:
            conn.execute(delete(S).where(S.c.branch == self.ledger.branch, S.c.seen_at < now - LONGEST_S))
            conn.execute(
                S.insert().values(
                    secret_hash=_hash(secret),
                    branch=self.ledger.branch,
                    staff_id=session.staff_id,
                    name=session.name,
                    csrf=session.csrf,
                    created_at=now,
                    seen_at=now,
                )
            )
        return secret, session

    def session(self, secret: str | None) -> Session | None:
        """The session this secret opens now, or None (unknown, signed out, idle, too old)."""
        if not secret or len(secret) > 100:
            return None
        now, key = self.ledger.clock.now(), _hash(secret)
        with self.ledger.store.read() as conn:
            row = conn.execute(select(S).where(S.c.secret_hash == key, S.c.branch == self.ledger.branch)).first()
        if row is None or now - row.seen_at > IDLE_S or now - row.created_at > LONGEST_S:
            return None
        if now - row.seen_at > TOUCH_EVERY_S:
            with self.ledger.store.write(self.ledger.branch) as conn:
                conn.execute(update(S).where(S.c.secret_hash == key).values(seen_at=now))
        return Session(row.staff_id, row.name, row.csrf, row.created_at)

    def end_session(self, secret: str | None) -> None:
        if secret:
            with self.ledger.store.write(self.ledger.branch) as conn:
                conn.execute(delete(S).where(S.c.secret_hash == _hash(secret)))


class DevicesSeen:
    """The server notes each device's calls in memory (kiosk/server/device_presence.py) and
    writes them here every few seconds: one write for all devices, not one per request."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def record_seen(self, seen: Iterable[DeviceSeen]) -> None:
        seen = list(seen)
        if not seen:
            return
        branch = self.ledger.branch
        with self.ledger.store.write(branch) as conn:
            known = {
                r.device: r.last_seen
                for r in conn.execute(
                    select(D.c.device, D.c.last_seen).where(
                        D.c.branch == branch, D.c.device.in_([d.device for d in seen])
                    )
                )
            }
            for d in seen:
                values = {
                    "role": d.role,
                    "address": d.address[:64],
                    "last_seen": d.last_seen,
                    "version": d.version[:40],
                    "clock_offset_s": d.clock_offset_s,
                }
                if d.device not in known:
                    conn.execute(D.insert().values(branch=branch, device=d.device[:80], **values))
                elif known[d.device] < d.last_seen:  # another server process may have heard it later
                    conn.execute(update(D).where(D.c.branch == branch, D.c.device == d.device).values(**values))

    def devices_seen(self) -> list[DeviceSeen]:
        with self.ledger.store.read() as conn:
            rows = conn.execute(select(D).where(D.c.branch == self.ledger.branch).order_by(D.c.role, D.c.device))
            return [DeviceSeen(r.device, r.role, r.address, r.last_seen, r.version, r.clock_offset_s) for r in rows]
