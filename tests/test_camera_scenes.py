"""The camera sensor on clips the tests make themselves (OpenCV drawing), where the right
answer is known: someone who stands at the desk for a minute, a knocked camera, the lights
coming on, a covered lens, a frozen picture, 16:9 and 4:3 cameras."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from hardware.presence.camera import CameraSensor
from hardware.presence.camera_detector import FloorCalibration
from kiosk.config import ConfigError, example_config_text, parse_config
from kiosk.devices import PresenceKind
from tests.test_camera import walker

FPS = 10


def hall(width: int = 640, height: int = 480) -> np.ndarray:
    """A lobby: textured floor and wall, a desk, a plant; what a camera at the entrance sees."""
    rng = np.random.default_rng(7)
    img = cv2.GaussianBlur(rng.integers(95, 150, (height, width, 3)).astype(np.uint8), (7, 7), 0)
    s = width / 640
    cv2.rectangle(img, (0, 0), (width, int(150 * height / 480)), (150, 160, 170), -1)  # wall
    for x in range(0, width, int(80 * s)):
        cv2.line(img, (x, int(150 * height / 480)), (x, height), (110, 110, 115), 1)  # floor tiles
    cv2.rectangle(img, (int(250 * s), int(400 * height / 480)), (int(390 * s), height), (60, 90, 140), -1)  # desk
    cv2.circle(img, (int(560 * s), int(180 * height / 480)), int(30 * s), (40, 120, 60), -1)  # a plant
    return img


def noisy(img: np.ndarray, rng) -> np.ndarray:
    """A real camera never sends the same picture twice."""
    return np.clip(img.astype(np.int16) + rng.integers(-3, 4, img.shape), 0, 255).astype(np.uint8)


def write_clip(path, frames, size) -> str:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, size)
    assert out.isOpened()
    for f in frames:
        out.write(f)
    out.release()
    return str(path)


# the floor seen from the entrance: the picture's lower part, 6.4 m wide, the desk at the bottom middle
CAL_43 = FloorCalibration(
    ((0, 150), (640, 150), (640, 480), (0, 480)), ((0, 0), (6.4, 0), (6.4, 6.6), (0, 6.6)), (3.2, 6.6)
)


def run(path: str, calibration=CAL_43, leave_after_s: float = 2.0):
    events, lock = [], threading.Lock()
    sensor = CameraSensor(
        "entrance camera", path, calibration, zone_m=3.0, leave_after_s=leave_after_s, pace_files=False
    )

    def sink(ev):
        with lock:
            events.append((ev, sensor.frames))  # the frame it came with: the clip's own time

    sensor.start(sink)
    assert sensor.finished.wait(120)
    sensor.stop()
    return events, sensor


def kinds(events, *wanted):
    return [(e.kind, n) for e, n in events if e.kind in wanted]


def test_someone_who_stands_at_the_desk_for_a_minute_is_one_arrival_and_leaves_once(tmp_path):
    rng = np.random.default_rng(3)
    bg = hall()
    frames = [noisy(bg, rng) for _ in range(3 * FPS)]
    path = [(100 + i * 5, 200 + i * 4) for i in range(40)]  # walks to the desk
    frames += [noisy(walker(bg, x, y, step=i), rng) for i, (x, y) in enumerate(path)]
    x, y = path[-1]
    frames += [noisy(walker(bg, x + (i // 40) % 2, y), rng) for i in range(60 * FPS)]  # stands, barely moving
    stood_until = len(frames)
    frames += [noisy(walker(bg, x - i * 8, y - i * 6, step=i), rng) for i in range(30)]  # walks away
    frames += [noisy(bg, rng) for _ in range(5 * FPS)]
    events, sensor = run(write_clip(tmp_path / "stand.avi", frames, (640, 480)))
    enters = kinds(events, PresenceKind.ENTER)
    leaves = kinds(events, PresenceKind.LEAVE)
    assert len(enters) == 1 and enters[0][1] < stood_until  # one arrival, on the way in
    assert len(leaves) == 1 and leaves[0][1] > stood_until  # and no "leave" until they go
    assert [e.count for e, _ in events if e.kind == PresenceKind.ENTER] == [1]
    assert not kinds(events, PresenceKind.FAULT)[:-1]  # only "the video ended"


def test_a_knocked_camera_on_an_empty_hall_finds_no_one(tmp_path):
    rng = np.random.default_rng(4)
    bg = hall()
    shifted = np.roll(bg, (3, 3), axis=(0, 1))  # a 3 px knock, and it stays so
    frames = [noisy(bg, rng) for _ in range(5 * FPS)] + [noisy(shifted, rng) for _ in range(10 * FPS)]
    events, sensor = run(write_clip(tmp_path / "knock.avi", frames, (640, 480)))
    assert kinds(events, PresenceKind.ENTER) == []
    assert sensor.detector.rebuilds >= 1


def test_lights_switching_on_find_no_one(tmp_path):
    rng = np.random.default_rng(5)
    dim = hall()
    bright = cv2.convertScaleAbs(dim, alpha=1.3, beta=40)
    frames = [noisy(dim, rng) for _ in range(5 * FPS)] + [noisy(bright, rng) for _ in range(10 * FPS)]
    events, _ = run(write_clip(tmp_path / "lights.avi", frames, (640, 480)))
    assert kinds(events, PresenceKind.ENTER) == []


def test_a_covered_lens_is_a_fault_not_an_empty_hall_and_recovers(tmp_path):
    rng = np.random.default_rng(6)
    bg = hall()
    black = np.full_like(bg, 6)
    frames = (
        [noisy(bg, rng) for _ in range(3 * FPS)]
        + [noisy(black, rng) for _ in range(4 * FPS)]
        + [noisy(bg, rng) for _ in range(3 * FPS)]
    )
    events, _ = run(write_clip(tmp_path / "covered.avi", frames, (640, 480)))
    faults = [(e.detail, n) for e, n in events if e.kind == PresenceKind.FAULT]
    assert "black" in faults[0][0] and 3 * FPS < faults[0][1] <= 3 * FPS + 2.5 * FPS
    recovered = kinds(events, PresenceKind.RECOVERED)
    assert recovered and recovered[0][1] >= 7 * FPS  # with the first live frame


def test_a_frozen_picture_is_a_fault(tmp_path):
    rng = np.random.default_rng(8)
    bg = hall()
    still = noisy(bg, rng)
    frames = [noisy(bg, rng) for _ in range(2 * FPS)] + [still] * (7 * FPS)
    events, _ = run(write_clip(tmp_path / "frozen.avi", frames, (640, 480)))
    faults = [e.detail for e, _ in events if e.kind == PresenceKind.FAULT]
    assert faults and "frozen" in faults[0]


def test_16_9_cameras_measure_the_same_floor_point_at_the_same_distance(tmp_path):
    """Calibration points are in the working picture: 640 wide, the camera's own aspect. A
    640x360 and a 1280x720 camera see the same walk to the desk at the same distances (the old
    sensor stretched 16:9 to 640x480: a person at 2.0 m was reported at 3.3 m)."""
    cal = FloorCalibration(
        ((0, 110), (640, 110), (640, 360), (0, 360)), ((0, 0), (6.4, 0), (6.4, 5.0), (0, 5.0)), (3.2, 5.0)
    )
    readings = {}
    for w, h in ((640, 360), (1280, 720)):
        rng = np.random.default_rng(9)
        bg = hall(w, h)
        k = w / 640
        frames = [noisy(bg, rng) for _ in range(3 * FPS)]
        frames += [
            noisy(walker(bg, int(320 * k), int((160 + i * 5) * k), h=int(100 * k), step=i), rng) for i in range(31)
        ]
        frames += [noisy(walker(bg, int(320 * k), int(310 * k), h=int(100 * k)), rng) for _ in range(3 * FPS)]
        events, _ = run(write_clip(tmp_path / f"cam{w}.avi", frames, (w, h)), calibration=cal)
        enters = [e for e, _ in events if e.kind == PresenceKind.ENTER]
        assert len(enters) == 1
        readings[w] = enters[0].distance_m
    assert 2.4 <= readings[640] <= 3.0  # crossing into the 3 m ring
    assert readings[640] == pytest.approx(readings[1280], abs=0.15)


def test_four_calibration_points_that_cannot_map_the_floor_are_refused_at_start_up():
    cam = """
[[sensors]]
kind = "camera"
name = "entrance camera"
camera = "0"
floor_image_points = [[100, 100], [100, 100], [100, 100], [100, 100]]
floor_points_m = [[0, 0], [4, 0], [4, 3], [0, 3]]
"""
    with pytest.raises(ConfigError) as e:
        parse_config(example_config_text() + cam)
    assert "sensors[0]" in str(e.value) and "floor_image_points" in str(e.value) and "twice" in str(e.value)
    line = cam.replace("[[100, 100], [100, 100], [100, 100], [100, 100]]", "[[0, 0], [100, 100], [200, 200], [0, 300]]")
    with pytest.raises(ConfigError, match="one line"):
        parse_config(example_config_text() + line)
