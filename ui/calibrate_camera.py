"""`kiosk calibrate-camera`: the live camera picture with the zone, the calibration points and
the masks drawn, and each person's distance to the desk, so an installer can check the set-up.
Frames are read and drawn on a worker thread and only shown; nothing is saved."""

from __future__ import annotations

import threading

import cv2
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hardware.presence.camera import open_camera
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector, to_working
from hardware.presence.overlay import draw_overlay


class _Frames(QObject):
    frame = Signal(QImage)
    error = Signal(str)


class CalibrationView(QWidget):
    def __init__(self, source: str, calibration: FloorCalibration, zone_m: float = 3.0, masks=()):
        super().__init__()
        self.setWindowTitle("Camera calibration")
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(640, 480)
        self.info = QLabel("Amber ring: the greeting zone. Blue dots: calibration points. Grey: ignored areas.")
        col = QVBoxLayout(self)
        col.addWidget(self.picture, 1)
        col.addWidget(self.info)
        self.frames_shown = 0
        self._signals = _Frames()
        self._signals.frame.connect(self._show)
        self._signals.error.connect(self.info.setText)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source, calibration, zone_m, masks), daemon=True)
        self._thread.start()

    def _run(self, source: str, calibration: FloorCalibration, zone_m: float, masks) -> None:
        try:
            cap = open_camera(source)  # the same resolution and picture as the sensor's
        except OSError as e:
            self._signals.error.emit(str(e))
            return
        try:
            detector = PeopleDetector(DetectorSettings(masks=tuple(masks)), calibration, zone_m)
        except OSError as e:  # the person model is not installed: say how to install it
            self._signals.error.emit(str(e))
            cap.release()
            return
        while not self._stop.is_set():
            ok, frame = cap.read()
            if not ok:
                break
            frame = to_working(frame)  # 640 wide, the camera's aspect: as calibrated
            tracks = detector.process(frame)
            rgb = cv2.cvtColor(draw_overlay(frame, calibration, zone_m, masks, tracks), cv2.COLOR_BGR2RGB)
            image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888).copy()
            self._signals.frame.emit(image)
            self._stop.wait(0.03)
        cap.release()

    def _show(self, image: QImage) -> None:
        self.frames_shown += 1
        self.picture.setPixmap(QPixmap.fromImage(image))

    def closeEvent(self, event) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        super().closeEvent(event)
