"""Staff leave the locked kiosk and open the manager view with a PIN typed on large keys: a
wrong PIN says so, three wrong PINs lock the pad for a while, an idle manager view locks."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from kiosk.compose import build_hall

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402
from ui.pin_pad import LOCK_S, PinGuard, PinPad  # noqa: E402


@pytest.fixture
def backend(qapp, tmp_path, config, clock):
    hall = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()
    hall.close()


def type_pin(qtbot, pad: PinPad, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(pad.keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)


def test_staff_leave_the_locked_kiosk_by_tapping_the_corner_and_the_pin(qtbot, backend):
    w = KioskScreen(backend, "en")
    qtbot.addWidget(w)
    w.resize(800, 480)
    w.show()
    w._locked = True
    for _ in range(5):
        qtbot.mouseClick(w.corner, Qt.MouseButton.LeftButton)
    pad = w.pin_dialog.pad
    assert w.pin_dialog.isVisible() and all(b.height() >= 72 for b in pad.keys.values())
    type_pin(qtbot, pad, "0000")
    assert pad.message.text() == "Wrong PIN" and pad.entry.text() == "" and w.isVisible()
    assert pad.entry.echoMode() == pad.entry.EchoMode.Password
    type_pin(qtbot, pad, backend.config.site.staff_pin)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=2000)


def test_three_wrong_pins_lock_the_pad_for_a_while():
    now = [1000.0]
    guard = PinGuard("2468", clock=lambda: now[0])
    for _ in range(3):
        assert not guard.check("1111")
    assert guard.locked_for() == LOCK_S
    assert not guard.check("2468")  # even the right PIN waits
    now[0] += LOCK_S + 1
    assert guard.check("2468")


def test_the_pad_shows_the_lock_out_and_disables_its_keys(qtbot):
    pad = PinPad(PinGuard("2468"), "en")
    qtbot.addWidget(pad)
    pad.show()
    for _ in range(3):
        type_pin(qtbot, pad, "1111")
    assert "Too many wrong PINs" in pad.message.text() and not pad.keys["1"].isEnabled()


def test_the_manager_view_opens_with_the_pad_and_locks_again_when_left_alone(qtbot, backend, monkeypatch):
    monkeypatch.setattr("ui.manager_view.IDLE_LOCK_S", 0.3)
    m = ManagerView(backend, "en")
    qtbot.addWidget(m)
    m.resize(1366, 768)
    m.show()
    type_pin(qtbot, m.pin_pad, backend.config.site.staff_pin)
    qtbot.waitUntil(lambda: m.unlocked, timeout=5000)
    qtbot.waitUntil(lambda: not m.unlocked, timeout=3000)  # walked away: the PIN again
