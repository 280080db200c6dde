"""Printing a ticket without ever losing it.

The ticket is committed by the engine *before* anything is printed (a printer error must never
cost a customer their place; FQM printed first and lost tickets). Printing runs on one worker
thread per printer, and the caller waits at most `timeout_s`: a hung printer makes the kiosk
say so, it never freezes it. While a job is stuck, new jobs fail at once instead of queueing
behind it. Every failure, and paper running low, is reported to staff through the engine's
event log (`device_alert`), and any ticket can be printed again with `reprint`.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable

from kiosk.devices import PrinterState, PrintOutcome, TicketDoc, TicketPrinter

log = logging.getLogger(__name__)
AlertSink = Callable[[str, str, str], None]     # (device, state, message)


class PrintService:
    def __init__(self, printer: TicketPrinter, alert: AlertSink | None = None, timeout_s: float = 8.0):
        self.printer = printer
        self.timeout_s = timeout_s
        self._alert = alert or (lambda device, state, message: None)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"print-{printer.name}")
        self._lock = threading.Lock()
        self._busy_since: float | None = None
        self._last_state: PrinterState | None = None

    def submit(self, doc: TicketDoc) -> Future[PrintOutcome]:
        """Start printing; the future always resolves to an outcome, never an exception."""
        with self._lock:
            stuck = self._busy_since is not None and time.monotonic() - self._busy_since > self.timeout_s
        if stuck:
            f: Future[PrintOutcome] = Future()
            f.set_result(self._failed(doc, PrinterState.OFFLINE, "the printer is not answering (previous ticket stuck)"))
            return f
        return self._pool.submit(self._run, doc)

    def print(self, doc: TicketDoc) -> PrintOutcome:
        """Print and wait at most timeout_s."""
        fut = self.submit(doc)
        try:
            return fut.result(timeout=self.timeout_s)
        except FutureTimeout:
            return self._failed(doc, PrinterState.OFFLINE, f"the printer did not finish within {self.timeout_s:g} s")

    def _run(self, doc: TicketDoc) -> PrintOutcome:
        with self._lock:
            self._busy_since = time.monotonic()
        started = time.perf_counter()
        try:
            outcome = self.printer.print_ticket(doc)
        except Exception as e:           # a driver bug must not kill the worker or lose the ticket
            log.exception("printer %s failed", self.printer.name)
            outcome = PrintOutcome(False, PrinterState.ERROR, f"printer error: {e}")
        finally:
            with self._lock:
                self._busy_since = None
        outcome = PrintOutcome(outcome.printed, outcome.state, outcome.message, outcome.bytes_sent,
                               time.perf_counter() - started)
        if not outcome.printed:
            return self._failed(doc, outcome.state, outcome.message, outcome)
        if outcome.state == PrinterState.PAPER_NEAR_END and self._last_state != PrinterState.PAPER_NEAR_END:
            self._alert(self.printer.name, outcome.state.value, "paper is running out: change the roll soon")
        self._last_state = outcome.state
        return outcome

    def _failed(self, doc: TicketDoc, state: PrinterState, message: str,
                outcome: PrintOutcome | None = None) -> PrintOutcome:
        self._last_state = state
        self._alert(self.printer.name, state.value,
                    f"ticket {doc.number} was not printed ({message}); it is in line and shown on screen")
        return outcome or PrintOutcome(False, state, message)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
