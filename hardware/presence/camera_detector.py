"""Finding people in camera frames, cheaply enough for a Raspberry Pi 4 CPU. Pure: frames in,
detections and tracks out; nothing is stored and no frame leaves the caller.

1. Motion: MOG2 background subtraction on a downscaled grey frame, shadows dropped, masked
   regions (the staff side of the desk, a window to the street) blanked, morphology to join a
   body's parts, contours to boxes. An empty hall costs only this (about 1-2 ms a frame).
2. People: a moving blob is a candidate when its size and shape fit a standing person. A new
   track is confirmed by OpenCV's HOG people detector run on that region only, upscaled to the
   detector's 64x128 window; a track that keeps a person's shape for a while is confirmed too
   (HOG misses people seen from high above).
3. Tracking: greedy matching of boxes to tracks by overlap and distance, so one person walking
   in is one track, and one arrival.
4. Floor: four floor points with known positions give a homography; a track's foot point (the
   bottom centre of its box) maps to metres on the floor, and its distance to the desk decides
   whether it is in the zone.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]        # x, y, w, h in full-frame pixels


@dataclass(frozen=True)
class FloorCalibration:
    """Four image points and where they are on the floor (metres); the desk's floor position."""
    image_points: tuple[tuple[float, float], ...]
    floor_points_m: tuple[tuple[float, float], ...]
    desk_m: tuple[float, float]

    def __post_init__(self):
        if len(self.image_points) != 4 or len(self.floor_points_m) != 4:
            raise ValueError("floor calibration needs exactly four image points and four floor points")

    @property
    def homography(self) -> np.ndarray:
        h, _ = cv2.findHomography(np.float32(self.image_points), np.float32(self.floor_points_m))
        if h is None:
            raise ValueError("the four calibration points are degenerate (three on a line?)")
        return h

    def to_floor(self, x: float, y: float) -> tuple[float, float]:
        p = cv2.perspectiveTransform(np.float32([[[x, y]]]), self.homography)[0, 0]
        return float(p[0]), float(p[1])

    def distance_to_desk(self, x: float, y: float) -> float:
        fx, fy = self.to_floor(x, y)
        return float(np.hypot(fx - self.desk_m[0], fy - self.desk_m[1]))


@dataclass
class Track:
    id: int
    box: Box
    last_frame: int
    hits: int = 1
    misses: int = 0
    person_shape_hits: int = 0
    hog_checked: bool = False
    confirmed: bool = False
    in_zone: bool = False
    arrived: bool = False              # an arrival was reported for this track

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
        return {k: 1000 * getattr(self, k) / n for k in ("prepare", "background", "morphology", "contours", "hog",
                                                         "tracking")}


@dataclass
class DetectorSettings:
    work_width: int = 320              # motion analysis runs at this width
    min_height_frac: float = 0.06      # a person is at least this fraction of the frame height
    max_height_frac: float = 0.9
    min_aspect: float = 1.1            # height / width of a standing person's box
    max_aspect: float = 5.0
    shape_hits_to_confirm: int = 5     # frames with a person's shape that confirm a track without HOG
    max_misses: int = 5                # frames a track survives unseen (occlusion, a pause)
    warmup_frames: int = 15            # the background model needs a moment
    masks: tuple[tuple[tuple[int, int], ...], ...] = ()   # polygons in full-frame pixels, ignored


