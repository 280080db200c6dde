"""Sends the text messages customers asked for (kiosk/engine/texts.py) through a modem: woken
by every ticket event of this process and every few seconds (a call made by another server),
it sends what is due and marks it sent. A modem that fails is one staff alert, not one per
message; what could not be sent stays due and goes when the modem works again (unless the
ticket has ended by then: no message about a ticket that is over). Phone numbers are never
logged: a line names the ticket."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from kiosk.domain import Event
from kiosk.engine import DueText, Engine
from kiosk.phrases import phrase

log = logging.getLogger(__name__)
POLL_S = 3.0  # also catches calls made through another server process
RETRY_S = 15.0  # a modem that failed is tried again this often


class ModemError(Exception):
    """The message was not sent; the reason is for staff."""


class Modem(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def message(engine: Engine, d: DueText) -> str:
    lang = d.language or engine.config.site.language
    if d.kind == "called":
        counter = engine.config.counter_name(d.counter_id or 0, lang)
        return phrase("text_called", lang, number=d.number, counter=counter)
    if d.ahead == 0:
        return phrase("text_next", lang, number=d.number)
    return phrase("text_near", lang, number=d.number, n=d.ahead)


class TextSender:
    def __init__(self, engine: Engine, modem: Modem, device: str = "SMS modem"):
        self.engine, self.modem, self.device = engine, modem, device
        self.alert_ahead = engine.config.phone.alert_ahead
        self.failing = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe = engine.bus.subscribe(self._heard)

    def _heard(self, ev: Event) -> None:
        if ev.kind.startswith("ticket_"):
            self._wake.set()

    def start(self) -> TextSender:
        self._thread = threading.Thread(target=self._run, name="texts", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(RETRY_S if self.failing else POLL_S)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.send_due()
            except Exception as e:  # the database away for a moment: next round
                log.warning("text messages not checked: %s", e)

    def send_due(self) -> int:
        """Send what is due now; how many were sent."""
        sent = 0
        for d in self.engine.texts_due(self.alert_ahead):
            try:
                self.modem.send(d.phone, message(self.engine, d))
            except ModemError as e:
                if not self.failing:
                    self.failing = True
                    log.warning("text message for %s not sent: %s", d.number, e)
                    self.engine.device_alert(self.device, "offline", f"text messages cannot be sent: {e}")
                return sent
            self.engine.text_sent(d)
            sent += 1
            log.info("text message sent for %s (%s)", d.number, d.kind)
            if self.failing:
                self.failing = False
                self.engine.device_alert(self.device, "ready", "text messages are sent again")
        return sent

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._unsubscribe()
        if self._thread is not None:
            self._thread.join(timeout=5)
