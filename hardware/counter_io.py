"""Wired devices at a counter (gpiozero): a call-next button, and a buzzer and light that
go with the stand-and-greet alert."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class CallButton:
    """A physical call-next button. One press, one call; holding it down does not repeat."""

    def __init__(
        self, counter: int, pin: int, on_press: Callable[[int], object], debounce_s: float = 0.05, pin_factory=None
    ):
        from gpiozero import Button

        self.counter = counter
        self.button = Button(pin, pull_up=True, bounce_time=debounce_s or None, pin_factory=pin_factory)
        self._on_press = on_press
        self.button.when_pressed = self._pressed

    def _pressed(self) -> None:
        try:
            self._on_press(self.counter)
        except Exception:  # e.g. the counter is paused: the panel shows why; the button must live on
            log.exception("call button of counter %d", self.counter)

    def close(self) -> None:
        self.button.close()


class AlertOutputs:
    """Buzzer beeps three times and the light flashes until the alert is confirmed."""

    def __init__(self, counter: int, buzzer_pin: int | None = None, light_pin: int | None = None, pin_factory=None):
        from gpiozero import LED, Buzzer

        self.counter = counter
        self.buzzer = Buzzer(buzzer_pin, pin_factory=pin_factory) if buzzer_pin is not None else None
        self.light = LED(light_pin, pin_factory=pin_factory) if light_pin is not None else None
        self.alerting = False

    def alert(self) -> None:
        self.alerting = True
        if self.buzzer:
            self.buzzer.beep(on_time=0.15, off_time=0.15, n=3, background=True)
        if self.light:
            self.light.blink(on_time=0.4, off_time=0.4, background=True)

    def clear(self) -> None:
        self.alerting = False
        if self.buzzer:
            self.buzzer.off()
        if self.light:
            self.light.off()

    def close(self) -> None:
        for dev in (self.buzzer, self.light):
            if dev:
                dev.close()
