"""Time as the engine sees it: the real clock, or a simulated one for the demo and tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> float:
        """POSIX seconds."""


class SystemClock:
    def now(self) -> float:
        return time.time()


class SimulatedClock:
    """A clock that only moves when told to: a whole business day runs in a fraction of a second."""

    def __init__(self, start: float):
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def set(self, t: float) -> None:
        with self._lock:
            if t < self._now:
                raise ValueError("a simulated clock does not run backwards")
            self._now = t

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def system_clock_synchronised(run: Callable[..., Any] | None = None) -> bool | None:
    """Does systemd say the system clock is synchronised (NTP)? None when it cannot say (no
    timedatectl, not systemd). A Pi has no battery-backed clock: booted without network it
    starts from the time it was shut down."""
    import subprocess

    run = run or subprocess.run
    try:
        out = run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = (out.stdout or "").strip()
    return {"yes": True, "no": False}.get(value)
