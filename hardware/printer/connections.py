"""Opening a python-escpos connection from the config. python-escpos does the I/O; each
function only names the device. `can_query`: the connection can read status replies
(python-escpos reads them over USB, LAN and serial only)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kiosk.config import PrinterModel


@dataclass(frozen=True)
class Connection:
    open: Callable[[], object]     # returns an opened escpos printer
    can_query: bool
    describe: str


def usb(cfg: PrinterModel) -> Connection:
    from escpos.printer import Usb

    def open_() -> object:
        p = Usb(cfg.usb_vendor, cfg.usb_product, timeout=int(cfg.timeout_s * 1000), profile="default")
        p.open()
        return p
    return Connection(open_, True, f"USB {cfg.usb_vendor:04x}:{cfg.usb_product:04x}")


def serial(cfg: PrinterModel) -> Connection:
    from escpos.printer import Serial

    def open_() -> object:
        p = Serial(cfg.serial_port, baudrate=cfg.baudrate, timeout=cfg.timeout_s, profile="default")
        p.open()
        return p
    return Connection(open_, True, f"serial {cfg.serial_port} at {cfg.baudrate} baud")


def network(cfg: PrinterModel) -> Connection:
    from escpos.printer import Network

    def open_() -> object:
        p = Network(cfg.host, cfg.port, timeout=cfg.timeout_s, profile="default")
        p.open()
        return p
    return Connection(open_, True, f"LAN {cfg.host}:{cfg.port}")


def file(cfg: PrinterModel) -> Connection:
    from escpos.printer import File

    def open_() -> object:
        p = File(cfg.file, profile="default")
        p.open()
        return p
    return Connection(open_, False, f"device file {cfg.file}")


CONNECTIONS = {"usb": usb, "serial": serial, "network": network, "file": file}
