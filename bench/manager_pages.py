"""The web manager view on 30 days of a busy hall: the demo's day run 30 times (30 weekdays, each
with its own arrivals) into one store, served by a real `kiosk serve`, read by a real headless
Chromium as a manager would.

    python bench/manager_pages.py [--days 30] [--rounds 5]

Prints, median and [min-max] over the rounds: the first load of the log (today), the log
filtered over the 30 days (the browser's navigation time, from the request to the page's load
event, and the server's own time from its Server-Timing header), the health page, the CSV and
the PDF of the 30 days. Loopback only. Needs Debian's chromium and chromium-driver."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import httpx  # noqa: E402
import tomli_w  # noqa: E402

from kiosk.config import example_config_text, parse_config  # noqa: E402
from kiosk.demo import demo_config, run_demo  # noqa: E402
from kiosk.testing import STAFF, ServerProcess, config_data  # noqa: E402
from tests.browser import chromium  # noqa: E402

NAVIGATION = "const n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd, n.responseEnd];"


def weekdays_before(end: date, n: int) -> list[date]:
    days, d = [], end
    while len(days) < n:
        d -= timedelta(days=1)
        if d.weekday() < 5:
            days.append(d)
    return sorted(days)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms  [{min(values):.0f}-{max(values):.0f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-manage-"))
    base = parse_config(example_config_text())
    days = weekdays_before(date.today(), args.days)
    started = time.monotonic()
    for day in days:
        run_demo(base, day, seed=day.toordinal(), db_dir=folder)
    print(f"{len(days)} demo days written in {time.monotonic() - started:.0f} s")

    data, tokens = config_data(database=f"sqlite:///{folder / 'demo.sqlite3'}")
    hall = demo_config(base)
    data["services"] = [s.model_dump(mode="json", exclude_none=True) for s in hall.services]
    data["counters"] = [c.model_dump(mode="json", exclude_none=True) for c in hall.counters]
    data["categories"] = [c.model_dump(mode="json", exclude_none=True) for c in hall.categories]
    data["staff"] = STAFF
    cfg = folder / "kiosk.toml"
    cfg.write_text(tomli_w.dumps(data), encoding="utf-8")
    server = ServerProcess(cfg, tokens)
    period = f"from={days[0].isoformat()}&to={days[-1].isoformat()}&lang=en"
    try:
        tickets = len(
            httpx.get(
                f"{server.url}/api/v1/log?from={days[0]}&to={days[-1]}", headers=server.headers("manager"), timeout=60
            ).json()
        )
        print(f"tickets in the store: {tickets} over {len(days)} days ({tickets / len(days):.0f} a day)")
        driver = chromium(1366, 768)
        driver.get(f"{server.url}/manage/sign-in?lang=en")
        driver.find_element("id", "pin").send_keys(STAFF[0]["pin"] + "\n")
        time.sleep(1.0)
        figures: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, path in (
                ("log, today (first load)", "/manage/log?lang=en"),
                (f"log, {len(days)} days", f"/manage/log?{period}"),
                ("health page", "/manage/health?lang=en"),
            ):
                driver.get(server.url + path)
                load, _response = driver.execute_script(NAVIGATION)
                figures.setdefault(name + " (browser, to load)", []).append(load)
                r = httpx.get(server.url + path, cookies=_cookies(driver), timeout=60)
                figures.setdefault(name + " (server)", []).append(_server_ms(r))
            for name, path in (("CSV", f"/manage/log.csv?{period}"), ("PDF", f"/manage/report.pdf?{period}")):
                t0 = time.perf_counter()
                r = httpx.get(server.url + path, cookies=_cookies(driver), timeout=120)
                assert r.status_code == 200, r.text[:200]
                figures.setdefault(f"{name} of {len(days)} days ({len(r.content) // 1024} kB)", []).append(
                    (time.perf_counter() - t0) * 1000
                )
        driver.quit()
    finally:
        server.stop()
    print(f"\n{args.rounds} rounds, median [min-max]:")
    for name, values in figures.items():
        print(f"  {name:48s} {spread(values)}")
    return 0


def _cookies(driver) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def _server_ms(r: httpx.Response) -> float:
    """The server's own time for the request (Server-Timing: app;dur=…)."""
    for part in r.headers.get("server-timing", "").split(","):
        if "dur=" in part:
            return float(part.split("dur=")[1].split(";")[0])
    return float("nan")


if __name__ == "__main__":
    sys.exit(main())
