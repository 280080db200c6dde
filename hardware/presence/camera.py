"""A camera at the entrance as a presence sensor (opencv-python-headless).

Privacy (seed 000 #5-6: do not stare at customers): frames live only in this thread's local
variables. They are never written to disk, never sent anywhere, never kept after the next frame.
What leaves this module is an event: time, distance in metres, how many people are in the zone.

It counts: each person who enters the zone raises the count by one (ENTER with the new count),
each who leaves it lowers it after `leave_after_s` (LEAVE with the new count), so the greeter
sees every arrival, also while others are still inside. A camera that shows nothing usable is
a fault, not an empty hall: a black or covered picture, a frozen one, a stream that ended or
stopped delivering frames.
"""

from __future__ import annotations

import logging
import threading
import time

import cv2
import numpy as np

from hardware.presence.base import Backoff, SensorBase
from hardware.presence.camera_detector import WORK_WIDTH, DetectorSettings, FloorCalibration, PeopleDetector, to_working
from kiosk.devices import DeviceStatus, PresenceKind, PresenceSink

log = logging.getLogger(__name__)
DARK_MEAN, DARK_STD = 18, 6  # a dead picture or no light: dark and flat
FLAT_STD = 8.0  # a hand, a cloth or a cap over the lens: flat at any brightness
FAULT_AFTER_S = 2.0  # ... for this long
FROZEN_AFTER_S = 2.5  # the very same picture this long: a live camera never does that
NO_FRAME_FAULT_S = 2.5  # a live camera that sends nothing this long is unplugged or hung
LINGER_S = 10.0  # a person followed just outside the zone stays present this long
ADOPT_S = 2.0  # after a fault, people found in this long were already there: not announced again


def open_camera(source: str):
    """Open a camera index, file or stream URL. A live camera is asked for the working width
    (640) in its own aspect, so it does not spend the CPU decoding 720p only to shrink it."""
    live = source.isdigit()
    cap = cv2.VideoCapture(int(source) if live else source)
    if not cap.isOpened():
        cap.release()
        raise OSError(f"cannot open camera {source!r}")
    if live:
        w, h = cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)
        if w > WORK_WIDTH and h > 0:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, WORK_WIDTH)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, round(WORK_WIDTH * h / w))
    return cap


