"""In-process event bus. The store numbers and keeps every event (table `events`); the bus
hands each one to the subscribers of this process right after its transaction commits.

A subscriber that missed events (it started late, or a screen reconnected) reads them back
with `Engine.events_after(seq)`. A subscriber that raises is logged and kept: one broken screen
must not stop the others from hearing a call.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.domain import Event

log = logging.getLogger(__name__)
Subscriber = Callable[[Event], object]  # what it returns is not used


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)

        return unsubscribe

    def publish(self, events: list[Event]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for ev in events:
            for fn in subscribers:
                try:
                    fn(ev)
                except Exception:
                    log.exception("event subscriber %r failed on %s #%d", fn, ev.kind, ev.seq)
