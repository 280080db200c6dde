"""The layers hold: the core (kiosk/) imports neither the screens (ui/), the devices
(hardware/), Qt, OpenCV nor a device library; only the composition root (kiosk/compose.py)
and the CLI that calls it do. Devices do not import screens. The screens import neither the
devices nor the composition root nor the CLI: they are handed what they need. Every import
counts, also the ones inside functions. A forbidden import fails this test, naming the file,
the line and the rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEVICE_LIBRARIES = ("gpiozero", "serial", "escpos", "usb", "lgpio", "cv2", "numpy")
RULES = {
    # layer: (forbidden top-level modules, modules allowed to break the rule and why)
    "kiosk": (
        ("ui", "hardware", "PySide6", *DEVICE_LIBRARIES),
        {"kiosk/compose.py": "the composition root", "kiosk/cli.py": "asks the composition root"},
    ),
    "hardware": (("ui", "PySide6", "kiosk.compose", "kiosk.cli"), {}),
    "ui": (("hardware", "kiosk.compose", "kiosk.cli", *DEVICE_LIBRARIES), {}),
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
            if any(module == f or module.startswith(f + ".") for f in forbidden):
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


def test_a_screen_that_imports_the_composition_root_is_found(tmp_path):
    screens = tmp_path / "ui"
    screens.mkdir()
    (screens / "ok.py").write_text("from kiosk.hall import Hall\nfrom kiosk.composer import x\n")
    circle = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kiosk.compose import Hall\n"
    (screens / "circle.py").write_text(circle)
    assert violations("ui", tmp_path) == ["ui/circle.py:3: ui/ may not import kiosk.compose"]
