"""`kiosk calibrate-camera`: the live camera picture with the zone, the calibration points and
the masks drawn, and each person's distance to the desk, so an installer can check the set-up.
The frames come from a feed the composition root hands over (hardware/presence/
calibration_feed.py), read on a worker thread and only shown; nothing is saved."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# the feed: called on the worker thread with a stop flag; yields RGB frames (an array with
# .data, .shape and .strides), raises OSError with a sentence for the installer
Feed = Callable[[threading.Event], Iterator[Any]]


class _Frames(QObject):
    frame = Signal(QImage)
    error = Signal(str)


class CalibrationView(QWidget):
    def __init__(self, feed: Feed):
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
        self._thread = threading.Thread(target=self._run, args=(feed,), daemon=True)
        self._thread.start()

    def _run(self, feed: Feed) -> None:
        try:
            for rgb in feed(self._stop):
                image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888)
                self._signals.frame.emit(image.copy())
                self._stop.wait(0.03)
        except OSError as e:  # no camera, or the person model is not installed: say how to fix it
            self._signals.error.emit(str(e))

    def _show(self, image: QImage) -> None:
        self.frames_shown += 1
        self.picture.setPixmap(QPixmap.fromImage(image))

    def closeEvent(self, event) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        super().closeEvent(event)
