"""Drives the greeting state machine: presence events in, alerts out through the engine.

Sensors call `on_presence` from their own threads; a timer thread ticks the machine for
repeats, escalation and flags; confirmations come back as engine events (from any panel, in
this process or another). A sensor fault goes to staff as a device alert.

`on_presence` never raises into a sensor's thread: what the engine cannot take now (the
database restarting, a full disk) waits in an outbox, in order, and is written on the next
tick. The state machine has already moved on, so nothing is decided twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from sqlalchemy.exc import DataError, IntegrityError

from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.domain import Event
from kiosk.engine import Engine
from kiosk.greeting import Action, GreetingMachine, GreetingPolicy

log = logging.getLogger(__name__)
# errors that retrying cannot cure (the value itself is refused); anything else (a database
# restarting, a full disk, a lost connection) waits in the outbox
PERMANENT = (DataError, IntegrityError, ValueError, TypeError, KeyError)
OUTBOX_LIMIT = 10_000  # a day of a busy hall's arrivals; beyond that the oldest go
RETRY_S = 2.0  # while the database fails, the outbox is tried this often


class Greeter:
    def __init__(self, engine: Engine, tick_s: float = 0.2):
        p = engine.config.presence
        self.engine = engine
        policy = GreetingPolicy(
            p.group_window_s, p.repeat_s, p.max_repeats, p.rearm_after_s, p.stuck_after_s, p.door_flap_limit
        )
        self.machine = GreetingMachine(policy, {s.name: s.kind for s in engine.config.sensors})
        self.tick_s = tick_s
        self._hours = engine.config.site.hours.calendar()
        self._lock = threading.RLock()  # re-entered if an engine event arrives while applying
        self._ids: dict[int, int] = {}  # machine alert number -> stored greeting id
        self._numbers: dict[int, int] = {}  # stored id -> machine number
        self._outbox: deque[Action] = deque(maxlen=OUTBOX_LIMIT)
        self._failing = False
        self._retry_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe = engine.bus.subscribe(self._on_engine_event)

    def on_presence(self, ev: PresenceEvent) -> None:
        """From any sensor thread. Never raises."""
        try:
            now = self.engine.clock.now()
            with self._lock:
                if ev.kind == PresenceKind.FAULT:
                    self.machine.fault(ev.source, now)
                    actions = [
                        Action("device", at=now, sources=(ev.source,), state="fault", detail=ev.detail or "fault")
                    ]
                elif ev.kind == PresenceKind.RECOVERED:
                    actions = [
                        Action(
                            "device", at=now, sources=(ev.source,), state="recovered", detail=ev.detail or "recovered"
                        )
                    ]
                elif ev.kind == PresenceKind.ENTER:
                    in_hours = self._hours.is_open(self.engine.local(now))
                    actions = self.machine.enter(ev.source, now, in_hours, ev.distance_m, ev.count)
                else:
                    actions = self.machine.leave(ev.source, now, ev.count)
                self._apply(actions)
        except Exception:
            log.exception("presence event from %s", ev.source)

    def tick(self) -> None:
        with self._lock:
            self._apply(self.machine.tick(self.engine.clock.now()))

    @property
    def pending(self) -> int:
        """Greeting actions waiting for the database."""
        return len(self._outbox)

    def _apply(self, actions: list[Action]) -> None:
        self._outbox.extend(actions)
        if self._failing and time.monotonic() < self._retry_at:
            return  # the database is in trouble: try again in a moment, not every tick
        while self._outbox:
            try:
                self._write(self._outbox[0])
            except PERMANENT as e:  # it will never be written (a NUL on PostgreSQL): drop it, say so once
                log.error("greeting action dropped, it cannot be stored: %s: %s", type(e).__name__, e)
                self._outbox.popleft()
                continue
            except Exception as e:  # the queue must not die because a greeting could not be logged
                if not self._failing:
                    log.warning(
                        "greeting log unavailable (%s: %s); %d action(s) wait and are retried",
                        type(e).__name__,
                        e,
                        len(self._outbox),
                    )
                self._failing = True
                self._retry_at = time.monotonic() + RETRY_S
                return
            self._outbox.popleft()
            if self._failing:
                log.warning("greeting log available again")
                self._failing = False

    def _write(self, a: Action) -> None:
        if a.kind in ("alert", "arrival_quiet"):
            gid = self.engine.greet_arrival(a.at, a.sources, a.distance_m, alerted=a.kind == "alert")
            if a.alert is not None:
                self._ids[a.alert], self._numbers[gid] = gid, a.alert
        elif a.kind in ("join", "joined", "repeat", "escalate"):
            if a.alert is None:  # the state machine never makes one; a bug is logged, not raised
                log.error("greeter: a %s without an alert number", a.kind)
            elif a.kind == "joined":
                self.engine.greet_joined(self._ids[a.alert], a.at, a.sources, a.distance_m)
            elif a.kind == "join":
                self.engine.greet_join(self._ids[a.alert], a.sources[0])
            elif a.kind == "repeat":
                self.engine.greet_repeat(self._ids[a.alert], a.repeat)
            else:
                self.engine.greet_escalate(self._ids[a.alert])
        elif a.kind in ("device", "flag", "unflag"):
            self.engine.device_alert(a.sources[0], a.state, a.detail, kind="sensor")

    def _on_engine_event(self, ev: Event) -> None:
        if ev.kind == "greet_confirmed":
            with self._lock:
                number = self._numbers.get(ev.data["alert_id"])
                if number is not None:
                    self.machine.confirm(number)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="greeter", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.tick_s):
            try:
                self.tick()
            except Exception:  # the ticking must go on: repeats and escalations
                log.exception("greeter tick")

    def stop(self) -> None:
        self._stop.set()
        self._unsubscribe()
        if self._thread:
            self._thread.join(timeout=5)
