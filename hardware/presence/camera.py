"""A camera at the entrance as a presence sensor (opencv-python-headless).

Privacy (seed 000 #5-6: do not stare at customers): frames live only in this thread's local
variables. They are never written to disk, never sent anywhere, never kept after the next frame.
What leaves this module is an event: time, distance in metres, how many people are in the zone.
"""
from __future__ import annotations

import logging
import threading
import time

import cv2

from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector
from kiosk.devices import DeviceStatus, PresenceEvent, PresenceKind, PresenceSink

log = logging.getLogger(__name__)


class CameraSensor:
    kind = "camera"

    def __init__(self, name: str, source: str, calibration: FloorCalibration, zone_m: float = 3.0,
                 masks: tuple = (), leave_after_s: float = 2.0, stale_after_s: float = 10.0,
                 frame_size: tuple[int, int] = (640, 480), pace_files: bool = True, wall_clock=time.time):
        self.name = name
        self.source = source
        self.calibration = calibration
        self.zone_m = zone_m
        self.masks = masks
        self.leave_after_s = leave_after_s
        self.stale_after_s = stale_after_s
        self.frame_size = frame_size
        self.pace_files = pace_files          # a recorded file plays at its own speed, like a camera
        self._wall = wall_clock
        self._sink: PresenceSink | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.detector: PeopleDetector | None = None
        self.frames = 0
        self.fps = 0.0
        self.in_zone = 0
        self.faulty = False
        self.fault_detail = ""
        self.finished = threading.Event()      # a file source reached its end

    def _open(self):
        src = int(self.source) if self.source.isdigit() else self.source
        cap = cv2.VideoCapture(src)
        if not cap.isOpened():
            cap.release()
            raise OSError(f"cannot open camera {self.source!r}")
        return cap

    def start(self, sink: PresenceSink) -> None:
        self._sink = sink
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def status(self) -> DeviceStatus:
        if self.faulty:
            return DeviceStatus(self.name, self.kind, False, "fault", self.fault_detail)
        return DeviceStatus(self.name, self.kind, self.frames > 0,
                            f"{self.in_zone} in zone" if self.frames else "no frame yet",
                            f"{self.fps:.0f} frames/s")

    def _run(self) -> None:
        backoff = 0.5
        is_file = not self.source.isdigit() and "://" not in self.source
        while not self._stop.is_set():
            try:
                cap = self._open()
            except OSError as e:
                self._fault(str(e))
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            backoff = 0.5
            self.detector = PeopleDetector(DetectorSettings(masks=tuple(self.masks)), self.calibration, self.zone_m)
            period = 1.0 / (cap.get(cv2.CAP_PROP_FPS) or 10.0) if is_file and self.pace_files else 0.0
            self._watch(cap, period, is_file)
            cap.release()
            if is_file:
                self.finished.set()
                return

    def _watch(self, cap, period: float, is_file: bool) -> None:
        last_frame = time.monotonic()
        last_in_zone: float | None = None
        occupied = False
        started, counted = time.monotonic(), 0
        while not self._stop.is_set():
            tick = time.monotonic()
            ok, frame = cap.read()
            now = time.monotonic()
            if not ok:
                if is_file:
                    return                                  # the end of a recording
                if now - last_frame > self.stale_after_s:
                    self._fault(f"no frame for {now - last_frame:.0f} s")
                    return                                  # reopen, with back-off
                time.sleep(0.05)
                continue
            last_frame = now
            if self.faulty:
                self.faulty = False
                self._emit(PresenceKind.RECOVERED, detail="frames arrive again")
            if frame.shape[1] != self.frame_size[0]:
                frame = cv2.resize(frame, self.frame_size, interpolation=cv2.INTER_AREA)
            tracks = self.detector.process(frame)
            del frame                                       # nothing of the picture outlives this loop
            inside = [t for t in tracks if t.in_zone]
            self.in_zone = len(inside)
            for t in inside:
                if not t.arrived:
                    t.arrived = True
                    distance = self.calibration.distance_to_desk(*t.foot)
                    occupied = True
                    self._emit(PresenceKind.ENTER, round(distance, 2), len(inside))
            if inside:
                last_in_zone = now
            elif occupied and last_in_zone is not None and now - last_in_zone >= self.leave_after_s:
                occupied = False
                self._emit(PresenceKind.LEAVE, count=0)
            self.frames += 1
            counted += 1
            if now - started >= 1.0:
                self.fps, started, counted = counted / (now - started), now, 0
            if period:
                self._stop.wait(max(0.0, period - (time.monotonic() - tick)))

    def _fault(self, detail: str) -> None:
        if not self.faulty:
            self.faulty, self.fault_detail = True, detail
            log.warning("camera %s: %s", self.name, detail)
            self._emit(PresenceKind.FAULT, detail=detail)

    def _emit(self, kind: PresenceKind, distance: float | None = None, count: int | None = None,
              detail: str = "") -> None:
        if self._sink:
            self._sink(PresenceEvent(self.name, kind, self._wall(), distance, count, detail))
