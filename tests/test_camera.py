"""The camera detector's parts: the floor calibration and zone, where the person model looks,
the model itself on real footage nobody here made (../shared/data), and the sensor's plumbing."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from hardware.presence.camera import CameraSensor
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector, to_working
from hardware.presence.person_model import Detection, PersonModel, merge
from kiosk.devices import PresenceKind
from kiosk.testing import wait_until
from tests.conftest import ROOT
from tests.scene_clips import CLIPS, PAIR, STANDING, read, truth_of

VTEST = ROOT.parent / "shared" / "data" / "vtest.avi"
needs_clips = pytest.mark.skipif(
    not STANDING.exists(), reason=f"{CLIPS} is absent (a checkout outside this workplace): no real footage to test on"
)
needs_vtest = pytest.mark.skipif(not VTEST.exists(), reason=f"{VTEST} is absent (a checkout outside this workplace)")
# The paved square, about 14 x 10 m; the "desk" stands at (7, 5). Chosen by eye: see README.
PETS = FloorCalibration(((150, 125), (430, 95), (480, 300), (0, 250)), ((0, 0), (14, 0), (14, 10), (0, 10)), (7, 5))
FLAT = FloorCalibration(((0, 0), (640, 0), (640, 480), (0, 480)), ((0, 0), (6.4, 0), (6.4, 4.8), (0, 4.8)), (3.2, 4.8))
FIXED = DetectorSettings(adapt_to_cpu=False)  # the same rounds however busy the machine is


def clip_calibration(clip) -> FloorCalibration:
    t = truth_of(clip)
    k = 640 / t["size"][0]
    floor = tuple(tuple(p) for p in t["zone_floor_points_m"])
    return FloorCalibration(
        tuple((x * k, y * k) for x, y in t["zone_image_points"]), floor, tuple(t["desk_m"]), zone_polygon_m=floor
    )


def test_floor_calibration_maps_pixels_to_metres():
    assert FLAT.to_floor(320, 240) == pytest.approx((3.2, 2.4), abs=1e-3)
    assert FLAT.distance_to_desk(320, 480) == pytest.approx(0.0, abs=1e-3)
    assert FLAT.distance_to_desk(320, 180) == pytest.approx(3.0, abs=1e-3)
    assert FLAT.pixels_per_metre(100, 100) == pytest.approx(100, rel=0.01)
    with pytest.raises(ValueError, match="four"):
        FloorCalibration(((0, 0),), ((0, 0),), (0, 0))


def test_the_zone_can_be_a_floor_polygon_in_front_of_the_desk():
    # a 2 m x 1.5 m area in front of a desk at the bottom middle: a radius would reach sideways
    polygon = ((2.2, 3.3), (4.2, 3.3), (4.2, 4.8), (2.2, 4.8))
    cal = FloorCalibration(FLAT.image_points, FLAT.floor_points_m, (3.2, 4.8), zone_polygon_m=polygon)
    assert cal.in_zone(320, 450, zone_m=3.0)  # right in front of the desk
    assert not cal.in_zone(100, 450, zone_m=3.0)  # 1 m beside the polygon, well inside a 3 m radius
    assert FLAT.in_zone(100, 450, zone_m=3.0)
    with pytest.raises(ValueError, match="three"):
        FloorCalibration(FLAT.image_points, FLAT.floor_points_m, (3.2, 4.8), zone_polygon_m=((0, 0), (1, 1)))


def test_the_person_model_looks_where_a_person_in_the_zone_is_big_enough_to_be_seen():
    # a far, small zone (a shop-front walkway seen across an atrium): tiles around it, each small
    # enough that a person there is about 100 px of the model's 300
    far = FloorCalibration(
        ((333, 243), (567, 243), (580, 277), (320, 277)), ((0, 0), (4.2, 0), (4.2, 3), (0, 3)), (2.1, -0.3)
    )
    det = PeopleDetector(FIXED, far)
    tiles = det.tiles_for(640, 480)
    person = det.expected_height(450, 260)
    assert 80 <= person <= 110  # 1.7 m at about 55 px a metre
    assert all(tw <= 3.1 * person and th <= 3.1 * person for _, _, tw, th in tiles)
    covered_x = (min(x for x, _, _, _ in tiles), max(x + w for x, _, w, _ in tiles))
    assert covered_x[0] <= 320 - 0.5 * person and covered_x[1] >= 580 + 0.4 * person  # room to walk in
    assert min(y for _, y, _, _ in tiles) <= 243 - person  # heads of people standing at its far edge
    # a zone filling the picture (a ceiling camera in a corridor): the whole floor in one or two tiles
    assert len(PeopleDetector(FIXED, clip_calibration(STANDING)).tiles_for(640, 480)) <= 2


def test_boxes_of_one_person_are_merged_and_two_people_side_by_side_are_not():
    whole, upper = Detection((100, 100, 40, 110), 0.8), Detection((102, 98, 38, 60), 0.5)
    assert merge([upper, whole], 0.5) == [whole]
    left, right = Detection((100, 100, 40, 110), 0.8), Detection((128, 102, 40, 108), 0.6)
    assert len(merge([left, right], 0.5)) == 2


@needs_clips
def test_the_person_model_finds_a_man_standing_still_in_a_real_corridor_in_every_round():
    model = PersonModel()
    cal = clip_calibration(STANDING)
    det = PeopleDetector(FIXED, cal)
    tiles = det.tiles_for(640, 480)
    found = [model.detect(to_working(f), tiles) for f in list(read(STANDING, 40, 300))[::10]]
    assert all(len(d) == 1 for d in found), [len(d) for d in found]
    # the model's box often stops at his knees (y 240 for feet at 320): still in the zone
    feet = [det.feet_of(d[0].box) for d in found]
    assert all(cal.in_zone(x, y, 3.0) for x, y in feet)
    assert all(230 <= y <= 330 and abs(x - 285) < 20 for x, y in feet), feet


@needs_clips
def test_nobody_is_found_in_an_empty_corridor():
    model = PersonModel()
    cal = clip_calibration(STANDING)
    tiles = PeopleDetector(FIXED, cal).tiles_for(640, 480)
    corridor = CLIPS / "wisenet_corridor_door_to_door.avi"
    assert all(model.detect(to_working(f), tiles) == [] for f in list(read(corridor, 500, 999))[::25])


@needs_clips
def test_masked_areas_are_ignored():
    whole = ((0, 0), (640, 0), (640, 480), (0, 480))
    det = PeopleDetector(DetectorSettings(masks=(whole,), adapt_to_cpu=False), clip_calibration(STANDING))
    for i, f in enumerate(read(STANDING, 20, 120)):
        assert det.process(to_working(f), i / 25) == []


def test_a_picture_without_people_gives_no_one():
    det = PeopleDetector(FIXED, FLAT)
    rng = np.random.default_rng(2)
    bg = cv2.GaussianBlur(rng.integers(90, 140, (480, 640, 3)).astype(np.uint8), (5, 5), 0)
    for i in range(30):
        noisy = np.clip(bg.astype(np.int16) + rng.integers(-3, 4, bg.shape), 0, 255).astype(np.uint8)
        assert det.process(noisy, i / 10) == []
    assert det.times.rounds >= 20  # the model did look


@needs_vtest
def test_the_camera_sensor_reports_arrivals_as_numbers_and_writes_no_frame(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writes = []
    real_imwrite, real_writer = cv2.imwrite, cv2.VideoWriter

    def imwrite(*a, **k):
        writes.append(a)
        return real_imwrite(*a, **k)

    def writer(*a, **k):
        writes.append(a)
        return real_writer(*a, **k)

    monkeypatch.setattr(cv2, "imwrite", imwrite)
    monkeypatch.setattr(cv2, "VideoWriter", writer)
    events = []
    lock = threading.Lock()

    def sink(ev):
        with lock:
            events.append(ev)

    sensor = CameraSensor("entrance camera", str(VTEST), PETS, zone_m=3.0, pace_files=False, settings=FIXED)
    sensor.start(sink)
    assert sensor.finished.wait(300)
    sensor.stop()
    enters = [e for e in events if e.kind == PresenceKind.ENTER]
    assert 3 <= len(enters) <= 40  # people cross the 3 m ring around the "desk" on the square
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
    wait_until(lambda: events, 10, "a fault for a camera that is not there")
    sensor.stop()
    assert events[0].kind == PresenceKind.FAULT and "cannot open camera" in events[0].detail
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


def test_overlay_draws_a_zone_polygon_where_it_lies_on_the_floor():
    from hardware.presence.overlay import ZONE, draw_overlay

    polygon = ((2.2, 3.3), (4.2, 3.3), (4.2, 4.8), (2.2, 4.8))
    cal = FloorCalibration(FLAT.image_points, FLAT.floor_points_m, (3.2, 4.8), zone_polygon_m=polygon)
    out = draw_overlay(np.zeros((480, 640, 3), np.uint8), cal, 3.0)
    ys, xs = np.where(np.all(out == ZONE, axis=2))
    assert xs.min() >= 215 and xs.max() <= 425 and ys.min() >= 325  # the 2 x 1.5 m area, not a 3 m ring


@needs_clips
def test_calibration_view_shows_the_live_picture(qtbot):
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hardware.presence.calibration_feed import CalibrationFeed
    from ui.calibrate_camera import CalibrationView

    view = CalibrationView(CalibrationFeed(str(PAIR), clip_calibration(PAIR), 3.0))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.frames_shown >= 5, timeout=30000)
    assert view.picture.pixmap().width() == 640
    view.close()


def test_calibration_view_says_why_when_the_camera_cannot_be_opened(qtbot, tmp_path):
    from hardware.presence.calibration_feed import CalibrationFeed
    from ui.calibrate_camera import CalibrationView

    view = CalibrationView(CalibrationFeed(str(tmp_path / "no-such-camera.mp4"), FLAT, 3.0))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "no-such-camera" in view.info.text(), timeout=30000)
    assert view.frames_shown == 0
