"""The queue engine: what happens when a customer takes a ticket and a counter presses a button.

Every operation is one write transaction on the store (holding the branch lock) and emits its
events, numbered in the same transaction; the bus hands them to screens after the commit.
Every mutating operation takes an optional idempotency key: a repeat with the same key returns
the first answer and changes nothing (a counter that retries after a lost reply must not skip
a customer).

Staff operations act on the counter's *current* ticket, so a button press means the same
thing whatever screen or device it came from.

The package is made of parts, each given what it uses (none inherits from another):
ledger.py (the transaction core and what every part reads), waiting.py (places and
estimates), counter_rows.py (a counter's row as its commands read it), the commands
customer.py, counter.py, missed_calls.py, staff.py, follow_ups.py, greeting.py,
appointments.py, the reads
queries.py, rows.py (rows to domain objects) and errors.py. `Engine` builds the parts and is
the one API every screen, the server and the CLI use.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk import schema
from kiosk.bus import EventBus
from kiosk.clock import Clock, SystemClock
from kiosk.config import KioskConfig
from kiosk.domain import CounterState
from kiosk.engine.appointments import Appointments
from kiosk.engine.contacts import ContactLog
from kiosk.engine.counter import CounterCommands
from kiosk.engine.counter_rows import CounterRows
from kiosk.engine.customer import CustomerCommands, Reprint
from kiosk.engine.errors import QueueError
from kiosk.engine.follow_ups import FollowUps
from kiosk.engine.greeting import GreetingLog
from kiosk.engine.ledger import MAX_BATCH, NOTIFY_CHANNEL, Ledger
from kiosk.engine.missed_calls import MissedCalls
from kiosk.engine.queries import HallState, Queries, ServiceStatus
from kiosk.engine.sessions import DevicesSeen, ManagerSessions
from kiosk.engine.staff import StaffCommands, StaffMember
from kiosk.engine.texts import DueText, TextRequests
from kiosk.engine.waiting import Waiting
from kiosk.line import services_with_mixed_targets
from kiosk.store import Store

C = schema.counters

__all__ = [
    "MAX_BATCH",
    "NOTIFY_CHANNEL",
    "Engine",
    "DueText",
    "HallState",
    "QueueError",
    "Reprint",
    "ServiceStatus",
    "StaffMember",
]


class Engine:
    """The one front of the engine's parts: the same calls whatever part does the work."""

    def __init__(self, config: KioskConfig, store: Store, clock: Clock | None = None, bus: EventBus | None = None):
        self.ledger = ledger = Ledger(config, store, clock or SystemClock(), bus or EventBus())
        # what callers read of the hall, as the ledger holds it
        self.config, self.store, self.clock, self.bus = config, store, ledger.clock, ledger.bus
        self.branch, self.origin, self.tz = ledger.branch, ledger.origin, ledger.tz
        self.services, self.counter_info = ledger.services, ledger.counter_info
        self.local = ledger.local

        # the parts, each given what it uses
        waiting = Waiting(ledger)
        self.counter_rows = rows = CounterRows(ledger)
        self.follow_up_log = follow_ups = FollowUps(ledger)
        self.greetings = greetings = GreetingLog(ledger)
        self.customers = customers = CustomerCommands(ledger, waiting)
        self.counter_commands = counters = CounterCommands(ledger, rows, follow_ups)
        self.missed_calls = missed = MissedCalls(ledger, rows)
        self.staff = staff = StaffCommands(ledger, rows)
        self.queries = queries = Queries(ledger, waiting, greetings)
        self.texts = texts = TextRequests(ledger, waiting)
        self.contact_log = ContactLog(ledger, rows, follow_ups)
        self.appointments = Appointments(ledger, customers)
        self.book, self.change_appointment = self.appointments.add, self.appointments.change
        self.check_in, self.appointments_of = self.appointments.check_in, self.appointments.of_day
        self.log_contact = self.contact_log.log_contact
        self.sessions = ManagerSessions(ledger)
        self.open_session, self.session, self.end_session = (
            self.sessions.open_session,
            self.sessions.session,
            self.sessions.end_session,
        )
        self.devices = DevicesSeen(ledger)
        self.record_seen, self.devices_seen = self.devices.record_seen, self.devices.devices_seen

        # the API: each call goes to the part that does it
        self.issue, self.reprint, self.reprint_here = customers.issue, customers.reprint, customers.reprint_here
        self.ask_alerts = customers.ask_alerts
        self.ask_text, self.texts_due, self.text_sent = texts.ask_text, texts.texts_due, texts.text_sent
        self.text_requests, self.texting = texts.text_requests, texts.texting
        self.call_next, self.recall, self.start = counters.call_next, counters.recall, counters.start
        self.finish, self.no_show, self.transfer = counters.finish, counters.no_show, counters.transfer
        self.pause, self.resume, self.close_day = counters.pause, counters.resume, counters.close_day
        self.call_number, self.return_ticket = missed.call_number, missed.return_ticket
        self.expire_calls = missed.expire_calls
        self.check_staff_pin, self.check_manager_pin = staff.check_staff_pin, staff.check_manager_pin
        self.sign_in, self.sign_out = staff.sign_in, staff.sign_out
        self.set_counter_services, self.counter_services_now = staff.set_counter_services, staff.counter_services_now
        self.reply_follow_up, self.reopen_follow_up = follow_ups.reply_follow_up, follow_ups.reopen_follow_up
        self.check_follow_ups, self.follow_ups = follow_ups.check_follow_ups, follow_ups.follow_ups
        self.follow_up_slip = follow_ups.slip
        self.greet_arrival, self.greet_joined = greetings.greet_arrival, greetings.greet_joined
        self.greet_join, self.greet_repeat = greetings.greet_join, greetings.greet_repeat
        self.greet_escalate, self.confirm_greeting = greetings.greet_escalate, greetings.confirm_greeting
        self.open_greetings, self.device_alert = greetings.open_greetings, greetings.device_alert
        q = queries
        self.ticket, self.ticket_by_number, self.ticket_by_token = q.ticket, q.ticket_by_number, q.ticket_by_token
        self.position, self.counters, self.waiting_counts = q.position, q.counters, q.waiting_counts
        self.hall_state, self.services_status, self.waiting_tickets = q.hall_state, q.services_status, q.waiting_tickets
        self.recent_calls, self.prune, self.check_writable = q.recent_calls, q.prune, q.check_writable
        self.tickets_by_tokens, self.follow_up_due = q.tickets_by_tokens, q.follow_up_due
        self.last_event_seq, self.first_event_seq = q.last_event_seq, q.first_event_seq
        self.latest_events, self.events_after, self.events_between = q.latest_events, q.events_after, q.events_between

    def parts(self) -> list[object]:
        """Every part, the ledger first (tests/test_engine_parts.py watches them)."""
        return [
            self.ledger,
            self.counter_rows,
            self.follow_up_log,
            self.greetings,
            self.customers,
            self.counter_commands,
            self.missed_calls,
            self.staff,
            self.queries,
            self.texts,
            self.contact_log,
            self.appointments,
            self.sessions,
            self.devices,
            self.queries.waiting,
        ]

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
                    mixed = services_with_mixed_targets(
                        conn, self.branch, {code: s.target_wait_s for code, s in self.services.items()}
                    )
                self.counter_rows.set_up(mixed)
                return
            except IntegrityError:
                if attempt == 4:
                    raise
