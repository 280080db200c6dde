"""A Pi without a battery-backed clock, and a screen whose loop hangs: the queue refuses to
number an earlier day than it already has, staff are told the clock is not synchronised, and
systemd's watchdog stops hearing from a stuck event loop."""

from __future__ import annotations

import os
import socket
import time

import pytest

from kiosk.clock import system_clock_synchronised
from kiosk.compose import warn_if_clock_unsynchronised
from kiosk.engine import QueueError
from tests.conftest import local_ts


def test_a_clock_behind_the_newest_ticket_refuses_to_number_an_earlier_day(engine, make_engine, config):
    from kiosk.clock import SimulatedClock

    engine.issue("general")  # Wednesday 25 November
    rebooted = make_engine(engine.store.url, config, SimulatedClock(local_ts(2026, 11, 20, 9, 30)))
    with pytest.raises(QueueError) as e:  # booted without network: last week
        rebooted.issue("general")
    assert e.value.why == "clock_behind" and "2026-11-25" in e.value.message
    synced = make_engine(engine.store.url, config, SimulatedClock(local_ts(2026, 11, 26, 9, 30)))
    assert synced.issue("general").ticket.number == "A001"  # synchronised: the next day numbers anew


def test_staff_are_told_when_the_clock_is_not_synchronised(engine):
    assert warn_if_clock_unsynchronised(engine, lambda: False)
    alert = engine.latest_events("device_alert", 1)[0].data
    assert alert["kind"] == "clock" and alert["state"] == "unsynchronised"
    assert not warn_if_clock_unsynchronised(engine, lambda: True)
    assert not warn_if_clock_unsynchronised(engine, lambda: None)  # cannot tell: no false alarm


def test_timedatectl_is_read_right():
    class Out:
        def __init__(self, text):
            self.stdout = text

    assert system_clock_synchronised(lambda *a, **k: Out("yes\n")) is True
    assert system_clock_synchronised(lambda *a, **k: Out("no\n")) is False

    def missing(*a, **k):
        raise FileNotFoundError("timedatectl")

    assert system_clock_synchronised(missing) is None


def test_a_blocked_event_loop_stops_the_watchdog_pings(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from ui.app import start_watchdog_pings

    path = str(tmp_path / "notify.sock")
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(path)
    systemd.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", str(200_000))  # WatchdogSec=0.2: a ping every 0.1 s

    def heard() -> list[bytes]:
        out = []
        while True:
            try:
                out.append(systemd.recv(64))
            except BlockingIOError:
                return out

    timer = start_watchdog_pings()
    assert heard()[:2] == [b"READY=1", b"WATCHDOG=1"]
    end = time.monotonic() + 0.6
    while time.monotonic() < end:  # a healthy loop
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert heard().count(b"WATCHDOG=1") >= 4
    time.sleep(0.6)  # the loop is stuck: nothing runs it
    assert heard() == []
    timer.stop()
    systemd.close()
    os.unlink(path)


WLR_RANDR = """HDMI-A-1 "Iiyama 24 inch (HDMI-A-1)"
  Enabled: yes
  Modes:
    1920x1080 px, 60.000000 Hz (preferred, current)
  Transform: normal
DSI-1 "Raspberry Pi Touch Display 2"
  Enabled: yes
"""


class Recorder:
    def __init__(self, fail_with: Exception | None = None):
        self.calls: list[list[str]] = []
        self.fail_with = fail_with

    def __call__(self, cmd, **kw):
        import subprocess

        self.calls.append(cmd)
        if self.fail_with:
            raise self.fail_with
        return subprocess.CompletedProcess(cmd, 0, WLR_RANDR if cmd == ["wlr-randr"] else "", "")


def test_a_portrait_screen_is_turned_by_the_compositor_picture_and_touch_together():
    from ui.rotation import rotate_outputs

    run = Recorder()
    assert rotate_outputs(90, run, {"WAYLAND_DISPLAY": "wayland-0"}) == ["HDMI-A-1", "DSI-1"]
    assert run.calls[1:] == [
        ["wlr-randr", "--output", "HDMI-A-1", "--transform", "90"],
        ["wlr-randr", "--output", "DSI-1", "--transform", "90"],
    ]
    upright = Recorder()
    assert rotate_outputs(0, upright, {"WAYLAND_DISPLAY": "wayland-0"}) == [] and upright.calls == []


def test_a_screen_that_cannot_be_turned_still_comes_up(caplog):
    from ui.rotation import rotate_outputs

    no_session = Recorder()
    assert rotate_outputs(270, no_session, {}) == [] and no_session.calls == []
    assert "needs the Wayland session" in caplog.text
    missing = Recorder(fail_with=FileNotFoundError(2, "No such file or directory", "wlr-randr"))
    assert rotate_outputs(180, missing, {"WAYLAND_DISPLAY": "wayland-0"}) == []
    assert "is wlr-randr installed?" in caplog.text
