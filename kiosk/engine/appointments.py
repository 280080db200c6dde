"""Booked appointments: added (all of a file or none), changed, cancelled, checked in at the
kiosk by reference or at a counter by name, and forgotten (name and phone) after their day.

A booking checked in becomes a ticket of its service whose place in line is its booked time
(kiosk/fairness.py lets it go before walk-ins from then on, boundedly). Check-in is open from
`early` before the booked time to `late` after it (config [appointments], per service): earlier,
the customer is told when to come back; later, the booking is marked late and the customer is
offered a normal ticket. The name and phone never go on an event or a screen but the staff's.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk.domain import IssueResult
from kiosk.engine.customer import CustomerCommands
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Ledger, OpResult
from kiosk.engine.rows import _ticket, _ticket_from_dict
from kiosk.events import AppointmentsChanged, EventKind
from kiosk.refusal_texts import problem_text

A = schema.appointments
REF = re.compile(r"[A-Z0-9]{4,16}")
BOOKED, CHECKED_IN, LATE, CANCELLED = "booked", "checked_in", "late", "cancelled"
STATES = (BOOKED, CHECKED_IN, LATE, CANCELLED)
EARLIEST, LATEST = 946684800.0, 4102444800.0  # 2000-01-01 .. 2100-01-01 UTC


def clean_ref(text: str) -> str:
    """A reference as typed, scanned or read from a confirmation's QR code ("ref=12-34-56",
    "APPT:123456"): upper case, without spaces and dashes; a QR text keeps what follows its
    last '=' or ':'."""
    text = (text or "").strip()
    for mark in ("=", ":"):
        if mark in text:
            text = text.rsplit(mark, 1)[1]
    return re.sub(r"[\s-]", "", text).upper()


@dataclass(frozen=True)
class Booking:
    """One booking to add. `ref` None: one is made (six digits, easy on a keypad)."""

    service: str
    at: float
    ref: str | None = None
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class CheckIn:
    """What the kiosk or counter shows after a check-in: the ticket, or why there is none."""

    result: IssueResult
    appointment: dict[str, Any] | None  # ref, service, at, state: never the name or phone
    again: bool = False  # already checked in: the same ticket, nothing new to print


def public(row: Any) -> dict[str, Any]:
    return {"ref": row.ref, "service": row.service, "at": row.at, "state": row.state}


def staff_view(row: Any) -> dict[str, Any]:
    return {
        **public(row),
        "id": row.id,
        "name": row.name,
        "phone": row.phone,
        "ticket_id": row.ticket_id,
        "checked_in_at": row.checked_in_at,
        "business_day": row.business_day,
        "check_in_until": row.at + row.late_s,  # after this, check-in refuses it as late
        "source": row.source,
    }


class Appointments:
    def __init__(self, ledger: Ledger, customers: CustomerCommands):
        self.ledger = ledger
        self.customers = customers

    # ------------------------------------------------------------------ bookings
    def add(self, bookings: list[Booking], source: str = "api", key: str | None = None) -> list[dict[str, Any]]:
        """Add every booking or none: a bad one is named by its place (1-based) and what is
        wrong with it, and nothing is written."""
        ledger = self.ledger
        problems: list[dict[str, Any]] = []
        several = len(bookings) > 1  # one booking (a manager's form): no "booking 1" before its problems
        for i, b in enumerate(bookings, 1):
            problems += [{**p, "n": i} if several else p for p in self._problems(b)]
        refs = [clean_ref(b.ref) for b in bookings if b.ref]
        problems += [{"why": "ref_twice", "ref": r} for r in sorted({r for r in refs if refs.count(r) > 1})]
        if problems:
            raise self._refused(problems)

        def op(conn: Connection, now: float) -> OpResult:
            taken = [r for (r,) in conn.execute(select(A.c.ref).where(A.c.branch == ledger.branch, A.c.ref.in_(refs)))]
            if taken:
                raise QueueError(
                    "conflict", f"reference(s) already booked: {', '.join(sorted(taken))}", "ref_taken", refs=taken
                )
            rows: list[dict[str, Any]] = []
            for b in bookings:
                ref = clean_ref(b.ref) if b.ref else self._new_ref(conn, set(refs) | {r["ref"] for r in rows})
                early, late = ledger.config.appointment_window(b.service)
                rows.append(
                    dict(
                        branch=ledger.branch,
                        ref=ref,
                        service=b.service,
                        at=b.at,
                        business_day=ledger.local(b.at).date().isoformat(),
                        early_s=early,
                        late_s=late,
                        name=(b.name or None),
                        phone=(b.phone or None),
                        state=BOOKED,
                        created_at=now,
                        source=source,
                    )
                )
            if rows:
                conn.execute(A.insert(), rows)
            added = conn.execute(
                select(A).where(A.c.branch == ledger.branch, A.c.ref.in_([r["ref"] for r in rows]))
            ).all()
            # the event says how many and for when, never who
            days = sorted({r["business_day"] for r in rows})
            return {"added": [staff_view(r) for r in added]}, [
                (EventKind.APPOINTMENTS_CHANGED, AppointmentsChanged(count=len(rows), days=days))
            ]

        return list(ledger.mutate("appointments:add", key, op)["added"])

    def _problems(self, b: Booking) -> list[dict[str, Any]]:
        """What is wrong with a booking, each a template of kiosk/refusal_texts.py and its values
        (so the manager's page says it in the manager's language)."""
        ledger = self.ledger
        out: list[dict[str, Any]] = []
        svc = ledger.services.get(b.service)
        if svc is None:
            out.append({"why": "unknown_service", "service": b.service, "known": list(ledger.services)})
        if not EARLIEST <= b.at <= LATEST:  # (checked first: no calendar arithmetic overflows)
            out.append({"why": "time_out_of_range"})
        elif svc is not None and not svc.calendar.is_open(ledger.local(b.at)):
            out.append({"why": "service_closed", "service": b.service, "time": f"{ledger.local(b.at):%Y-%m-%d %H:%M}"})
        if b.ref is not None and not REF.fullmatch(clean_ref(b.ref)):
            out.append({"why": "bad_ref", "ref": b.ref})
        if b.name is not None and len(b.name) > 80:
            out.append({"why": "name_too_long"})
        if b.phone is not None and not re.fullmatch(r"\+?[0-9 ()-]{3,32}", b.phone):
            out.append({"why": "bad_phone", "phone": b.phone})
        return out

    def _refused(self, problems: list[dict[str, Any]]) -> QueueError:
        """`problems`: each problem in English for API clients and logs; `each`: the same as
        templates and values, for a screen to say in its own language."""
        config = self.ledger.config
        english = [problem_text(p, "en", config, str) for p in problems]
        return QueueError("refused", "; ".join(english), "bad_bookings", problems=english, each=problems)

    def _new_ref(self, conn: Connection, in_this_file: set[str]) -> str:
        while True:
            ref = f"{secrets.randbelow(900000) + 100000}"
            if (
                ref not in in_this_file
                and conn.execute(select(A.c.id).where(A.c.branch == self.ledger.branch, A.c.ref == ref)).first() is None
            ):
                return ref

    def change(
        self,
        appointment_id: int,
        *,
        at: float | None = None,
        service: str | None = None,
        cancel: bool = False,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Move a booking (time, service) or cancel it; a booking checked in is a ticket now."""
        ledger = self.ledger

        def op(conn: Connection, now: float) -> OpResult:
            row = self._row(conn, A.c.id == appointment_id, f"no appointment {appointment_id}")
            if row.state == CHECKED_IN:
                raise QueueError("conflict", f"appointment {row.ref} is checked in already", "checked_in", ref=row.ref)
            values: dict[str, Any] = {}
            if cancel:
                values["state"] = CANCELLED
            if at is not None or service is not None:
                b = Booking(service or row.service, row.at if at is None else at)
                problems = self._problems(b)
                if problems:
                    raise self._refused(problems)
                early, late = ledger.config.appointment_window(b.service)
                values.update(
                    service=b.service,
                    at=b.at,
                    business_day=ledger.local(b.at).date().isoformat(),
                    early_s=early,
                    late_s=late,
                    state=CANCELLED if cancel else BOOKED,
                )
            conn.execute(update(A).where(A.c.id == row.id).values(**values))
            new = conn.execute(select(A).where(A.c.id == row.id)).one()
            return {"appointment": staff_view(new)}, [
                (
                    EventKind.APPOINTMENTS_CHANGED,
                    AppointmentsChanged(count=1, days=sorted({row.business_day, new.business_day})),
                )
            ]

        return dict(ledger.mutate(f"appointments:change:{appointment_id}", key, op)["appointment"])

    def of_day(self, day: str, name: str | None = None) -> list[dict[str, Any]]:
        """The day's bookings by time, each with the number of the ticket it became (one read);
        `name`: only those whose name contains it (a counter's search)."""
        T = schema.tickets
        q = (
            select(A, T.c.number.label("ticket_number"))
            .select_from(A.outerjoin(T, T.c.id == A.c.ticket_id))
            .where(A.c.branch == self.ledger.branch, A.c.business_day == day)
            .order_by(A.c.at, A.c.id)
        )
        with self.ledger.store.read() as conn:
            rows = conn.execute(q).all()
        wanted = (name or "").strip().casefold()
        return [
            {**staff_view(r), "ticket_number": r.ticket_number}
            for r in rows
            if not wanted or wanted in (r.name or "").casefold()
        ]

    # ------------------------------------------------------------------ check-in
    def check_in(
        self,
        *,
        ref: str | None = None,
        appointment_id: int | None = None,
        kiosk: str | None = None,
        language: str | None = None,
        key: str | None = None,
    ) -> CheckIn:
        """Check a booking in by its reference (the kiosk) or its id (a counter, found by name)."""
        ledger = self.ledger
        wanted = clean_ref(ref or "")

        def op(conn: Connection, now: float) -> OpResult:
            if appointment_id is not None:
                row = self._row(conn, A.c.id == appointment_id, f"no appointment {appointment_id}")
            else:
                row = conn.execute(select(A).where(A.c.branch == ledger.branch, A.c.ref == wanted)).first()
                if row is None:
                    return _refused("not_found", f"no appointment with reference {wanted}", None), []
            local = ledger.local(now)
            shown = public(row)
            if row.state == CANCELLED:
                return _refused("cancelled", f"appointment {row.ref} was cancelled", shown), []
            if row.state == CHECKED_IN:
                t = conn.execute(select(schema.tickets).where(schema.tickets.c.id == row.ticket_id)).first()
                again = IssueResult(_ticket(t) if t is not None else None)
                return {**again.to_dict(), "appointment": shown, "again": True}, []
            if row.business_day != local.date().isoformat():
                return _refused("other_day", f"appointment {row.ref} is on {row.business_day}", shown), []
            if now < row.at - row.early_s:
                opens = row.at - row.early_s
                msg = f"check-in for {row.ref} opens at {ledger.local(opens):%H:%M}"
                return _refused("too_early", msg, shown, next_open=opens), []
            if now > row.at + row.late_s or row.state == LATE:
                conn.execute(update(A).where(A.c.id == row.id).values(state=LATE))
                shown["state"] = LATE
                return _refused("too_late", f"appointment {row.ref} was at {ledger.local(row.at):%H:%M}", shown), []
            svc = ledger.service(row.service)
            answer, events = self.customers.new_ticket(
                conn, now, svc, kiosk=kiosk, language=language, appointment_at=row.at, local=local
            )
            ticket_id = answer["ticket"]["id"]
            conn.execute(
                update(A).where(A.c.id == row.id).values(state=CHECKED_IN, ticket_id=ticket_id, checked_in_at=now)
            )
            shown["state"] = CHECKED_IN
            return {**answer, "appointment": shown, "again": False}, events

        scope = f"check-in:{appointment_id}" if appointment_id is not None else f"check-in:{wanted}"
        d = ledger.mutate(scope, key, op)
        result = IssueResult(
            _ticket_from_dict(d["ticket"]) if d["ticket"] else None,
            ahead=d["ahead"],
            estimated_wait_s=d["estimated_wait_s"],
            refused=d["refused"],
            message=d["message"],
            next_open=d["next_open"],
        )
        return CheckIn(result, d["appointment"], bool(d.get("again")))

    def _row(self, conn: Connection, where: Any, missing: str) -> Any:
        row = conn.execute(select(A).where(A.c.branch == self.ledger.branch, where)).first()
        if row is None:
            raise QueueError("not_found", missing)
        return row

    # ------------------------------------------------------------------ privacy
    def forget_personal(self, today: str) -> int:
        """Erase the name and phone of bookings whose day ended `keep_personal_days` ago."""
        keep = self.ledger.config.appointments.keep_personal_days
        cutoff = datetime.fromisoformat(today).date().toordinal() - keep
        cutoff_day = datetime.fromordinal(cutoff).date().isoformat()

        def op(conn: Connection, now: float) -> OpResult:
            done = conn.execute(
                update(A)
                .where(
                    A.c.branch == self.ledger.branch,
                    A.c.business_day < cutoff_day,
                    (A.c.name.is_not(None)) | (A.c.phone.is_not(None)),
                )
                .values(name=None, phone=None)
            ).rowcount
            return {"erased": int(done or 0)}, []

        return int(self.ledger.mutate("appointments:forget", None, op)["erased"])


def _refused(code: str, message: str, shown: dict[str, Any] | None, next_open: float | None = None) -> dict[str, Any]:
    return {**IssueResult(None, refused=code, message=message, next_open=next_open).to_dict(), "appointment": shown}
