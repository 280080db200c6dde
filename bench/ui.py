"""Screen start-up and the kiosk's tap-to-ticket latency.

    python bench/ui.py [--taps 30]

For each screen: a fresh process is started and the time from launch to its first paint is
measured (Python start-up, imports, database, first frame), with the process's RSS then.
Then, in one process: a tap on a service on the kiosk until the ticket's ESC/POS bytes are
at the (simulated) printer. Targets (design): first paint < 2 s, RSS < 250 MB, tap to
printer bytes < 150 ms. Offscreen rendering.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: this file's own name would hide the ui package
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(which: str) -> None:
    """Open one screen and report when its first frame was painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from kiosk.compose import build_hall
    from kiosk.config import example_config_text, parse_config
    from ui.app import DEFAULT_SIZES, _app, make_screen
    from ui.backend import LocalBackend

    config = parse_config(example_config_text())
    app = _app(config.site.language)
    d = tempfile.mkdtemp()
    hall = build_hall(config, f"sqlite:///{d}/q.sqlite3", ticket_dir=Path(d))
    w = make_screen(which, LocalBackend(hall.engine, hall.printer), counter=1)
    w.resize(*DEFAULT_SIZES[which])

    class FirstPaint(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and not hasattr(self, "at"):
                self.at = time.time()
                QTimer.singleShot(
                    0, lambda: (print(json.dumps({"painted": self.at, "rss_mb": rss_mb()}), flush=True), app.quit())
                )
            return False

    spy = FirstPaint()
    w.installEventFilter(spy)
    w.show()
    app.exec()


def start_up(which: str) -> tuple[float, float]:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", which], capture_output=True, text=True, timeout=120, cwd=ROOT
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("{"))
    data = json.loads(line)
    return data["painted"] - t0, data["rss_mb"]


def tap_to_bytes(taps: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kiosk.compose import build_hall
    from kiosk.testing import make_config as always_open_config
    from ui.app import _app
    from ui.backend import LocalBackend
    from ui.kiosk_screen import KioskScreen

    config = always_open_config()
    app = _app(config.site.language)
    d = Path(tempfile.mkdtemp())
    hall = build_hall(config, f"sqlite:///{d}/q.sqlite3", ticket_dir=d / "tickets")
    printer = hall.printer.printer
    w = KioskScreen(LocalBackend(hall.engine, hall.printer))
    w.resize(1080, 1920)
    w.show()
    _pump(app, lambda: w.state is not None)
    times = []
    for i in range(taps + 3):
        before = len(printer.printed)
        t0 = time.perf_counter()
        QTest.mouseClick(w.service_buttons["general"], Qt.MouseButton.LeftButton)
        _pump(app, lambda before=before: len(printer.printed) > before)
        if i >= 3:  # the first taps warm fonts and caches
            times.append((time.perf_counter() - t0) * 1000)
        _pump(app, lambda: not w.busy)
        w.back_to_start()
        _pump(app, lambda: w.service_buttons["general"].isEnabled())
    return times


def _pump(app, cond, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.0005)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--taps", type=int, default=30)
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"{'screen':10} {'launch to first paint':>22} {'RSS':>9}")
    for which in ("kiosk", "counter", "display", "manager"):
        runs = [start_up(which) for _ in range(3)]
        paint = statistics.median(r[0] for r in runs)
        print(f"{which:10} {paint * 1000:19.0f} ms {max(r[1] for r in runs):6.0f} MB   (median of 3 launches)")
    times = sorted(tap_to_bytes(args.taps))
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    print(
        f"tap on a service -> ticket bytes at the simulated printer: p50 {statistics.median(times):.1f} ms, "
        f"p99 {p99:.1f} ms, max {times[-1]:.1f} ms ({len(times)} taps; durable SQLite issue + render + write)"
    )


if __name__ == "__main__":
    main()
