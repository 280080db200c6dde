"""Read-only questions about the hall: tickets, positions, counters, the line, events."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update

from kiosk import schema
from kiosk.domain import CounterStatus, Event, Ticket, TicketState
from kiosk.engine.errors import QueueError
from kiosk.engine.greeting import GreetingLog
from kiosk.engine.ledger import Ledger
from kiosk.engine.rows import _ticket
from kiosk.engine.waiting import Waiting

T = schema.tickets
C = schema.counters
F = schema.follow_ups


PROBE_BYTES = 8192  # about what a ticket writes (its row, indexes, event, idempotency answer)


@dataclass(frozen=True)
class ServiceStatus:
    code: str
    prefix: str
    names: dict[str, str]
    open_now: bool
    waiting: int
    estimated_wait_s: float | None
    next_open: float | None
    target_wait_s: float


RECENT_CALLS_SHOWN = 8  # the display's "recently called" column
NO_SHOWS_SHOWN = 12  # the no-shows a counter can bring back with one tap
ALERTS_SHOWN = 10  # device alerts a counter panel and the manager see


@dataclass(frozen=True)
class HallState:
    """What every screen shows, read in one go: made here, used by the local backend as it is,
    by the server's /api/v1/state as JSON, and parsed back by the remote backend."""

    services: list[ServiceStatus]
    counters: list[CounterStatus]
    current: dict[int, Ticket]  # counter id -> its current ticket
    recent_calls: list[Ticket]
    site_open: bool
    next_open: float | None
    alerts: list[Event]  # recent device alerts, newest first
    greetings: list[dict[str, Any]]  # greeting alerts nobody confirmed yet, newest first
    last_event_seq: int = 0  # the state is as of this event; the stream goes on after it
    waiting: dict[str, int] = field(default_factory=dict)  # by service, also one no longer configured
    no_shows: list[Ticket] = field(default_factory=list)  # today's, newest first: a clerk brings one back


