"""How long a customer waits: the people ahead of them and the estimate, read inside a command's
transaction (a new ticket, a reprint) or for the screens (the services' status)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterState, Ticket, TicketState
from kiosk.engine.ledger import Ledger
from kiosk.estimate import RECENT_ERRORS, estimate_wait, quote, relative_error
from kiosk.precompiled import run

T = schema.tickets


@dataclass(frozen=True)
class Quote:
    """What a new ticket is told: people ahead, the estimate and its range (None: nobody serves
    the service now), and the model's own figure the next errors are measured against."""

    ahead: int
    wait_s: float | None = None
    low_s: float | None = None
    high_s: float | None = None
    model_s: float | None = None


@dataclass(frozen=True)
class _Read:
    """The estimate's inputs as read: people ahead, the mean service time, (open counters
    serving the service, busy ones), each open counter's services, the service's bookings today
    not yet checked in, its recent (estimate, waited) pairs, and the other services whose lines
    were read with them with their counts (None: not read)."""

    ahead: int
    mean: float
    counted: tuple[int, int]
    open_now: dict[int, tuple[str, ...]]
    booked: int
    past: list[tuple[float, float]]
    lines: tuple[frozenset[str], dict[str, int]] | None


class Waiting:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        config = ledger.config
        self._fallback_service_s = config.mean_service_s()
        self._pg = not ledger.store.is_sqlite
        recent = config.queue.estimate_recent_tickets
        self._inputs_of = {  # (priority, with the other services' lines) -> the estimate's read
            (p, shared): sql.estimate_inputs(recent, RECENT_ERRORS, priority=p, postgres=self._pg, shared=shared)
            for p in (False, True)
            for shared in (False, True)
        }
        self._recent_errors = sql.recent_errors(RECENT_ERRORS)  # SQLite: asked apart (see estimate_inputs)
        # the other services each service's counters serve as configured: on PostgreSQL their
        # lines are read with the estimate's inputs (a manager's change of a counter's services
        # may need one more read: see _shared_work)
        self._sharing = {
            code: sorted({u for c in ledger.counter_info.values() if code in c.services for u in c.services} - {code})
            for code in ledger.services
        }
        self._late_s = config.appointments.late_minutes * 60

    def quote(self, conn: Connection, service: str, priority: bool, day: str, now: float) -> Quote:
        """What a new ticket is told (kiosk/estimate.py). The model counts as ahead the booked
        appointments due before the estimate too, which will go before it (fairly)."""
        read = self._read(conn, service, priority, day)
        ahead, mean, counters, booked = read.ahead, read.mean, read.counted, read.booked
        # priority goes first: other services' lines do not hold it back
        shared = 0.0 if priority else self._shared_work(conn, read.open_now, service, day, read.lines)
        est = estimate_wait(ahead, *counters, mean, shared)
        if est is None:
            return Quote(ahead)
        if not priority and booked:
            params = {"branch": self.ledger.branch, "day": day, "service": service}
            due = run(conn, sql.booked_due, {**params, "since": now - self._late_s, "until": now + est}).scalar()
            if due:
                est = estimate_wait(ahead + int(due), *counters, mean, shared) or est
        errors = [relative_error(waited, model_s, mean) for model_s, waited in read.past]
        return Quote(ahead, *quote(est, mean, errors), model_s=est)

    def quote_appointment(self, conn: Connection, service: str, day: str, now: float, at: float) -> Quote:
        """A checked-in appointment's quote: its place is its booked time, so it waits for that
        time, then for a counter (up to about two service times if a bound holds it back)."""
        _, mean, (open_counters, busy) = self._inputs(conn, service, False, day)
        ahead = conn.execute(
            select(func.count())
            .select_from(T)
            .where(
                T.c.branch == self.ledger.branch,
                T.c.state == TicketState.WAITING.value,
                T.c.service == service,
                T.c.business_day == day,
                T.c.queue_time < at,
            )
        ).scalar_one()
        if open_counters <= 0:
            return Quote(ahead)
        until = max(0.0, at - now)
        return Quote(ahead, until + (mean / 2 if busy >= open_counters else 0.0), until, until + 2 * mean)

    def estimate(self, conn: Connection, service: str, priority: bool, day: str) -> tuple[int, float | None]:
        """(people waiting for `service` today, the estimated wait of one more of them)."""
        ahead, mean, counters = self._inputs(conn, service, priority, day)
        return ahead, estimate_wait(ahead, *counters, mean)

    def _inputs(self, conn: Connection, service: str, priority: bool, day: str) -> tuple[int, float, tuple[int, int]]:
        """(people waiting ahead, mean service time, (open counters serving it, busy ones))."""
        read = self._read(conn, service, priority, day)
        return read.ahead, read.mean, read.counted

    def _shared_work(
        self,
        conn: Connection,
        open_now: dict[int, tuple[str, ...]],
        service: str,
        day: str,
        lines: tuple[frozenset[str], dict[str, int]] | None = None,
    ) -> float:
        """Seconds of other services' waiting work that falls on the open counters serving
        `service`: each one's waiting tickets x its configured mean, shared equally among the
        open counters that serve it. `open_now`: each open counter's services. `lines`: the
        services whose lines were read already, and their counts (none waiting: not there)."""
        ours = [cid for cid, served in open_now.items() if service in served]
        others = {u for cid in ours for u in open_now[cid]} - {service}
        if not others:
            return 0.0
        if lines is not None and others <= lines[0]:
            counts = [(u, n) for u, n in lines[1].items() if u in others]
        else:  # a manager gave a counter another service today: read its line too
            asked = {"branch": self.ledger.branch, "day": day, "services": sorted(others)}
            counts = [(u, n) for u, n in run(conn, sql.waiting_by_service, asked)]
        work = 0.0
        for u, n in counts:
            serving = [cid for cid, served in open_now.items() if u in served]
            work += n * self._fallback_service_s.get(u, 0.0) * sum(cid in ours for cid in serving) / len(serving)
        return work

    def _read(self, conn: Connection, service: str, priority: bool, day: str) -> _Read:
        """What the estimate needs, in one round trip (PostgreSQL; SQLite asks its recent
        errors apart, and the other services' lines in _shared_work)."""
        ledger = self.ledger
        others = self._sharing[service] if self._pg and not priority else []
        params: dict[str, object] = {"branch": ledger.branch, "service": service, "day": day, "priority": priority}
        if others:
            params["services"] = others
        rows = run(conn, self._inputs_of[priority, bool(others)], params).all()
        fallback = self._fallback_service_s[service]
        if not rows:  # no counter rows yet (before setup): nobody serves, nobody waits
            return _Read(0, fallback, (0, 0), {}, 0, [], None)
        info, services_of, open_state = ledger.counter_info, ledger.services_of, CounterState.OPEN.value
        open_now = {r.id: services_of(r, info[r.id]) for r in rows if r.state == open_state and r.id in info}
        busy_ids = {r.id for r in rows if r.current_ticket_id is not None}
        ours = [cid for cid, served in open_now.items() if service in served]
        mean = float(rows[0].mean_s) if rows[0].mean_s is not None else fallback
        counted = (len(ours), sum(cid in busy_ids for cid in ours))
        if not self._pg:
            past = [(r.estimate_model_s, r.waited) for r in run(conn, self._recent_errors, params)]
        else:  # read with the rest
            past = [(float(m), float(w)) for m, w in rows[0].errors or ()]
        lines = (frozenset(others), {u: int(n) for u, n in (rows[0].shared or {}).items()}) if others else None
        return _Read(int(rows[0].ahead), mean, counted, open_now, int(rows[0].booked or 0), past, lines)

    def ahead_of(self, conn: Connection, ticket: Ticket) -> int:
        """People ahead of a waiting ticket in its line."""
        q = (
            select(func.count())
            .select_from(T)
            .where(
                T.c.branch == self.ledger.branch,
                T.c.state == TicketState.WAITING.value,
                T.c.service == ticket.service,
                T.c.queue_time < ticket.queue_time,
                T.c.business_day == ticket.business_day,  # see statements._waiting_in
            )
        )
        if ticket.priority:
            q = q.where(T.c.priority.is_(True))
        return conn.execute(q).scalar_one()
