"""Reading a QR code back from a picture, as a phone would.

OpenCV's classic QRCodeDetector misses about 1 in 100 perfectly drawn codes (a random token
decides which), so a test on a fresh token would fail at random; the ArUco-based detector reads
them all. Both are tried, so a miss means the code is really unreadable."""

from __future__ import annotations

import cv2
import numpy as np


def read_qr(gray: np.ndarray) -> str:
    image = np.ascontiguousarray(gray)
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        value, _, _ = detector.detectAndDecode(image)
        if value:
            return str(value)
    return ""
