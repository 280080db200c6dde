"""The queue engine: what happens when a customer takes a ticket and a counter presses a button.

Every operation is one write transaction on the store (holding the branch lock) and emits its
events, numbered in the same transaction; the bus hands them to screens after the commit.
Every mutating operation takes an optional idempotency key: a repeat with the same key returns
the first answer and changes nothing (a counter that retries after a lost reply must not skip
a customer).

Staff operations act on the counter's *current* ticket, so a button press means the same
thing whatever screen or device it came from.

The package: ledger.py (the transaction core), customer.py, counter.py, missed_calls.py,
staff.py, follow_ups.py, greeting.py (the commands), queries.py (reads), rows.py (rows to domain
objects), errors.py. `Engine` puts them
together; this is the API every screen, the server and the CLI use.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk import schema
from kiosk import statements as sql
from kiosk.bus import EventBus
from kiosk.clock import Clock, SystemClock
from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, CounterState, Service
from kiosk.engine.customer import CustomerCommands, Reprint
from kiosk.engine.errors import QueueError
from kiosk.engine.greeting import GreetingLog
from kiosk.engine.ledger import MAX_BATCH, NOTIFY_CHANNEL, Ledger, _Job
from kiosk.engine.missed_calls import MissedCalls
from kiosk.engine.queries import HallState, Queries, ServiceStatus
from kiosk.engine.staff import StaffCommands, StaffMember
from kiosk.line import LineReader, services_with_mixed_targets
from kiosk.store import Store

C = schema.counters

__all__ = [
    "MAX_BATCH",
    "NOTIFY_CHANNEL",
    "Engine",
    "HallState",
    "QueueError",
    "Reprint",
    "ServiceStatus",
    "StaffMember",
]


class Engine(Ledger, CustomerCommands, MissedCalls, StaffCommands, GreetingLog, Queries):
    def __init__(self, config: KioskConfig, store: Store, clock: Clock | None = None, bus: EventBus | None = None):
        self.config = config
        self.store = store
        self.clock = clock or SystemClock()
        self.bus = bus or EventBus()
        self.branch = config.site.branch
        self.origin = uuid.uuid4().hex[:12]  # names this engine's commits in PostgreSQL notifications
        self.tz = config.tz()
        self.services: dict[str, Service] = config.domain_services()
        self.counter_info: dict[int, CounterInfo] = config.domain_counters()
        self._fallback_service_s = config.mean_service_s()
        self._max_run = config.queue.max_priority_in_a_row
        self._estimate_all, self._estimate_priority = sql.estimate_inputs(config.queue.estimate_recent_tickets)
        self._lines: dict[tuple[str, ...], LineReader] = {}
        self._day_checked = ""  # the business day the clock guard last let through
        self._mixed_targets: frozenset[str] = frozenset()  # see kiosk/line.py; found by setup()
        self._writer_lock = threading.Lock()  # one batch of this branch at a time
        self._pending_lock = threading.Lock()
        self._pending: list[_Job] = []
        self._finish_ticket = sql.finish_ticket(
            {s.code: s.default_category for s in config.services if s.default_category}, config.categories[0].code
        )

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        """Migrate the schema and make sure every configured counter has a state row."""
        self.store.upgrade()
        for attempt in range(5):
            try:  # several server processes may start at once and race to create these rows
                with self.store.write(self.branch) as conn:
                    known = {r.id for r in conn.execute(select(C.c.id).where(C.c.branch == self.branch))}
                    now = self.clock.now()
                    for cid in self.counter_info:
                        if cid not in known:
                            conn.execute(
                                C.insert().values(
                                    branch=self.branch, id=cid, state=CounterState.OPEN.value, updated_at=now
                                )
                            )
                    self._mixed_targets = services_with_mixed_targets(
                        conn, self.branch, {code: s.target_wait_s for code, s in self.services.items()}
                    )
                self._lines.clear()
                return
            except IntegrityError:
                if attempt == 4:
                    raise

    # ------------------------------------------------------------------ plumbing
    def local(self, t: float) -> datetime:
        return datetime.fromtimestamp(t, self.tz)

    def _service(self, code: str) -> Service:
        try:
            return self.services[code]
        except KeyError:
            raise QueueError("not_found", f"no service {code!r} (known: {', '.join(self.services)})") from None

    def _counter(self, counter_id: int) -> CounterInfo:
        try:
            return self.counter_info[counter_id]
        except KeyError:
            raise QueueError(
                "not_found", f"no counter {counter_id} (known: {', '.join(map(str, self.counter_info))})"
            ) from None
