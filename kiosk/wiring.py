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

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()


def warn_if_clock_unsynchronised(engine: Engine, synchronised=None) -> bool:
    """Tell staff when the clock is not synchronised (the queue refuses tickets for an earlier
    day than the newest it has; see Engine.issue). True if a warning went out."""
    from kiosk.clock import system_clock_synchronised

    state = (synchronised or system_clock_synchronised)()
    if state is False:
        engine.device_alert(
            "clock", "unsynchronised", "the clock is not synchronised (no network time yet)", kind="clock"
        )
        return True
    return False


def start_print_service(config: KioskConfig, alert, printer_cfg=None) -> PrintService | None:
    """The configured printer behind its print service (None for kind "none"). `alert`: where
    staff alerts go (the engine's device_alert, or a remote kiosk's post to the server)."""
    from hardware.factory import build_printer

    printer = build_printer(printer_cfg or config.printer)
    return PrintService(printer, alert, poll_s=(printer_cfg or config.printer).poll_s) if printer else None


def build_hall(
    config: KioskConfig,
    db_url: str | None = None,
    clock: Clock | None = None,
    ticket_dir: Path | None = None,
    with_printer: bool = True,
) -> Hall:
    """Engine on the configured (or given) database, with the configured printer, which
    prints the reprints staff ask for (kiosk/reprints.py)."""
    from kiosk.reprints import LOCAL_KIOSK, Reprints

    store = Store(db_url or config.site.database or sqlite_url(default_sqlite_path()))
    engine = Engine(config, store, clock)
    engine.setup()
    printer_cfg = config.printer
    if ticket_dir is not None and printer_cfg.kind == "simulated":
        printer_cfg = printer_cfg.model_copy(update={"out_dir": str(ticket_dir)})
    service = start_print_service(config, engine.device_alert, printer_cfg) if with_printer else None
    if service is not None:
        engine.bus.subscribe(Reprints(LOCAL_KIOSK, service, config, now=engine.clock.now).on_event)
    return Hall(engine, service)


@dataclass
class Presence:
    greeter: object
    sensors: list
    outputs: list

    def stop(self) -> None:
        for s in self.sensors:
            s.stop()
        for o in self.outputs:
            o.close()
        self.greeter.stop()


def start_presence(config: KioskConfig, engine: Engine) -> Presence:
    """Start the configured sensors feeding the greeter, and the counters' buzzers and lights
    following its alerts. A sensor that cannot start is reported to staff, not fatal."""
    from hardware.counter_io import AlertOutputs
    from hardware.factory import build_sensor
    from kiosk.greeter import Greeter

    greeter = Greeter(engine)
    greeter.start()
    sensors = []
    for s in config.sensors:
        try:
            sensor = build_sensor(s)
            sensor.start(greeter.on_presence)
            sensors.append(sensor)
        except Exception as e:
            engine.device_alert(s.name, "missing", f"cannot start: {type(e).__name__}: {e}")
    outputs = {}
    for d in config.counter_devices:
        if d.buzzer_pin is not None or d.light_pin is not None:
            try:
                outputs[d.counter] = AlertOutputs(d.counter, d.buzzer_pin, d.light_pin)
            except Exception as e:
                engine.device_alert(f"counter {d.counter} buzzer/light", "missing", str(e))

    def follow(ev) -> None:
        if ev.kind in ("greet_alert", "greet_escalated"):
            for cid in ev.data["counters"]:
                if cid in outputs:
                    outputs[cid].alert()
        elif ev.kind == "greet_confirmed":
            for out in outputs.values():
                out.clear()

    engine.bus.subscribe(follow)
    return Presence(greeter, sensors, list(outputs.values()))
