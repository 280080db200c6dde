"""What every presence sensor shares: reporting events safely, and a reader thread that cannot die.

A sensor's events go to the greeter (and through it to the database). Whatever happens there,
the sensor goes on: `_emit` never raises into the sensor, and a reader loop that raises is
reported to staff as a fault and started again after a back-off. `status()` says whether the
reader is running.
"""

from __future__ import annotations

import logging
import threading
import time

from kiosk.backoff import Backoff
from kiosk.devices import PresenceEvent, PresenceKind, PresenceSink

__all__ = ["Backoff", "SensorBase"]

log = logging.getLogger(__name__)


class SensorBase:
    kind = ""

    def __init__(self, name: str, wall_clock=time.time):
        self.name = name
        self._wall = wall_clock
        self._sink: PresenceSink | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.events = 0
        self.crashes = 0
        self.last_crash = ""

    # ------------------------------------------------------------ reporting
    def _emit(
        self, kind: PresenceKind, distance: float | None = None, count: int | None = None, detail: str = ""
    ) -> None:
        self.events += 1
        if self._sink is None:
            return
        try:
            self._sink(PresenceEvent(self.name, kind, self._wall(), distance, count, detail))
        except Exception:  # the greeter's problem, not the sensor's: keep sensing
            log.exception("sensor %s: delivering %s failed", self.name, kind.value)

    # ------------------------------------------------------------ the reader thread
    def _start_reader(self, sink: PresenceSink) -> None:
        self._sink = sink
        self._stop.clear()
        self._thread = threading.Thread(target=self._reader, name=f"{self.kind}-{self.name}", daemon=True)
        self._thread.start()

    def _reader(self) -> None:
        backoff = Backoff(1.0, 30.0)
        while not self._stop.is_set():
            try:
                self._loop()
                return  # a normal end (stopped, or a recording ended)
            except Exception as e:
                self.crashes += 1
                self.last_crash = f"{type(e).__name__}: {' '.join(str(e).split())}"
                log.exception("sensor %s: reader failed; starting it again", self.name)
                self._on_crash()
                self._emit(PresenceKind.FAULT, detail=f"reader failed ({self.last_crash}); restarting")
                self._stop.wait(backoff.next())

    def _loop(self) -> None:
        """The sensor's reading loop (each sensor has its own); returns when `_stop` is set."""

    def _on_crash(self) -> None:
        """Forget what the crashed loop held (an open port, a zone state)."""

    @property
    def reader_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _stop_reader(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
