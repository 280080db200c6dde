"""The simulated printer: the demo's and the tests' printer, and a way to see tickets without
paper. Each ticket's raw ESC/POS bytes and a PNG of it go to a folder. Its state can be set
(paper out, offline, ...) and it can be made to hang, to show what the kiosk does then."""

from __future__ import annotations

import os
import re
import threading
import time
from datetime import datetime
from pathlib import Path

from hardware.ticket_layout import Layout, Paper, RenderedTicket, render_ticket
from kiosk.devices import PrintDoc, PrinterHealth, PrinterState, PrintJob, PrintOutcome


class SimulatedPrinter:
    def __init__(
        self,
        out_dir: Path | str,
        font_path: str,
        paper: Paper = Paper(),
        layout: Layout = "compact",
        name: str = "simulated printer",
    ):
        self.name = name
        self.out_dir = Path(out_dir)
        self.font_path = font_path
        self.paper = paper
        self.layout = layout
        self.state = PrinterState.READY
        self.hang_s = 0.0  # > 0: every print blocks this long (a jammed USB write)
        self.timeout_s = 5.0
        self.printed: list[Path] = []
        self._lock = threading.Lock()

    def health(self, deadline: float | None = None) -> PrinterHealth:
        return PrinterHealth(self.state, "" if self.state == PrinterState.READY else f"simulated {self.state.value}")

    def render(self, doc: PrintDoc) -> RenderedTicket:
        return render_ticket(doc, self.font_path, self.paper, self.layout)

    def wire_seconds(self, nbytes: int) -> float:
        return 0.0

    def send(self, job: PrintJob, deadline: float) -> PrintOutcome:
        if self.hang_s:
            time.sleep(self.hang_s)
        if not self.state.can_print:
            return PrintOutcome(False, self.state, f"simulated {self.state.value}")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            rendered = job if isinstance(job, RenderedTicket) else None  # a job of another printer: bytes only
            stem = self.out_dir / f"{stamp}-{_safe(rendered.number if rendered else 'ticket')}"
            _write_whole(stem.with_suffix(".escpos"), job.escpos)
            shown = stem.with_suffix(".png" if rendered else ".escpos")
            if rendered is not None:
                _write_whole(shown, rendered.preview_png())
            self.printed.append(shown)
        return PrintOutcome(True, self.state, str(shown), len(job.escpos))

    def print_ticket(self, doc: PrintDoc) -> PrintOutcome:
        return self.send(self.render(doc), time.monotonic() + self.timeout_s)


def _write_whole(path: Path, data: bytes) -> None:
    """Whole or not at all: whoever watches the folder (a test, the demo's viewer) never reads a
    ticket half written (a test once read an empty slip that was still being written)."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


def _safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", s)
