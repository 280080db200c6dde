"""A TicketPrinter on a python-escpos connection: check, write, check again, close."""
from __future__ import annotations

import logging
import time

from hardware.printer.connections import Connection
from hardware.printer.status import query
from hardware.ticket_layout import Layout, Paper, render_ticket
from kiosk.devices import PrinterHealth, PrinterState, PrintOutcome, TicketDoc

log = logging.getLogger(__name__)


class EscposTicketPrinter:
    def __init__(self, name: str, connection: Connection, font_path: str, paper: Paper, layout: Layout):
        self.name = name
        self.connection = connection
        self.font_path = font_path
        self.paper = paper
        self.layout = layout

    def _open(self):
        try:
            return self.connection.open(), None
        except Exception as e:     # unplugged, refused, no permission: the printer is not there
            return None, PrinterHealth(PrinterState.OFFLINE, f"cannot open {self.connection.describe}: {e}")

    def health(self) -> PrinterHealth:
        device, problem = self._open()
        if device is None:
            return problem
        try:
            if not self.connection.can_query:
                return PrinterHealth(PrinterState.UNKNOWN, f"{self.connection.describe} cannot report status")
            return query(device)
        finally:
            _close(device)

    def print_ticket(self, doc: TicketDoc) -> PrintOutcome:
        data = render_ticket(doc, self.font_path, self.paper, self.layout).escpos   # before opening: no I/O held
        device, problem = self._open()
        if device is None:
            return PrintOutcome(False, problem.state, problem.detail)
        try:
            before = query(device) if self.connection.can_query else PrinterHealth(PrinterState.UNKNOWN)
            if not before.state.can_print:
                return PrintOutcome(False, before.state, before.detail)
            started = time.perf_counter()
            try:
                device._raw(data)
            except Exception as e:
                return PrintOutcome(False, PrinterState.OFFLINE, f"the printer stopped answering while printing: {e}")
            after = query(device) if self.connection.can_query else PrinterHealth(PrinterState.UNKNOWN)
            if after.state in (PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.ERROR):
                # the roll ran out during this ticket: the customer may hold half a ticket
                return PrintOutcome(False, after.state, after.detail, len(data), time.perf_counter() - started)
            return PrintOutcome(True, after.state, after.detail, len(data), time.perf_counter() - started)
        finally:
            _close(device)


def _close(device) -> None:
    try:
        device.close()
    except Exception:
        log.debug("closing the printer failed", exc_info=True)
