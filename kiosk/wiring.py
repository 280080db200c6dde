"""The composition root: the one module of the core that wires in devices and screens.
Imported lazily by the CLI (`kiosk run`, `kiosk screen`, `kiosk snapshot`) so that the rest of
the core never depends on Qt or device libraries."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.engine import Engine
from kiosk.printing import PrintService
from kiosk.store import Store, default_sqlite_path, sqlite_url


@dataclass
class Hall:
    engine: Engine
    printer: PrintService | None


def build_hall(config: KioskConfig, db_url: str | None = None, clock: Clock | None = None,
               ticket_dir: Path | None = None) -> Hall:
    """Engine on the configured (or given) database, with the configured printer."""
    from hardware.factory import build_printer
    store = Store(db_url or config.site.database or sqlite_url(default_sqlite_path()))
    engine = Engine(config, store, clock)
    engine.setup()
    printer_cfg = config.printer
    if ticket_dir is not None and printer_cfg.kind == "simulated":
        printer_cfg = printer_cfg.model_copy(update={"out_dir": str(ticket_dir)})
    printer = build_printer(printer_cfg)
    service = PrintService(printer, engine.device_alert, timeout_s=printer_cfg.timeout_s + 3) if printer else None
    return Hall(engine, service)