class Queries:
    """Read-only questions about the hall: tickets, positions, counters, the line, events."""

    def __init__(self, ledger: Ledger, waiting: Waiting, greetings: GreetingLog):
        self.ledger = ledger
        self.waiting = waiting
        self.greetings = greetings

    def ticket_by_number(self, number: str, day: str | None = None) -> Ticket:
        """Today's (or `day`'s) ticket with this number, e.g. "A012"."""
        day = day or self.ledger.local(self.ledger.clock.now()).date().isoformat()
        with self.ledger.store.read() as conn:
            row = conn.execute(
                select(T).where(
                    T.c.branch == self.ledger.branch, T.c.business_day == day, T.c.number == number.strip().upper()
                )
            ).first()
        if row is None:
            raise QueueError(
                "not_found",
                f"no ticket {number.strip().upper()} on {day}",
                "no_such_number",
                number=number.strip().upper(),
            )
        return _ticket(row)

    # ------------------------------------------------------------------ reading
    def ticket(self, ticket_id: int) -> Ticket:
        with self.ledger.store.read() as conn:
            row = conn.execute(select(T).where(T.c.id == ticket_id, T.c.branch == self.ledger.branch)).first()
        if row is None:
            raise QueueError("not_found", f"no ticket {ticket_id}")
        return _ticket(row)

    def ticket_by_token(self, token: str) -> Ticket:
        with self.ledger.store.read() as conn:
            row = conn.execute(select(T).where(T.c.status_token == token, T.c.branch == self.ledger.branch)).first()
        if row is None:
            raise QueueError("not_found", "no such ticket")
        return _ticket(row)

    def position(self, ticket: Ticket) -> int:
        """People ahead of a waiting ticket in its service (0 once it has been called)."""
        if ticket.state != TicketState.WAITING:
            return 0
        with self.ledger.store.read() as conn:
            return self.waiting.ahead_of(conn, ticket)

    def counters(self) -> list[CounterStatus]:
        with self.ledger.store.read() as conn:
            rows = conn.execute(select(C).where(C.c.branch == self.ledger.branch).order_by(C.c.id)).all()
        return [self.ledger.counter_status(r) for r in rows]

    def waiting_counts(self) -> dict[str, int]:
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(T.c.service, func.count())
                .where(T.c.branch == self.ledger.branch, T.c.state == TicketState.WAITING.value)
                .group_by(T.c.service)
            ).all()
        counts = {code: 0 for code in self.ledger.services}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    def hall_state(self) -> HallState:
        seq = self.last_event_seq()  # first: whatever happens while reading comes on the stream
        counters = self.counters()
        current = {c.id: self.ticket(c.current_ticket_id) for c in counters if c.current_ticket_id}
        local = self.ledger.local(self.ledger.clock.now())
        hours = self.ledger.config.site.hours.calendar()
        nxt = None if hours.is_open(local) else hours.next_opening(local)
        return HallState(
            self.services_status(),
            counters,
            current,
            self.recent_calls(RECENT_CALLS_SHOWN),
            hours.is_open(local),
            nxt.timestamp() if nxt else None,
            self.latest_events("device_alert", ALERTS_SHOWN),
            self.greetings.open_greetings(),
            seq,
            self.waiting_counts(),
            self.no_shows_today(),
        )

    def no_shows_today(self, limit: int = NO_SHOWS_SHOWN) -> list[Ticket]:
        """Today's no-shows, the latest called first (those a clerk may bring back)."""
        today = self.ledger.local(self.ledger.clock.now()).date().isoformat()
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(T)
                .where(
                    T.c.branch == self.ledger.branch,
                    T.c.state == TicketState.NO_SHOW.value,
                    T.c.business_day == today,
                )
                .order_by(T.c.called_at.desc())
                .limit(limit)
            ).all()
        return [_ticket(r) for r in rows]

    def services_status(self) -> list[ServiceStatus]:
        now = self.ledger.clock.now()
        local = self.ledger.local(now)
        out = []
        with self.ledger.store.read() as conn:
            for svc in self.ledger.services.values():
                is_open = svc.calendar.is_open(local)
                ahead, est = self.waiting.estimate(conn, svc.code, False, local.date().isoformat())
                nxt = None if is_open else svc.calendar.next_opening(local)
                out.append(
                    ServiceStatus(
                        svc.code,
                        svc.prefix,
                        svc.names,
                        is_open,
                        ahead,
                        est,
                        nxt.timestamp() if nxt else None,
                        svc.target_wait_s,
                    )
                )
        return out

    def waiting_tickets(self, services: tuple[str, ...] | None = None, limit: int = 200) -> list[Ticket]:
        """Who is waiting (for these services), in order of their place in line."""
        q = select(T).where(T.c.branch == self.ledger.branch, T.c.state == TicketState.WAITING.value)
        if services is not None:
            q = q.where(T.c.service.in_(services))
        with self.ledger.store.read() as conn:
            rows = conn.execute(q.order_by(T.c.queue_time, T.c.id).limit(limit)).all()
        return [_ticket(r) for r in rows]

    def tickets_by_tokens(self, tokens: Collection[str]) -> dict[str, tuple[Ticket, float | None]]:
        """The tickets behind these status-page tokens, each with when its customer asked their
        phone to alert them (None: not asked); one read for every phone watching."""
        out: dict[str, tuple[Ticket, float | None]] = {}
        wanted = list(tokens)
        with self.ledger.store.read() as conn:
            for i in range(0, len(wanted), 500):  # a bounded IN list
                rows = conn.execute(
                    select(T).where(T.c.branch == self.ledger.branch, T.c.status_token.in_(wanted[i : i + 500]))
                ).all()
                out.update({r.status_token: (_ticket(r), r.alerts_at) for r in rows})
        return out

    def follow_up_due(self, ticket_ids: Collection[int]) -> dict[int, float]:
        """When the reply promised to each of these tickets is due (only those with a follow-up)."""
        wanted = list(ticket_ids)
        out: dict[int, float] = {}
        with self.ledger.store.read() as conn:
            for i in range(0, len(wanted), 500):  # a bounded IN list, as in tickets_by_tokens
                rows = conn.execute(
                    select(F.c.ticket_id, F.c.due_at).where(
                        F.c.branch == self.ledger.branch, F.c.ticket_id.in_(wanted[i : i + 500])
                    )
                ).all()
                out.update({r.ticket_id: r.due_at for r in rows})
        return out

    def recent_calls(self, limit: int = 10) -> list[Ticket]:
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(T)
                .where(T.c.branch == self.ledger.branch, T.c.called_at.is_not(None))
                .order_by(T.c.called_at.desc())
                .limit(limit)
            ).all()
        return [_ticket(r) for r in rows]

    def prune(self, older_than_s: float) -> tuple[int, int]:
        """Delete events and idempotency answers older than `older_than_s` (the tickets, the
        waiting-time log and the greeting log stay). Returns (events, answers) deleted. The
        event numbering goes on from the branch row, so no screen sees a number reused."""
        cutoff = self.ledger.clock.now() - older_than_s
        E, I = schema.events, schema.idempotency
        with self.ledger.store.write(self.ledger.branch) as conn:
            events = conn.execute(E.delete().where(E.c.branch == self.ledger.branch, E.c.at < cutoff)).rowcount
            answers = conn.execute(I.delete().where(I.c.branch == self.ledger.branch, I.c.created_at < cutoff)).rowcount
        return events, answers

    def check_writable(self) -> None:
        """Raise unless the store takes a new write now (a full disk, a read-only or vanished
        database): under the branch lock, fresh bytes about the size of a ticket's writes
        replace the last probe's, committed (and synced) like a ticket."""
        H = schema.health_probes
        pad = secrets.token_bytes(PROBE_BYTES)
        with self.ledger.store.write(self.ledger.branch) as conn:
            changed = conn.execute(
                update(H).where(H.c.branch == self.ledger.branch).values(at=self.ledger.clock.now(), pad=pad)
            )
            if changed.rowcount == 0:
                conn.execute(H.insert().values(branch=self.ledger.branch, at=self.ledger.clock.now(), pad=pad))

    def last_event_seq(self) -> int:
        with self.ledger.store.read() as conn:
            return (
                conn.execute(
                    select(schema.branches.c.last_event_seq).where(schema.branches.c.id == self.ledger.branch)
                ).scalar()
                or 0
            )

    def first_event_seq(self) -> int | None:
        """The oldest event still kept (older ones are pruned after `server.retention_days`)."""
        with self.ledger.store.read() as conn:
            return conn.execute(
                select(func.min(schema.events.c.seq)).where(schema.events.c.branch == self.ledger.branch)
            ).scalar()

    def latest_events(self, kind: str, limit: int = 5) -> list[Event]:
        """The newest events of one kind, newest first (e.g. device alerts for a panel)."""
        E = schema.events
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(E)
                .where(E.c.branch == self.ledger.branch, E.c.kind == kind)
                .order_by(E.c.seq.desc())
                .limit(limit)
            ).all()
        return [Event(r.seq, r.at, r.kind, r.data) for r in rows]

    def events_between(self, start: float, end: float) -> list[Event]:
        """Every event from `start` until before `end`, in order (for an audit of past days)."""
        E = schema.events
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(E).where(E.c.branch == self.ledger.branch, E.c.at >= start, E.c.at < end).order_by(E.c.seq)
            ).all()
        return [Event(r.seq, r.at, r.kind, r.data) for r in rows]

    def events_after(self, seq: int, limit: int = 1000) -> list[Event]:
        E = schema.events
        with self.ledger.store.read() as conn:
            rows = conn.execute(
                select(E).where(E.c.branch == self.ledger.branch, E.c.seq > seq).order_by(E.c.seq).limit(limit)
            ).all()
        return [Event(r.seq, r.at, r.kind, r.data) for r in rows]
