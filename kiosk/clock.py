"""Time as the engine sees it: the real clock, or a simulated one for the demo and tests."""
from __future__ import annotations

import threading
import time
from typing import Protocol


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
