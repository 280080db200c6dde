"""Finding people in camera frames, cheaply enough for a Raspberry Pi 4 CPU. Pure: frames in,
detections and tracks out; nothing is stored and no frame leaves the caller.

1. Motion: MOG2 background subtraction on a downscaled grey frame, shadows dropped, masked
   regions (the staff side of the desk, a window to the street) blanked, morphology to join a
   body's parts, contours to boxes. An empty hall costs only this (about 1-2 ms a frame).
2. People: a moving blob is a candidate when its size and shape fit a standing person. A track
   is confirmed once it kept a person's shape for `confirm_s` *and* OpenCV's HOG people
   detector, run on that region only (upscaled to its 64x128 window) with a lenient threshold,
   does not veto it: a swinging door, a trolley or a reflection has a blob but no person's
   outline. HOG alone confirms nothing (it is a veto, not a shortcut).
3. Tracking: greedy matching of boxes to tracks by overlap and distance, so one person walking
   in is one track, and one arrival. A confirmed person is never learned into the background:
   the model learns from a copy of the frame with their boxes filled from the background, so a
   customer standing at the desk for an hour stays a customer. Such a still track is checked
   again with HOG every `recheck_s`; one HOG has not seen for `release_after_s` (a bag left on
   the floor) is let go. A change over most of the picture (the camera knocked, the lights
   switched) rebuilds the background; people tracked then are held at their place for
   `hold_s` and take up their own track again when they move, so nobody leaves or arrives.
4. Floor: four floor points with known positions give a homography; a track's foot point (the
   bottom centre of its box) maps to metres on the floor, and its distance to the desk decides
   whether it is in the zone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x, y, w, h in full-frame pixels


@dataclass(frozen=True)
class FloorCalibration:
    """Four image points and where they are on the floor (metres); the desk's floor position."""

    image_points: tuple[tuple[float, float], ...]
    floor_points_m: tuple[tuple[float, float], ...]
    desk_m: tuple[float, float]

    def __post_init__(self):
        if len(self.image_points) != 4 or len(self.floor_points_m) != 4:
            raise ValueError("floor calibration needs exactly four image points and four floor points")
        h, _ = cv2.findHomography(np.float32(self.image_points), np.float32(self.floor_points_m))
        if h is None or not np.all(np.isfinite(h)) or abs(np.linalg.det(h)) < 1e-12:
            raise ValueError("the four calibration points are degenerate (the same point twice, or three on a line)")
        object.__setattr__(self, "_h", h)

    @property
    def homography(self) -> np.ndarray:
        return self._h  # type: ignore[attr-defined]

    def to_floor(self, x: float, y: float) -> tuple[float, float]:
        p = cv2.perspectiveTransform(np.float32([[[x, y]]]), self.homography)[0, 0]
        return float(p[0]), float(p[1])

    def distance_to_desk(self, x: float, y: float) -> float:
        fx, fy = self.to_floor(x, y)
        return float(np.hypot(fx - self.desk_m[0], fy - self.desk_m[1]))


BACKGROUND_EVERY = 10  # frames between fresh copies of the background model's picture
WORK_WIDTH = 640  # every frame is scaled to this width, its aspect kept; calibration points are in these pixels


def working_size(width: int, height: int) -> tuple[int, int]:
    """The picture the detector and the calibration both use: 640 wide, the camera's own aspect
    (a 16:9 camera is 640x360, a 4:3 one 640x480), so a floor point is the same pixel in both."""
    return WORK_WIDTH, round(WORK_WIDTH * height / width)


def to_working(frame: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    size = working_size(w, h)
    if (w, h) == size:
        return frame
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA if w > WORK_WIDTH else cv2.INTER_LINEAR)


@dataclass
class Track:
    id: int
    box: Box
    last_frame: int
    first_seen: float = 0.0
    last_seen: float = 0.0
    hits: int = 1
    shape_since: float | None = None  # person-shaped since (None: not now)
    hog_ok: bool = False  # HOG has seen a person here (not vetoed)
    hog_tries: int = 0
    next_hog: float = 0.0
    confirmed: bool = False
    in_zone: bool = False
    arrived: bool = False  # an arrival was reported for this track
    verified_at: float = 0.0  # HOG last saw a person here (or it walked)
    checked_foot: tuple[float, float] | None = None
    held_until: float = 0.0  # after a background rebuild: kept without being seen

    @property
    def foot(self) -> tuple[float, float]:
        x, y, w, h = self.box
        return x + w / 2, y + h


