"""Ticket rendering cost and size: render + encode time per ticket, bytes per ticket for each
layout and paper width, and what that means on a serial line (8N1: 10 bits per byte).

    python bench/ticket.py [--n 50]

The printer's own speed (about 0.3 s for a ticket at 250 mm/s) is the physical limit after that.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.fonts import find_cjk_font, load_font  # noqa: E402
from hardware.ticket_layout import Paper, render_ticket  # noqa: E402
from kiosk.config import example_config_text, parse_config  # noqa: E402
from kiosk.domain import Ticket, TicketState  # noqa: E402
from kiosk.ticket_doc import make_ticket_doc  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    font = str(find_cjk_font())
    config = parse_config(example_config_text())
    now = time.time()
    ticket = Ticket(id=1, number="A012", service="general", priority=False, state=TicketState.WAITING,
                    business_day="", queue_time=now, issued_at=now, ahead_at_issue=3, estimated_wait_s=480,
                    status_token="MOMOhqw3Im2SQu2FDRvKhA")
    print(f"{'layout':8} {'paper':>5} {'lang':8} {'render+encode p50':>18} {'p99':>8} {'bytes':>7} "
          f"{'9600 baud':>10} {'115200 baud':>12}")
    for layout in ("compact", "image"):
        for mm in (80, 58):
            for lang in ("zh-Hant", "zh-Hans", "en"):
                doc = make_ticket_doc(ticket, config, lang, "http://kiosk.local:8000")
                load_font.cache_clear()
                first = time.perf_counter()
                size = len(render_ticket(doc, font, Paper(mm), layout).escpos)
                cold = (time.perf_counter() - first) * 1000
                times = []
                for _ in range(args.n):
                    t = time.perf_counter()
                    render_ticket(doc, font, Paper(mm), layout)
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
                print(f"{layout:8} {mm:>3}mm {lang:8} {statistics.median(times):15.1f} ms {p99:6.1f} ms "
                      f"{size:7d} {size * 10 / 9600:8.1f} s {size * 10 / 115200:10.2f} s   (first {cold:.0f} ms)")


if __name__ == "__main__":
    main()
