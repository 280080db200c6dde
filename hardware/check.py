"""`kiosk check-hardware`: each configured device and its live state."""

from __future__ import annotations

import time

from hardware.fonts import FontMissing, find_cjk_font
from kiosk.config import KioskConfig
from kiosk.devices import DeviceStatus


def check_all(config: KioskConfig, listen_s: float = 2.0) -> list[DeviceStatus]:
    out: list[DeviceStatus] = []
    try:
        font = find_cjk_font(config.printer.font or None)
        out.append(DeviceStatus("ticket font", "font", True, "found", str(font)))
    except FontMissing as e:
        out.append(DeviceStatus("ticket font", "font", False, "missing", str(e)))
    out.append(_printer(config))
    sensors = []
    for s in config.sensors:
        try:
            from hardware.factory import build_sensor

            sensor = build_sensor(s)
            sensor.start(lambda ev: None)
            sensors.append(sensor)
        except Exception as e:  # no GPIO on this machine, serial port absent, pin busy
            out.append(DeviceStatus(s.name, s.kind, False, "missing", f"{type(e).__name__}: {e}"))
    if sensors:
        time.sleep(listen_s)  # let streaming sensors report
    for sensor in sensors:
        out.append(sensor.status())
        sensor.stop()
    for d in config.counter_devices:
        out.extend(_counter_devices(d))
    if config.counter_devices or any(s.kind in GPIO_SENSORS for s in config.sensors):
        out.insert(1, pin_factory_status(_current_pin_factory(), board_model()))
    return out


GPIO_SENSORS = ("door", "pir", "ultrasonic")
# gpiozero's factories that cannot drive a Raspberry Pi 5's GPIO (its RP1 chip): only lgpio can
NOT_ON_PI5 = ("NativeFactory", "RPiGPIOFactory", "PiGPIOFactory")


def board_model(path: str = "/proc/device-tree/model") -> str:
    try:
        with open(path, "rb") as f:
            return f.read().rstrip(b"\0").decode(errors="replace")
    except OSError:
        return ""


def _current_pin_factory():
    from gpiozero import Device

    if Device.pin_factory is None:  # gpiozero chooses on first use; choose now to name it
        Device.pin_factory = Device._default_pin_factory()
    return Device.pin_factory


def pin_factory_status(factory, model: str) -> DeviceStatus:
    """Which gpiozero pin factory drives the GPIO devices, and whether it can on this board."""
    name = type(factory).__name__
    if "Raspberry Pi 5" in model and name in NOT_ON_PI5:
        return DeviceStatus(
            "GPIO pins",
            "pins",
            False,
            "wrong pin factory",
            f"{name} cannot drive a Raspberry Pi 5: install lgpio into the kiosk's environment "
            "(deploy/install-pi.sh does: pip install 'lgpio>=0.2') or set GPIOZERO_PIN_FACTORY=lgpio",
        )
    return DeviceStatus("GPIO pins", "pins", True, name, model or "not a Raspberry Pi")


_NO_PRINTER = DeviceStatus("printer", "none", True, "not configured", "tickets are shown on screen only")


def _printer(config: KioskConfig) -> DeviceStatus:
    cfg = config.printer
    if cfg.kind == "none":
        return _NO_PRINTER
    try:
        from hardware.factory import build_printer

        printer = build_printer(cfg, config.site.language)
    except Exception as e:
        return DeviceStatus("printer", cfg.kind, False, "missing", str(e))
    if printer is None:  # kind "none"
        return _NO_PRINTER
    from kiosk.deadline import DeadlinePassed, within
    from kiosk.printing import GRACE_S

    try:  # the printer's own deadline, and a hard one over it for a driver stuck in the kernel
        health = within(
            printer.timeout_s + GRACE_S, lambda: printer.health(time.monotonic() + printer.timeout_s), printer.name
        )
    except DeadlinePassed as e:
        return DeviceStatus(printer.name, cfg.kind, False, "offline", str(e))
    detail = "; ".join(x for x in (health.detail, _ticket_time(config, printer)) if x)
    return DeviceStatus(printer.name, cfg.kind, health.state.can_print, health.state.value, detail)


def _ticket_time(config: KioskConfig, printer) -> str:
    """What a ticket in the site's language costs on this printer's wire (a raster ticket at
    9600 baud is 13 s a customer waits; the installer should see that here)."""
    from kiosk.ticket_doc import make_ticket_doc, sample_ticket

    try:
        doc = make_ticket_doc(
            sample_ticket(config.services[0].code, time.time()), config, config.site.language, config.site.public_url
        )
        size = len(printer.render(doc).escpos)
    except Exception as e:  # the check reports; it never stops at a drawing problem
        return f"a ticket could not be drawn: {e}"
    chinese = getattr(printer, "chinese", "raster")
    return f"a ticket is {size:,} bytes, {printer.wire_seconds(size):.1f} s on this wire (Chinese as {chinese})"


def _counter_devices(d) -> list[DeviceStatus]:
    out = []
    for key, label in (("call_button_pin", "call button"), ("buzzer_pin", "buzzer"), ("light_pin", "light")):
        pin = getattr(d, key)
        if pin is None:
            continue
        name = f"counter {d.counter} {label}"
        try:
            from gpiozero import LED, Button, Buzzer

            dev = {
                "call_button_pin": lambda pin=pin: Button(pin),
                "buzzer_pin": lambda pin=pin: Buzzer(pin),
                "light_pin": lambda pin=pin: LED(pin),
            }[key]()
            state = ("pressed" if dev.is_pressed else "released") if key == "call_button_pin" else "ready"
            dev.close()
            out.append(DeviceStatus(name, label, True, state, f"GPIO {pin}"))
        except Exception as e:
            out.append(DeviceStatus(name, label, False, "missing", f"GPIO {pin}: {type(e).__name__}: {e}"))
    return out
