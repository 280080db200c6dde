"""How long a customer waits: the people ahead of them and the estimate, read inside a command's
transaction (a new ticket, a reprint) or for the screens (the services' status)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import CounterState, Ticket, TicketState
from kiosk.engine.ledger import Ledger
from kiosk.estimate import estimate_wait

T = schema.tickets


class Waiting:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        config = ledger.config
        self._fallback_service_s = config.mean_service_s()
        self._estimate_all, self._estimate_priority = sql.estimate_inputs(config.queue.estimate_recent_tickets)

    def estimate(self, conn: Connection, service: str, priority: bool, day: str) -> tuple[int, float | None]:
        """(people waiting for `service` today, the estimated wait of one more of them)."""
        ledger = self.ledger
        params = {"branch": ledger.branch, "service": service, "day": day}
        rows = conn.execute(self._estimate_priority if priority else self._estimate_all, params).all()
        if not rows:  # no counter rows yet (before setup): nobody serves, nobody waits
            return 0, None
        info = ledger.counter_info
        serving = [r for r in rows if r.id in info and service in ledger.services_of(r, info[r.id])]
        open_rows = [r for r in serving if r.state == CounterState.OPEN.value]
        busy = sum(1 for r in open_rows if r.current_ticket_id is not None)
        mean = float(rows[0].mean_s) if rows[0].mean_s is not None else self._fallback_service_s[service]
        ahead = int(rows[0].ahead)
        return ahead, estimate_wait(ahead, len(open_rows), busy, mean)

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
