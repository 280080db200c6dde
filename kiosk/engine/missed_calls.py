"""When the called customer does not come, and when staff must call out of turn.

- a customer called and not come within `queue.no_show_after_minutes` of the last call is a
  no-show by itself (`expire_calls`, run by the timekeeper), so the counter is free again;
- a no-show who comes back the same day is brought back into line by staff, at their original
  place or at the front (`queue.no_show_returns_to`): nobody with a ticket is sent away
  (seed 001 第三篇 四 13);
- a counter may call a specific waiting number with a reason (`call_number`): recorded as a
  manual call, which the fairness audit lists apart instead of as a violation.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, func, select, update

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterState, Ticket, TicketState, number_asked
from kiosk.engine.counter_rows import CounterRows
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Events, Ledger, OpResult
from kiosk.engine.rows import _ticket, _ticket_from_dict
from kiosk.events import CounterOpened, EventKind, TicketNoShow, TicketReturned

T = schema.tickets
C = schema.counters
REASON_MAX = 200
FRONT_S = 0.001  # "at the front": just before the head of the line


class MissedCalls:
    def __init__(self, ledger: Ledger, rows: CounterRows):
        self.ledger = ledger
        self.rows = rows

    def call_number(self, counter_id: int, number: str, reason: str, key: str | None = None) -> Ticket:
        """Call the waiting ticket `number` now, out of turn, saying why (an appointment, a
        customer sent back from another counter). The counter's current customer is closed as
        call-next closes it."""
        info = self.ledger.counter(counter_id)
        asked, reason = number, (reason or "").strip()
        if not reason or len(reason) > REASON_MAX:
            raise QueueError(
                "invalid", f"calling out of turn needs a reason of 1 to {REASON_MAX} characters", "manual_reason"
            )

        def op(conn: Connection, now: float) -> OpResult:
            # "A002 12/02" is yesterday's A002, left in line; a bare number is the latest day's
            number, day = number_asked(asked, self.ledger.local(now).date().isoformat())
            row = self.rows.row(conn, counter_id)
            if row.state == CounterState.PAUSED.value:
                raise QueueError(
                    "conflict", f"counter {counter_id} is paused; resume it before calling", "counter_paused"
                )
            staff = self.rows.signed_in(row, counter_id)
            target = conn.execute(
                select(T)
                .where(
                    T.c.branch == self.ledger.branch,
                    T.c.number == number,
                    T.c.state == TicketState.WAITING.value,
                    *([T.c.business_day == day] if day else []),
                )
                .order_by(T.c.business_day.desc())
                .limit(1)
            ).first()
            if target is None:
                raise QueueError("not_found", f"nobody with number {number} is waiting", "not_waiting", number=number)
            if target.service not in self.ledger.services_of(row, info):
                raise QueueError(
                    "conflict",
                    f"{number} is waiting for {target.service}, which counter {counter_id} does not serve",
                    "not_served_here",
                    number=number,
                    service=target.service,
                )
            evs: Events = []
            if row.state == CounterState.CLOSED.value:
                evs.append((EventKind.COUNTER_OPENED, CounterOpened(counter_id=counter_id)))
            ticket, finished = self.rows.call(
                conn, target.id, counter_id, now, "manual", staff, reason, row.current_ticket_id
            )
            evs.extend(finished)
            if ticket is None:  # read as waiting a moment ago, under the branch lock
                raise QueueError("conflict", f"{number} was called meanwhile; press again", "press_again")
            called_event = self.rows.called_event(ticket)
            called_event["manual"], called_event["reason"] = True, reason
            evs.append((EventKind.TICKET_CALLED, called_event))
            return {"ticket": ticket.to_dict()}, evs

        what = hashlib.sha1(f"{asked.strip().upper()}|{reason}".encode()).hexdigest()[:12]
        return _ticket_from_dict(self.ledger.mutate(f"call-number:{counter_id}:{what}", key, op)["ticket"])

    def return_ticket(self, number: str, by: str = "", key: str | None = None) -> Ticket:
        """Bring today's no-show `number` back into line: they came after all ("A002 12/02":
        an earlier day's, as the screens name it)."""
        asked = number
        to = self.ledger.config.queue.no_show_returns_to

        def op(conn: Connection, now: float) -> OpResult:
            today = self.ledger.local(now).date().isoformat()
            number, day = number_asked(asked, today)
            row = conn.execute(
                select(T).where(
                    T.c.branch == self.ledger.branch, T.c.number == number, T.c.business_day == (day or today)
                )
            ).first()
            if row is None:
                raise QueueError("not_found", f"no ticket {number} today", "no_such_number", number=number)
            t = _ticket(row)
            if t.state != TicketState.NO_SHOW:
                raise QueueError(
                    "conflict",
                    f"{number} is {t.state.value}, not a no-show; only a no-show can be brought back",
                    "not_no_show",
                    number=number,
                    state=t.state.value,
                )
            queue_time = t.queue_time
            if to == "front":
                head = conn.execute(
                    select(func.min(T.c.queue_time)).where(
                        T.c.branch == self.ledger.branch,
                        T.c.state == TicketState.WAITING.value,
                        T.c.service == t.service,
                    )
                ).scalar()
                if head is not None and head <= queue_time:
                    queue_time = head - FRONT_S
            conn.execute(
                update(T)
                .where(T.c.id == t.id)
                .values(
                    state=TicketState.WAITING.value,
                    queue_time=queue_time,
                    counter_id=None,
                    called_at=None,
                    started_at=None,
                    finished_at=None,
                    finished_by=None,
                    priority_run=0,
                    returns=T.c.returns + 1,
                )
            )
            t = _ticket(conn.execute(sql.ticket_row, {"id": t.id}).one())
            return {"ticket": t.to_dict()}, [
                (EventKind.TICKET_RETURNED, TicketReturned(ticket=t.to_dict(), to=to, by=by or None))
            ]

        return _ticket_from_dict(self.ledger.mutate(f"return:{asked.strip().upper()}", key, op)["ticket"])

    def expire_calls(self) -> int:
        """Called customers who have not come `queue.no_show_after_minutes` after their last
        call become no-shows, and their counters are free. Returns how many."""
        minutes = self.ledger.config.queue.no_show_after_minutes
        if minutes <= 0:
            return 0

        def op(conn: Connection, now: float) -> OpResult:
            gone = conn.execute(
                update(T)
                .where(
                    T.c.branch == self.ledger.branch,
                    T.c.state == TicketState.CALLED.value,
                    T.c.called_at < now - minutes * 60,
                )
                .values(state=TicketState.NO_SHOW.value, finished_at=now)
                .returning(*T.c)
            ).all()
            evs: Events = []
            for row in gone:
                conn.execute(
                    update(C)
                    .where(C.c.branch == self.ledger.branch, C.c.current_ticket_id == row.id)
                    .values(current_ticket_id=None, updated_at=now)
                )
                no_show = TicketNoShow(ticket=_ticket(row).to_dict(), counter_id=row.counter_id, auto=True)
                evs.append((EventKind.TICKET_NO_SHOW, no_show))
            return {"expired": len(gone)}, evs

        return int(self.ledger.mutate("expire-calls", None, op)["expired"])