class CameraSensor(SensorBase):
    kind = "camera"

    def __init__(
        self,
        name: str,
        source: str,
        calibration: FloorCalibration,
        zone_m: float = 3.0,
        masks: tuple = (),
        leave_after_s: float = 2.0,
        stale_after_s: float = 10.0,
        pace_files: bool = True,
        wall_clock=time.time,
        settings: DetectorSettings | None = None,
    ):
        super().__init__(name, wall_clock)
        self.source = source
        self.calibration = calibration
        self.zone_m = zone_m
        self.masks = masks
        self.leave_after_s = leave_after_s
        self.stale_after_s = stale_after_s
        self.pace_files = pace_files  # a recorded file plays at its own speed, like a camera
        self.settings = settings
        self.detector: PeopleDetector | None = None
        self.frames = 0
        self.fps = 0.0
        self.in_zone = 0
        self.faulty = False
        self.fault_detail = ""
        self.finished = threading.Event()  # a file source reached its end
        self.is_file = not source.isdigit() and "://" not in source
        self.last_frame_at = 0.0  # monotonic time of the last frame read

    def start(self, sink: PresenceSink) -> None:
        self._start_reader(sink)

    def stop(self) -> None:
        self._stop_reader()

    def status(self) -> DeviceStatus:
        if (
            self._thread is not None
            and not self.reader_alive
            and not self._stop.is_set()
            and not self.finished.is_set()
        ):
            return DeviceStatus(self.name, self.kind, False, "fault", f"reader stopped: {self.last_crash}")
        if self.faulty:
            return DeviceStatus(self.name, self.kind, False, "fault", self.fault_detail)
        if self.frames and not self.is_file and time.monotonic() - self.last_frame_at > 1.0:
            return DeviceStatus(self.name, self.kind, False, "no picture", "waiting for the camera's next frame")
        return DeviceStatus(
            self.name,
            self.kind,
            self.frames > 0,
            f"{self.in_zone} in zone" if self.frames else "no frame yet",
            f"{self.fps:.0f} frames/s",
        )

    def _loop(self) -> None:
        backoff = Backoff()
        while not self._stop.is_set():
            try:
                cap = open_camera(self.source)
            except OSError as e:
                self._fault(str(e))
                self._stop.wait(backoff.next())
                continue
            backoff.reset()
            settings = self.settings or DetectorSettings(masks=tuple(self.masks))
            if self.detector is None:  # the model loads once; a reopened camera keeps it
                self.detector = PeopleDetector(settings, self.calibration, self.zone_m)
            period = 1.0 / (cap.get(cv2.CAP_PROP_FPS) or 10.0) if self.is_file and self.pace_files else 0.0
            try:
                self._watch(cap, period)
            finally:
                cap.release()
            if self.is_file:
                self._fault("the video ended")
                self.finished.set()
                return

    def _watch(self, cap, period: float) -> None:
        present: dict[int, float] = {}  # track id -> last seen in the zone
        quiet: set[int] = set()  # tracks found right after a fault: people already there
        adopt_until = -1.0
        last_frame = time.monotonic()
        flat_since = frozen_since = None
        previous: np.ndarray | None = None
        started, counted = time.monotonic(), 0
        stale = min(self.stale_after_s, NO_FRAME_FAULT_S)
        while not self._stop.is_set():
            tick = time.monotonic()
            ok, frame = cap.read()
            wall = time.monotonic()
            if not ok:
                if self.is_file:
                    return  # the end of a recording
                if wall - last_frame > stale:
                    self._fault(f"no picture from the camera for {wall - last_frame:.0f} s: unplugged or hung?")
                    self._release(present)
                    return  # reopen, with back-off
                time.sleep(0.05)
                continue
            last_frame = self.last_frame_at = wall
            # a recording's own clock, so its seconds are the seconds it shows, at any speed
            now = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000 if self.is_file else wall
            frame = to_working(frame)
            small = cv2.cvtColor(cv2.resize(frame, (80, 60), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
            mean, std = cv2.meanStdDev(small)
            dark = mean[0][0] < DARK_MEAN and std[0][0] < DARK_STD
            # flat for its brightness: a dim hall at night still has contrast for its light
            flat = std[0][0] < FLAT_STD and std[0][0] < 0.12 * max(mean[0][0], 20.0)
            frozen = previous is not None and cv2.absdiff(small, previous).max() == 0
            previous = small
            flat_since = (flat_since or now) if flat else None
            frozen_since = (frozen_since or now) if frozen else None
            if flat_since is not None and now - flat_since >= FAULT_AFTER_S:
                self._fault(
                    "the picture is black: no light, or the camera turned away?"
                    if dark
                    else "the picture is blank: lens covered or camera out of focus?"
                )
            elif frozen_since is not None and now - frozen_since >= FROZEN_AFTER_S:
                self._fault("the picture is frozen: the camera stopped updating")
            elif not flat and not frozen and self.faulty:
                self.faulty = False
                adopt_until = now + ADOPT_S
                quiet.clear()  # those adopted after an earlier fault were lost with this one
                self._emit(PresenceKind.RECOVERED, detail="the picture is live again")
            if self.faulty or self.detector is None:
                self._release(present)  # whoever is seen afterwards is seen anew
            else:
                tracks = self.detector.process(frame, now)
                if now < adopt_until:
                    quiet.update(self.detector.tracks)
                self._count(tracks, present, quiet, now)
            del frame  # nothing of the picture outlives this loop
            self.frames += 1
            counted += 1
            if wall - started >= 1.0:
                self.fps, started, counted = counted / (wall - started), wall, 0
            if period:
                self._stop.wait(max(0.0, period - (time.monotonic() - tick)))

    def _release(self, present: dict[int, float]) -> None:
        """A camera that cannot see holds nobody in the zone (the greeter has its fault)."""
        present.clear()
        self.in_zone = 0

    def _count(self, tracks, present: dict[int, float], quiet: set[int], now: float) -> None:
        """Arrivals and leaves as a count: each new person in the zone raises it by one."""
        inside = [t for t in tracks if t.in_zone]
        self.in_zone = len(inside)
        for t in inside:
            if t.id in quiet:
                # standing there since before the fault: already greeted, and not in the count
                # (the greeter's count of this camera restarted at zero with the fault)
                t.arrived = True
                continue
            if t.id not in present:
                present[t.id] = now
                t.arrived = True
                distance = self.calibration.distance_to_desk(*t.foot)
                self._emit(PresenceKind.ENTER, round(distance, 2), len(present))
            present[t.id] = now
        followed = {t.id for t in tracks}
        for tid, seen in list(present.items()):
            # someone still in view who stepped just outside the zone has not left: coming back
            # in a moment later is not a new arrival
            linger = LINGER_S if tid in followed else self.leave_after_s
            if now - seen >= max(linger, self.leave_after_s):
                del present[tid]
                self._emit(PresenceKind.LEAVE, count=len(present))

    def _fault(self, detail: str) -> None:
        if not self.faulty:
            self.faulty, self.fault_detail = True, detail
            log.warning("camera %s: %s", self.name, detail)
            self._emit(PresenceKind.FAULT, detail=detail)
