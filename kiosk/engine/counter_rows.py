"""A counter's row as every counter command reads it: who is signed in, its current customer,
the line it calls from; and the few writes they share (finishing the current customer, freeing
the counter). Given to the counter commands, the missed calls and the staff commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterInfo, CounterState, Ticket, TicketState
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Events, Ledger
from kiosk.engine.rows import _ticket
from kiosk.events import EventKind, TicketAtCounter, TicketCalled
from kiosk.fairness import Candidate
from kiosk.line import LineReader
from kiosk.precompiled import run

T = schema.tickets
C = schema.counters


class CounterRows:
    # caches: pure functions of the configuration and the set-up, memoised (not state an op may change)
    CACHES = ("_lines",)

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        config = ledger.config
        self.max_run = config.queue.max_priority_in_a_row
        self.max_appointment_run = config.appointments.max_in_a_row
        # the line reads every ticket held back this often by either kind (kiosk/line.py)
        bounds = [k for k in (self.max_run, self.max_appointment_run) if k > 0]
        self._read_run = min(bounds) if bounds else 0
        self.mixed_targets: frozenset[str] = frozenset()  # see kiosk/line.py; found by Engine.setup()
        self._lines: dict[tuple[str, ...], LineReader] = {}
        defaults = {s.code: s.default_category for s in config.services if s.default_category}
        self._finish_ticket = sql.finish_ticket(defaults, config.categories[0].code)
        self._finish_and_call = sql.pg_finish_and_call(defaults, config.categories[0].code)

    def set_up(self, mixed_targets: frozenset[str]) -> None:
        self.mixed_targets = mixed_targets
        self._lines.clear()

    def row(self, conn: Connection, counter_id: int) -> Any:
        ledger = self.ledger
        ledger.counter(counter_id)
        row = run(conn, sql.counter_row, {"branch": ledger.branch, "counter": counter_id}).first()
        if row is None:  # configured after setup(): it begins open
            conn.execute(
                C.insert().values(
                    branch=ledger.branch, id=counter_id, state=CounterState.OPEN.value, updated_at=ledger.clock.now()
                )
            )
            row = run(conn, sql.counter_row, {"branch": ledger.branch, "counter": counter_id}).first()
        return row

    def row_and_line(self, conn: Connection, counter_id: int, info: CounterInfo) -> tuple[Any, list[Candidate] | None]:
        """The counter's row and, on PostgreSQL, the candidates of the line of the services it
        serves as configured, in one round trip (None: read the line apart, as on SQLite or for
        a counter configured after setup)."""
        if self.ledger.store.is_sqlite:
            return self.row(conn, counter_id), None
        reader = self.line(info.services)
        row = run(conn, reader.with_counter, {"branch": self.ledger.branch, "counter": counter_id}).first()
        if row is None:
            return self.row(conn, counter_id), None
        return row, reader.listed(row.line)

    def current(self, conn: Connection, counter_id: int, allowed: tuple[TicketState, ...], action: str) -> Ticket:
        """The counter's current customer, if in one of the `allowed` states (else refused)."""
        row = self.row(conn, counter_id)
        if row.current_ticket_id is None:
            raise QueueError("conflict", f"counter {counter_id} has no current ticket to {action}", "no_current_ticket")
        ticket = _ticket(conn.execute(select(T).where(T.c.id == row.current_ticket_id)).one())
        if ticket.state not in allowed:
            raise QueueError(
                "conflict",
                f"ticket {ticket.number} is {ticket.state.value}; cannot {action} it",
                "wrong_state",
                number=ticket.number,
                state=ticket.state.value,
            )
        return ticket

    def signed_in(self, row: Any, counter_id: int) -> str | None:
        """Who acts at the counter. With staff configured, somebody must be signed in: every
        call and finish says who (seed 001: 首問負責 needs a person, not a device)."""
        if self.ledger.config.staff and row.staff_id is None:
            raise QueueError("conflict", f"nobody is signed in at counter {counter_id}; sign in first", "not_signed_in")
        staff: str | None = row.staff_id
        return staff

    def called_event(self, t: Ticket) -> TicketCalled:
        info = self.ledger.counter_info.get(t.counter_id or 0)
        waited = (t.first_called_at or t.called_at or 0) - t.issued_at
        return TicketCalled(
            ticket=t.to_dict(),
            counter_id=t.counter_id,
            counter_name=info.name if info else str(t.counter_id),
            # seed 000 #3: "對不起，讓您久等了" when the wait was long
            apology=waited > self.ledger.service(t.service).target_wait_s,
        )

    def line(self, services: tuple[str, ...]) -> LineReader:
        reader = self._lines.get(services)
        if reader is None:
            reader = self._lines[services] = LineReader(services, self._read_run, self.mixed_targets)
        return reader

    def finish_current(self, conn: Connection, ticket_id: int, now: float, staff: str | None) -> Events:
        """The counter's customer was served (unless already finished, a no-show or sent on)."""
        row = run(conn, self._finish_ticket, {"b_id": ticket_id, "b_now": now, "b_staff": staff}).first()
        if row is None:  # already finished, a no-show, or transferred away
            return []
        return [self._finished(_ticket(row))]

    @staticmethod
    def _finished(t: Ticket) -> tuple[EventKind, TicketAtCounter]:
        return (EventKind.TICKET_FINISHED, TicketAtCounter(ticket=t.to_dict(), counter_id=t.counter_id))

    def call(
        self,
        conn: Connection,
        ticket_id: int,
        counter_id: int,
        now: float,
        reason: str,
        staff: str | None,
        note: str | None,
        finishing: int | None,
    ) -> tuple[Ticket | None, Events]:
        """Finish the counter's customer (`finishing`, if any: see finish_current), call a
        waiting ticket to the counter and make it the counter's customer. Returns the called
        ticket (None: it is no longer waiting; the caller refuses, which undoes the transaction)
        and the finish's events. PostgreSQL: one round trip (kiosk/statements.py)."""
        called = dict(b_id=ticket_id, b_now=now, b_counter=counter_id, b_reason=reason, b_staff=staff, b_note=note)
        if not self.ledger.store.is_sqlite:
            rows = run(conn, self._finish_and_call, {**called, "b_branch": self.ledger.branch, "b_current": finishing})
            steps = {r.step: _ticket(r) for r in rows}
            done = steps.get("finished")
            return steps.get("called"), [self._finished(done)] if done is not None else []
        events = self.finish_current(conn, finishing, now, staff) if finishing is not None else []
        row = run(conn, sql.call_ticket, called).first()
        if row is None:
            return None, events
        serving = {"b_branch": self.ledger.branch, "b_counter": counter_id, "b_ticket": ticket_id, "b_now": now}
        run(conn, sql.counter_now_serving, serving)
        return _ticket(row), events

    def release(self, conn: Connection, counter_id: int, now: float) -> None:
        """The counter has nobody at it."""
        conn.execute(
            update(C)
            .where(C.c.branch == self.ledger.branch, C.c.id == counter_id)
            .values(current_ticket_id=None, updated_at=now)
        )
