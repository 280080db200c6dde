"""Waits between tries to reconnect: a sensor's reader, the PostgreSQL listener, a remote
screen's event stream. Calm enough not to hammer what is down, quick to come back."""

from __future__ import annotations


class Backoff:
    """Waits that double from `start` to `cap`, and start again after a success."""

    def __init__(self, start: float = 0.5, cap: float = 10.0):
        self.start, self.cap = start, cap
        self.delay = start

    @property
    def fresh(self) -> bool:
        """No failure since the last success (or ever)."""
        return self.delay == self.start

    def next(self) -> float:
        d = self.delay
        self.delay = min(self.delay * 2, self.cap)
        return d

    def reset(self) -> None:
        self.delay = self.start
