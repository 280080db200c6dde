"""Build the configured devices. The one place that maps config kinds to implementations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hardware.fonts import find_cjk_font
from hardware.printer.connections import CONNECTIONS
from hardware.printer.escpos_printer import EscposTicketPrinter
from hardware.printer.simulated import SimulatedPrinter
from hardware.ticket_layout import Paper
from kiosk.config import PrinterModel, SensorModel
from kiosk.devices import TicketPrinter


def default_ticket_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("front-desk-kiosk")) / "tickets"


def build_printer(cfg: PrinterModel, site_language: str = "zh-Hant") -> TicketPrinter | None:
    """The configured TicketPrinter, or None for kind "none". Raises FontMissing without a CJK font.
    `site_language` picks the printer's own Chinese code where `chinese = "auto"` needs one."""
    if cfg.kind == "none":
        return None
    font = str(find_cjk_font(cfg.font or None))
    paper = Paper(cfg.paper_mm)
    if cfg.kind == "simulated":
        printer = SimulatedPrinter(cfg.out_dir or default_ticket_dir(), font, paper, cfg.layout)
        printer.timeout_s = cfg.timeout_s
        return printer
    link = CONNECTIONS[cfg.kind](cfg)
    return EscposTicketPrinter(
        f"{cfg.kind} printer ({link.describe})",
        link,
        font,
        paper,
        cfg.layout,
        cfg.chinese_on_this_line(site_language),
        cfg.timeout_s,
        cfg.stall_s,
    )


def _pin(cfg: SensorModel, key: str) -> int:
    pin = getattr(cfg, key)
    assert pin is not None, f"{cfg.name}: {key}"  # the config model requires it for this kind
    return pin


def build_sensor(cfg: SensorModel):
    if cfg.kind == "door":
        from hardware.presence.gpio_sensors import DoorSwitch

        return DoorSwitch(cfg.name, _pin(cfg, "pin"), cfg.door_open_when, cfg.debounce_s)
    if cfg.kind == "pir":
        from hardware.presence.gpio_sensors import PirSensor

        return PirSensor(cfg.name, _pin(cfg, "pin"))
    if cfg.kind == "ultrasonic":
        from hardware.presence.gpio_sensors import UltrasonicSensor

        return UltrasonicSensor(
            cfg.name, _pin(cfg, "trigger_pin"), _pin(cfg, "echo_pin"), cfg.zone_m, cfg.leave_after_s, cfg.stale_after_s
        )
    if cfg.kind == "camera":
        from hardware.presence.camera import CameraSensor

        return CameraSensor(
            cfg.name,
            cfg.camera,
            camera_calibration(cfg),
            cfg.zone_m,
            tuple(tuple(p) for p in cfg.masks),
            cfg.leave_after_s,
            cfg.stale_after_s,
        )
    from hardware.presence.ld2410 import LD2410Sensor

    return LD2410Sensor(cfg.name, cfg.serial_port, cfg.baudrate, cfg.zone_m, cfg.leave_after_s, cfg.stale_after_s)


def camera_calibration(cfg: SensorModel):
    from hardware.presence.camera_detector import FloorCalibration

    def points(pts: Sequence[Sequence[float]]) -> tuple[tuple[float, float], ...]:
        return tuple((float(x), float(y)) for x, y in pts)

    desk_x, desk_y = cfg.desk_m
    return FloorCalibration(
        points(cfg.floor_image_points),
        points(cfg.floor_points_m),
        (desk_x, desk_y),
        zone_polygon_m=points(cfg.zone_floor_points_m),
    )
