"""What a counter does: call the next customer fairly, recall, start, finish, no-show, transfer,
pause, resume, close the day."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterState, CounterStatus, Ticket, TicketState, number_as_shown
from kiosk.engine.counter_rows import CounterRows
from kiosk.engine.errors import QueueError
from kiosk.engine.follow_ups import FollowUps
from kiosk.engine.ledger import Events, Ledger, OpResult
from kiosk.engine.rows import _status_dict, _status_event, _status_from_dict, _ticket, _ticket_from_dict
from kiosk.events import (
    CounterOpened,
    DayClosed,
    EventKind,
    TicketAtCounter,
    TicketNoShow,
    TicketTransferred,
)
from kiosk.fairness import choose_next
from kiosk.precompiled import run

T = schema.tickets
C = schema.counters


class CounterCommands:
    """What a counter does: call the next customer fairly, recall, start, finish, no-show, transfer,
    pause, resume, close the day."""

    def __init__(self, ledger: Ledger, rows: CounterRows, follow_ups: FollowUps):
        self.ledger = ledger
        self.rows = rows
        self.follow_ups = follow_ups

    # ------------------------------------------------------------------ counter
    def call_next(self, counter_id: int, key: str | None = None) -> Ticket | None:
        """Close the counter's current customer (if any) and call the next one, fairly. The
        current customer was served, whether or not the clerk pressed "start": a clerk who works
        with call-next alone serves people, and a customer who did not come is marked so by the
        clerk (no-show) or by the automatic no-show after the last call, never by guesswork."""
        info = self.ledger.counter(counter_id)

        def op(conn: Connection, now: float) -> OpResult:
            row, read = self.rows.row_and_line(conn, counter_id, info)
            if row.state == CounterState.PAUSED.value:
                raise QueueError(
                    "conflict", f"counter {counter_id} is paused; resume it before calling", "counter_paused"
                )
            staff = self.rows.signed_in(row, counter_id)
            evs: Events = []
            if row.state == CounterState.CLOSED.value:
                evs.append((EventKind.COUNTER_OPENED, CounterOpened(counter_id=counter_id)))
            # the current customer is finished with the call (one round trip on PostgreSQL): the
            # line read first is the same, as it holds only waiting tickets
            services = self.ledger.services_of(row, info)
            line = self.rows.line(services)
            # the line read with the row serves if the counter serves what it is configured to
            candidates = (
                read if read is not None and services == info.services else line.candidates(conn, self.ledger.branch)
            )
            choice = choose_next(candidates, now, self.rows.max_run, self.rows.max_appointment_run)
            if choice is None:  # the counter has nobody now
                if row.current_ticket_id is not None:
                    evs.extend(self.rows.finish_current(conn, row.current_ticket_id, now, staff))
                serving = {"b_branch": self.ledger.branch, "b_counter": counter_id, "b_ticket": None, "b_now": now}
                run(conn, sql.counter_now_serving, serving)
                return {"ticket": None}, evs
            if choice.overtaken:  # every normal ticket older than it, not only those read
                line.overtaken_by(conn, self.ledger.branch, next(c for c in candidates if c.id == choice.ticket_id))
            if choice.reset_runs:
                line.reset_runs(conn, self.ledger.branch, candidates)
            ticket, finished = self.rows.call(
                conn, choice.ticket_id, counter_id, now, choice.reason, staff, None, row.current_ticket_id
            )
            evs.extend(finished)
            if ticket is None:  # cannot happen under the branch lock; never hand out a ticket twice
                raise QueueError("conflict", "the ticket was taken by another counter; press again", "press_again")
            evs.append((EventKind.TICKET_CALLED, self.rows.called_event(ticket)))
            return {"ticket": ticket.to_dict()}, evs

        d = self.ledger.mutate(f"call-next:{counter_id}", key, op)
        return _ticket_from_dict(d["ticket"]) if d["ticket"] else None

    def _staff_op(
        self,
        name: str,
        counter_id: int,
        key: str | None,
        allowed: tuple[TicketState, ...],
        apply: Callable[[Connection, Ticket, float, str | None], Events],
    ) -> Ticket:
        def op(conn: Connection, now: float) -> OpResult:
            t = self.rows.current(conn, counter_id, allowed, name.split(":")[0])  # "transfer:payment" -> transfer
            evs = apply(conn, t, now, self.rows.signed_in(self.rows.row(conn, counter_id), counter_id))
            t = _ticket(conn.execute(select(T).where(T.c.id == t.id)).one())
            return {"ticket": t.to_dict()}, evs

        return _ticket_from_dict(self.ledger.mutate(f"{name}:{counter_id}", key, op)["ticket"])

    def recall(self, counter_id: int, key: str | None = None) -> Ticket:
        """Call the counter's customer again. At most `queue.max_recalls` times: then the
        customer is a no-show (and can be brought back if they come), so the line moves on."""
        limit = self.ledger.config.queue.max_recalls

        def apply(conn: Connection, t: Ticket, now: float, staff: str | None) -> Events:
            if t.recalls >= limit:
                raise QueueError(
                    "conflict",
                    f"{t.number} was called again {t.recalls} time(s), the most allowed; mark a no-show "
                    "(they can be brought back if they come)",
                    "recall_limit",
                    number=t.number,
                    limit=limit,
                )
            # called_at is the last call: the automatic no-show counts from it
            conn.execute(update(T).where(T.c.id == t.id).values(recalls=T.c.recalls + 1, called_at=now))
            t.recalls += 1
            t.called_at = now
            return [(EventKind.TICKET_RECALLED, self.rows.called_event(t))]

        return self._staff_op("recall", counter_id, key, (TicketState.CALLED,), apply)

    def start(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float, staff: str | None) -> Events:
            row = conn.execute(
                update(T).where(T.c.id == t.id).values(state=TicketState.SERVING.value, started_at=now).returning(*T.c)
            ).one()
            return [(EventKind.TICKET_STARTED, TicketAtCounter(ticket=_ticket(row).to_dict(), counter_id=counter_id))]

        return self._staff_op("start", counter_id, key, (TicketState.CALLED,), apply)

    def finish(
        self,
        counter_id: int,
        category: str | None = None,
        outcome: str = "resolved",
        note: str = "",
        contact: str = "",
        due_hours: float | None = None,
        key: str | None = None,
    ) -> Ticket:
        """End the visit and write it into the reception log: what it was about (`category`,
        default: the service's) and how it ended: "resolved" at the counter, or "follow_up"
        promised, with a note and, if the customer agrees, a contact. A complaint is always
        followed up (kiosk/engine/follow_ups.py), by the category's time or `due_hours`."""
        visit = self.follow_ups.visit(category, outcome, note, contact, due_hours)

        def apply(conn: Connection, t: Ticket, now: float, staff: str | None) -> Events:
            cat = visit.category or self.ledger.config.default_category(t.service)
            conn.execute(update(T).where(T.c.id == t.id).values(category=cat, outcome=visit.outcome_for(cat)))
            evs = self.rows.finish_current(conn, t.id, now, staff)
            self.rows.release(conn, counter_id, now)
            if visit.outcome_for(cat) == "follow_up":
                evs.extend(
                    self.follow_ups.open_follow_up(
                        conn, t, cat, visit.note, visit.contact, counter_id, staff, now, visit.due_hours
                    )
                )
            return evs

        asked = hashlib.sha1(f"{category}|{outcome}|{note}|{contact}|{due_hours}".encode()).hexdigest()[:12]
        return self._staff_op(f"finish:{asked}", counter_id, key, (TicketState.CALLED, TicketState.SERVING), apply)

    def no_show(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float, staff: str | None) -> Events:
            row = conn.execute(
                update(T)
                .where(T.c.id == t.id)
                .values(state=TicketState.NO_SHOW.value, finished_at=now, finished_by=staff)
                .returning(*T.c)
            ).one()
            self.rows.release(conn, counter_id, now)
            return [(EventKind.TICKET_NO_SHOW, TicketNoShow(ticket=_ticket(row).to_dict(), counter_id=counter_id))]

        return self._staff_op("no-show", counter_id, key, (TicketState.CALLED,), apply)

    def transfer(self, counter_id: int, service: str, key: str | None = None) -> Ticket:
        """Send the current customer to another service. Same ticket, same place in line
        (its queue time is kept), and this counter stays its first-contact owner."""
        svc = self.ledger.service(service)

        def apply(conn: Connection, t: Ticket, now: float, staff: str | None) -> Events:
            if t.service == svc.code:
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is already in {svc.code}",
                    "already_in_service",
                    number=t.number,
                    service=svc.code,
                )
            row = conn.execute(
                update(T)
                .where(T.c.id == t.id)
                .values(
                    state=TicketState.WAITING.value,
                    service=svc.code,
                    counter_id=None,
                    transfers=T.c.transfers + 1,
                    target_wait_s=svc.target_wait_s,
                    called_at=None,
                    started_at=None,
                )
                .returning(*T.c)
            ).one()
            self.rows.release(conn, counter_id, now)
            moved = TicketTransferred(
                ticket=_ticket(row).to_dict(), from_service=t.service, to_service=svc.code, counter_id=counter_id
            )
            return [(EventKind.TICKET_TRANSFERRED, moved)]

        return self._staff_op(f"transfer:{service}", counter_id, key, (TicketState.CALLED, TicketState.SERVING), apply)

    def pause(self, counter_id: int, reason: str, until: float | None = None, key: str | None = None) -> CounterStatus:
        """Leave the post with a sign (seed 001/002). Waiting customers flow to other counters;
        a customer at the counter must be finished or transferred first, not left behind."""
        reason = (reason or "").strip()
        if not reason or len(reason) > 200:
            raise QueueError(
                "invalid", "a pause needs a reason of 1 to 200 characters (it is shown on the display)", "pause_reason"
            )

        def op(conn: Connection, now: float) -> OpResult:
            row = self.rows.row(conn, counter_id)
            if row.current_ticket_id is not None:
                t = _ticket(conn.execute(select(T).where(T.c.id == row.current_ticket_id)).one())
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is still at counter {counter_id}; finish or transfer it first",
                    "still_at_counter",
                    number=t.number,
                )
            if until is not None and until <= now:
                raise QueueError("conflict", "the expected return time is in the past", "return_in_past")
            limit = self.ledger.config.queue.max_pause_hours
            if until is not None and not until - now <= limit * 3600:  # NaN and 9999-12-31 too
                raise QueueError(
                    "conflict",  # the hall's rule (queue.max_pause_hours), not a malformed time
                    f"the expected return is more than {limit:g} h away; pause without a "
                    "return time, or close the counter",
                    "return_too_far",
                    hours=limit,
                )
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
                .values(state=CounterState.PAUSED.value, pause_reason=reason, pause_until=until, updated_at=now)
            )
            status = self.ledger.counter_status(self.rows.row(conn, counter_id))
            return _status_dict(status), [(EventKind.COUNTER_PAUSED, _status_event(status))]

        asked = hashlib.sha1(f"{reason}|{until}".encode()).hexdigest()[:12]
        return _status_from_dict(self.ledger.mutate(f"pause:{counter_id}:{asked}", key, op))

    def resume(self, counter_id: int, key: str | None = None) -> CounterStatus:
        def op(conn: Connection, now: float) -> OpResult:
            row = self.rows.row(conn, counter_id)
            if row.state != CounterState.PAUSED.value:
                raise QueueError("conflict", f"counter {counter_id} is not paused", "not_paused")
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
                .values(state=CounterState.OPEN.value, pause_reason=None, pause_until=None, updated_at=now)
            )
            status = self.ledger.counter_status(self.rows.row(conn, counter_id))
            return _status_dict(status), [(EventKind.COUNTER_RESUMED, _status_event(status))]

        return _status_from_dict(self.ledger.mutate(f"resume:{counter_id}", key, op))

    def close_day(self, key: str | None = None) -> dict[str, Any]:
        """End the business day: every counter closes. Refused while any ticket is still open,
        because nobody already issued a ticket is sent away (seed 001 第三篇 四 13)."""

        def op(conn: Connection, now: float) -> OpResult:
            today = self.ledger.local(now).date().isoformat()
            open_rows = conn.execute(
                select(T.c.number, T.c.business_day)
                .where(T.c.branch == self.ledger.branch, T.c.state.in_([s.value for s in TicketState if s.is_open]))
                .order_by(T.c.queue_time)
            ).all()
            if open_rows:
                # an earlier day's A001 beside today's A001 would be two customers with one name
                numbers = [number_as_shown(r.number, r.business_day, today) for r in open_rows]
                shown = ", ".join(numbers[:10]) + (" ..." if len(numbers) > 10 else "")
                raise QueueError(
                    "conflict",
                    f"{len(numbers)} ticket(s) still open ({shown}); serve them or mark them no-show first",
                    "tickets_open",
                    count=len(numbers),
                    numbers=numbers[:50],
                )
            conn.execute(
                update(C)
                .where(C.c.branch == self.ledger.branch)
                .values(
                    state=CounterState.CLOSED.value,
                    current_ticket_id=None,
                    pause_reason=None,
                    pause_until=None,
                    staff_id=None,  # everyone signs out at the end of the day
                    staff_since=None,
                    updated_at=now,
                )
            )
            day = self.ledger.local(now).date().isoformat()
            return {"business_day": day, "closed_at": now}, [(EventKind.DAY_CLOSED, DayClosed(business_day=day))]

        return self.ledger.mutate("close-day", key, op)
