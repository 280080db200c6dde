"""What the screens of one machine are handed: the queue engine and, where this machine has a
printer, its print service. kiosk/compose.py builds it; ui/ only receives it (so the screens
never import the composition root)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.engine import Engine
from kiosk.printing import PrintService


@dataclass
class Hall:
    engine: Engine
    printer: PrintService | None

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
