"""The queue's rules that act on the clock, not on a button: a called customer who never came
becomes a no-show (kiosk/engine/missed_calls.py), an unanswered follow-up becomes overdue and
alerts, a kept contact is erased (kiosk/engine/follow_ups.py).

One thread per engine process. With several server processes each runs it: every check is one
transaction under the branch lock that looks again before it acts, so nothing happens twice.
A database in trouble is logged and tried again at the next tick; the screens never wait on it.
"""

from __future__ import annotations

import logging
import threading

from kiosk.engine import Engine

log = logging.getLogger(__name__)
TICK_S = 15.0  # a no-show is marked within this of its time; a follow-up alert too


class Timekeeper:
    def __init__(self, engine: Engine, tick_s: float = TICK_S):
        self.engine = engine
        self.tick_s = tick_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:
        for check in (self.engine.expire_calls, self.engine.check_follow_ups):
            try:
                check()
            except Exception as e:  # the next tick tries again
                log.warning(
                    "%s failed (%s: %s); trying again in %g s", check.__name__, type(e).__name__, e, self.tick_s
                )

    def start(self) -> Timekeeper:
        self._thread = threading.Thread(target=self._run, name="timekeeper", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.tick_s):
            self.tick()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