@dataclass
class StageTimes:
    """Seconds spent per stage, summed over frames (for bench/presence.py)."""

    frames: int = 0
    prepare: float = 0.0
    background: float = 0.0
    morphology: float = 0.0
    contours: float = 0.0
    hog: float = 0.0
    tracking: float = 0.0
    hog_runs: int = 0

    def per_frame_ms(self) -> dict[str, float]:
        n = max(1, self.frames)
        return {
            k: 1000 * getattr(self, k) / n
            for k in ("prepare", "background", "morphology", "contours", "hog", "tracking")
        }


@dataclass
class DetectorSettings:
    """Every time is in seconds (frames arrive at whatever rate the camera gives)."""

    work_width: int = 320  # motion analysis runs at this width
    min_height_frac: float = 0.06  # a person is at least this fraction of the frame height
    max_height_frac: float = 0.9
    min_aspect: float = 1.1  # height / width of a standing person's box
    max_aspect: float = 5.0
    confirm_s: float = 0.4  # person-shaped this long (and not vetoed by HOG) to be a person
    hog_threshold: float = -1.0  # lenient: a person's outline scores above, a door or a box below
    hog_every_s: float = 0.3  # an unconfirmed track's HOG tries, at most this often
    hog_tries: int = 6  # ... and this many; after that it is not a person
    miss_s: float = 0.6  # a moving track survives this long unseen (occlusion)
    warmup_s: float = 1.5  # the background model needs a moment
    recheck_s: float = 3.0  # a confirmed track: HOG again this often
    release_after_s: float = 120.0  # a still track HOG has not seen for this long is an object
    global_change_frac: float = 0.35  # this much of the picture changing at once: knocked or relit
    hold_s: float = 60.0  # people tracked when the background was rebuilt are kept this long
    nominal_fps: float = 10.0  # the clock when frames come without a time (tests)
    masks: tuple[tuple[tuple[int, int], ...], ...] = ()  # polygons in working-frame pixels, ignored


