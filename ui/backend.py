"""The screens' one way to the queue, without ever blocking the UI thread.

`LocalBackend` runs the engine in this process (one Pi): every call goes to a worker thread,
and its answer or error comes back to the UI thread through a queued Qt signal. Engine events
arrive the same way. A screen never waits on the database, the printer or a sensor; if a call
fails, the screen shows why and stays usable.
"""
from __future__ import annotations

import itertools
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.config import KioskConfig
from kiosk.devices import PrintOutcome
from kiosk.domain import CounterStatus, Event, Ticket
from kiosk.engine import Engine, ServiceStatus
from kiosk.printing import PrintService
from kiosk.ticket_doc import make_ticket_doc

log = logging.getLogger(__name__)
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


@dataclass(frozen=True)
class HallState:
    """What the screens show, read in one go."""
    services: list[ServiceStatus]
    counters: list[CounterStatus]
    current: dict[int, Ticket]          # counter id -> its current ticket
    recent_calls: list[Ticket]
    site_open: bool
    next_open: float | None
    alerts: list[Event]                 # recent device alerts, newest first


class LocalBackend(QObject):
    event = Signal(object)              # kiosk.domain.Event, delivered in the UI thread
    online = Signal(bool, str)          # (reachable, reason)
    _finished = Signal(int, object, object)

    def __init__(self, engine: Engine, printer: PrintService | None = None, workers: int = 4):
        super().__init__()
        self.engine = engine
        self.config: KioskConfig = engine.config
        self.printer = printer
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backend")
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._closed = False
        self._ids = itertools.count(1)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = engine.bus.subscribe(self._on_engine_event)
        self._forward = _EventForwarder()
        self._forward.relay.connect(self.event.emit, Qt.ConnectionType.QueuedConnection)

    def _on_engine_event(self, ev: Event) -> None:
        self._forward.relay.emit(ev)   # from the engine's thread to the UI thread

    # ------------------------------------------------------------ plumbing
    def run(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Run `fn` on a worker thread; call on_done(result) or on_error(exc) in the UI thread."""
        if self._closed:            # a window's timer firing after shutdown: nothing to do
            return
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)

        def work() -> None:
            try:
                result, error = fn(), None
            except Exception as e:          # reported to the screen, never raised into Qt
                result, error = None, e
            self._finished.emit(job, result, error)
        self._pool.submit(work)

    @Slot(int, object, object)
    def _deliver(self, job: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        if error is not None:
            from kiosk.engine import QueueError
            if not isinstance(error, QueueError):
                log.warning("backend call failed: %r", error)
                self.online.emit(False, str(error))
            if on_error:
                on_error(error)
            return
        self.online.emit(True, "")
        if on_done:
            on_done(result)

    def close(self) -> None:
        self._closed = True
        self._unsubscribe()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------ what screens need to know
    @property
    def tz(self):
        return self.engine.tz

    @property
    def counter_info(self):
        return self.engine.counter_info

    def now(self) -> float:
        return self.engine.clock.now()

    def read_log(self, f, on_done: Done, on_error: Failed | None = None) -> None:
        """The waiting-time log for the manager view: (rows, total, by hour, greeting figures)."""
        from kiosk.reports import figures, greeting_figures, greeting_rows, log_rows
        store, config = self.engine.store, self.config

        def read():
            rows = log_rows(store, config, f)
            greet = greeting_figures(greeting_rows(store, config, f), rows, config.presence.greet_target_s)
            return rows, figures(rows), figures(rows, ["hour"]), greet
        self.run(read, on_done, on_error)

    # ------------------------------------------------------------ reading
    def hall_state(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(self._read_hall_state, on_done, on_error)

    def _read_hall_state(self) -> HallState:
        e = self.engine
        counters = e.counters()
        current = {c.id: e.ticket(c.current_ticket_id) for c in counters if c.current_ticket_id}
        local = e.local(e.clock.now())
        hours = self.config.site.hours.calendar()
        nxt = None if hours.is_open(local) else hours.next_opening(local)
        return HallState(e.services_status(), counters, current, e.recent_calls(8), hours.is_open(local),
                         nxt.timestamp() if nxt else None, e.latest_events("device_alert", 5))

    # ------------------------------------------------------------ customer
    def issue(self, service: str, priority: bool, on_done: Done, on_error: Failed | None = None) -> None:
        key = f"kiosk-{uuid.uuid4()}"      # one tap, one ticket, even if the call is retried
        self.run(lambda: self.engine.issue(service, priority, key=key), on_done, on_error)

    def print_ticket(self, ticket: Ticket, lang: str, ahead: int, estimated_wait_s: float | None,
                     on_done: Done) -> None:
        """Print (bounded by the printer's timeout). on_done gets a PrintOutcome, or None when
        no printer is configured."""
        if self.printer is None:
            on_done(None)
            return
        doc = make_ticket_doc(ticket, self.config, lang, self.config.site.public_url, ahead, estimated_wait_s)
        self.run(lambda: self.printer.print(doc), on_done,
                 lambda e: on_done(PrintOutcome(False, _error_state(), str(e))))

    # ------------------------------------------------------------ counter
    def counter_action(self, action: str, counter_id: int, *args: Any, on_done: Done | None = None,
                       on_error: Failed | None = None) -> None:
        """call_next / recall / start / finish / no_show / transfer / pause / resume, with a fresh
        idempotency key per press."""
        fn = getattr(self.engine, action)
        key = f"panel-{counter_id}-{action}-{uuid.uuid4()}"
        self.run(lambda: fn(counter_id, *args, key=key), on_done, on_error)


    def confirm_greeting(self, alert_id: int, counter_id: int, on_done: Done | None = None,
                         on_error: Failed | None = None) -> None:
        key = f"greet-{alert_id}-{counter_id}-{uuid.uuid4()}"
        self.run(lambda: self.engine.confirm_greeting(alert_id, counter_id, key=key), on_done, on_error)


class _EventForwarder(QObject):
    relay = Signal(object)


def _error_state():
    from kiosk.devices import PrinterState
    return PrinterState.ERROR
