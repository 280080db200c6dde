"""The camera sensor as the hall runs it (CameraSensor reading a clip as a camera), on scenes
made from real footage nobody here recorded (tests/scene_clips.py, from ../shared/data/clips):
a man standing ten minutes, a pair walking side by side, an empty corridor with a knocked,
drifting or flickering camera, the lights, a shadow, a suitcase; a covered lens, a frozen
picture, an unplugged camera; the same walk seen at 640x360, 640x480 and 1280x720."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from hardware.presence import camera as camera_module
from hardware.presence.camera import CameraSensor
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, PeopleDetector, to_working
from kiosk.config import ConfigError, example_config_text, parse_config
from kiosk.devices import PresenceKind
from kiosk.testing import wait_until
from tests import scene_clips
from tests.scene_clips import CLIPS, CORRIDOR, PAIR, STANDING, read, truth_of, write

needs_clips = pytest.mark.skipif(
    not STANDING.exists(), reason=f"{CLIPS} is absent (a checkout outside this workplace): no real footage to test on"
)
FIXED = DetectorSettings(adapt_to_cpu=False)  # the same detection rounds however busy the machine is


def calibration(clip, size: tuple[int, int] | None = None) -> FloorCalibration:
    """The clip's ground-truth zone polygon, in the working picture of a camera of `size`."""
    t = truth_of(clip)
    w, h = t["size"]
    cw, ch = size or (w, h)
    kx, ky = 640 / w, 640 * ch / cw / h
    floor = tuple(tuple(p) for p in t["zone_floor_points_m"])
    pts = tuple((x * kx, y * ky) for x, y in t["zone_image_points"])
    return FloorCalibration(pts, floor, tuple(t["desk_m"]), zone_polygon_m=floor)


def run(path, cal: FloorCalibration):
    """Events with the frame each came with (the clip's own time)."""
    events, lock = [], threading.Lock()
    sensor = CameraSensor("entrance camera", str(path), cal, pace_files=False, settings=FIXED)

    def sink(ev):
        with lock:
            events.append((ev, sensor.frames))

    sensor.start(sink)
    assert sensor.finished.wait(600)
    sensor.stop()
    return events, sensor


def frames_of(events, kind):
    return [n for e, n in events if e.kind == kind]


@needs_clips
def test_a_customer_standing_ten_minutes_is_one_arrival_and_one_leave(tmp_path):
    scene = scene_clips.standing_minutes(10, fps=1)
    events, sensor = run(scene.save(tmp_path), calibration(STANDING))
    appear, gone = scene.standing[0]["from"], scene.standing[0]["to"]
    enters, leaves = frames_of(events, PresenceKind.ENTER), frames_of(events, PresenceKind.LEAVE)
    assert len(enters) == 1 and appear <= enters[0] <= appear + 5  # seen within seconds of appearing
    assert len(leaves) == 1 and leaves[0] > gone  # and not let go until he walks out
    assert frames_of(events, PresenceKind.FAULT) == [len(scene.frames)]  # only "the video ended"


@needs_clips
def test_a_man_standing_twelve_seconds_facing_the_camera_is_one_presence_then_leaves():
    events, _ = run(STANDING, calibration(STANDING))
    enters, leaves = frames_of(events, PresenceKind.ENTER), frames_of(events, PresenceKind.LEAVE)
    assert len(enters) == 1 and enters[0] < 25  # there from the start: reported once, at start-up
    assert len(leaves) == 1 and 353 <= leaves[0] <= 353 + 6 * 25  # after his feet leave the picture (f353)


@needs_clips
def test_someone_standing_still_when_the_camera_starts_is_not_announced_when_he_walks_away(tmp_path):
    clip = write(tmp_path / "started.avi", list(read(STANDING, 60, 430)), 25)  # he stands, then goes (f252)
    events, _ = run(clip, calibration(STANDING))
    assert all(n <= 3 * 25 for n in frames_of(events, PresenceKind.ENTER))  # at start-up, if at all
    assert len(frames_of(events, PresenceKind.LEAVE)) == len(frames_of(events, PresenceKind.ENTER))


@needs_clips
def test_two_people_walking_out_of_a_shop_side_by_side_are_two_arrivals(tmp_path):
    clip = write(tmp_path / "pair.avi", list(read(PAIR, 180, 420)), 25)
    events, _ = run(clip, calibration(PAIR))
    enters = frames_of(events, PresenceKind.ENTER)
    assert len(enters) == 2, enters  # truth: f284 and f287 (here 104 and 107)
    assert all(104 - 10 <= n <= 107 + 38 for n in enters)
    assert [e.count for e, _ in events if e.kind == PresenceKind.ENTER] == [1, 2]


@needs_clips
@pytest.mark.parametrize("make", scene_clips.EMPTY_SCENES, ids=lambda f: f.__name__)
def test_an_empty_corridor_stays_empty_and_the_camera_stays_working(tmp_path, make):
    scene = make()
    events, sensor = run(scene.save(tmp_path), calibration(CORRIDOR))
    assert frames_of(events, PresenceKind.ENTER) == []
    # a knock, a drift, the lights, a flicker, a shadow: never a fault, never blind
    assert [e.detail for e, _ in events if e.kind == PresenceKind.FAULT] == ["the video ended"]
    assert sensor.detector is not None and sensor.detector.times.rounds >= len(scene.frames) / 25 * 9


