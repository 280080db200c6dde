"""A TicketPrinter on a wire (hardware/printer/links.py): ask, write, ask again, close.

One deadline per ticket: `timeout_s` plus the time its bytes need on the wire. Inside it, the
printer must keep up: a status question gets `stall_s` for its answer, and a write that makes
no progress for `stall_s` ends the ticket, so a jammed or deaf printer is known in seconds
whatever the ticket's size. The status asked after the last byte queues behind the bytes the
operating system still holds (on a serial line it arrives once every byte has gone out), so it
gets their wire time plus `stall_s`; only a positive "online, paper, cover closed" then counts
as printed. Silence, an I/O error or a dropped connection means not printed.
"""

from __future__ import annotations

import time

from hardware.printer.links import Link, LinkError, Missing
from hardware.printer.status import query, still_taking
from hardware.ticket_layout import Chinese, Layout, Paper, RenderedTicket, render_ticket
from kiosk.devices import PrintDoc, PrinterHealth, PrinterState, PrintJob, PrintOutcome

# DLE DC4 fn 8: clear the receive and print buffers (Epson TM-T20II and later; others ignore
# it). Sent after a ticket that failed part-way, so a printer that comes back online does not
# print half a ticket for the next customer to pick up.
CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"
CHECK_WIRE_S = 1.0  # mid-ticket, ask whether the printer still reads after about this much wire time
CHECK_MIN_BYTES = 1024
CHECK_LAN_BYTES = 16384  # USB and LAN: no wire time to go by


class EscposTicketPrinter:
    def __init__(
        self,
        name: str,
        link: Link,
        font_path: str,
        paper: Paper,
        layout: Layout,
        chinese: Chinese = "raster",
        timeout_s: float = 5.0,
        stall_s: float = 2.0,
    ):
        self.name = name
        self.link = link
        self.font_path = font_path
        self.paper = paper
        self.layout = layout
        self.chinese = chinese
        self.timeout_s = timeout_s
        self.stall_s = stall_s

    def render(self, doc: PrintDoc) -> RenderedTicket:
        return render_ticket(doc, self.font_path, self.paper, self.layout, self.chinese)

    def wire_seconds(self, nbytes: int) -> float:
        return self.link.wire_seconds(nbytes)

    def _open(self, deadline: float) -> PrinterHealth | None:
        try:
            self.link.open(deadline)
            return None
        except Missing as e:
            return PrinterHealth(PrinterState.MISSING, str(e))
        except LinkError as e:
            return PrinterHealth(PrinterState.OFFLINE, str(e))

    def health(self, deadline: float | None = None) -> PrinterHealth:
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout_s
        problem = self._open(deadline)
        if problem is not None:
            return problem
        try:
            if not self.link.can_query:
                return PrinterHealth(PrinterState.UNKNOWN, f"{self.link.describe} cannot report its status")
            return query(self.link, self._answer_by(deadline))
        finally:
            self.link.close()

    def send(self, job: PrintJob, deadline: float) -> PrintOutcome:
        data = job.escpos
        started = time.perf_counter()

        def outcome(printed: bool, h: PrinterHealth, sent: int = 0) -> PrintOutcome:
            return PrintOutcome(printed, h.state, h.detail, sent, time.perf_counter() - started)

        problem = self._open(deadline)
        if problem is not None:
            return outcome(False, problem)
        try:
            if self.link.can_query:
                before = query(self.link, self._answer_by(deadline))
                if not before.state.can_print:
                    return outcome(False, before)
            try:
                confirmed, stopped = self._write_checked(data, getattr(job, "breaks", ()), deadline)
            except LinkError as e:
                return outcome(False, PrinterHealth(PrinterState.OFFLINE, f"stopped while printing: {e}"), len(data))
            if stopped is not None:
                self._clear_buffers()
                why = PrinterHealth(stopped.state, f"stopped while printing: {stopped.detail}")
                return outcome(False, why, len(data))
            if not self.link.can_query:
                return outcome(True, PrinterHealth(PrinterState.UNKNOWN, "sent; the device cannot confirm"), len(data))
            # bytes the printer has not confirmed may still be on the wire: the answer comes after them
            unconfirmed_s = self.link.wire_seconds(len(data) - confirmed)
            after = query(self.link, min(deadline, time.monotonic() + unconfirmed_s + self.stall_s))
            if not after.state.can_print:
                # out of paper, cover opened, switched off or silent during this ticket: the
                # customer may hold half a ticket or none
                self._clear_buffers()
                return outcome(False, PrinterHealth(after.state, f"after the ticket: {after.detail}"), len(data))
            return outcome(True, after, len(data))
        finally:
            self.link.close()

    def _write_checked(self, data: bytes, breaks: tuple[int, ...], deadline: float) -> tuple[int, PrinterHealth | None]:
        """Write the ticket; every second or so of wire time (at a break between commands) ask
        whether the printer still takes it. An operating system's buffer can swallow a whole
        ticket a jammed printer never reads; its answer cannot. Returns the bytes confirmed
        read, and why the printer stopped (None: it did not)."""
        per_byte = self.link.wire_seconds(1)
        check_every = max(CHECK_MIN_BYTES, int(CHECK_WIRE_S / per_byte)) if per_byte else CHECK_LAN_BYTES
        confirmed = start = 0
        for end in [*breaks, len(data)]:
            if end <= start:
                continue
            self.link.write(data[start:end], deadline, self.stall_s)
            start = end
            if self.link.can_query and end < len(data) and end - confirmed >= check_every:
                stopped = still_taking(self.link, self.link.wire_seconds(end - confirmed), self.stall_s, deadline)
                if stopped is not None:
                    return confirmed, stopped
                confirmed = end
        return confirmed, None

    def _answer_by(self, deadline: float) -> float:
        """A status question's own deadline: a printer answers at once or not at all."""
        return min(deadline, time.monotonic() + self.stall_s)

    def _clear_buffers(self) -> None:
        try:
            self.link.write(CLEAR_BUFFERS, time.monotonic() + 0.5)
        except LinkError:
            pass

    def print_ticket(self, doc: PrintDoc) -> PrintOutcome:
        job = self.render(doc)
        return self.send(job, time.monotonic() + self.timeout_s + self.wire_seconds(len(job.escpos)))
