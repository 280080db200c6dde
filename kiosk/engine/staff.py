"""People at counters, and what a counter serves during the day.

A counter is a desk; the person at it signs in with their own PIN, so every call, finish and
follow-up says who (seed 001: 首問負責 is a person's responsibility). One person is signed in at
one counter at a time. A manager may change the services a counter serves at peak times: the
change is kept in the counter's row (every server process and a restart see it) and takes
effect at its next call.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterStatus
from kiosk.engine.counter_rows import CounterRows
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Events, Ledger, OpResult
from kiosk.engine.rows import _status_dict, _status_from_dict
from kiosk.events import CounterServicesChanged, EventKind, StaffSignedIn, StaffSignedOut
from kiosk.pins import verify_pin

C = schema.counters
PF = schema.pin_failures
MAX_WRONG_PINS = 5  # wrong PINs in a row for one person before their sign-in locks ...
LOCK_S = 60.0  # ... for this long: nobody tries a 4-digit PIN's 10 000 values over the network


@dataclass(frozen=True)
class StaffMember:
    id: str  # "" for the site PIN of a hall without configured staff
    name: str
    manager: bool


class StaffCommands:
    def __init__(self, ledger: Ledger, rows: CounterRows):
        self.ledger = ledger
        self.rows = rows

    def check_staff_pin(self, staff_id: str, pin: str, manager: bool = False) -> str:
        """The person's name if `pin` is theirs (and they are a manager, if asked); else refused.
        Wrong PINs are counted in the store: every process shares the count, a restart keeps it."""
        subject = f"staff:{staff_id}"
        self._refuse_while_locked(subject)
        person = self.ledger.config.staff_member(staff_id)
        if person is None or not verify_pin(person.pin, pin):  # the same answer for an unknown name
            self._count_wrong_pin(subject)
            raise QueueError("forbidden", "that name and PIN do not match", "wrong_pin")
        self._forget_wrong_pins(subject)
        if manager and not person.manager:
            raise QueueError("forbidden", f"{person.name} is not a manager", "not_manager")
        return person.name

    def check_manager_pin(self, pin: str) -> StaffMember:
        """Who opens the manager view with `pin` (a manager's own PIN; the site PIN where no
        staff are configured). A clerk's right PIN is "not a manager", not a wrong PIN, and
        does not count toward the lock-out."""
        subject = "manager view"
        self._refuse_while_locked(subject)
        if not self.ledger.config.staff:
            if verify_pin(self.ledger.config.site.staff_pin, pin):
                self._forget_wrong_pins(subject)
                return StaffMember("", "", True)
        managers = sorted(self.ledger.config.staff, key=lambda p: not p.manager)  # managers first: fewer hashes
        person = next((p for p in managers if verify_pin(p.pin, pin)), None)
        if person is None:
            self._count_wrong_pin(subject)
            raise QueueError("forbidden", "wrong PIN", "wrong_pin")
        if not person.manager:
            raise QueueError("forbidden", f"{person.name} is not a manager", "not_manager")
        self._forget_wrong_pins(subject)
        return StaffMember(person.id, person.name, True)

    def _refuse_while_locked(self, subject: str) -> None:
        with self.ledger.store.read() as conn:
            row = conn.execute(
                select(PF.c.locked_until).where(PF.c.branch == self.ledger.branch, PF.c.subject == subject)
            ).first()
        now = self.ledger.clock.now()
        if row is not None and now < row.locked_until:
            wait = int(row.locked_until - now) + 1
            raise QueueError("forbidden", f"too many wrong PINs; try again in {wait} s", "pin_locked", retry_after=wait)

    def _count_wrong_pin(self, subject: str) -> None:
        now = self.ledger.clock.now()
        with self.ledger.store.write(self.ledger.branch) as conn:
            where = (PF.c.branch == self.ledger.branch, PF.c.subject == subject)
            row = conn.execute(select(PF.c.failures).where(*where)).first()
            failures = (row.failures if row is not None else 0) + 1
            locked = failures >= MAX_WRONG_PINS
            values = {"failures": 0 if locked else failures, "locked_until": now + LOCK_S if locked else 0.0}
            if row is None:
                conn.execute(PF.insert().values(branch=self.ledger.branch, subject=subject, **values))
            else:
                conn.execute(update(PF).where(*where).values(**values))

    def _forget_wrong_pins(self, subject: str) -> None:
        with self.ledger.store.write(self.ledger.branch) as conn:
            conn.execute(delete(PF).where(PF.c.branch == self.ledger.branch, PF.c.subject == subject))

    def sign_in(self, counter_id: int, staff_id: str, pin: str, key: str | None = None) -> CounterStatus:
        """`staff_id` signs in at the counter (signing out whoever was there, and signing them
        out of any other counter). Refused while they have a customer at another counter: that
        customer would be stranded at a desk nobody is signed in at."""
        self.ledger.counter(counter_id)
        name = self.check_staff_pin(staff_id, pin)

        def op(conn: Connection, now: float) -> OpResult:
            evs: Events = []
            elsewhere = conn.execute(
                C.select().where(C.c.branch == self.ledger.branch, C.c.staff_id == staff_id, C.c.id != counter_id)
            ).all()
            for other in elsewhere:
                if other.current_ticket_id is not None:  # their customer would be left at a desk nobody is at
                    t = conn.execute(sql.ticket_row, {"id": other.current_ticket_id}).one()
                    raise QueueError(
                        "conflict",
                        f"{name} is serving {t.number} at counter {other.id}; finish or transfer it there first",
                        "serving_elsewhere",
                        number=t.number,
                        counter=other.id,
                    )
                conn.execute(
                    update(C).where(C.c.branch == self.ledger.branch, C.c.id == other.id).values(staff_id=None)
                )
                evs.append((EventKind.STAFF_SIGNED_OUT, StaffSignedOut(counter_id=other.id, staff_id=staff_id)))
            row = self.rows.row(conn, counter_id)
            if row.staff_id == staff_id:
                return _status_dict(self.ledger.counter_status(row)), evs
            if row.staff_id is not None:
                evs.append((EventKind.STAFF_SIGNED_OUT, StaffSignedOut(counter_id=counter_id, staff_id=row.staff_id)))
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
                .values(staff_id=staff_id, staff_since=now, updated_at=now)
            )
            status = self.ledger.counter_status(self.rows.row(conn, counter_id))
            evs.append(
                (EventKind.STAFF_SIGNED_IN, StaffSignedIn(counter_id=counter_id, staff_id=staff_id, staff_name=name))
            )
            return _status_dict(status), evs

        return _status_from_dict(self.ledger.mutate(f"sign-in:{counter_id}:{staff_id}", key, op))

    def sign_out(self, counter_id: int, key: str | None = None) -> CounterStatus:
        """The person leaves the counter. Not with a customer at it: finish or transfer first."""

        def op(conn: Connection, now: float) -> OpResult:
            row = self.rows.row(conn, counter_id)
            if row.current_ticket_id is not None:
                t = conn.execute(sql.ticket_row, {"id": row.current_ticket_id}).one()
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is still at counter {counter_id}; finish or transfer it first",
                    "still_at_counter",
                    number=t.number,
                )
            if row.staff_id is None:
                return _status_dict(self.ledger.counter_status(row)), []
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
                .values(staff_id=None, staff_since=None, updated_at=now)
            )
            status = self.ledger.counter_status(self.rows.row(conn, counter_id))
            return _status_dict(status), [
                (EventKind.STAFF_SIGNED_OUT, StaffSignedOut(counter_id=counter_id, staff_id=row.staff_id))
            ]

        return _status_from_dict(self.ledger.mutate(f"sign-out:{counter_id}", key, op))

    def set_counter_services(
        self, counter_id: int, services: list[str] | tuple[str, ...], by: str = "", key: str | None = None
    ) -> CounterStatus:
        """A manager changes what a counter serves, from its next call on. Refused if a service
        would be left with no counter at all: its customers would wait forever."""
        info = self.ledger.counter(counter_id)
        wanted = tuple(dict.fromkeys(s.strip() for s in services if s.strip()))
        if not wanted:
            raise QueueError("invalid", "a counter serves at least one service", "no_services")
        for code in wanted:
            self.ledger.service(code)

        def op(conn: Connection, now: float) -> OpResult:
            rows = {r.id: r for r in conn.execute(C.select().where(C.c.branch == self.ledger.branch)).all()}
            served = set(wanted)
            for cid, other in self.ledger.counter_info.items():
                if cid != counter_id:
                    served.update(self.ledger.services_of(rows[cid], other) if cid in rows else other.services)
            orphaned = [code for code in self.ledger.services if code not in served]
            if orphaned:
                raise QueueError(
                    "conflict",
                    f"no counter would serve {', '.join(orphaned)}; its customers would wait forever",
                    "service_unserved",
                    services=orphaned,
                )
            row = self.rows.row(conn, counter_id)
            before = self.ledger.services_of(row, info)
            value = None if wanted == info.services else ",".join(wanted)  # back to the configuration
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
                .values(services=value, updated_at=now)
            )
            status = self.ledger.counter_status(self.rows.row(conn, counter_id))
            if before == wanted:
                return _status_dict(status), []
            return _status_dict(status), [
                (
                    EventKind.COUNTER_SERVICES_CHANGED,
                    CounterServicesChanged(
                        counter_id=counter_id, services=list(wanted), before=list(before), by=by or None
                    ),
                )
            ]

        asked = ",".join(wanted)
        return _status_from_dict(self.ledger.mutate(f"services:{counter_id}:{asked}", key, op))

    def counter_services_now(self) -> dict[int, tuple[str, ...]]:
        """What each counter serves now (the configuration with the day's changes)."""
        with self.ledger.store.read() as conn:
            rows = {r.id: r for r in conn.execute(C.select().where(C.c.branch == self.ledger.branch)).all()}
        return {
            cid: self.ledger.services_of(rows[cid], info) if cid in rows else info.services
            for cid, info in self.ledger.counter_info.items()
        }
