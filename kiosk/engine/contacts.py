"""The reception log's entries without a ticket: a phone call, a letter, an e-mail, a walk-in who
took no number (seed 003: 《電話接待記錄本》 3.1.4, 《客戶來函目錄》 3.3.1). Each is logged
with what it was about, a category or praise (3.3.3: a letter of praise is registered, and
counted apart from complaints); a matter that needs a reply becomes a follow-up like a visit's,
with its due time, its owner and the manager's board."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiosk import schema
from kiosk.engine.counter_rows import CounterRows
from kiosk.engine.errors import QueueError
from kiosk.engine.follow_ups import FollowUps, Subject
from kiosk.engine.ledger import Ledger, OpResult

CH = schema.contacts
F = schema.follow_ups
CHANNELS = ("phone", "letter", "email", "visit")
PRAISE = "praise"
# how a follow-up of an entry is named on the board and in the log: never a ticket's letter + digits
MARKS = {"phone": "TEL", "letter": "LTR", "email": "EML", "visit": "VIS"}


class ContactLog:
    def __init__(self, ledger: Ledger, rows: CounterRows, follow_ups: FollowUps):
        self.ledger = ledger
        self.rows = rows
        self.follow_ups = follow_ups

    def log_contact(
        self,
        counter_id: int,
        channel: str,
        kind: str,
        note: str,
        contact: str = "",
        follow_up: bool = False,
        due_hours: float | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Log a call, letter, e-mail or walk-in taken at this counter; with `follow_up`, the
        reply it was promised (a complaint is always followed up, as at the counter)."""
        config = self.ledger.config
        if channel not in CHANNELS:
            raise QueueError("invalid", f"a contact comes by {', '.join(CHANNELS)}, not {channel!r}", "bad_channel")
        category = config.category(kind)
        if kind != PRAISE and category is None:
            known = ", ".join([c.code for c in config.categories] + [PRAISE])
            raise QueueError("not_found", f"no category {kind!r} (known: {known})", "unknown_category", category=kind)
        note = note.strip()
        if not note:
            raise QueueError("conflict", "say in a few words what the customer said or wrote", "contact_note")
        follow_up = follow_up or bool(category and category.complaint)
        if kind == PRAISE and follow_up:
            raise QueueError("conflict", "praise is registered, not followed up", "praise_follow_up")
        if follow_up:
            self.follow_ups.visit(kind, "follow_up", note, contact, due_hours)  # the same checks as a visit's

        def op(conn: Connection, now: float) -> OpResult:
            staff = self.rows.signed_in(self.rows.row(conn, counter_id), counter_id)
            day = self.ledger.local(now).date().isoformat()
            entry_id = conn.execute(
                insert(CH)
                .values(
                    branch=self.ledger.branch,
                    business_day=day,
                    at=now,
                    channel=channel,
                    kind=kind,
                    note=note,
                    counter_id=counter_id,
                    taken_by=staff,
                )
                .returning(CH.c.id)
            ).scalar_one()
            events = []
            follow_up_id = None
            if follow_up:
                subject = Subject(f"{MARKS[channel]}-{entry_id:03d}", day, counter_id, contact_id=entry_id)
                events = self.follow_ups.open_follow_up(
                    conn, subject, kind, note, contact, counter_id, staff, now, due_hours
                )
                follow_up_id = conn.execute(
                    select(F.c.id).where(F.c.branch == self.ledger.branch, F.c.contact_id == entry_id)
                ).scalar_one()
                conn.execute(update(CH).where(CH.c.id == entry_id).values(follow_up_id=follow_up_id))
            return {"id": entry_id, "business_day": day, "follow_up_id": follow_up_id}, events

        answer: dict[str, Any] = self.ledger.mutate(f"contact:{counter_id}", key, op)
        return answer
