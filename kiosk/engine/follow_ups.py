"""Follow-ups: a matter the counter could not settle at once is promised a reply by a due time
(seed 001 第三篇 四: 限時回覆, 回覆率 100 %; 首問負責: the counter that took the matter owns it).

Opened at finish (counter.py), replied or reopened here, watched by `check_follow_ups` (the
timekeeper runs it): an overdue follow-up alerts the manager and the owning counter once, and a
customer's contact is erased `follow_ups.retention_days` after the reply.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk.domain import Ticket
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Events, Ledger, OpResult
from kiosk.events import EventKind, FollowUpForManager, FollowUpOverdue, FollowUpReplied, FollowUpSlip

F = schema.follow_ups
T = schema.tickets


@dataclass(frozen=True)
class Subject:
    """What a follow-up answers for: a visit's ticket, or an entry of the reception log."""

    number: str  # as the board shows it: "A012", or "TEL-007" for a call
    business_day: str
    owner_counter_id: int | None  # first contact: who owns the reply
    ticket_id: int | None = None
    contact_id: int | None = None


OUTCOMES = ("resolved", "follow_up")
REPLY_METHODS = ("phone", "visit", "letter", "email")
NOTE_MAX, CONTACT_MAX = 500, 100
DUE_HOURS_MIN, DUE_HOURS_MAX = 1.0, 720.0  # a matter's own reply time: an hour to 30 days, as a category's


@dataclass(frozen=True)
class Visit:
    """What staff said about a visit at finish, checked before anything is written."""

    category: str | None
    outcome: str
    note: str
    contact: str
    complaints: frozenset[str]
    due_hours: float | None = None  # this matter's own reply time; None: its category's

    def outcome_for(self, category: str) -> str:
        return "follow_up" if category in self.complaints else self.outcome


