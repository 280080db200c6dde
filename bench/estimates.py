"""How right the quoted waits are: `kiosk demo` days with different seeds (arrivals, service
times, no-shows, bookings), each on the real engine, and per day the share of waits inside the
range the customer was quoted, the mean error and the mean error ignoring its sign.

    python bench/estimates.py [--seeds 1-7] [--date 2026-11-25]

The range's widening (kiosk/estimate.py WIDEN) was chosen on these days.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.config import example_config_text, parse_config  # noqa: E402
from kiosk.demo import run_demo  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1-7", help="a range like 1-7")
    ap.add_argument("--date", default="2026-11-25")
    args = ap.parse_args()
    first, last = (int(x) for x in args.seeds.split("-"))
    config = parse_config(example_config_text())
    inside = []
    print(f"{'seed':>4}  {'quoted':>6}  {'inside range':>12}  {'mean error':>10}  {'mean |error|':>12}")
    for seed in range(first, last + 1):
        with tempfile.TemporaryDirectory() as folder:
            r = run_demo(config, date.fromisoformat(args.date), seed=seed, db_dir=Path(folder))
        e = r.estimates
        inside.append(e["inside_range_pct"])
        print(
            f"{seed:>4}  {e['quoted']:>6}  {e['inside_range_pct']:>10} %  {e['mean_error_min']:>+6} min"
            f"  {e['mean_abs_error_min']:>8} min"
        )
    print(f"inside the quoted range: median {statistics.median(inside)} %, lowest {min(inside)} %")


if __name__ == "__main__":
    main()
