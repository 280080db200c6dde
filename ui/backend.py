"""The screens' one way to the queue, without ever blocking the UI thread.

`LocalBackend` runs the engine in this process (one Pi): every call goes to a worker thread,
and its answer or error comes back to the UI thread through a queued Qt signal. Engine events
arrive the same way. A screen never waits on the database, the printer or a sensor; if a call
fails, the screen shows why and stays usable.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.config import LOCAL_KIOSK, KioskConfig
from kiosk.devices import PrinterState, PrintOutcome
from kiosk.domain import CounterInfo, Ticket
from kiosk.engine import Engine, HallState, QueueError, Reprint
from kiosk.printing import PrintService
from kiosk.reports import LogFilter
from kiosk.ticket_doc import make_ticket_doc
from ui.worker_calls import Done, Failed, WorkerCalls

log = logging.getLogger(__name__)


class PrintsHere:
    """Both backends print alike: on the kiosk's own printer (this machine's), on a worker
    thread, bounded by the ticket's deadline."""

    printer: PrintService | None
    config: KioskConfig

    if TYPE_CHECKING:  # WorkerCalls provides run; each backend records a reprint its own way

        def run(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None: ...

        def ask_reprint(self, ticket_id: int) -> Reprint:
            """Record this kiosk's own reprint of a ticket (blocking: on a worker thread)."""

    def print_ticket(
        self,
        ticket: Ticket,
        lang: str,
        ahead: int,
        estimated_wait_s: float | None,
        on_done: Done,
        reprint: bool = False,
    ) -> None:
        """on_done gets a PrintOutcome, or None when no printer is configured."""
        printer = self.printer
        if printer is None:
            on_done(None)
            return
        doc = make_ticket_doc(ticket, self.config, lang, self.config.site.public_url, ahead, estimated_wait_s)
        self.run(
            lambda: printer.print(doc, reprint),
            on_done,
            lambda e: on_done(PrintOutcome(False, PrinterState.ERROR, str(e))),
        )

    def print_again(self, ticket: Ticket, lang: str, ahead: int, estimated_wait_s: float | None, on_done: Done) -> None:
        """The customer's "Print again": recorded as a reprint like any other (an event, counted
        in the log, limited per ticket and per kiosk) and printed here with the place in line as
        it is now (`ahead` and `estimated_wait_s`, from issue, only if the queue cannot be
        reached). on_done gets a PrintOutcome, or None when there is nothing new to print."""
        printer = self.printer
        if printer is None:
            on_done(None)
            return

        def again() -> PrintOutcome | None:
            try:
                asked = self.ask_reprint(ticket.id)
            except QueueError:
                raise  # refused (too many, no longer in line): the customer is told
            except Exception as e:  # the queue cannot be reached: the customer still gets paper
                log.warning("reprint of %s not recorded (%s); printed anyway", ticket.number, e)
                asked = Reprint(ticket, ahead, estimated_wait_s, False)
            if asked.merged:  # a reprint of it is already on its way
                return None
            doc = make_ticket_doc(
                asked.ticket, self.config, lang, self.config.site.public_url, asked.ahead, asked.estimated_wait_s
            )
            return printer.print(doc, reprint=True)

        self.run(again, on_done, lambda e: on_done(PrintOutcome(False, PrinterState.ERROR, str(e))))


class LocalBackend(PrintsHere, WorkerCalls):
    def __init__(self, engine: Engine, printer: PrintService | None = None, workers: int = 4):
        super().__init__(workers, "backend")
        self.engine = engine
        self.config: KioskConfig = engine.config
        self.printer = printer
        self._unsubscribe = engine.bus.subscribe(self.post_event)  # from the engine's thread

    def close(self) -> None:
        self._unsubscribe()
        super().close()

    # ------------------------------------------------------------ what screens need to know
    @property
    def tz(self) -> ZoneInfo:
        return self.engine.tz

    @property
    def counter_info(self) -> dict[int, CounterInfo]:
        return self.engine.counter_info

    def now(self) -> float:
        return self.engine.clock.now()

    def read_log(self, f: LogFilter, on_done: Done, on_error: Failed | None = None, lang: str | None = None) -> None:
        """The period's report for the manager view (kiosk/report.py's Report)."""
        from kiosk.report import read_report

        store, config = self.engine.store, self.config
        self.run(lambda: read_report(store, config, f, self.now(), lang=lang), on_done, on_error)

    # ------------------------------------------------------------ reading
    def hall_state(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(self._read_hall_state, on_done, on_error)

    def _read_hall_state(self) -> HallState:
        return self.engine.hall_state()

    # ------------------------------------------------------------ customer
    def issue(
        self, service: str, priority: bool, on_done: Done, on_error: Failed | None = None, lang: str | None = None
    ) -> None:
        key = f"kiosk-{uuid.uuid4()}"  # one tap, one ticket, even if the call is retried
        self.run(
            lambda: self.engine.issue(service, priority, key=key, kiosk=LOCAL_KIOSK, language=lang), on_done, on_error
        )

    def check_in(self, ref: str, on_done: Done, on_error: Failed | None = None, lang: str | None = None) -> None:
        key = f"check-in-{uuid.uuid4()}"
        self.run(lambda: self.engine.check_in(ref=ref, key=key, kiosk=LOCAL_KIOSK, language=lang), on_done, on_error)

    def report_problem(self, kind: str, state: str, message: str) -> None:
        """A screen tells staff something went wrong (best effort: the queue may be the problem)."""
        self.run(lambda: self.engine.device_alert(LOCAL_KIOSK, state, message, kind=kind), None, lambda e: None)

    def reprint(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None:
        """Staff: print today's ticket `number` again on the kiosk that issued it."""
        key = f"reprint-{uuid.uuid4()}"
        self.run(
            lambda: self.engine.reprint(self.engine.ticket_by_number(number).id, by=by, key=key), on_done, on_error
        )

    def check_manager_pin(self, pin: str, on_done: Done, on_error: Failed | None = None) -> None:
        """on_done(StaffMember) when `pin` is a manager's; the lock-out is counted in the store."""
        self.run(lambda: self.engine.check_manager_pin(pin), on_done, on_error)

    def ask_reprint(self, ticket_id: int) -> Reprint:
        return self.engine.reprint_here(ticket_id, by=LOCAL_KIOSK, kiosk=LOCAL_KIOSK, as_kiosk=True)

    def return_ticket(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None:
        """Staff: today's no-show `number` came after all; back into line."""
        key = f"return-{uuid.uuid4()}"
        self.run(lambda: self.engine.return_ticket(number, by=by, key=key), on_done, on_error)

    def bookings_today(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(
            lambda: self.engine.appointments_of(self.engine.local(self.engine.clock.now()).date().isoformat()),
            on_done,
            on_error,
        )

    def check_in_booking(self, appointment_id: int, on_done: Done, on_error: Failed | None = None) -> None:
        key = f"check-in-{uuid.uuid4()}"
        self.run(lambda: self.engine.check_in(appointment_id=appointment_id, key=key), on_done, on_error)

    def print_slip(
        self,
        by: str,
        on_done: Done,
        on_error: Failed | None = None,
        *,
        follow_up_id: int | None = None,
        ticket_id: int | None = None,
    ) -> None:
        key = f"slip-{uuid.uuid4()}"
        self.run(
            lambda: self.engine.follow_up_slip(by, follow_up_id=follow_up_id, ticket_id=ticket_id, key=key),
            on_done,
            on_error,
        )

    # ------------------------------------------------------------ the manager's
    def follow_ups(self, on_done: Done, on_error: Failed | None = None) -> None:
        """The follow-up board (with contacts: the manager view is behind a manager's PIN)."""
        self.run(lambda: self.engine.follow_ups(), on_done, on_error)

    def reply_follow_up(
        self, follow_up_id: int, by: str, method: str, note: str, on_done: Done, on_error: Failed | None = None
    ) -> None:
        key = f"reply-{uuid.uuid4()}"
        self.run(lambda: self.engine.reply_follow_up(follow_up_id, by, method, note, key=key), on_done, on_error)

    def reopen_follow_up(self, follow_up_id: int, reason: str, on_done: Done, on_error: Failed | None = None) -> None:
        key = f"reopen-{uuid.uuid4()}"
        self.run(lambda: self.engine.reopen_follow_up(follow_up_id, reason, key=key), on_done, on_error)

    def set_counter_services(
        self, counter_id: int, services: list[str], by: str, on_done: Done, on_error: Failed | None = None
    ) -> None:
        key = f"services-{uuid.uuid4()}"
        self.run(lambda: self.engine.set_counter_services(counter_id, services, by, key=key), on_done, on_error)

    def close_day(self, on_done: Done, on_error: Failed | None = None) -> None:
        key = f"close-day-{uuid.uuid4()}"
        self.run(lambda: self.engine.close_day(key=key), on_done, on_error)

    # ------------------------------------------------------------ counter
    def counter_action(
        self, action: str, counter_id: int, *args: Any, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """call_next / recall / start / finish / no_show / transfer / pause / resume / call_number /
        sign_in / sign_out, with a fresh idempotency key per press."""
        fn = getattr(self.engine, action)
        key = f"panel-{counter_id}-{action}-{uuid.uuid4()}"
        self.run(lambda: fn(counter_id, *args, key=key), on_done, on_error)

    def confirm_greeting(
        self, alert_id: int, counter_id: int, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        key = f"greet-{alert_id}-{counter_id}-{uuid.uuid4()}"
        self.run(lambda: self.engine.confirm_greeting(alert_id, counter_id, key=key), on_done, on_error)
