"""Drawing the zone, the calibration points, the masks and the tracks over a camera frame, for
`kiosk calibrate-camera` (set-up only: the picture is shown on screen, never saved)."""

from __future__ import annotations

import cv2
import numpy as np

from hardware.presence.camera_detector import FloorCalibration

ZONE = (0, 215, 255)  # BGR amber
POINT = (255, 200, 0)
MASK = (80, 80, 80)


def draw_overlay(frame: np.ndarray, calibration: FloorCalibration, zone_m: float, masks=(), tracks=()) -> np.ndarray:
    out = frame.copy()
    for poly in masks:
        pts = np.int32(poly)
        shade = out.copy()
        cv2.fillPoly(shade, [pts], MASK)
        out = cv2.addWeighted(shade, 0.6, out, 0.4, 0)
    inverse = np.linalg.inv(calibration.homography)
    cx, cy = calibration.desk_m
    if calibration.zone_polygon_m:  # the floor polygon in front of the desk
        outline = np.float32([[p] for p in calibration.zone_polygon_m])
    else:  # a ring of zone_m around the desk
        outline = np.float32(
            [[[cx + zone_m * np.cos(a), cy + zone_m * np.sin(a)]] for a in np.linspace(0, 2 * np.pi, 72)]
        )
    pixels = cv2.perspectiveTransform(outline, inverse).reshape(-1, 2)
    cv2.polylines(out, [np.int32(pixels)], True, ZONE, 2, cv2.LINE_AA)
    desk = cv2.perspectiveTransform(np.float32([[[cx, cy]]]), inverse)[0, 0]
    cv2.drawMarker(out, (int(desk[0]), int(desk[1])), ZONE, cv2.MARKER_CROSS, 18, 2)
    for (x, y), (fx, fy) in zip(calibration.image_points, calibration.floor_points_m):
        cv2.circle(out, (int(x), int(y)), 6, POINT, -1)
        cv2.putText(out, f"({fx:g},{fy:g}) m", (int(x) + 8, int(y) - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.45, POINT, 1)
    for t in tracks:
        x, y, w, h = t.box
        color = (0, 0, 255) if t.in_zone else (0, 200, 0)
        cv2.rectangle(out, (x, y), (x + w, y + h), color, 2)
        d = calibration.distance_to_desk(*t.foot)
        cv2.putText(out, f"{d:.1f} m", (x, y - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.45, color, 1)
    return out
