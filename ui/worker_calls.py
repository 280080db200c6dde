"""What both backends share: blocking calls on worker threads, answers and events handed to
the UI thread through queued Qt signals, so a screen never waits on I/O."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class WorkerCalls(QObject):
    event = Signal(object)  # type: ignore[assignment]  # kiosk.domain.Event, in the UI thread (shadows QObject.event)
    online = Signal(bool, str)  # (reachable, reason)
    _finished = Signal(int, object, object)
    _event_in = Signal(object)

    def __init__(self, workers: int, name: str):
        super().__init__()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._closed = False
        self._ids = itertools.count(1)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._event_in.connect(self.event.emit, Qt.ConnectionType.QueuedConnection)

    def post_event(self, ev) -> None:
        """From any thread: the event reaches the screens in the UI thread."""
        self._event_in.emit(ev)

    def run(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Run `fn` on a worker thread; call on_done(result) or on_error(exc) in the UI thread."""
        if self._closed:  # a window's timer firing after shutdown: nothing to do
            return
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)

        def work() -> None:
            try:
                result, error = fn(), None
            except Exception as e:  # reported to the screen, never raised into Qt
                result, error = None, e
            self._finished.emit(job, result, error)

        self._pool.submit(work)

    def is_outage(self, error: Exception) -> bool:
        """Does this error mean the queue cannot be reached (rather than a refused request)?"""
        from kiosk.engine import QueueError

        return not isinstance(error, QueueError)

    @Slot(int, object, object)
    def _deliver(self, job: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        if error is not None:
            if self.is_outage(error):
                log.warning("backend call failed: %r", error)
                self.online.emit(False, str(error))
            if on_error:
                on_error(error)
            return
        self.online.emit(True, "")
        if on_done:
            on_done(result)

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
