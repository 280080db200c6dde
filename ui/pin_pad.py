"""The staff PIN on a touch screen: large keys, the digits masked, a clear "wrong PIN", and a
short lock-out after repeated failures so nobody can try PINs at the kiosk until one works."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.fit import FitButton
from ui.i18n import t
from ui.theme import RED, font

MAX_TRIES = 3  # wrong PINs in a row before the pad locks
LOCK_S = 30  # ... and for how long


class PinGuard:
    """Checks PINs and counts failures; one per screen, so closing the pad does not reset it."""

    def __init__(self, pin: str | dict[str, str], clock: Callable[[], float] = time.monotonic):
        # one PIN, or each person's own: {pin: name}; `who` is the name of the last right one
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
        if attempt in self._pins:
            self.failures = 0
            self.who = self._pins[attempt]
            return True
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = self._clock() + LOCK_S
        return False


class PinPad(QWidget):
    """0-9, erase and OK. `accepted` when the PIN is right."""

    accepted = Signal()

    def __init__(self, guard: PinGuard, lang: str):
        super().__init__()
        self.guard = guard
        col = QVBoxLayout(self)
        self.title = QLabel(t("Staff PIN"), alignment=Qt.AlignmentFlag.AlignCenter)
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
        ok = self.guard.check(self.entry.text())
        self.entry.clear()
        if ok:
            self.message.clear()
            self.accepted.emit()
            return
        self._show_lock()
        if not self.guard.locked_for():
            self.message.setText(t("Wrong PIN"))

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

    def __init__(self, parent: QWidget, guard: PinGuard, lang: str):
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