@needs_clips
def test_a_lens_covered_while_someone_stands_is_a_fault_within_3_s_and_he_is_not_announced_again(tmp_path):
    scene = scene_clips.covered_while_standing()
    events, _ = run(scene.save(tmp_path), calibration(STANDING))
    faults = [(e.detail, n) for e, n in events if e.kind == PresenceKind.FAULT]
    assert "covered" in faults[0][0] and 120 < faults[0][1] <= 120 + 3 * 25
    recovered = frames_of(events, PresenceKind.RECOVERED)
    assert recovered and recovered[0] >= 195  # with the first live frame
    assert len(frames_of(events, PresenceKind.ENTER)) == 1  # at start-up; not again after the hand
    assert [e.count for e, n in events if e.kind == PresenceKind.ENTER] == [1]


def hall() -> np.ndarray:
    """A lobby drawn with OpenCV: wall, floor tiles, a desk, a plant (for tests that need no person)."""
    rng = np.random.default_rng(7)
    img = cv2.GaussianBlur(rng.integers(95, 150, (480, 640, 3)).astype(np.uint8), (7, 7), 0)
    cv2.rectangle(img, (0, 0), (640, 150), (150, 160, 170), -1)
    for x in range(0, 640, 80):
        cv2.line(img, (x, 150), (x, 480), (70, 70, 75), 2)
    cv2.rectangle(img, (250, 400), (390, 480), (60, 90, 140), -1)
    cv2.circle(img, (560, 180), 30, (40, 120, 60), -1)
    return img


def test_a_frozen_picture_is_a_fault_within_3_s(tmp_path):
    rng = np.random.default_rng(8)
    bg = hall()
    moving = [np.clip(bg.astype(np.int16) + rng.integers(-3, 4, bg.shape), 0, 255).astype(np.uint8) for _ in range(50)]
    clip = write(tmp_path / "frozen.avi", moving + [moving[-1]] * 150, 25)
    events, _ = run(clip, FLAT)
    faults = [(e.detail, n) for e, n in events if e.kind == PresenceKind.FAULT]
    assert "frozen" in faults[0][0] and 50 < faults[0][1] <= 50 + 3 * 25


FLAT = FloorCalibration(((0, 0), (640, 0), (640, 480), (0, 480)), ((0, 0), (6.4, 0), (6.4, 4.8), (0, 4.8)), (3.2, 4.8))


class UnpluggedCamera:
    """cv2.VideoCapture of a USB camera pulled out: a few frames, then read() fails forever."""

    def __init__(self, frames: int = 20):
        self.left = frames
        self.picture = hall()

    def read(self):
        if self.left <= 0:
            time.sleep(0.01)
            return False, None
        self.left -= 1
        time.sleep(0.04)
        return True, np.roll(self.picture, self.left, axis=1)

    def get(self, prop):
        return 0.0

    def release(self):
        pass


def test_an_unplugged_camera_is_a_fault_and_releases_the_zone(monkeypatch):
    opened = []

    def fake_open(source):
        if opened:
            raise OSError("cannot open camera '0'")  # still unplugged when it tries again
        opened.append(source)
        return UnpluggedCamera()

    monkeypatch.setattr(camera_module, "open_camera", fake_open)
    events = []
    sensor = CameraSensor("entrance camera", "0", FLAT, settings=FIXED)
    sensor.start(events.append)
    try:
        fault = wait_until(
            lambda: [e for e in events if e.kind == PresenceKind.FAULT], 15, "a fault for the unplugged camera"
        )
        assert "no picture" in fault[0].detail
        assert not sensor.status().ok and sensor.in_zone == 0
    finally:
        sensor.stop()


@needs_clips
def test_the_same_walk_gives_the_same_arrival_and_distances_at_640x360_640x480_and_1280x720(tmp_path):
    """One corridor seen by a 4:3 camera at 640x480 and by 16:9 cameras at 640x360 and 1280x720
    (the same view less a strip of ceiling and of the nearest floor): the calibration is in each
    camera's own working pixels; the person is placed at the same spot of the floor."""
    walk = list(read(CORRIDOR, 300, 470))
    t = truth_of(CORRIDOR)
    floor = tuple(tuple(p) for p in t["zone_floor_points_m"])
    enters, placed = {}, {}
    for size, top in (((640, 480), 0), ((640, 360), 60), ((1280, 720), 60)):
        frames = [f[top : top + 360] if top else f for f in walk]
        cal = FloorCalibration(
            tuple((x, y - top) for x, y in t["zone_image_points"]), floor, tuple(t["desk_m"]), zone_polygon_m=floor
        )
        clip = write(tmp_path / f"walk{size[0]}x{size[1]}.avi", frames, 25, size)
        events, sensor = run(clip, cal)
        enters[size] = [e.distance_m for e, _ in events if e.kind == PresenceKind.ENTER]
        # where the detector puts him, round by round (the same rounds at every size)
        det = PeopleDetector(FIXED, cal)
        placed[size] = {}
        for i, f in enumerate(read(clip)):
            for track in det.process(to_working(f), i / 25):
                placed[size][i] = cal.distance_to_desk(*track.foot)
    assert all(len(e) == 1 for e in enters.values()), enters
    for size in ((640, 360), (1280, 720)):
        common = sorted(set(placed[size]) & set(placed[(640, 480)]))
        assert len(common) >= 30
        gaps = sorted(abs(placed[size][i] - placed[(640, 480)][i]) for i in common)
        assert gaps[len(gaps) // 2] <= 0.15, (size, gaps)  # the median round: within 15 cm


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
