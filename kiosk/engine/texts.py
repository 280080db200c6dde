"""Text messages a customer asked for (the status page, with a phone number): one at a few
ahead, one at the call. The number is kept only while the ticket is in line: it is erased as
soon as the ticket ends, never travels on the event stream and is never written to the log."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from kiosk import schema
from kiosk.domain import TicketState
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Ledger, OpResult
from kiosk.engine.rows import _ticket
from kiosk.engine.waiting import Waiting

T = schema.tickets
X = schema.text_requests
PHONE = re.compile(r"^\+?[0-9]{6,15}$")


def phone_number(typed: str) -> str:
    """A phone number as typed ("0912-345 678", "+886 912 345 678"), in digits; QueueError
    "invalid" with the reason for anything else."""
    digits = re.sub(r"[\s().-]", "", typed)
    if not PHONE.match(digits):
        raise QueueError("invalid", "a phone number is 6 to 15 digits, with an optional + in front", "bad_phone")
    return digits


def masked(phone: str) -> str:
    """What a page may show back: the last three digits only."""
    return "•" * max(0, len(phone) - 3) + phone[-3:]


@dataclass(frozen=True)
class DueText:
    request_id: int
    phone: str
    kind: str  # "near" or "called"
    number: str
    language: str | None
    ahead: int
    counter_id: int | None


class TextRequests:
    def __init__(self, ledger: Ledger, waiting: Waiting):
        self.ledger = ledger
        self.waiting = waiting

    def ask_text(self, token: str, typed_phone: str) -> str:
        """Text this ticket's customer at a few ahead and at the call; the number masked."""
        phone = phone_number(typed_phone)
        branch = self.ledger.branch

        def op(conn: Connection, now: float) -> OpResult:
            row = conn.execute(select(T.c.id, T.c.state).where(T.c.status_token == token, T.c.branch == branch)).first()
            if row is None:
                raise QueueError("not_found", "no such ticket")
            if not TicketState(row.state).is_open:
                raise QueueError("conflict", "this ticket is no longer in line", "not_in_line")
            ticket = (X.c.branch == branch) & (X.c.ticket_id == row.id)
            if conn.execute(select(X.c.id).where(ticket)).first() is None:
                conn.execute(insert(X).values(branch=branch, ticket_id=row.id, phone=phone, asked_at=now))
            else:  # a corrected number: the messages not yet sent go to it
                conn.execute(update(X).where(ticket).values(phone=phone))
            return {"to": masked(phone)}, []

        return str(self.ledger.mutate("texts", None, op)["to"])

    def texts_due(self, alert_ahead: int) -> list[DueText]:
        """The messages to send now. A read: the sender asks after every ticket event, and a
        write transaction each time would queue behind the tickets being issued. The numbers of
        tickets that ended are erased (a write) only when there are some."""
        branch = self.ledger.branch
        due, ended = [], []
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(X.c.id.label("request_id"), X.c.phone, X.c.near_sent_at, X.c.called_sent_at, T)
                .join(T, T.c.id == X.c.ticket_id)
                .where(X.c.branch == branch)
            ).all()
            for r in rows:
                t = _ticket(r)
                if not t.state.is_open:
                    ended.append(r.request_id)
                elif t.state == TicketState.WAITING and r.near_sent_at is None:
                    ahead = self.waiting.ahead_of(conn, t)
                    if ahead <= alert_ahead:
                        due.append(DueText(r.request_id, r.phone, "near", t.number, t.language, ahead, None))
                elif t.state in (TicketState.CALLED, TicketState.SERVING) and r.called_sent_at is None:
                    due.append(DueText(r.request_id, r.phone, "called", t.number, t.language, 0, t.counter_id))
        if ended:

            def erase(conn: Connection, now: float) -> OpResult:
                conn.execute(delete(X).where(X.c.id.in_(ended)))
                return {}, []

            self.ledger.mutate("texts", None, erase)
        return due

    def text_sent(self, text: DueText) -> None:
        """Marked sent, so never sent twice; after the call, no "3 ahead" either (a transfer
        puts a called ticket back in a line: two messages a ticket, no more)."""

        def op(conn: Connection, now: float) -> OpResult:
            mine = X.c.id == text.request_id
            if text.kind == "called":
                conn.execute(update(X).where(mine).values(called_sent_at=now))
            conn.execute(update(X).where(mine, X.c.near_sent_at.is_(None)).values(near_sent_at=now))
            return {}, []

        self.ledger.mutate("texts", None, op)

    def texting(self, ticket_ids: list[int]) -> dict[int, str]:
        """Which of these tickets will be texted, each with its number masked."""
        if not ticket_ids:
            return {}
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(X.c.ticket_id, X.c.phone).where(X.c.branch == self.ledger.branch, X.c.ticket_id.in_(ticket_ids))
            ).all()
        return {r.ticket_id: masked(r.phone) for r in rows}

    def text_requests(self) -> int:
        """How many numbers are held now."""
        with self.ledger.store.read() as conn:
            return len(conn.execute(select(X.c.id).where(X.c.branch == self.ledger.branch)).all())
