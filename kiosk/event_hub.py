"""Every event of the branch, in order and without gaps, to the clients of this process —
whichever process wrote it.

Events committed in this process come straight from the writer (the local bus after its
commit) and are handed on without reading them back, when each is the next in sequence. A gap
(PostgreSQL NOTIFY after a commit in another server process, or two of this process's commits
handed over in the other order) makes the hub read the event log after the last sequence
number it delivered: commits in a branch happen in sequence order (they hold the branch lock),
so the log is always in order, while hand-overs and pokes may not be.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.backoff import Backoff
from kiosk.bus import EventBus
from kiosk.domain import Event
from kiosk.engine import NOTIFY_CHANNEL, Engine

log = logging.getLogger(__name__)
Subscriber = Callable[[Event], None]


class EventHub:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.last_seq = engine.last_event_seq()
        self._lock = threading.Lock()
        self._out = EventBus()  # this process's clients
        self._stop = threading.Event()
        self._unsubscribe = engine.bus.subscribe(self._committed)
        self._listener: threading.Thread | None = None
        # set while other processes' commits are heard (SQLite: always, there are none to hear)
        self.listening = threading.Event()
        if engine.store.is_sqlite:
            self.listening.set()
        else:
            self._listener = threading.Thread(target=self._listen, name="pg-listen", daemon=True)
            self._listener.start()

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        return self._out.subscribe(fn)

    def _committed(self, ev: Event) -> None:
        """An event this process just committed: the next in line goes out as it is."""
        with self._lock:
            if ev.seq <= self.last_seq:  # already read from the log
                return
            if ev.seq == self.last_seq + 1:
                self._out.publish([ev])
                self.last_seq = ev.seq
                return
        self.poke()  # a gap: read what is missing, in order

    def poke(self) -> None:
        with self._lock:
            while True:
                new = self.engine.events_after(self.last_seq, limit=500)
                if new:
                    self._out.publish(new)
                    self.last_seq = new[-1].seq
                if len(new) < 500:  # the rest of the log, read in one go
                    return

    def _is_news(self, payload: str) -> bool:
        """A notification "branch:origin" from another process about this branch (this
        process's own commits reach the hub through the bus, already in order)."""
        branch, colon, origin = payload.rpartition(":")
        if not colon:  # a server of an earlier version names the branch only
            return payload == self.engine.branch
        return branch == self.engine.branch and origin != self.engine.origin

    def _listen(self) -> None:
        """LISTEN on PostgreSQL; reconnect with back-off if the connection drops."""
        import psycopg

        url = self.engine.store.writer.url.set(drivername="postgresql").render_as_string(hide_password=False)
        backoff = Backoff()
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    backoff.reset()
                    self.poke()  # whatever happened while we were not listening
                    self.listening.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            if self._is_news(note.payload):
                                self.poke()
            except Exception as e:
                self.listening.clear()
                wait = backoff.next()
                log.warning("LISTEN connection lost (%s); retrying in %.1f s", e, wait)
                self._stop.wait(wait)

    def close(self) -> None:
        self._stop.set()
        self._unsubscribe()
        if self._listener:
            self._listener.join(timeout=3)
