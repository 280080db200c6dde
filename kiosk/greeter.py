"""Drives the greeting state machine: presence events in, alerts out through the engine.

Sensors call `on_presence` from their own threads; a timer thread ticks the machine for
repeats, escalation and re-arming; confirmations come back as engine events (from any panel,
in this process or, later, another). A sensor fault goes to staff as a device alert.
"""
from __future__ import annotations

import logging
import threading

from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.engine import Engine
from kiosk.greeting import Action, GreetingMachine, GreetingPolicy

log = logging.getLogger(__name__)


class Greeter:
    def __init__(self, engine: Engine, tick_s: float = 0.2):
        p = engine.config.presence
        self.engine = engine
        self.machine = GreetingMachine(GreetingPolicy(p.group_window_s, p.repeat_s, p.max_repeats, p.rearm_after_s))
        self.tick_s = tick_s
        self._hours = engine.config.site.hours.calendar()
        self._lock = threading.RLock()     # re-entered if an engine event arrives while applying
        self._ids: dict[int, int] = {}          # machine alert number -> stored greeting id
        self._numbers: dict[int, int] = {}      # stored id -> machine number
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe = engine.bus.subscribe(self._on_engine_event)

    def on_presence(self, ev: PresenceEvent) -> None:
        if ev.kind in (PresenceKind.FAULT, PresenceKind.RECOVERED):
            self.engine.device_alert(ev.source, ev.kind.value, ev.detail or ev.kind.value, kind="sensor")
            return
        now = self.engine.clock.now()
        with self._lock:
            if ev.kind == PresenceKind.ENTER:
                in_hours = self._hours.is_open(self.engine.local(now))
                actions = self.machine.enter(ev.source, now, in_hours, ev.distance_m)
            else:
                actions = self.machine.leave(ev.source, now)
            self._apply(actions)

    def tick(self) -> None:
        with self._lock:
            self._apply(self.machine.tick(self.engine.clock.now()))

    def _apply(self, actions: list[Action]) -> None:
        for a in actions:
            try:
                if a.kind in ("alert", "arrival_quiet"):
                    gid = self.engine.greet_arrival(a.at, a.sources, a.distance_m, alerted=a.kind == "alert")
                    if a.alert is not None:
                        self._ids[a.alert], self._numbers[gid] = gid, a.alert
                elif a.kind == "join":
                    self.engine.greet_join(self._ids[a.alert], a.sources[0])
                elif a.kind == "repeat":
                    self.engine.greet_repeat(self._ids[a.alert], a.repeat)
                elif a.kind == "escalate":
                    self.engine.greet_escalate(self._ids[a.alert])
            except Exception:          # the queue must not die because a greeting could not be logged
                log.exception("greeting action %s failed", a.kind)

    def _on_engine_event(self, ev) -> None:
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
            self.tick()

    def stop(self) -> None:
        self._stop.set()
        self._unsubscribe()
        if self._thread:
            self._thread.join(timeout=5)