class PeopleDetector:
    def __init__(self, settings: DetectorSettings | None = None, calibration: FloorCalibration | None = None,
                 zone_m: float = 3.0):
        self.s = settings or DetectorSettings()
        self.calibration = calibration
        self.zone_m = zone_m
        self.bg = cv2.createBackgroundSubtractorMOG2(history=300, varThreshold=25, detectShadows=True)
        self.kernel_open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self.kernel_close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 9))
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        self.tracks: dict[int, Track] = {}
        self.frame_index = 0
        self.next_id = 1
        self.times = StageTimes()
        self._mask: np.ndarray | None = None
        self._scale = 1.0

    # ------------------------------------------------------------ per frame
    def process(self, frame: np.ndarray) -> list[Track]:
        """Feed one BGR frame; returns the confirmed tracks seen in it."""
        t0 = time.perf_counter()
        h, w = frame.shape[:2]
        self._scale = w / self.s.work_width
        small = cv2.resize(frame, (self.s.work_width, round(h / self._scale)), interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        t1 = time.perf_counter()
        fg = self.bg.apply(grey)
        t2 = time.perf_counter()
        _, fg = cv2.threshold(fg, 200, 255, cv2.THRESH_BINARY)      # MOG2 marks shadows 127: not people
        if self.s.masks:
            fg = cv2.bitwise_and(fg, self._mask_for(fg.shape))
        fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, self.kernel_open)
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, self.kernel_close)
        t3 = time.perf_counter()
        contours, _ = cv2.findContours(fg, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [self._full(cv2.boundingRect(c)) for c in contours]
        boxes = [b for b in boxes if b[3] >= self.s.min_height_frac * h * 0.5]   # drop specks early
        t4 = time.perf_counter()
        self.frame_index += 1
        warm = self.frame_index > self.s.warmup_frames
        hog_time = self._track(frame, boxes if warm else [])
        t5 = time.perf_counter()
        st = self.times
        st.frames += 1
        st.prepare += t1 - t0
        st.background += t2 - t1
        st.morphology += t3 - t2
        st.contours += t4 - t3
        st.hog += hog_time
        st.tracking += (t5 - t4) - hog_time
        return [t for t in self.tracks.values() if t.confirmed and t.last_frame == self.frame_index]

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
        return (self.s.min_height_frac * frame_h <= h <= self.s.max_height_frac * frame_h
                and self.s.min_aspect <= aspect <= self.s.max_aspect)

    def _track(self, frame: np.ndarray, boxes: list[Box]) -> float:
        hog_time = 0.0
        frame_h = frame.shape[0]
        unmatched = list(boxes)
        for track in sorted(self.tracks.values(), key=lambda t: -t.hits):
            best, best_score = None, 0.0
            for b in unmatched:
                score = _match_score(track.box, b)
                if score > best_score:
                    best, best_score = b, score
            if best is not None and best_score > 0.2:
                unmatched.remove(best)
                track.box, track.last_frame = best, self.frame_index
                track.hits += 1
                track.misses = 0
            else:
                track.misses += 1
        for b in unmatched:
            if self._person_shape(b, frame_h) or b[3] >= 0.5 * self.s.min_height_frac * frame_h:
                t = Track(self.next_id, b, self.frame_index)
                self.tracks[t.id] = t
                self.next_id += 1
        for t in list(self.tracks.values()):
            if t.misses > self.s.max_misses:
                del self.tracks[t.id]
                continue
            if t.last_frame != self.frame_index:
                continue
            if self._person_shape(t.box, frame_h):
                t.person_shape_hits += 1
            if not t.confirmed and not t.hog_checked and t.hits >= 2 and self._person_shape(t.box, frame_h):
                t.hog_checked = True
                started = time.perf_counter()
                t.confirmed = self._hog_confirms(frame, t.box)
                hog_time += time.perf_counter() - started
                self.times.hog_runs += 1
            if not t.confirmed and t.person_shape_hits >= self.s.shape_hits_to_confirm:
                t.confirmed = True
            if t.confirmed and self.calibration is not None:
                t.in_zone = self.calibration.distance_to_desk(*t.foot) <= self.zone_m
        return hog_time

    def _hog_confirms(self, frame: np.ndarray, box: Box) -> bool:
        """Run the HOG people detector on this region only, upscaled to its 128-pixel window."""
        x, y, w, h = box
        pad_w, pad_h = w // 2 + 8, h // 4 + 8
        x0, y0 = max(0, x - pad_w), max(0, y - pad_h)
        x1, y1 = min(frame.shape[1], x + w + pad_w), min(frame.shape[0], y + h + pad_h)
        roi = frame[y0:y1, x0:x1]
        if roi.size == 0:
            return False
        scale = max(1.0, 160 / max(1, h))
        roi = cv2.resize(roi, (round(roi.shape[1] * scale), round(roi.shape[0] * scale)))
        if roi.shape[0] < 128 or roi.shape[1] < 64:
            return False
        found, _ = self.hog.detectMultiScale(roi, winStride=(8, 8), padding=(8, 8), scale=1.1)
        return len(found) > 0


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
