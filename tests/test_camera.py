"""The camera detector: on a real recording nobody here made (PETS 2009 via OpenCV's samples),
and on synthetic scenes where the right answer is known."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware.presence.camera import CameraSensor
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector
from kiosk.devices import PresenceKind
from tests.conftest import ROOT

VTEST = ROOT.parent / "shared" / "data" / "vtest.avi"
needs_clip = pytest.mark.skipif(not VTEST.exists(), reason=f"{VTEST} is absent (a checkout outside this workplace)")
# The paved square, about 14 x 10 m; the "desk" stands at (7, 5). Chosen by eye: see README.
PETS = FloorCalibration(((150, 125), (430, 95), (480, 300), (0, 250)), ((0, 0), (14, 0), (14, 10), (0, 10)), (7, 5))


def frames(path: Path, size=(640, 480)):
    cap = cv2.VideoCapture(str(path))
    while True:
        ok, f = cap.read()
        if not ok:
            break
        yield cv2.resize(f, size)
    cap.release()


@needs_clip
def test_people_are_found_and_tracked_as_a_bounded_number_of_arrivals_on_pets():
    det = PeopleDetector(calibration=PETS, zone_m=3.0)
    seen, ids, arrivals, heights = 0, set(), set(), []
    n = 0
    for frame in frames(VTEST):
        n += 1
        tracks = det.process(frame)
        if n > 30 and tracks:  # people walk through this scene the whole time
            seen += 1
        for t in tracks:
            ids.add(t.id)
            heights.append(t.box[3])
            if t.in_zone:
                arrivals.add(t.id)
    assert n == 795
    assert seen / (n - 30) > 0.95
    assert 15 <= len(ids) <= 120  # dozens of walkers, not one track per frame
    assert 3 <= len(arrivals) <= 40  # some cross the desk's 3 m zone, each counted once
    assert 25 <= np.median(heights) <= 200  # person-sized boxes at 640x480


def scene(width=640, height=480) -> np.ndarray:
    rng = np.random.default_rng(1)
    bg = (rng.integers(90, 140, (height, width, 3))).astype(np.uint8)
    return cv2.GaussianBlur(bg, (5, 5), 0)


def walker(bg: np.ndarray, x: int, y: int, h: int = 130, step: int = 0) -> np.ndarray:
    """A person drawn with OpenCV, feet at (x, y): head, torso, swinging arms and legs. HOG (the
    detector's veto) takes it for a person; a plain dark box it does not."""
    f = bg.copy()
    head, top = h // 8, y - h
    swing = int(h * 0.08 * np.sin(step * 0.6))
    cv2.circle(f, (x, top + head // 2 + 2), head // 2 + 2, (60, 70, 90), -1)
    cv2.ellipse(f, (x, top + head + int(h * 0.2)), (int(h * 0.12), int(h * 0.22)), 0, 0, 360, (40, 40, 120), -1)
    hip, shoulder = top + head + int(h * 0.4), top + head + int(h * 0.05)
    for side in (-1, 1):
        cv2.line(f, (x + side * h // 20, hip), (x + side * (h // 12) - side * swing, y), (30, 30, 30), max(3, h // 14))
        cv2.line(
            f,
            (x + side * int(h * 0.11), shoulder),
            (x + side * int(h * 0.16) + side * swing, hip),
            (40, 40, 120),
            max(3, h // 18),
        )
    return f


FLAT = FloorCalibration(((0, 0), (640, 0), (640, 480), (0, 480)), ((0, 0), (6.4, 0), (6.4, 4.8), (0, 4.8)), (3.2, 4.8))


def test_an_empty_hall_gives_no_one():
    det = PeopleDetector(calibration=FLAT)
    bg = scene()
    rng = np.random.default_rng(2)
    for _ in range(120):
        noisy = np.clip(bg.astype(np.int16) + rng.integers(-3, 4, bg.shape), 0, 255).astype(np.uint8)
        assert det.process(noisy) == []
    assert det.times.hog_runs == 0  # nothing moved: the expensive detector never ran


def test_one_person_walking_to_the_desk_is_one_track_that_enters_the_zone():
    det = PeopleDetector(calibration=FLAT, zone_m=1.5)
    bg = scene()
    for _ in range(40):
        det.process(bg)
    ids, zone_ids = set(), set()
    for step in range(60):  # from the far left to the desk at the bottom middle
        x, y = 60 + step * 4, 200 + step * 4
        for t in det.process(walker(bg, x, y)):
            ids.add(t.id)
            if t.in_zone:
                zone_ids.add(t.id)
    assert len(ids) == 1 and zone_ids == ids


def test_masked_areas_are_ignored():
    mask = ((0, 0), (640, 0), (640, 480), (0, 480))
    det = PeopleDetector(DetectorSettings(masks=(mask,)), FLAT)
    bg = scene()
    for _ in range(30):
        det.process(bg)
    for step in range(40):
        assert det.process(walker(bg, 100 + step * 5, 300, step=step)) == []


def test_floor_calibration_maps_pixels_to_metres():
    assert FLAT.to_floor(320, 240) == pytest.approx((3.2, 2.4), abs=1e-3)
    assert FLAT.distance_to_desk(320, 480) == pytest.approx(0.0, abs=1e-3)
    assert FLAT.distance_to_desk(320, 180) == pytest.approx(3.0, abs=1e-3)
    with pytest.raises(ValueError, match="four"):
        FloorCalibration(((0, 0),), ((0, 0),), (0, 0))


@needs_clip
def test_the_camera_sensor_reports_arrivals_as_numbers_and_writes_no_frame(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writes = []
    real_imwrite = cv2.imwrite

    def imwrite(*a, **k):
        writes.append(a)
        return real_imwrite(*a, **k)

    monkeypatch.setattr(cv2, "imwrite", imwrite)
    events = []
    lock = threading.Lock()

    def sink(ev):
        with lock:
            events.append(ev)

    sensor = CameraSensor("entrance camera", str(VTEST), PETS, zone_m=3.0, pace_files=False)
    sensor.start(sink)
    assert sensor.finished.wait(120)
    sensor.stop()
    enters = [e for e in events if e.kind == PresenceKind.ENTER]
    assert 3 <= len(enters) <= 40
    assert all(0 <= e.distance_m <= 3.0 and e.count >= 1 for e in enters)
    for e in events:  # only time, distance, count leave the camera
        assert {type(v) for v in (e.at, e.distance_m, e.count) if v is not None} <= {int, float}
    assert writes == [] and list(tmp_path.iterdir()) == []
    assert sensor.frames == 795
    assert sensor.status().state == "fault" and "ended" in sensor.status().detail  # no picture: not "empty"


def test_a_missing_camera_is_a_fault(tmp_path):
    events = []
    sensor = CameraSensor("entrance camera", str(tmp_path / "no-such-camera.avi"), FLAT)
    sensor.start(events.append)
    deadline = time.monotonic() + 5
    while not events and time.monotonic() < deadline:
        time.sleep(0.05)
    sensor.stop()
    assert events and events[0].kind == PresenceKind.FAULT and "cannot open camera" in events[0].detail
    assert not sensor.status().ok


def test_overlay_draws_the_zone_ring_around_the_desk():
    from hardware.presence.overlay import ZONE, draw_overlay

    frame = np.zeros((480, 640, 3), np.uint8)
    out = draw_overlay(frame, FLAT, 1.0)
    ys, xs = np.where(np.all(out == ZONE, axis=2))
    # the desk is at the bottom middle (320, 480); a 1 m ring is 100 px around it
    assert len(xs) > 100
    d = np.hypot(xs - 320, ys - 480)
    assert np.median(d) == pytest.approx(100, abs=5)
    assert not np.any(frame)  # the caller's frame is untouched


@needs_clip
def test_calibration_view_shows_the_live_picture(qtbot):
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.calibrate_camera import CalibrationView

    view = CalibrationView(str(VTEST), PETS, 3.0)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.frames_shown >= 5, timeout=10000)
    assert view.picture.pixmap().width() == 640
    view.close()