class PeopleDetector:
    def __init__(
        self, settings: DetectorSettings | None = None, calibration: FloorCalibration | None = None, zone_m: float = 3.0
    ):
        self.s = settings or DetectorSettings()
        self.calibration = calibration
        self.zone_m = zone_m
        self.kernel_open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self.kernel_close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 9))
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(cv2.HOGDescriptor.getDefaultPeopleDetector())
        self.tracks: dict[int, Track] = {}
        self.frame_index = 0
        self.next_id = 1
        self.times = StageTimes()
        self.rebuilds = 0
        self._background: np.ndarray | None = None  # the model's picture, refreshed every BACKGROUND_EVERY frames
        self._background_at = -BACKGROUND_EVERY
        self._mask: np.ndarray | None = None
        self._scale = 1.0
        self._new_background(0.0)

    def _model_picture(self) -> np.ndarray | None:
        """The background model as a picture. Costly to compute and slow to change: kept for a
        few frames."""
        if self.frame_index - self._background_at >= BACKGROUND_EVERY or self._background is None:
            self._background = self.bg.getBackgroundImage()
            self._background_at = self.frame_index
        return self._background

    def _new_background(self, now: float) -> None:
        self._background = None
        self.bg = cv2.createBackgroundSubtractorMOG2(history=300, varThreshold=25, detectShadows=True)
        # on a grey picture a shadow is only "darker": at OpenCV's 0.5 a person in mid-grey
        # clothes is half shadow; a floor shadow rarely takes more than a third of the light
        self.bg.setShadowThreshold(0.65)
        self._warm_until = now + self.s.warmup_s

    # ------------------------------------------------------------ per frame
    def process(self, frame: np.ndarray, at: float | None = None) -> list[Track]:
        """Feed one BGR working frame (see `to_working`) taken at time `at` (seconds; default:
        frames at `nominal_fps`). Returns the people there now: confirmed tracks seen in this
        frame, and those held through a background rebuild."""
        now = self.frame_index / self.s.nominal_fps if at is None else at
        t0 = time.perf_counter()
        h, w = frame.shape[:2]
        self._scale = w / self.s.work_width
        small = cv2.resize(frame, (self.s.work_width, round(h / self._scale)), interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        t1 = time.perf_counter()
        fg = self._foreground(grey)
        t2 = time.perf_counter()
        _, fg = cv2.threshold(fg, 200, 255, cv2.THRESH_BINARY)  # MOG2 marks shadows 127: not people
        if self.s.masks:
            fg = cv2.bitwise_and(fg, self._mask_for(fg.shape))
        self.frame_index += 1
        if now >= self._warm_until and self._whole_picture_changed(grey, fg):
            self._rebuild(grey, now)  # knocked, or the lights changed: nobody new
            fg[:] = 0
        fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, self.kernel_open)
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, self.kernel_close)
        t3 = time.perf_counter()
        contours, _ = cv2.findContours(fg, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [self._full(cv2.boundingRect(c)) for c in contours]
        boxes = [b for b in boxes if b[3] >= self.s.min_height_frac * h * 0.5]  # drop specks early
        t4 = time.perf_counter()
        hog_time = self._track(frame, boxes if now >= self._warm_until else [], now)
        t5 = time.perf_counter()
        st = self.times
        st.frames += 1
        st.prepare += t1 - t0
        st.background += t2 - t1
        st.morphology += t3 - t2
        st.contours += t4 - t3
        st.hog += hog_time
        st.tracking += (t5 - t4) - hog_time
        return [
            t for t in self.tracks.values() if t.confirmed and (t.last_frame == self.frame_index or t.held_until >= now)
        ]

    def _foreground(self, grey: np.ndarray) -> np.ndarray:
        """Foreground against the model; the model learns from the frame with every confirmed
        person's box filled from the background, so nobody standing still fades into it."""
        people = [t for t in self.tracks.values() if t.confirmed]
        if not people:
            return self.bg.apply(grey)
        fg = self.bg.apply(grey, learningRate=0)
        background = self._model_picture()
        if background is None or background.shape != grey.shape:
            return fg
        learn = grey.copy()
        for t in people:
            x, y, w, h = (round(v / self._scale) for v in t.box)
            x0, y0 = max(0, x - 3), max(0, y - 3)
            learn[y0 : y + h + 3, x0 : x + w + 3] = background[y0 : y + h + 3, x0 : x + w + 3]
        self.bg.apply(learn)
        return fg

    def _whole_picture_changed(self, grey: np.ndarray, fg: np.ndarray) -> bool:
        """Most of the picture changed (the lights), or all of it moved a little (the camera was
        knocked: every edge lights up, which phase correlation tells from people walking)."""
        changed = cv2.countNonZero(fg) / fg.size
        if changed > self.s.global_change_frac:
            return True
        if changed < 0.005:
            return False
        background = self._model_picture()
        if background is None or background.shape != grey.shape:
            return False
        # at half size: a knock of 3 px at 640 wide is 0.75 px here, and it costs a quarter
        (dx, dy), response = cv2.phaseCorrelate(np.float32(cv2.pyrDown(background)), np.float32(cv2.pyrDown(grey)))
        return bool(response > 0.2 and np.hypot(dx, dy) >= 0.35)

    def _rebuild(self, grey: np.ndarray, now: float) -> None:
        self.rebuilds += 1
        self._new_background(now)
        self.bg.apply(grey, learningRate=1.0)  # the new picture is the new background
        for t in list(self.tracks.values()):
            if t.confirmed:
                t.held_until = now + self.s.hold_s  # still there, as far as anyone can tell
            else:
                del self.tracks[t.id]

    def _full(self, b: Box) -> Box:
        x, y, w, h = b
        s = self._scale
        return round(x * s), round(y * s), round(w * s), round(h * s)

    def _mask_for(self, shape) -> np.ndarray:
        if self._mask is None or self._mask.shape != shape:
            mask = np.full(shape, 255, np.uint8)
            for poly in self.s.masks:
                pts = np.int32([[round(x / self._scale), round(y / self._scale)] for x, y in poly])
                cv2.fillPoly(mask, [pts], 0)
            self._mask = mask
        return self._mask

    # ------------------------------------------------------------ tracking
    def _person_shape(self, box: Box, frame_h: int) -> bool:
        _, _, w, h = box
        aspect = h / max(1, w)
        return (
            self.s.min_height_frac * frame_h <= h <= self.s.max_height_frac * frame_h
            and self.s.min_aspect <= aspect <= self.s.max_aspect
        )

    def _track(self, frame: np.ndarray, boxes: list[Box], now: float) -> float:
        hog_time = 0.0
        frame_h = frame.shape[0]
        unmatched = list(boxes)
        # people first (held ones too), so a person keeps their track when a blob is ambiguous
        for track in sorted(self.tracks.values(), key=lambda t: (not t.confirmed, -t.hits)):
            best, best_score = None, 0.0
            for b in unmatched:
                score = _match_score(track.box, b)
                if score > best_score:
                    best, best_score = b, score
            if best is not None and best_score > 0.2:
                unmatched.remove(best)
                track.box, track.last_frame, track.last_seen = best, self.frame_index, now
                track.hits += 1
                track.held_until = 0.0
        for b in unmatched:
            if self._person_shape(b, frame_h) or b[3] >= 0.5 * self.s.min_height_frac * frame_h:
                t = Track(self.next_id, b, self.frame_index, first_seen=now, last_seen=now)
                self.tracks[t.id] = t
                self.next_id += 1
        for t in list(self.tracks.values()):
            if t.held_until >= now:
                continue  # held through a rebuild: waits for its person
            if now - t.last_seen > self.s.miss_s:
                del self.tracks[t.id]
                continue
            if t.last_frame != self.frame_index:
                continue
            shaped = self._person_shape(t.box, frame_h)
            if not shaped:
                t.shape_since = None
            elif t.shape_since is None:
                t.shape_since = now
            if not t.confirmed:
                if shaped and not t.hog_ok and t.hog_tries < self.s.hog_tries and now >= t.next_hog:
                    hog_time += self._hog(frame, t, now)
                if shaped and t.hog_ok and t.shape_since is not None and now - t.shape_since >= self.s.confirm_s:
                    t.confirmed = True
                    t.verified_at = now
            elif _moved(t, frame_h):
                t.verified_at, t.checked_foot = now, t.foot  # walking: a person, no need to ask
            elif now - t.verified_at >= self.s.recheck_s and now >= t.next_hog:
                hog_time += self._hog(frame, t, now)  # standing still: still a person?
                if now - t.verified_at >= self.s.release_after_s:
                    del self.tracks[t.id]  # an object left behind: let the background have it
                    continue
            if t.confirmed and self.calibration is not None:
                t.in_zone = self.calibration.distance_to_desk(*t.foot) <= self.zone_m
        return hog_time

    def _hog(self, frame: np.ndarray, t: Track, now: float) -> float:
        started = time.perf_counter()
        t.hog_tries += 1
        t.next_hog = now + (self.s.hog_every_s if not t.confirmed else self.s.recheck_s)
        if self._hog_sees_a_person(frame, t.box):
            t.hog_ok = True
            t.verified_at = now
        self.times.hog_runs += 1
        return time.perf_counter() - started

    def _hog_sees_a_person(self, frame: np.ndarray, box: Box) -> bool:
        """Run the HOG people detector on this region only, upscaled to its 128-pixel window."""
        x, y, w, h = box
        # generous above: a blob is often only part of a person (legs, or a torso against a
        # wall of the same colour), and HOG needs the whole outline
        pad_w = max(w // 2, h // 4) + 8
        x0, y0 = max(0, x - pad_w), max(0, y - h // 2 - 8)
        x1, y1 = min(frame.shape[1], x + w + pad_w), min(frame.shape[0], y + h + h // 4 + 8)
        roi = frame[y0:y1, x0:x1]
        if roi.size == 0:
            return False
        scale = max(1.0, 160 / max(1, h))
        roi = cv2.resize(roi, (round(roi.shape[1] * scale), round(roi.shape[0] * scale)))
        if roi.shape[0] < 128 or roi.shape[1] < 64:
            return False
        found, _ = self.hog.detectMultiScale(
            roi, hitThreshold=self.s.hog_threshold, winStride=(8, 8), padding=(8, 8), scale=1.1
        )
        return len(found) > 0


def _moved(t: Track, frame_h: int) -> bool:
    """Has the track's foot moved a stride since it was last found to be a person?"""
    if t.checked_foot is None:
        t.checked_foot = t.foot
        return False
    (x0, y0), (x1, y1) = t.checked_foot, t.foot
    return bool(np.hypot(x1 - x0, y1 - y0) >= max(8.0, 0.15 * t.box[3]))


def _match_score(a: Box, b: Box) -> float:
    """Overlap, or nearness for small boxes that moved past their own width between frames."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    iou = inter / float(aw * ah + bw * bh - inter) if inter else 0.0
    dist = np.hypot((ax + aw / 2) - (bx + bw / 2), (ay + ah) - (by + bh))
    near = max(0.0, 1.0 - dist / max(ah, bh, 1))
    return max(iou, near * 0.8)
