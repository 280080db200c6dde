"""The layers hold: the core (kiosk/) imports neither the screens (ui/), the devices
(hardware/), Qt, OpenCV nor a device library; only the composition root (kiosk/compose.py)
does. Devices do not import screens. Every import counts, also the ones inside functions.
A forbidden import fails this test, naming the file, the line and the rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEVICE_LIBRARIES = ("gpiozero", "serial", "escpos", "usb", "lgpio", "cv2", "numpy")
RULES = {
    # layer: (forbidden top-level modules, modules allowed to break the rule and why)
    "kiosk": (("ui", "hardware", "PySide6", *DEVICE_LIBRARIES), {"kiosk/compose.py": "the composition root"}),
    "hardware": (("ui", "PySide6"), {}),
    "ui": (("hardware", *DEVICE_LIBRARIES), {"ui/calibrate_camera.py": "shows the camera's own picture and zone"}),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(layer: str, root: Path = ROOT) -> list[str]:
    forbidden, allowed = RULES[layer]
    out = []
    for path in sorted((root / layer).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in allowed or "/migrations/" in rel:
            continue
        for line, module in imports_of(path):
            if module.split(".")[0] in forbidden:
                out.append(f"{rel}:{line}: {layer}/ may not import {module}")
    return out


@pytest.mark.parametrize("layer", list(RULES))
def test_each_layer_imports_only_what_it_may(layer):
    assert violations(layer) == []


def test_a_forbidden_import_is_found_even_inside_a_function(tmp_path):
    core = tmp_path / "kiosk"
    core.mkdir()
    (core / "ok.py").write_text("from kiosk.engine import Engine\n")
    (core / "sneaky.py").write_text("def f():\n    from PySide6.QtWidgets import QWidget\n    import cv2\n")
    (core / "compose.py").write_text("def g():\n    import ui.app\n")
    assert violations("kiosk", tmp_path) == [
        "kiosk/sneaky.py:2: kiosk/ may not import PySide6.QtWidgets",
        "kiosk/sneaky.py:3: kiosk/ may not import cv2",
    ]
