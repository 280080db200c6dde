"""Every screen stops cleanly when asked: Ctrl+C at a terminal, SIGTERM from systemd. And the
manager snapshot, which once crashed at exit, exits 0 every time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from kiosk.config import example_config_text
from kiosk.testing import run_kiosk
from tests.conftest import ROOT


def start(args, tmp_path) -> subprocess.Popen:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        example_config_text()
        .replace('database = ""', f'database = "sqlite:///{tmp_path / "q.sqlite3"}"')
        .replace('kind = "simulated"', f'kind = "simulated"\nout_dir = "{tmp_path}/tickets"', 1)
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args, "--config", str(cfg)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    "args,sig",
    [
        (["run", "--windowed", "--counter", "1"], signal.SIGINT),
        (["screen", "display", "--size", "1280x720"], signal.SIGTERM),
        (["screen", "counter", "--counter", "2"], signal.SIGTERM),
        (["screen", "kiosk", "--size", "800x480"], signal.SIGINT),
    ],
)
def test_a_screen_stops_cleanly_on_a_signal(tmp_path, args, sig):
    p = start(args, tmp_path)
    time.sleep(4)  # up and drawing
    assert p.poll() is None, p.stderr.read()
    p.send_signal(sig)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError(f"kiosk {' '.join(args)} ignored signal {sig.name}") from None
    err = p.stderr.read()
    assert p.returncode == 0, err
    assert "Traceback" not in err and "deleted directly" not in err


def test_the_manager_snapshot_exits_cleanly_every_time(tmp_path):
    for i in range(3):
        out = str(tmp_path / f"m{i}.png")
        r = run_kiosk("snapshot", "manager", "--out", out, env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120)
        assert r.returncode == 0 and "deleted directly" not in r.stderr, r.stderr


def test_snapshot_draws_exactly_the_size_asked(tmp_path):
    from PIL import Image

    r = run_kiosk(
        "snapshot", "kiosk", "--size", "800x480", "--out", str(tmp_path / "k.png"),
        env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / "k.png").size == (800, 480)  # was 800x876
