"""Finding people in camera frames and following them across the floor. Pure: frames in, tracks
out; nothing is stored and no frame leaves the caller.

1. Where to look: the zone is a floor polygon (or a radius around the desk) mapped into the
   picture through the floor calibration. From it come the detector's tiles: the part of the
   picture where a person standing in the zone can be, cut so that such a person is 90-250 px
   tall in the model's 300x300 input (a person is about 1.7 m, and the calibration says how many
   pixels a metre is at each spot of the floor).
2. Who is a person: a learned person detector (person_model.py) on those tiles, a few times a
   second, whatever moves or does not: a customer standing at the desk for an hour is seen in
   every round, and a knocked camera, drifting exposure or a crowd never blinds it (there is no
   background model to rebuild).
3. Tracking by detection: each round's people are matched to the tracks by overlap and by how
   far their feet are from where the track was heading; a track is a person once it was found in
   a few rounds and moved at some point (a mannequin, a poster or a coat rack that the model
   takes for a person now and then never moves); a person missed for a moment keeps their
   track, and one found again where a person was just lost is that person (no second arrival).
4. Floor: a track's feet (the bottom centre of its box, or, when the box stops at the knees,
   where a person of that height would stand) map to metres; inside the zone polygon (or within
   the radius of the desk) is in the zone.

No tracker library fitted: norfair pins numpy < 2, which OpenCV 4.12+ refuses, and supervision
depends on opencv-python, whose Qt plugins clash with PySide6 in one process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import ceil
from typing import Protocol

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x, y, w, h in working-frame pixels
Point = tuple[float, float]

WORK_WIDTH = 640  # every frame is scaled to this width, its aspect kept; calibration points are in these pixels
MODEL_INPUT = 300


@dataclass(frozen=True)
class FloorCalibration:
    """Four image points and where they are on the floor (metres); the desk's floor position;
    optionally the zone as a floor polygon (metres, three or more points) instead of a radius."""

    image_points: tuple[Point, ...]
    floor_points_m: tuple[Point, ...]
    desk_m: Point
    zone_polygon_m: tuple[Point, ...] = ()

    def __post_init__(self):
        if len(self.image_points) != 4 or len(self.floor_points_m) != 4:
            raise ValueError("floor calibration needs exactly four image points and four floor points")
        h, _ = cv2.findHomography(np.float32(self.image_points), np.float32(self.floor_points_m))
        if h is None or not np.all(np.isfinite(h)) or abs(np.linalg.det(h)) < 1e-12:
            raise ValueError("the four calibration points are degenerate (the same point twice, or three on a line)")
        if self.zone_polygon_m and len(self.zone_polygon_m) < 3:
            raise ValueError("a zone polygon needs at least three floor points")
        object.__setattr__(self, "_h", h)
        object.__setattr__(self, "_inverse", np.linalg.inv(h))

    @property
    def homography(self) -> np.ndarray:
        return self._h  # type: ignore[attr-defined]

    def to_floor(self, x: float, y: float) -> Point:
        p = cv2.perspectiveTransform(np.float32([[[x, y]]]), self.homography)[0, 0]
        return float(p[0]), float(p[1])

    def to_image(self, fx: float, fy: float) -> Point:
        p = cv2.perspectiveTransform(np.float32([[[fx, fy]]]), self._inverse)[0, 0]  # type: ignore[attr-defined]
        return float(p[0]), float(p[1])

    def distance_to_desk(self, x: float, y: float) -> float:
        fx, fy = self.to_floor(x, y)
        return float(np.hypot(fx - self.desk_m[0], fy - self.desk_m[1]))

    def in_zone(self, x: float, y: float, zone_m: float) -> bool:
        """Are feet at picture point (x, y) in the zone: inside the polygon, or within zone_m of the desk."""
        if not self.zone_polygon_m:
            return self.distance_to_desk(x, y) <= zone_m
        fx, fy = self.to_floor(x, y)
        return cv2.pointPolygonTest(np.float32(self.zone_polygon_m), (fx, fy), False) >= 0

    def zone_outline_m(self, zone_m: float) -> list[Point]:
        if self.zone_polygon_m:
            return list(self.zone_polygon_m)
        cx, cy = self.desk_m
        return [
            (cx + zone_m * np.cos(a), cy + zone_m * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 24, endpoint=False)
        ]

    def pixels_per_metre(self, x: float, y: float) -> float:
        """How many pixels one metre of floor is across the picture at point (x, y): a standing
        person is about as many pixels tall per metre as the floor there is wide (the floor's
        axes may lie any way in the picture, so the widest of a few directions is taken)."""
        fx, fy = self.to_floor(x, y)
        widest = 1e-3
        for a in np.linspace(0, np.pi, 8, endpoint=False):
            dx, dy = 0.25 * np.cos(a), 0.25 * np.sin(a)
            p, q = self.to_image(fx - dx, fy - dy), self.to_image(fx + dx, fy + dy)
            widest = max(widest, abs(q[0] - p[0]) * 2)
        return float(widest)


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


class Detector(Protocol):
    def detect(self, frame: np.ndarray, tiles: list[Box]) -> list: ...


@dataclass
class Track:
    id: int
    box: Box
    first_seen: float
    last_seen: float
    foot: Point = (0.0, 0.0)
    velocity: Point = (0.0, 0.0)  # foot pixels a second
    hits: int = 1
    evidence: float = 0.0  # the scores of its detections, added up
    start_foot: Point = (0.0, 0.0)
    moved: bool = False  # it moved at some point: people do, mannequins do not
    confirmed: bool = False
    in_zone: bool = False
    inside_last: bool = False  # the feet were in the zone on the last round it was found
    arrived: bool = False  # an arrival was reported for this track (camera.py)
    lost_at: float | None = None

    def predicted_foot(self, now: float) -> Point:
        dt = min(1.0, max(0.0, now - self.last_seen))
        return self.foot[0] + self.velocity[0] * dt, self.foot[1] + self.velocity[1] * dt


@dataclass
class StageTimes:
    """Seconds spent per stage, summed over frames (for bench/presence*.py)."""

    frames: int = 0
    rounds: int = 0  # frames on which the person detector ran
    prepare: float = 0.0
    detect: float = 0.0
    tracking: float = 0.0

    def per_frame_ms(self) -> dict[str, float]:
        n = max(1, self.frames)
        return {k: 1000 * getattr(self, k) / n for k in ("prepare", "detect", "tracking")}


@dataclass
class DetectorSettings:
    """Every time is in seconds (frames arrive at whatever rate the camera gives)."""

    min_score: float = 0.3  # a detection this sure feeds a track
    confirm_hits: int = 3  # a track is a person once found in this many rounds ...
    confirm_evidence: float = 1.4  # ... with scores adding up to this (three weak, or two sure ones and a weak)
    detect_every_s: float = 0.1  # the person detector runs at most this often
    cpu_share: float = 0.75  # ... and takes at most this share of one core (a Pi is slower)
    adapt_to_cpu: bool = True  # False: exactly every detect_every_s (tests: the same rounds on a busy machine)
    tentative_lost_s: float = 1.0  # a track not yet a person is dropped when unseen this long
    walk_m_s: float = 1.5  # how fast people walk: how far a track may have gone between rounds
    lost_after_s: float = 1.2  # a person unseen this long has gone ...
    still_lost_after_s: float = 4.0  # ... or this long if they were standing still (bent down, occluded)
    rejoin_s: float = 4.0  # someone found where a person was lost this recently is that person
    startup_s: float = 2.0  # found this soon after the start: there already (need not have moved)
    person_height_m: float = 1.7
    max_tiles: int = 3
    nominal_fps: float = 10.0  # the clock when frames come without a time (tests)
    masks: tuple[tuple[tuple[int, int], ...], ...] = ()  # polygons in working-frame pixels, ignored
    detector: Detector | None = field(default=None, repr=False)  # the person model (tests give their own)


class PeopleDetector:
    def __init__(
        self, settings: DetectorSettings | None = None, calibration: FloorCalibration | None = None, zone_m: float = 3.0
    ):
        self.s = settings or DetectorSettings()
        self.calibration = calibration
        self.zone_m = zone_m
        if self.s.detector is not None:
            self.model: Detector = self.s.detector
        else:
            from hardware.presence.person_model import PersonModel

            self.model = PersonModel(min_score=self.s.min_score)
        self.tracks: dict[int, Track] = {}
        self.lost: list[Track] = []  # people lost a moment ago, who may be found again
        self.frame_index = 0
        self.next_id = 1
        self.times = StageTimes()
        self.tiles: list[Box] = []
        self._tiles_for: tuple[int, int] | None = None
        self._next_round = 0.0
        self.interval = self.s.detect_every_s
        self._started_at: float | None = None
        self._previous_grey: np.ndarray | None = None

    # ------------------------------------------------------------ per frame
    def process(self, frame: np.ndarray, at: float | None = None) -> list[Track]:
        """Feed one BGR working frame (see `to_working`) taken at time `at` (seconds; default:
        frames at `nominal_fps`). Returns the people there now."""
        now = self.frame_index / self.s.nominal_fps if at is None else at
        if self._started_at is None:
            self._started_at = now
        self.frame_index += 1
        st = self.times
        st.frames += 1
        if now >= self._next_round:
            t0 = time.perf_counter()
            h, w = frame.shape[:2]
            if self._tiles_for != (w, h):
                self.tiles, self._tiles_for = self.tiles_for(w, h), (w, h)
                self.interval = self._interval(frame)
            grey = cv2.cvtColor(
                cv2.resize(frame, (160, round(160 * h / w)), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY
            )
            t1 = time.perf_counter()
            found = [d for d in self.model.detect(frame, self.tiles) if not self._masked(d.box)]
            t2 = time.perf_counter()
            self._update(found, grey, now, w)
            self._previous_grey = grey
            t3 = time.perf_counter()
            st.rounds += 1
            st.prepare += t1 - t0
            st.detect += t2 - t1
            st.tracking += t3 - t2
            # a slow machine (a Pi) runs the model less often rather than falling behind the camera
            # rounds keep a regular beat, so the same clip gives the same rounds on any machine that keeps up
            self._next_round = max(self._next_round + self.interval, now + 0.5 * self.interval) - 1e-6
        return [t for t in self.tracks.values() if t.confirmed]

    def _interval(self, frame: np.ndarray) -> float:
        """How often the model runs: every `detect_every_s`, or less often on a machine too slow
        for that (a Pi), so the camera is never left behind; measured once, on a blank picture,
        so a busy moment does not change the beat."""
        if not self.s.adapt_to_cpu:
            return self.s.detect_every_s
        blank = np.zeros_like(frame)
        cost = min(self._timed(blank) for _ in range(3))
        return max(self.s.detect_every_s, cost / self.s.cpu_share)

    def _timed(self, frame: np.ndarray) -> float:
        started = time.perf_counter()
        self.model.detect(frame, self.tiles)
        return time.perf_counter() - started

    # ------------------------------------------------------------ where to look
    def expected_height(self, x: float, y: float) -> float:
        """A standing person's height in pixels with feet at (x, y)."""
        if self.calibration is None:
            return 0.0
        return self.s.person_height_m * self.calibration.pixels_per_metre(x, y)

    def tiles_for(self, width: int, height: int) -> list[Box]:
        """The detector's regions: where a person with feet in the zone can be seen, cut so that
        such a person fills a good part of the model's input."""
        if self.calibration is None:
            return [(0, 0, width, height)]
        outline = self.calibration.zone_outline_m(self.zone_m)
        feet: list[Point] = []
        for (ax, ay), (bx, by) in zip(outline, outline[1:] + outline[:1]):  # corners and along the edges
            feet += [self.calibration.to_image(ax + (bx - ax) * k / 4, ay + (by - ay) * k / 4) for k in range(4)]
        feet = [(x, y) for x, y in feet if -width <= x <= 2 * width and -height <= y <= 2 * height]
        if not feet:
            return [(0, 0, width, height)]
        heights = [max(8.0, self.expected_height(x, min(max(y, 0), height - 1))) for x, y in feet]
        # room around the zone: someone coming in is seen whole before their feet cross its edge
        x0 = min(x - 0.6 * h for (x, _), h in zip(feet, heights))
        x1 = max(x + 0.6 * h for (x, _), h in zip(feet, heights))
        y0 = min(y - 1.15 * h for (_, y), h in zip(feet, heights))
        y1 = max(y + 0.25 * h for (_, y), h in zip(feet, heights))
        x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1)
        if x1 - x0 < 16 or y1 - y0 < 16:
            return [(0, 0, width, height)]
        smallest, largest = min(heights), max(heights)
        # the tile's side: a person at the zone's far side at least ~100 px of the 300 input,
        # one at its near side whole in a tile
        side = max(min(3.0 * smallest, float(max(width, height))), min(1.15 * largest, float(min(width, height))))
        rw, rh = x1 - x0, y1 - y0
        if max(rw, rh) <= 1.15 * side and max(rw / rh, rh / rw) <= 1.4:
            # a region about as tall as wide, a little bigger than a tile: one tile, the model's
            # input squeezed a little (its training stretched pictures to 300x300 too)
            return [(round(x0), round(y0), round(rw), round(rh))]
        nx = max(1, ceil((x1 - x0) / side - 0.15))
        ny = max(1, ceil((y1 - y0) / side - 0.15))
        while nx * ny > self.s.max_tiles:
            side *= 1.25
            nx, ny = max(1, ceil((x1 - x0) / side - 0.15)), max(1, ceil((y1 - y0) / side - 0.15))
        tiles = []
        tw, th = max(side, (x1 - x0) / nx), max(side, (y1 - y0) / ny)
        tw, th = min(tw, float(width)), min(th, float(height))
        for i in range(nx):
            for j in range(ny):
                # spread the tiles evenly over the region; each keeps its side (they overlap)
                left = x0 + (x1 - x0 - tw) * (i / (nx - 1) if nx > 1 else 0.5)
                top = y0 + (y1 - y0 - th) * (j / (ny - 1) if ny > 1 else 0.5)
                left = min(max(0.0, left), width - tw)
                top = min(max(0.0, top), height - th)
                tiles.append((round(left), round(top), round(tw), round(th)))
        return tiles

    def _masked(self, box: Box) -> bool:
        if not self.s.masks:
            return False
        x, y, w, h = box
        foot = (x + w / 2, y + h)
        return any(cv2.pointPolygonTest(np.float32(p), foot, False) >= 0 for p in self.s.masks)

    # ------------------------------------------------------------ tracking
    def feet_of(self, box: Box) -> Point:
        """Where the feet are: the box's bottom, or, when the box is much shorter than a person
        standing there (the model's boxes often stop at the knees), a person's height below its top."""
        x, y, w, h = box
        foot = (x + w / 2, float(y + h))
        expected = self.expected_height(*foot)
        if expected and h < 0.75 * expected:
            # the head is where the box starts; find where feet of a person that tall would be
            y_foot = float(y + h)
            for _ in range(3):
                y_foot = y + self.expected_height(foot[0], y_foot) * 0.95
            foot = (foot[0], max(float(y + h), y_foot))
        return foot

    def _motion(self, grey: np.ndarray, box: Box, width: int) -> float:
        """The share of the box that changed since the last round."""
        if self._previous_grey is None or self._previous_grey.shape != grey.shape:
            return 0.0
        k = grey.shape[1] / width
        x, y, w, h = (round(v * k) for v in box)
        a = grey[max(0, y) : y + h, max(0, x) : x + w]
        b = self._previous_grey[max(0, y) : y + h, max(0, x) : x + w]
        if a.size == 0:
            return 0.0
        return float(np.count_nonzero(cv2.absdiff(a, b) > 18)) / a.size

    def _update(self, found: list, grey: np.ndarray, now: float, width: int) -> None:
        pairs = []
        for t in self.tracks.values():
            px, py = t.predicted_foot(now)
            # how far a person can have walked since the track was last seen (about 1.5 m/s)
            reach = 0.5 + self.s.walk_m_s * min(2.0, now - t.last_seen) / self.s.person_height_m
            for i, d in enumerate(found):
                fx, fy = self.feet_of(d.box)
                scale = max(t.box[3], d.box[3], 8)
                dist = float(np.hypot(fx - px, fy - py)) / scale
                iou = _iou(t.box, d.box)
                if iou > 0.1 or dist < reach:
                    pairs.append((iou + max(0.0, 1.0 - dist / reach) + 0.2 * t.confirmed, t.id, i))
        used_t: set[int] = set()
        used_d: set[int] = set()
        for _, tid, i in sorted(pairs, reverse=True):
            if tid in used_t or i in used_d:
                continue
            used_t.add(tid)
            used_d.add(i)
            self._hit(self.tracks[tid], found[i], grey, now, width)
        # second pass: a person missed for a round or two, or whose box jumped (turned, cut by the
        # picture's edge), is looked for further away before anyone new is started
        late = []
        for t in self.tracks.values():
            if t.id in used_t or not t.confirmed:
                continue
            px, py = t.predicted_foot(now)
            for i, d in enumerate(found):
                if i in used_d:
                    continue
                fx, fy = self.feet_of(d.box)
                dist = float(np.hypot(fx - px, fy - py)) / max(t.box[3], d.box[3], 8)
                if dist < 1.0:
                    late.append((dist, t.id, i))
        for _, tid, i in sorted(late):
            if tid in used_t or i in used_d:
                continue
            used_t.add(tid)
            used_d.add(i)
            self._hit(self.tracks[tid], found[i], grey, now, width)
        # people walking close together often get one wide box: it is a sighting of each of them
        for t in list(self.tracks.values()):
            if t.id in used_t or t.hits < 2:
                continue
            px, py = t.predicted_foot(now)
            for d in found:
                x, y, w, h = d.box
                if w >= 0.5 * h and x <= px <= x + w and abs(py - (y + h)) < 0.3 * h:
                    share = round(0.4 * h)
                    own = type(d)((round(px - share / 2), y, share, h), 0.8 * d.score)
                    used_t.add(t.id)
                    self._hit(t, own, grey, now, width)
                    break
        for i, d in enumerate(found):
            if i in used_d:
                continue
            # a second box on someone already followed (their upper body, say) is not a new person
            if any(_inside(d.box, t.box) > 0.6 for t in self.tracks.values() if t.id in used_t):
                continue
            foot = self.feet_of(d.box)
            back = self._rejoin(foot, d.box, now)
            if back is not None:
                self.tracks[back.id] = back
                self._hit(back, d, grey, now, width)
                used_t.add(back.id)
                continue
            t = Track(self.next_id, d.box, now, now, foot=foot, evidence=d.score, start_foot=foot)
            self.next_id += 1
            self.tracks[t.id] = t
            t.moved = self._motion(grey, d.box, width) > 0.04
        for t in list(self.tracks.values()):
            unseen = now - t.last_seen
            still = float(np.hypot(*t.velocity)) < 0.1 * max(8, t.box[3])
            # a few rounds at least: a slow machine's rounds are further apart
            rounds = 3 * self.interval
            limit = (
                max(self.s.tentative_lost_s, rounds)
                if not t.confirmed
                else max(self.s.still_lost_after_s if still else self.s.lost_after_s, rounds + self.interval)
            )
            if unseen > limit:
                del self.tracks[t.id]
                if t.confirmed:
                    t.lost_at = now
                    self.lost.append(t)
        self.lost = [t for t in self.lost if t.lost_at is not None and now - t.lost_at <= self.s.rejoin_s]

    def _hit(self, t: Track, d, grey: np.ndarray, now: float, width: int) -> None:
        foot = self.feet_of(d.box)
        dt = now - t.last_seen
        if dt > 0:
            vx, vy = (foot[0] - t.foot[0]) / dt, (foot[1] - t.foot[1]) / dt
            t.velocity = (0.5 * t.velocity[0] + 0.5 * vx, 0.5 * t.velocity[1] + 0.5 * vy)
        # the feet smoothed over rounds: a box's bottom jitters by a few pixels, which at a zone's
        # edge would be in, out and in again
        if t.hits > 1:
            foot = (0.5 * t.foot[0] + 0.5 * foot[0], 0.5 * t.foot[1] + 0.5 * foot[1])
        t.box, t.foot, t.last_seen = d.box, foot, now
        t.hits += 1
        if not t.moved:
            walked = float(np.hypot(foot[0] - t.start_foot[0], foot[1] - t.start_foot[1])) > 0.2 * max(8, d.box[3])
            t.moved = walked or self._motion(grey, d.box, width) > 0.04
        t.evidence += d.score
        # on a slow machine (rounds 0.2 s or more apart) two rounds make a person, or they would be
        # greeted late: the same evidence a round
        hits = self.s.confirm_hits if self.interval < 0.2 else 2
        evidence = self.s.confirm_evidence * hits / self.s.confirm_hits
        # someone found in the first seconds was there when the camera started: they need not
        # move to count (a person standing still from the start would otherwise be announced
        # later, when they walk away)
        there_at_start = self._started_at is not None and t.first_seen - self._started_at <= self.s.startup_s
        if not t.confirmed and t.hits >= hits and t.evidence >= evidence and (t.moved or there_at_start):
            t.confirmed = True
        if self.calibration is not None:
            inside = self.calibration.in_zone(*foot, self.zone_m)
            # in (or out) on two rounds running before it counts: one jittery box is not a step
            if inside == t.inside_last:
                t.in_zone = inside and t.confirmed
            t.inside_last = inside

    def _rejoin(self, foot: Point, box: Box, now: float) -> Track | None:
        for t in self.lost:
            scale = max(t.box[3], box[3], 8)
            if float(np.hypot(foot[0] - t.foot[0], foot[1] - t.foot[1])) / scale < 0.6:
                self.lost.remove(t)
                t.lost_at = None
                return t
        return None


def _iou(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / float(aw * ah + bw * bh - inter) if inter else 0.0


def _inside(a: Box, b: Box) -> float:
    """The share of box a that lies inside box b."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    return ix * iy / float(max(1, aw * ah))
