"""Printing a ticket without ever losing it.

The ticket is committed by the engine *before* anything is printed (a printer error must never
cost a customer their place; FQM printed first and lost tickets). One worker thread per printer
does all its I/O, one job at a time, so a queued ticket's time starts when its turn comes.

A ticket's deadline is the printer's `timeout_s` plus the time its bytes need on the wire
(9600 baud is slow), and the printer's I/O keeps it (hardware/printer/links.py). A watchdog
half a second after the deadline covers a driver that does not: the ticket is then reported
not printed, and while the worker is stuck new tickets fail at once instead of queueing.

Staff hear of every problem through `alert` (the engine's `device_alert`): exactly one alert per
ticket not printed, one when an idle printer goes bad (polled every `poll_s`), one when it works
again (so the counter panels' banner clears), one when paper runs low. Any ticket can be sent
again with `submit` (a reprint: kiosk/reprints.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.devices import PrintDoc, PrinterState, PrintOutcome, TicketPrinter

log = logging.getLogger(__name__)
GRACE_S = 0.5  # the watchdog's margin over the printer's own deadline (a driver bug's, not a printer's)


class AlertSink(Protocol):
    def __call__(
        self, device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device"
    ) -> None: ...


def _no_alert(device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device") -> None:
    pass


@dataclass(eq=False)
class _Job:
    doc: PrintDoc
    reprint: bool = False
    settled: bool = False
    future: Future[PrintOutcome] = field(default_factory=Future)


class PrintService:
    def __init__(self, printer: TicketPrinter, alert: AlertSink | None = None, poll_s: float = 0):
        self.printer = printer
        self.poll_s = poll_s
        self._alert = alert or _no_alert
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._current: _Job | None = None
        self._stuck = False  # the watchdog fired and the driver has not returned
        self._closed = False
        self._reported: PrinterState | None = None  # the state staff were last told about
        self._worker = threading.Thread(target=self._loop, name=f"print-{printer.name}", daemon=True)
        self._worker.start()

    @property
    def name(self) -> str:
        return self.printer.name

    # ------------------------------------------------------------ asking for tickets
    def submit(self, doc: PrintDoc, reprint: bool = False) -> Future[PrintOutcome]:
        """Queue a ticket; the future always resolves to an outcome, never an exception, and
        never later than the ticket's own deadline (plus GRACE_S) once its turn came."""
        job = _Job(doc, reprint)
        with self._cond:
            closed, stuck = self._closed, self._stuck
            if reprint and not (closed or stuck):
                waiting = next((j for j in self._queue if j.reprint and j.doc.number == doc.number), None)
                if waiting is not None:  # asked again before the first came out: one receipt
                    return waiting.future
            if not (closed or stuck):
                self._queue.append(job)
                self._cond.notify()
        if closed:  # the kiosk is going away: nobody to print for, nothing to tell staff
            job.settled = True
            job.future.set_result(PrintOutcome(False, PrinterState.OFFLINE, "the kiosk is shutting down"))
        elif stuck:
            self._resolve(
                job,
                PrintOutcome(False, PrinterState.OFFLINE, "the printer is not answering (an earlier ticket is stuck)"),
            )
        return job.future

    def print(self, doc: PrintDoc, reprint: bool = False) -> PrintOutcome:
        """Print and wait for the outcome (bounded: see submit)."""
        return self.submit(doc, reprint).result()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            pending, self._queue = list(self._queue), deque()
            self._cond.notify()
        for job in pending:  # not printed, and nobody to tell: the kiosk is going away
            job.settled = True
            job.future.set_result(PrintOutcome(False, PrinterState.OFFLINE, "the kiosk is shutting down"))

    # ------------------------------------------------------------ the worker
    def _loop(self) -> None:
        next_poll = time.monotonic() if self.poll_s else float("inf")
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    wait = next_poll - time.monotonic()
                    if wait <= 0:
                        break
                    self._cond.wait(None if wait == float("inf") else wait)
                if self._closed:
                    return
                job = self._queue.popleft() if self._queue else None
                self._current = job
            try:
                if job is None:
                    self._poll()
                else:
                    self._run(job)
            except Exception:  # nothing may end this thread: tickets would stop
                log.exception("print worker of %s", self.printer.name)
            with self._cond:
                self._current, self._stuck = None, False
            if self.poll_s:
                next_poll = time.monotonic() + self.poll_s

    def _run(self, job: _Job) -> None:
        started = time.monotonic()
        try:
            rendered = self.printer.render(job.doc)
        except Exception as e:
            log.exception("rendering ticket %s", job.doc.number)
            self._resolve(job, PrintOutcome(False, PrinterState.ERROR, f"the ticket could not be drawn: {e}"))
            return
        deadline = started + self.printer.timeout_s + self.printer.wire_seconds(len(rendered.escpos))
        watchdog = threading.Timer(deadline - time.monotonic() + GRACE_S, self._overdue, (job, deadline - started))
        watchdog.daemon = True
        watchdog.start()
        try:
            outcome = self.printer.send(rendered, deadline)
        except Exception as e:  # a driver bug must not lose the ticket
            log.exception("printer %s failed", self.printer.name)
            outcome = PrintOutcome(False, PrinterState.ERROR, f"printer error: {' '.join(str(e).split())}")
        finally:
            watchdog.cancel()
        outcome = PrintOutcome(
            outcome.printed, outcome.state, outcome.message, outcome.bytes_sent, time.monotonic() - started
        )
        if not self._resolve(job, outcome) and outcome.printed:
            log.warning("ticket %s printed after it was reported not printed", job.doc.number)

    def _overdue(self, job: _Job, allowed_s: float) -> None:
        with self._cond:
            if self._current is not job:
                return
            self._stuck = True
            pending, self._queue = list(self._queue), deque()
        msg = f"the printer did not finish within {allowed_s:.1f} s"
        self._resolve(job, PrintOutcome(False, PrinterState.OFFLINE, msg))
        for other in pending:
            self._resolve(other, PrintOutcome(False, PrinterState.OFFLINE, "the printer is not answering"))

    def _poll(self) -> None:
        health = self.printer.health(time.monotonic() + self.printer.timeout_s)
        self._observe(health.state, health.detail)

    # ------------------------------------------------------------ telling staff
    def _resolve(self, job: _Job, outcome: PrintOutcome) -> bool:
        """Settle a job once; the first outcome wins and is the only one staff hear of."""
        with self._cond:
            if job.settled:
                return False
            job.settled = True
        number = job.doc.number
        if not outcome.printed:
            what = f"reprint of {job.doc.what}" if job.reprint else job.doc.what
            self._alert(
                self.printer.name,
                outcome.state.value,
                f"{what} {number} was not printed ({outcome.message}); " + _still_safe(job),
                ticket=number,
                kind="printer",
            )
            self._reported = outcome.state
        else:
            self._observe(outcome.state, outcome.message)
        job.future.set_result(outcome)  # after the alert: whoever waits sees staff were told
        return True

    def _observe(self, state: PrinterState, detail: str) -> None:
        """An idle check or a printed ticket: tell staff when the printer changes for them."""
        before = self._reported
        bad_before = before is not None and not before.can_print
        if not state.can_print:
            if state != before:
                self._alert(
                    self.printer.name,
                    state.value,
                    f"the printer is {state.value.replace('_', ' ')}: {detail}",
                    kind="printer",
                )
        elif bad_before:
            self._alert(self.printer.name, PrinterState.READY.value, "the printer works again", kind="printer")
        elif state == PrinterState.READY and before == PrinterState.PAPER_NEAR_END:
            # the roll was changed: the warning on the counter panels goes away
            self._alert(self.printer.name, state.value, "the paper roll was changed", kind="printer")
        if state == PrinterState.PAPER_NEAR_END and before != PrinterState.PAPER_NEAR_END:
            self._alert(self.printer.name, state.value, "paper is running out: change the roll soon", kind="printer")
        self._reported = state


def _still_safe(job: _Job) -> str:
    """What staff need to hear beside a print that failed: nothing was lost."""
    if job.doc.what != "ticket":
        return "the promised reply is on the follow-up board; tell the customer its time"
    return "it is in line" + ("" if job.reprint else " and shown on screen")
