"""Camera scenes made from real footage nobody here recorded (../shared/data/clips), for the
camera tests and for bench/make_scene_clips.py: the corridor's empty frames with a knock, a
drift, the lights, a flicker, a shadow or a suitcase; the standing man for ten minutes; a lens
covered while he stands. Each scene is a list of BGR frames and the ground truth the scorer
reads (format: ../shared/data/clips/README.md), with the zone of the clip it came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from tests.conftest import ROOT

CLIPS = ROOT.parent / "shared" / "data" / "clips"
CORRIDOR = CLIPS / "wisenet_corridor_door_to_door.avi"
STANDING = CLIPS / "wisenet_corridor_standing_man.avi"
PAIR = CLIPS / "caviar_front_TwoLeaveShop2.mpg"
EMPTY_CORRIDOR = (60, 320)  # frames of the corridor with nobody in it (after the camera's start-up)


def truth_of(clip: Path) -> dict[str, Any]:
    return json.loads(clip.with_suffix(".json").read_text(encoding="utf-8"))


def read(clip: Path, first: int = 0, last: int | None = None) -> Iterator[np.ndarray]:
    cap = cv2.VideoCapture(str(clip))
    i = 0
    while last is None or i <= last:
        ok, f = cap.read()
        if not ok:
            break
        if i >= first:
            yield f
        i += 1
    cap.release()


def write(path: Path, frames: list[np.ndarray], fps: float, size: tuple[int, int] | None = None) -> Path:
    h, w = frames[0].shape[:2]
    size = size or (w, h)
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    assert out.isOpened()
    for f in frames:
        out.write(f if f.shape[1::-1] == size else cv2.resize(f, size, interpolation=cv2.INTER_AREA))
    out.release()
    return path


@dataclass
class Scene:
    name: str
    source: Path  # the real clip it is made from (its zone and calibration)
    frames: list[np.ndarray]
    fps: float
    arrivals: list[dict[str, Any]] = field(default_factory=list)
    leaves: list[dict[str, Any]] = field(default_factory=list)
    standing: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def truth(self) -> dict[str, Any]:
        t = truth_of(self.source)
        h, w = self.frames[0].shape[:2]
        return {
            "clip": f"{self.name}.avi",
            "source": {"made_from": self.source.name, "by": "tests/scene_clips.py"},
            "size": [w, h],
            "fps": self.fps,
            "frames": len(self.frames),
            "zone_image_points": t["zone_image_points"],
            "zone_floor_points_m": t["zone_floor_points_m"],
            "desk_m": t["desk_m"],
            "arrivals": self.arrivals,
            "leaves": self.leaves,
            "standing": self.standing,
            "scene": self.note,
        }

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        clip = write(folder / f"{self.name}.avi", self.frames, self.fps)
        (folder / f"{self.name}.json").write_text(json.dumps(self.truth(), indent=1), encoding="utf-8")
        return clip


def _empty(seconds: float, fps: float = 25.0) -> list[np.ndarray]:
    """Empty corridor frames, played back and forth for as long as asked."""
    base = list(read(CORRIDOR, *EMPTY_CORRIDOR))
    n = round(seconds * fps)
    loop = base + base[::-1]
    return [loop[i % len(loop)] for i in range(n)]


def _shift(f: np.ndarray, dx: float, dy: float) -> np.ndarray:
    m = np.array([[1, 0, dx], [0, 1, dy]], np.float32)
    return cv2.warpAffine(f, m, (f.shape[1], f.shape[0]), borderMode=cv2.BORDER_REPLICATE)


def knock() -> Scene:
    frames = _empty(12)
    frames = frames[:150] + [_shift(f, 5, 3) for f in frames[150:]]
    return Scene("empty_knock", CORRIDOR, frames, 25, note="empty corridor; the camera is knocked 5 px at 6 s")


def drift() -> Scene:
    frames = _empty(16)
    frames = [_shift(f, 12 * i / len(frames), 4 * i / len(frames)) for i, f in enumerate(frames)]
    return Scene("empty_drift", CORRIDOR, frames, 25, note="empty corridor; the camera drifts 12 px over 16 s")


def lights() -> Scene:
    frames = _empty(12)
    frames = frames[:125] + [cv2.convertScaleAbs(f, alpha=1.35, beta=30) for f in frames[125:]]
    return Scene("empty_lights", CORRIDOR, frames, 25, note="empty corridor; the lights go up at 5 s")


def flicker() -> Scene:
    frames = _empty(10)
    frames = [cv2.convertScaleAbs(f, alpha=1.0 + 0.18 * np.sin(i * 2 * np.pi / 12.5)) for i, f in enumerate(frames)]
    return Scene("empty_flicker", CORRIDOR, frames, 25, note="empty corridor; a fluorescent tube flickers at 2 Hz")


def dim() -> Scene:
    frames = [cv2.convertScaleAbs(f, alpha=0.15) for f in _empty(6)]
    return Scene("empty_dim", CORRIDOR, frames, 25, note="empty corridor at night: dim, low contrast, not covered")


def shadow() -> Scene:
    frames = _empty(10)
    out = []
    for i, f in enumerate(frames):
        shape = np.zeros(f.shape[:2], np.float32)
        cx = int(-150 + i * 4)  # a person-sized soft shadow sliding across the floor
        cv2.ellipse(shape, (cx, 380), (70, 160), 20, 0, 360, 1.0, -1)
        soft = np.asarray(cv2.GaussianBlur(shape, (0, 0), 25))[..., None]
        out.append((f * (1 - 0.45 * soft)).astype(np.uint8))
    return Scene("empty_shadow", CORRIDOR, out, 25, note="empty corridor; a soft shadow slides across the floor")


def suitcase() -> Scene:
    frames = _empty(12)
    rng = np.random.default_rng(11)
    texture = rng.integers(20, 60, (120, 70, 3)).astype(np.uint8)
    out = []
    for i, f in enumerate(frames):
        f = f.copy()
        if i >= 100:  # an upright suitcase left in the middle of the zone
            f[300:420, 280:350] = texture
            cv2.rectangle(f, (300, 290), (330, 300), (30, 30, 30), 3)  # its handle
        out.append(f)
    return Scene("empty_suitcase", CORRIDOR, out, 25, note="empty corridor; an upright suitcase is left at 4 s")


def standing_minutes(minutes: float = 10.0, fps: float = 4.0) -> Scene:
    """Empty corridor, then the standing man appears (a cut, as if the camera came on), stands
    `minutes`, then walks out toward the camera."""
    step = 25 / fps
    still = list(read(STANDING, 20, 300))
    still = [still[round(i * step) % len(still)] for i in range(len(still))][: max(1, round(len(still) / step))]
    loop = still + still[::-1]
    empty = _empty(6, fps)
    stand = [loop[i % len(loop)] for i in range(round(minutes * 60 * fps))]
    walk = [f for i, f in enumerate(read(STANDING, 300, 430)) if i % round(step) == 0]
    after = _empty(6, fps)
    frames = empty + stand + walk + after
    appear, gone = len(empty), len(empty) + len(stand)
    return Scene(
        f"standing_{minutes:g}_min",
        STANDING,
        frames,
        fps,
        arrivals=[{"frame": appear, "note": "the man appears in the middle of the zone"}],
        leaves=[{"frame": gone + round(53 / step), "note": "walks out under the camera"}],
        standing=[{"from": appear, "to": gone, "note": f"stands {minutes:g} minutes: one presence"}],
        note=f"the WiseNET standing man looped for {minutes:g} minutes at {fps:g} frames/s",
    )


def covered_while_standing(cover: np.ndarray | None = None) -> Scene:
    """The standing man; a grey hand over the lens for 3 s; the picture comes back with him still there."""
    frames = list(read(STANDING, 0, 280))
    grey = np.full_like(frames[0], 70) if cover is None else cover
    rng = np.random.default_rng(5)
    covered = [
        np.clip(grey.astype(np.int16) + rng.integers(-3, 4, grey.shape), 0, 255).astype(np.uint8) for _ in range(75)
    ]
    frames = frames[:120] + covered + frames[120:]
    return Scene(
        "covered_while_standing",
        STANDING,
        frames,
        25,
        arrivals=[{"frame": 0, "present_at_start": True, "note": "standing there from the start"}],
        standing=[
            {"from": 0, "to": len(frames) - 1, "note": "a lens covered f120-f194: he is not a new arrival after it"}
        ],
        note="the standing man; a grey hand over the lens for 3 s (f120-f194)",
    )


EMPTY_SCENES = (knock, drift, lights, flicker, dim, shadow, suitcase)
