"""Door switch, PIR and ultrasonic sensors on GPIO through gpiozero (its MockFactory in tests,
lgpio on a Pi 5). Each reports "entered" / "left" events to the sink it was started with.

A door switch or PIR cannot tell a silent sensor from an empty hall; the ultrasonic sensor can
(no echo at all), and reports a fault when it has had no echo for `stale_after_s`.
"""

from __future__ import annotations

import threading
import time

from gpiozero import DistanceSensor

from hardware.presence.base import SensorBase
from hardware.presence.zone import ZoneTracker
from kiosk.devices import DeviceStatus, PresenceKind, PresenceSink


class DoorSwitch(SensorBase):
    """A reed switch on the entrance door: the door opening is an arrival.

    Debounced by stability: a change counts once the contact has held it for `debounce_s`
    (a bouncing reed gives dozens of edges in a few milliseconds)."""

    kind = "door"

    def __init__(
        self, name: str, pin: int, open_when: str = "released", debounce_s: float = 0.05, pin_factory=None, **kw
    ):
        super().__init__(name, **kw)
        from gpiozero import Button

        # pin_factory: gpiozero's own (lgpio on a Pi, MockFactory in tests); None: its default
        self.button = Button(pin, pull_up=True, pin_factory=pin_factory)
        self.open_when = open_when
        self.debounce_s = debounce_s
        self._reported_open: bool | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def start(self, sink: PresenceSink) -> None:
        self._sink = sink
        self._reported_open = self.is_open
        self.button.when_pressed = self.button.when_released = self._edge

    def _edge(self) -> None:
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce_s, self._settled)
            self._timer.daemon = True
            self._timer.start()

    def _settled(self) -> None:
        with self._lock:
            now_open = self.is_open
            if now_open == self._reported_open:
                return
            self._reported_open = now_open
        # a door counts: each opening is one arrival (count 0 -> 1), whoever is inside already
        if now_open:
            self._emit(PresenceKind.ENTER, count=1, detail="door opened")
        else:
            self._emit(PresenceKind.LEAVE, count=0, detail="door closed")

    def stop(self) -> None:
        self.button.when_pressed = self.button.when_released = None
        if self._timer:
            self._timer.cancel()
        self.button.close()

    @property
    def is_open(self) -> bool:
        return (not self.button.is_pressed) if self.open_when == "released" else self.button.is_pressed

    def status(self) -> DeviceStatus:
        return DeviceStatus(self.name, self.kind, True, "door open" if self.is_open else "door closed")


class PirSensor(SensorBase):
    kind = "pir"

    def __init__(self, name: str, pin: int, pin_factory=None, **kw):
        super().__init__(name, **kw)
        from gpiozero import MotionSensor

        self.sensor = MotionSensor(pin, pin_factory=pin_factory)

    def start(self, sink: PresenceSink) -> None:
        self._sink = sink
        self.sensor.when_motion = lambda: self._emit(PresenceKind.ENTER, detail="motion")
        self.sensor.when_no_motion = lambda: self._emit(PresenceKind.LEAVE, detail="no motion")
        # gpiozero fires no callback for the first state it sees: someone already there counts
        if self.sensor.motion_detected:
            self._emit(PresenceKind.ENTER, detail="motion at start")

    def stop(self) -> None:
        self.sensor.when_motion = self.sensor.when_no_motion = None
        self.sensor.close()

    def status(self) -> DeviceStatus:
        return DeviceStatus(self.name, self.kind, True, "motion" if self.sensor.motion_detected else "no motion")


class _EchoWatchingDistanceSensor(DistanceSensor):
    """gpiozero's DistanceSensor drops a missing echo silently in its queue thread; note when an
    echo last came back so a dead or unplugged sensor can be told from an empty hall."""

    last_echo: float | None = None

    def _read(self):
        value = super()._read()
        if value is not None:
            self.last_echo = time.monotonic()
        return value


class UltrasonicSensor(SensorBase):
    """HC-SR04 style distance sensor pointed at the entrance; the zone is a radius in metres."""

    kind = "ultrasonic"

    def __init__(
        self,
        name: str,
        trigger_pin: int,
        echo_pin: int,
        zone_m: float = 3.0,
        leave_after_s: float = 2.0,
        stale_after_s: float = 10.0,
        poll_s: float = 0.1,
        pin_factory=None,
        **kw,
    ):
        super().__init__(name, **kw)
        # gpiozero's default range is 1 m; a 3 m zone needs more (and a little beyond, to see leaving)
        self.sensor = _EchoWatchingDistanceSensor(
            echo=echo_pin,
            trigger=trigger_pin,
            max_distance=max(4.0, zone_m + 1.0),
            threshold_distance=min(zone_m, 3.9),
            queue_len=3,
            pin_factory=pin_factory,
        )
        self.zone = ZoneTracker(zone_m, leave_after_s)
        self.poll_s = poll_s
        self.stale_after_s = stale_after_s
        self._clock = time.monotonic  # the same clock gpiozero's queue thread stamps echoes with
        self._started = self._clock()
        self._faulty = False
        self.last_distance: float | None = None

    def start(self, sink: PresenceSink) -> None:
        self._started = self._clock()
        self._start_reader(sink)

    def stop(self) -> None:
        self._stop_reader()
        self.sensor.close()

    def read_once(self) -> None:
        """One poll: read the distance, update the zone, watch for silence."""
        now = self._clock()
        echo = self.sensor.last_echo
        if echo is not None and now - echo <= self.stale_after_s:
            distance = self.sensor.distance
            self.last_distance = distance
            if self._faulty:
                self._faulty = False
                self._emit(PresenceKind.RECOVERED, detail="echoes again")
            for kind, dist in self.zone.observe(now, distance):
                self._emit(kind, dist)
        elif now - (echo or self._started) > self.stale_after_s and not self._faulty:
            self._faulty = True
            self.zone = ZoneTracker(self.zone.zone_m, self.zone.leave_after_s)  # what it saw no longer counts
            self._emit(PresenceKind.FAULT, detail=f"no echo for {self.stale_after_s:.0f} s: unplugged or blocked?")

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.read_once()

    def status(self) -> DeviceStatus:
        if self._thread is not None and not self.reader_alive and not self._stop.is_set():
            return DeviceStatus(self.name, self.kind, False, "fault", f"reader stopped: {self.last_crash}")
        if self._faulty:
            return DeviceStatus(self.name, self.kind, False, "fault", "no echo")
        d = self.last_distance
        return DeviceStatus(
            self.name,
            self.kind,
            True,
            "someone in zone" if self.zone.occupied else "zone empty",
            f"{d:.2f} m" if d is not None else "",
        )