def follow_up_dict(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    d.pop("branch", None)
    d["complaint"] = bool(d["complaint"])
    return d


class FollowUps:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def visit(
        self, category: str | None, outcome: str, note: str, contact: str, due_hours: float | None = None
    ) -> Visit:
        cats = [c.code for c in self.ledger.config.categories]
        if category is not None and category not in cats:
            raise QueueError(
                "not_found",
                f"no category {category!r} (known: {', '.join(cats)})",
                "unknown_category",
                category=category,
            )
        if outcome not in OUTCOMES:
            raise QueueError("invalid", f"an outcome is one of {', '.join(OUTCOMES)}", "unknown_outcome")
        note, contact = (note or "").strip(), (contact or "").strip()
        if len(note) > NOTE_MAX or len(contact) > CONTACT_MAX:
            raise QueueError(
                "invalid", f"a note is at most {NOTE_MAX} characters, a contact {CONTACT_MAX}", "note_too_long"
            )
        if due_hours is not None and not DUE_HOURS_MIN <= due_hours <= DUE_HOURS_MAX:
            raise QueueError(
                "invalid",
                f"a reply time is {DUE_HOURS_MIN:g} to {DUE_HOURS_MAX:g} hours",
                "due_hours",
                low=DUE_HOURS_MIN,
                high=DUE_HOURS_MAX,
            )
        complaints = frozenset(c.code for c in self.ledger.config.categories if c.complaint)
        visit = Visit(category, outcome, note, contact, complaints, due_hours)
        if visit.outcome_for(category or "") == "follow_up" and not note:
            raise QueueError("conflict", "a follow-up needs a short note of what was promised", "follow_up_note")
        return visit

    def _due_at(self, opened_at: float, hours: float) -> float:
        mode = self.ledger.config.follow_ups.hours
        if mode == "calendar":
            return opened_at + hours * 3600
        cal = self.ledger.config.site.hours.calendar()
        local = self.ledger.local(opened_at)
        due = cal.add_working_day_hours(local, hours) if mode == "working_days" else cal.add_open_hours(local, hours)
        return due.timestamp() if due is not None else opened_at + hours * 3600  # a site that never opens

    def open_follow_up(
        self,
        conn: Connection,
        t: Ticket | Subject,
        category: str,
        note: str,
        contact: str,
        counter_id: int,
        staff: str | None,
        now: float,
        due_hours: float | None = None,
    ) -> Events:
        """A matter promised a reply: from a visit (its ticket) or from a call, letter or e-mail
        (a Subject naming the reception log's entry)."""
        subject = t if isinstance(t, Subject) else Subject(t.number, t.business_day, t.owner_counter_id, ticket_id=t.id)
        if not note:  # the default category turned out to be a complaint
            raise QueueError("conflict", "a follow-up needs a short note of what was promised", "follow_up_note")
        cat = self.ledger.config.category(category)
        assert cat is not None  # checked by visit or taken from the validated configuration
        row = conn.execute(
            F.insert()
            .values(
                branch=self.ledger.branch,
                ticket_id=subject.ticket_id,
                contact_id=subject.contact_id,
                number=subject.number,
                business_day=subject.business_day,
                category=category,
                complaint=cat.complaint,
                owner_counter_id=subject.owner_counter_id or counter_id,  # first contact, even after a transfer
                opened_by=staff,
                opened_at=now,
                due_at=self._due_at(now, due_hours or cat.reply_within_hours),  # a special matter: its own
                note=note,
                contact=contact or None,
                state="open",
                reopened=0,
            )
            .returning(*F.c)
        ).one()
        fu = follow_up_dict(row)
        # a complaint always reaches the manager (seed 001: 投訴 escalated)
        return [(EventKind.FOLLOW_UP_OPENED, FollowUpForManager(follow_up=_public(fu), manager=cat.complaint))]

    def _follow_up_row(self, conn: Connection, follow_up_id: int) -> Any:
        row = conn.execute(select(F).where(F.c.branch == self.ledger.branch, F.c.id == follow_up_id)).first()
        if row is None:
            raise QueueError("not_found", f"no follow-up {follow_up_id}")
        return row

    def reply_follow_up(
        self, follow_up_id: int, by: str, method: str, note: str = "", key: str | None = None
    ) -> dict[str, Any]:
        """The customer got their answer: who replied, when, how (phone / visit / letter /
        email), and what they were told (`note`, required)."""
        if method not in REPLY_METHODS:
            raise QueueError("invalid", f"a reply is by {', '.join(REPLY_METHODS)}", "reply_method")
        by, note = (by or "").strip(), (note or "").strip()
        if not by or len(by) > 32 or len(note) > NOTE_MAX:
            raise QueueError(
                "invalid", f"say who replied (1 to 32 characters); a note is at most {NOTE_MAX}", "reply_by"
            )
        if not note:  # a reply rate made of empty replies would say nothing (seed 001: 回覆率 100 %)
            raise QueueError("invalid", "say in the note what the customer was told", "reply_note")

        def op(conn: Connection, now: float) -> OpResult:
            row = self._follow_up_row(conn, follow_up_id)
            if row.state == "replied":
                raise QueueError(
                    "conflict", f"follow-up {follow_up_id} ({row.number}) is already replied", "already_replied"
                )
            conn.execute(
                update(F)
                .where(F.c.id == follow_up_id)
                .values(state="replied", replied_at=now, replied_by=by, reply_method=method, reply_note=note or None)
            )
            fu = follow_up_dict(self._follow_up_row(conn, follow_up_id))
            return fu, [(EventKind.FOLLOW_UP_REPLIED, FollowUpReplied(follow_up=_public(fu), late=now > fu["due_at"]))]

        asked = hashlib.sha1(f"{by}|{method}|{note}".encode()).hexdigest()[:12]
        answer: dict[str, Any] = self.ledger.mutate(f"reply:{follow_up_id}:{asked}", key, op)
        return answer

    def reopen_follow_up(self, follow_up_id: int, reason: str, key: str | None = None) -> dict[str, Any]:
        """The reply did not settle it: open again, with a new due time from now."""
        reason = (reason or "").strip()
        if not reason or len(reason) > NOTE_MAX:
            raise QueueError("invalid", "reopening needs a reason", "reopen_reason")

        def op(conn: Connection, now: float) -> OpResult:
            row = self._follow_up_row(conn, follow_up_id)
            if row.state != "replied":
                raise QueueError("conflict", f"follow-up {follow_up_id} ({row.number}) is still open", "still_open")
            cat = self.ledger.config.category(row.category)
            hours = cat.reply_within_hours if cat else 48
            conn.execute(
                update(F)
                .where(F.c.id == follow_up_id)
                .values(
                    state="open",
                    due_at=self._due_at(now, hours),
                    reopened=F.c.reopened + 1,
                    note=f"{row.note}\n[{reason}]"[: NOTE_MAX * 2],
                    overdue_alerted_at=None,
                )
            )
            fu = follow_up_dict(self._follow_up_row(conn, follow_up_id))
            return fu, [(EventKind.FOLLOW_UP_REOPENED, FollowUpForManager(follow_up=_public(fu), manager=True))]

        asked = hashlib.sha1(reason.encode()).hexdigest()[:12]
        answer: dict[str, Any] = self.ledger.mutate(f"reopen:{follow_up_id}:{asked}", key, op)
        return answer

    def slip(
        self,
        by: str,
        follow_up_id: int | None = None,
        ticket_id: int | None = None,
        printer: str | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Ask a printer for the customer's follow-up slip: what was promised and by when (seed
        000 篇3 六: tell the customer the reply time). The matter by its id, or by its visit's
        ticket (the newest open one). Printed by `printer`, else the owning counter's
        `slip_printer`, else the kiosk that issued the ticket, else the kiosk that issued the
        hall's latest ticket. Answers the follow-up and the printer; the printer hears the event."""

        def op(conn: Connection, now: float) -> OpResult:
            if follow_up_id is not None:
                row = self._follow_up_row(conn, follow_up_id)
            else:
                row = conn.execute(
                    select(F)
                    .where(F.c.branch == self.ledger.branch, F.c.ticket_id == ticket_id)
                    .order_by(F.c.id.desc())
                ).first()
                if row is None:
                    raise QueueError("not_found", f"ticket {ticket_id} was promised no follow-up", "no_follow_up")
            if row.state != "open":
                raise QueueError(
                    "conflict",
                    f"follow-up {row.id} ({row.number}) is already replied; a slip is for a reply still to come",
                    "already_replied",
                )
            ticket = None
            if row.ticket_id is not None:
                wanted = select(T.c.status_token, T.c.language, T.c.issued_by).where(T.c.id == row.ticket_id)
                ticket = conn.execute(wanted).first()
            where = printer or self._slip_printer(conn, row.owner_counter_id, ticket.issued_by if ticket else None)
            if not where:
                raise QueueError(
                    "conflict",
                    "no printer is known for slips: set the counter's slip_printer in the configuration",
                    "no_slip_printer",
                )
            fu = _public(follow_up_dict(row))
            language = (ticket.language if ticket else None) or self.ledger.config.site.language
            token = ticket.status_token if ticket else None
            slip = FollowUpSlip(follow_up=fu, printer=where, by=by, language=language, status_token=token)
            return {"follow_up": fu, "printer": where}, [(EventKind.FOLLOW_UP_SLIP, slip)]

        what = f"fu{follow_up_id}" if follow_up_id is not None else f"t{ticket_id}"
        answer: dict[str, Any] = self.ledger.mutate(f"slip:{what}:{printer or ''}", key, op)
        return answer

    def _slip_printer(self, conn: Connection, counter_id: int, issued_by: str | None) -> str | None:
        counter = next((c for c in self.ledger.config.counters if c.id == counter_id), None)
        if counter is not None and counter.slip_printer:
            return counter.slip_printer
        if issued_by:
            return issued_by
        latest = conn.execute(
            select(T.c.issued_by)
            .where(T.c.branch == self.ledger.branch, T.c.issued_by.is_not(None))
            .order_by(T.c.id.desc())
            .limit(1)
        ).scalar()
        return str(latest) if latest else None

    def check_follow_ups(self) -> int:
        """Alert once for each follow-up that has become overdue (the manager and the owning
        counter), and erase contacts kept past their time. Returns how many became overdue."""

        def op(conn: Connection, now: float) -> OpResult:
            late = conn.execute(
                select(F).where(
                    F.c.branch == self.ledger.branch,
                    F.c.state == "open",
                    F.c.due_at < now,
                    F.c.overdue_alerted_at.is_(None),
                )
            ).all()
            evs: Events = []
            for row in late:
                conn.execute(update(F).where(F.c.id == row.id).values(overdue_alerted_at=now))
                fu = _public(follow_up_dict(row))
                evs.append(
                    (EventKind.FOLLOW_UP_OVERDUE, FollowUpOverdue(follow_up=fu, counter_id=row.owner_counter_id))
                )
            keep_s = self.ledger.config.follow_ups.retention_days * 86400
            conn.execute(
                update(F)
                .where(
                    F.c.branch == self.ledger.branch,
                    F.c.state == "replied",
                    F.c.contact.is_not(None),
                    F.c.replied_at < now - keep_s,
                )
                .values(contact=None)
            )
            return {"overdue": len(late)}, evs

        return int(self.ledger.mutate("check-follow-ups", None, op)["overdue"])

    def follow_ups(
        self, state: str | None = None, day_from: str | None = None, day_to: str | None = None
    ) -> list[dict[str, Any]]:
        """The follow-up board: open ones first by due time, then replied ones, newest first."""
        q = select(F).where(F.c.branch == self.ledger.branch)
        if state == "overdue":
            q = q.where(F.c.state == "open", F.c.due_at < self.ledger.clock.now())
        elif state is not None:
            q = q.where(F.c.state == state)
        if day_from:
            q = q.where(F.c.business_day >= day_from)
        if day_to:
            q = q.where(F.c.business_day <= day_to)
        with self.ledger.store.read() as conn:
            rows = [follow_up_dict(r) for r in conn.execute(q.order_by(F.c.id)).all()]
        return sorted(rows, key=lambda r: (r["state"] != "open", r["due_at"] if r["state"] == "open" else -r["id"]))


def _public(fu: dict[str, Any]) -> dict[str, Any]:
    """A follow-up as the event stream carries it: every screen hears events, so no contact."""
    return {k: v for k, v in fu.items() if k != "contact"}
