"""Score the camera presence sensor on real clips with ground truth, as the hall runs it.

    python bench/presence_clips.py [FOLDER ...] [--size WxH] [--clip NAME]

Each clip in FOLDER (default ../shared/data/clips/) has a `<clip>.json` beside it (format and
scoring rules: that folder's README). The zone is the ground truth's floor polygon, calibrated by
its four image points; the sensor is `CameraSensor` reading the file (as a camera, unpaced),
pinned to one CPU with OpenCV single-threaded. `--size` re-scales every clip first (e.g. 1280x720,
to show the same arrivals at another camera resolution).

Scoring: an alert matches a true arrival when it comes no earlier than 10 frames before and no
later than 1.5 s after the arrival's frame; greedy in time order, one to one. An arrival marked
`present_at_start` may be matched by an alert but is neither a miss nor a false alarm.
Prints per clip: arrivals, alerts, matched, false, missed, precision, recall, alert latency,
frames/s on one core; the last line is `overall precision P recall R (N arrivals, M alerts)`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import cv2  # noqa: E402

from hardware.presence.camera import CameraSensor  # noqa: E402
from hardware.presence.camera_detector import DetectorSettings, FloorCalibration, working_size  # noqa: E402
from kiosk.devices import PresenceKind  # noqa: E402

CLIPS = ROOT.parent / "shared" / "data" / "clips"
EARLY_FRAMES = 10
LATE_S = 1.5


@dataclass
class Score:
    clip: str
    arrivals: int = 0
    alerts: int = 0
    matched: int = 0
    false: int = 0
    missed: int = 0
    latencies: list[float] = field(default_factory=list)
    fps: float = 0.0
    frames: int = 0
    leaves: int = 0
    distances: list[float] = field(default_factory=list)


def calibration_for(truth: dict, size: tuple[int, int]) -> FloorCalibration:
    """The ground truth's zone polygon as the sensor's calibration, in working-picture pixels."""
    w, h = truth["size"]
    ww, wh = working_size(*size)
    kx, ky = ww / w, wh / h  # native pixels -> working pixels (a re-scaled copy may change the aspect)
    pts = tuple((x * kx, y * ky) for x, y in truth["zone_image_points"])
    floor = tuple((float(x), float(y)) for x, y in truth["zone_floor_points_m"])
    desk = tuple(truth["desk_m"])
    return FloorCalibration(pts, floor, (desk[0], desk[1]), zone_polygon_m=floor)


def resized_copy(path: Path, size: tuple[int, int], folder: str) -> str:
    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    out_path = os.path.join(folder, path.stem + f"-{size[0]}x{size[1]}.avi")
    out = cv2.VideoWriter(out_path, cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    while True:
        ok, f = cap.read()
        if not ok:
            break
        out.write(cv2.resize(f, size, interpolation=cv2.INTER_LINEAR))
    out.release()
    cap.release()
    return out_path


def run_sensor(
    path: str, calibration: FloorCalibration, every: float | None = None
) -> tuple[list[tuple[PresenceKind, int, float | None]], CameraSensor, float]:
    events: list[tuple[PresenceKind, int, float | None]] = []
    lock = threading.Lock()
    settings = DetectorSettings(detect_every_s=every, adapt_to_cpu=False) if every else None
    sensor = CameraSensor("clip", path, calibration, pace_files=False, settings=settings)

    def sink(ev) -> None:
        with lock:
            events.append((ev.kind, sensor.frames, ev.distance_m))

    cpu0 = time.process_time()
    sensor.start(sink)
    if not sensor.finished.wait(600):
        raise SystemExit(f"{path}: the sensor did not finish in 10 minutes")
    sensor.stop()
    return events, sensor, time.process_time() - cpu0


def score(truth: dict, events, fps_video: float) -> Score:
    s = Score(truth["clip"])
    alerts = sorted(n for kind, n, _ in events if kind is PresenceKind.ENTER)
    s.alerts = len(alerts)
    s.leaves = sum(1 for kind, _, _ in events if kind is PresenceKind.LEAVE)
    s.distances = [d for kind, _, d in events if kind is PresenceKind.ENTER and d is not None]
    arrivals = sorted(truth["arrivals"], key=lambda a: a["frame"])
    free = list(alerts)
    neutral = 0
    for a in arrivals:
        late = a["frame"] + LATE_S * fps_video
        hit = next((f for f in free if a["frame"] - EARLY_FRAMES <= f <= late), None)
        if a.get("present_at_start"):
            if hit is not None:
                free.remove(hit)
                neutral += 1
            continue
        s.arrivals += 1
        if hit is None:
            s.missed += 1
        else:
            free.remove(hit)
            s.matched += 1
            s.latencies.append((hit - a["frame"]) / fps_video)
    s.alerts -= neutral
    s.false = len(free)
    return s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", default=[str(CLIPS)])
    ap.add_argument("--size", help="re-scale every clip to WxH first, e.g. 1280x720")
    ap.add_argument("--clip", help="only clips whose name contains this")
    ap.add_argument("--verbose", action="store_true", help="print each clip's alerts and leaves with their frames")
    ap.add_argument(
        "--every",
        type=float,
        help="run the person model exactly this often (seconds), e.g. 0.45 for what a Raspberry Pi 5 core allows",
    )
    args = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    scores: list[Score] = []
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.folders:
            for gt in sorted(Path(folder).glob("*.json")):
                truth = json.loads(gt.read_text(encoding="utf-8"))
                clip = gt.parent / truth["clip"]
                if args.clip and args.clip not in clip.name or not clip.exists():
                    continue
                path, native = str(clip), tuple(truth["size"])
                if size:
                    path = resized_copy(clip, size, tmp)  # type: ignore[arg-type]
                cal = calibration_for(truth, size or native)  # type: ignore[arg-type]
                events, sensor, cpu = run_sensor(path, cal, args.every)
                s = score(truth, events, float(truth["fps"]))
                if args.verbose:
                    print(
                        "  truth",
                        [a["frame"] for a in truth["arrivals"]],
                        "events",
                        [(k.value, n) for k, n, _ in events],
                    )
                s.frames = sensor.frames
                s.fps = sensor.frames / cpu if cpu else 0.0
                scores.append(s)
                print_row(s)
    total = Score("overall")
    for s in scores:
        total.arrivals += s.arrivals
        total.alerts += s.alerts
        total.matched += s.matched
        total.latencies += s.latencies
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    frames = sum(s.frames for s in scores)
    fps = frames / sum(s.frames / s.fps for s in scores if s.fps) if scores else 0.0
    print(f"whole sensor on one core: {fps:.1f} frames/s over {frames} frames; peak memory {rss:.0f} MB")
    p = total.matched / total.alerts if total.alerts else 1.0
    r = total.matched / total.arrivals if total.arrivals else 1.0
    print(f"overall precision {p:.2f} recall {r:.2f} ({total.arrivals} arrivals, {total.alerts} alerts)")
    return 0


def print_row(s: Score) -> None:
    p = s.matched / s.alerts if s.alerts else 1.0
    r = s.matched / s.arrivals if s.arrivals else 1.0
    lat = f"{sum(s.latencies) / len(s.latencies):+.2f} s" if s.latencies else "-"
    dist = ", ".join(f"{d:.2f}" for d in s.distances) or "-"
    print(
        f"{s.clip:44s} arrivals {s.arrivals:2d}  alerts {s.alerts:2d}  matched {s.matched:2d}  false {s.false:2d}  "
        f"missed {s.missed:2d}  precision {p:.2f}  recall {r:.2f}  latency {lat}  leaves {s.leaves}  "
        f"{s.fps:.0f} frames/s  (alert distances m: {dist})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
