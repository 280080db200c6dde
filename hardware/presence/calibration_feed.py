"""The frames `kiosk calibrate-camera` shows: the camera's picture at the sensor's working size,
with the zone, the calibration points, the masks and each tracked person drawn, in RGB.
The screen (ui/calibrate_camera.py) only shows them; it is handed this feed by the
composition root and never touches the camera or OpenCV itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import cv2
import numpy as np

from hardware.presence.camera import open_camera
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector, to_working
from hardware.presence.overlay import draw_overlay


class CalibrationFeed:
    def __init__(self, source: str, calibration: FloorCalibration, zone_m: float = 3.0, masks: Sequence = ()):
        self.source, self.calibration, self.zone_m, self.masks = source, calibration, zone_m, tuple(masks)

    def __call__(self, stop: threading.Event) -> Iterator[np.ndarray]:
        """RGB frames until the camera ends or `stop` is set. OSError (said to the installer as
        it is) when the camera cannot be opened or the person model is not installed."""
        cap = open_camera(self.source)  # the same resolution and picture as the sensor's
        try:
            detector = PeopleDetector(DetectorSettings(masks=self.masks), self.calibration, self.zone_m)
            while not stop.is_set():
                ok, frame = cap.read()
                if not ok:
                    return
                frame = to_working(frame)  # 640 wide, the camera's aspect: as calibrated
                tracks = detector.process(frame)
                drawn = draw_overlay(frame, self.calibration, self.zone_m, self.masks, tracks)
                yield cv2.cvtColor(drawn, cv2.COLOR_BGR2RGB)
        finally:
            cap.release()
