"""The staff PIN on a touch screen: large keys, the digits masked, a clear "wrong PIN", and a
short lock-out after repeated failures so nobody can try PINs at the kiosk until one works.

Who checks the PIN: the kiosk's exit PIN is this machine's own (PinGuard); a manager's PIN is
checked by the queue (QueuePinCheck), so no staff PIN or hash is ever sent to a screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.pins import verify_pin
from ui.fit import FitButton
from ui.i18n import t
from ui.theme import RED, font

MAX_TRIES = 3  # wrong PINs in a row before the pad locks
LOCK_S = 30  # ... and for how long


@dataclass(frozen=True)
class PinVerdict:
    ok: bool
    who: str = ""
    refusal: str = ""  # wrong_pin, not_manager, pin_locked, unreachable
    retry_after: int = 0


Reply = Callable[[PinVerdict], None]


class PinGuard:
    """A PIN checked on this machine (the kiosk's exit PIN: a PIN or its hash, from this
    machine's configuration), with its failures counted; one per screen, so closing the pad
    does not reset it."""

    def __init__(self, pin: str | dict[str, str], clock: Callable[[], float] = time.monotonic):
        # one PIN, or each person's own: {pin or hash: name}; `who` is the name of the last right one
        self._pins = pin if isinstance(pin, dict) else {pin: ""}
        self._clock = clock
        self.failures = 0
        self.locked_until = 0.0
        self.who = ""

    def locked_for(self) -> int:
        return max(0, round(self.locked_until - self._clock() + 0.49))

    def check(self, attempt: str) -> bool:
        if self.locked_for():
            return False
        who = next((name for stored, name in self._pins.items() if verify_pin(stored, attempt)), None)
        if who is not None:
            self.failures = 0
            self.who = who
            return True
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = self._clock() + LOCK_S
        return False

    def ask(self, attempt: str, reply: Reply) -> None:
        if self.check(attempt):
            reply(PinVerdict(True, self.who))
        else:
            left = self.locked_for()
            reply(PinVerdict(False, refusal="pin_locked" if left else "wrong_pin", retry_after=left))


class QueuePinCheck:
    """A manager's PIN checked by the queue (the engine in this process, or the server): no PIN
    or hash is on this machine, and the lock-out is the store's, shared by every screen."""

    def __init__(self, ask_queue: Callable[[str, Callable[[Any], None], Callable[[Exception], None]], None]):
        self._ask_queue = ask_queue  # a backend's check_manager_pin(pin, on_done, on_error)
        self.locked_until = 0.0
        self.who = ""

    def locked_for(self) -> int:
        return max(0, round(self.locked_until - time.monotonic() + 0.49))

    def ask(self, attempt: str, reply: Reply) -> None:
        def done(person: Any) -> None:
            self.who = person.name
            reply(PinVerdict(True, person.name))

        def failed(e: Exception) -> None:
            why = getattr(e, "why", "") or "unreachable"
            retry = int(getattr(e, "params", {}).get("retry_after", 0) or 0)
            if why == "pin_locked":
                self.locked_until = time.monotonic() + retry
            reply(PinVerdict(False, refusal=why, retry_after=retry))

        self._ask_queue(attempt, done, failed)


REFUSALS = {
    "wrong_pin": "Wrong PIN",
    "not_manager": "Only a manager can open this view",
    "unreachable": "The PIN cannot be checked now: the queue does not answer",
}


class PinPad(QWidget):
    """0-9, erase and OK. `accepted` when the PIN is right."""

    accepted = Signal()

    def __init__(self, guard: PinGuard | QueuePinCheck, lang: str, title: str = "Staff PIN"):
        super().__init__()
        self.guard = guard
        self.asking = False
        col = QVBoxLayout(self)
        self.title = QLabel(t(title), alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setFont(font(lang, 24, True))
        self.entry = QLineEdit(echoMode=QLineEdit.EchoMode.Password, alignment=Qt.AlignmentFlag.AlignCenter)
        self.entry.setMaxLength(12)
        self.entry.setFont(font("en", 32, True))
        self.entry.returnPressed.connect(self.submit)
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setFont(font(lang, 20, True))
        self.message.setWordWrap(True)
        col.addWidget(self.title)
        col.addWidget(self.entry)
        col.addWidget(self.message)
        grid = QGridLayout()
        self.keys: dict[str, FitButton] = {}
        for i, key in enumerate("123456789"):
            self._key(grid, key, key, i // 3, i % 3)
        self._key(grid, "⌫", "erase", 3, 0)
        self._key(grid, "0", "0", 3, 1)
        self._key(grid, t("OK"), "ok", 3, 2)
        col.addLayout(grid, 1)
        self._countdown = QTimer(self, interval=1000, timeout=self._show_lock)
        self._show_lock()

    def _key(self, grid: QGridLayout, label: str, key: str, r: int, c: int) -> None:
        b = FitButton(label, "en" if key.isdigit() else "zh-Hant", 40, min_px=72)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = b
        grid.addWidget(b, r, c)

    def press(self, key: str) -> None:
        if key == "erase":
            self.entry.backspace()
        elif key == "ok":
            self.submit()
        else:
            self.entry.insert(key)

    def submit(self) -> None:
        attempt = self.entry.text()
        self.entry.clear()
        if self.asking:
            return
        self.asking = True
        for b in self.keys.values():  # one question at a time (a check may go to the server)
            b.setEnabled(False)
        self.guard.ask(attempt, self._answered)

    def _answered(self, verdict: PinVerdict) -> None:
        self.asking = False
        self._show_lock()
        if verdict.ok:
            self.message.clear()
            self.accepted.emit()
            return
        if not self.guard.locked_for():
            self.message.setText(t(REFUSALS.get(verdict.refusal, "Wrong PIN")))

    def _show_lock(self) -> None:
        left = self.guard.locked_for()
        for b in self.keys.values():
            b.setEnabled(not left)
        self.entry.setEnabled(not left)
        if left:
            self.message.setText(t("Too many wrong PINs. Try again in {s} s.").replace("{s}", str(left)))
            self._countdown.start()
        else:
            if self._countdown.isActive():
                self.message.clear()
            self._countdown.stop()


class PinDialog(QDialog):
    """The pad as a full dialog (leaving the locked kiosk)."""

    def __init__(self, parent: QWidget, guard: PinGuard | QueuePinCheck, lang: str):
        super().__init__(parent)
        self.setWindowTitle(t("Staff PIN"))
        col = QVBoxLayout(self)
        self.pad = PinPad(guard, lang)
        self.pad.accepted.connect(self.accept)
        col.addWidget(self.pad, 1)
        cancel = FitButton(t("Cancel"), lang, 28, min_px=64)
        cancel.clicked.connect(self.reject)
        col.addWidget(cancel)
        self.resize(420, 620)
