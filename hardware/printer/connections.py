"""The configured printer's wire (hardware/printer/links.py), named from the config. Each
function only names the device; the links do the I/O."""

from __future__ import annotations

from hardware.printer.links import FileLink, Link, NetworkLink, SerialLink, UsbLink
from kiosk.config import PrinterModel


def usb(cfg: PrinterModel) -> Link:
    assert cfg.usb_vendor is not None and cfg.usb_product is not None  # the config model requires both
    return UsbLink(cfg.usb_vendor, cfg.usb_product)


def serial(cfg: PrinterModel) -> Link:
    return SerialLink(cfg.serial_port, cfg.baudrate)


def network(cfg: PrinterModel) -> Link:
    return NetworkLink(cfg.host, cfg.port)


def file(cfg: PrinterModel) -> Link:
    return FileLink(cfg.file)


CONNECTIONS = {"usb": usb, "serial": serial, "network": network, "file": file}
