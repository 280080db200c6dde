"""`kiosk demo`: a whole business day of a service hall on the real engine, in simulated time.

Customers arrive with morning and afternoon peaks and a lunch dip; some need priority help;
three counters serve overlapping services; one clerk takes a lunch break with a sign, another a
short break; a few customers do not come when called; some are transferred to another service;
at 17:00 the kiosk stops issuing while people are still waiting, and the counters serve every
one of them before the day is closed. Afterwards the event log is audited.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kiosk.audit import audit
from kiosk.clock import SimulatedClock
from kiosk.config import KioskConfig
from kiosk.engine import Engine, QueueError
from kiosk.reports import figures, figures_as_dicts, log_rows
from kiosk.store import Store, sqlite_url

# Arrivals per hour by local hour: a morning peak, a lunch dip, an afternoon peak.
ARRIVALS_PER_HOUR = {9: 22, 10: 38, 11: 34, 12: 16, 13: 22, 14: 38, 15: 34, 16: 40, 17: 8}
SERVICE_MIX = {"general": 0.55, "payment": 0.35, "manager": 0.10}
PRIORITY_SHARE = 0.10
NO_SHOW_SHARE = 0.03
TRANSFER_SHARE = 0.06  # of general enquiries: sent on to payment
WALK_TO_COUNTER_S = 30


@dataclass
class _Counter:
    id: int
    busy: bool = False
    paused: bool = False
    pause_at_free: tuple[str, float, float] | None = None  # (reason, duration, until) once free


@dataclass
class DemoResult:
    day: str
    issued: int = 0
    refused_after_closing: int = 0
    refused_service_closed: int = 0
    priority: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    pauses: list[str] = field(default_factory=list)
    waiting_at_closing: int = 0
    last_call_local: str = ""
    day_closed_local: str = ""
    fairness_violations: list[str] = field(default_factory=list)
    lost_tickets: list[str] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)
    by_service: list[dict[str, Any]] = field(default_factory=list)
    by_counter: list[dict[str, Any]] = field(default_factory=list)
    by_hour: list[dict[str, Any]] = field(default_factory=list)
    database: str = ""


def _lognormal_minutes(rng: random.Random, mean_min: float) -> float:
    sigma = 0.5
    mu = math.log(mean_min) - sigma**2 / 2
    return rng.lognormvariate(mu, sigma) * 60


def run_demo(config: KioskConfig, day: date, seed: int = 7, db_dir: Path | None = None) -> DemoResult:
    tz = config.tz()
    rng = random.Random(seed)
    db_dir = db_dir or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    db_path = db_dir / "demo.sqlite3"
    store = Store(sqlite_url(db_path))
    opening = datetime.combine(day, time(9, 0), tzinfo=tz).timestamp()
    clock = SimulatedClock(opening - 600)
    engine = Engine(config, store, clock)
    engine.setup()
    result = DemoResult(day=day.isoformat(), database=str(db_path))
    mean_service = config.mean_service_s()

    seq = itertools.count()
    agenda: list[tuple[float, int, str, dict[str, Any]]] = []

    def at(t: float, kind: str, **data: Any) -> None:
        heapq.heappush(agenda, (t, next(seq), kind, data))

    # Arrivals: a Poisson process whose rate follows the hour of day, 09:00 to 17:15.
    t = opening
    end_of_arrivals = opening + 8.25 * 3600
    while True:
        rate = ARRIVALS_PER_HOUR.get(datetime.fromtimestamp(t, tz).hour, 10) / 3600
        t += rng.expovariate(rate)
        if t >= end_of_arrivals:
            break
        service = rng.choices(list(SERVICE_MIX), weights=list(SERVICE_MIX.values()))[0]
        at(t, "arrival", service=service, priority=rng.random() < PRIORITY_SHARE)

    counters = {cid: _Counter(cid) for cid in engine.counter_info}
    lunch = datetime.combine(day, time(12, 0), tzinfo=tz).timestamp()
    at(lunch, "pause", counter=2, reason="午餐休息 Lunch break", minutes=45)
    at(lunch + 3.5 * 3600, "pause", counter=3, reason="暫離 Back soon", minutes=10)
    for cid in counters:
        at(opening, "free", counter=cid)

    closing_seen = False

    def try_call(c: _Counter, now: float) -> None:
        if c.busy or c.paused:
            return
        if c.pause_at_free:
            reason, minutes, _ = c.pause_at_free
            c.pause_at_free = None
            until = now + minutes * 60
            engine.pause(c.id, reason, until)
            c.paused = True
            result.pauses.append(
                f"counter {c.id} {datetime.fromtimestamp(now, tz):%H:%M}-"
                f"{datetime.fromtimestamp(until, tz):%H:%M} ({reason})"
            )
            at(until, "resume", counter=c.id)
            return
        ticket = engine.call_next(c.id, key=f"demo-call-{c.id}-{now:.3f}")
        if ticket is None:
            return
        c.busy = True
        result.last_call_local = f"{datetime.fromtimestamp(now, tz):%H:%M}"
        roll = rng.random()
        if roll < NO_SHOW_SHARE:
            at(now + 60, "recall", counter=c.id)
            at(now + 150, "no_show", counter=c.id)
            return
        duration = _lognormal_minutes(rng, mean_service[ticket.service] / 60)
        at(now + WALK_TO_COUNTER_S, "start", counter=c.id)
        if ticket.service == "general" and ticket.transfers == 0 and roll < NO_SHOW_SHARE + TRANSFER_SHARE:
            at(now + WALK_TO_COUNTER_S + duration / 2, "transfer", counter=c.id, to="payment")
        else:
            at(now + WALK_TO_COUNTER_S + duration, "finish", counter=c.id)

    while agenda:
        now, _, kind, data = heapq.heappop(agenda)
        clock.set(now)
        c = counters.get(data.get("counter", 0))
        if kind == "arrival":
            res = engine.issue(data["service"], data["priority"])
            if res.ticket is None:
                site_closed = not config.site.hours.calendar().is_open(engine.local(now))
                if site_closed:
                    result.refused_after_closing += 1
                    if not closing_seen:
                        closing_seen = True
                        result.waiting_at_closing = sum(engine.waiting_counts().values())
                else:
                    result.refused_service_closed += 1
                continue
            result.issued += 1
            result.priority += res.ticket.priority
            for other in counters.values():
                try_call(other, now)
        else:
            assert c is not None  # every other event is a counter's
            if kind == "free":
                c.busy = False
                for other in counters.values():  # a transfer may have put someone back in line
                    try_call(other, now)
            elif kind == "start":
                engine.start(c.id)
            elif kind == "finish":
                engine.finish(c.id)
                result.served += 1
                at(now + 5, "free", counter=c.id)
            elif kind == "recall":
                engine.recall(c.id)
            elif kind == "no_show":
                engine.no_show(c.id)
                result.no_shows += 1
                at(now + 5, "free", counter=c.id)
            elif kind == "transfer":
                engine.transfer(c.id, data["to"])
                result.transfers += 1
                at(now + 5, "free", counter=c.id)
            elif kind == "pause":
                c.pause_at_free = (data["reason"], data["minutes"], 0.0)
                try_call(c, now)
            elif kind == "resume":
                engine.resume(c.id)
                c.paused = False
                try_call(c, now)

    try:
        engine.close_day()
        result.day_closed_local = f"{engine.local(clock.now()):%H:%M}"
    except QueueError as e:  # would mean somebody was left in line: report it, never hide it
        result.lost_tickets.append(e.message)

    targets = {code: s.target_wait_s for code, s in engine.services.items()}
    checked = audit(
        engine.events_after(0, limit=10**9),
        {cid: info.services for cid, info in engine.counter_info.items()},
        targets,
        config.queue.max_priority_in_a_row,
    )
    result.fairness_violations = checked.violations
    result.lost_tickets += checked.still_open
    rows = log_rows(store, config)
    result.overall = figures_as_dicts(figures(rows))[0]
    result.by_service = figures_as_dicts(figures(rows, ["service"]))
    result.by_counter = figures_as_dicts(figures(rows, ["counter"]))
    result.by_hour = figures_as_dicts(figures(rows, ["hour"]))
    store.dispose()
    return result


def default_demo_day(today: date) -> date:
    """The next 10th or 25th that is a weekday, so the demo shows the manager's reception day too."""
    d = today
    while not (d.day in (10, 25) and d.isoweekday() <= 5):
        d += timedelta(days=1)
    return d


def format_summary(r: DemoResult) -> str:
    o = r.overall
    lines = [
        f"Simulated business day {r.day} (09:00-17:00) on the real engine, SQLite at {r.database}",
        "",
        f"  tickets issued            {r.issued}  ({r.priority} priority)",
        f"  turned away politely      {r.refused_after_closing} after closing time, "
        f"{r.refused_service_closed} for a service not offered then",
        f"  still waiting at closing  {r.waiting_at_closing}  (all served afterwards; last call {r.last_call_local},"
        f" day closed {r.day_closed_local or 'NOT closed'})",
        f"  served                    {r.served}",
        f"  no-shows                  {r.no_shows}",
        f"  transferred               {r.transfers}  (kept their place in line)",
        f"  counter breaks            {'; '.join(r.pauses) or 'none'}",
        "",
        f"  wait (minutes)            mean {o['mean_wait_min']}, median {o['median_wait_min']}, "
        f"p90 {o['p90_wait_min']}",
        f"  called within target      {o['within_target_pct']} %",
        f"  mean service time         {o['mean_service_min']} min",
        "",
        "  by service:",
    ]
    for s in r.by_service:
        lines.append(
            f"    {s['service']:<10} {s['tickets']:>4} tickets  mean wait {s['mean_wait_min']:>5} min  "
            f"p90 {s['p90_wait_min']:>5}  within target {s['within_target_pct']:>5} %"
        )
    lines.append("  by counter (first call):")
    for c in r.by_counter:
        lines.append(
            f"    counter {c['counter']!s:<3} {c['tickets']:>4} tickets  mean wait {c['mean_wait_min']:>5} min  "
            f"mean service {c['mean_service_min']:>5} min"
        )
    lines += [
        "",
        f"  fairness violations       {len(r.fairness_violations)}",
        f"  tickets lost or left open {len(r.lost_tickets)}",
    ]
    for v in r.fairness_violations[:10] + r.lost_tickets[:10]:
        lines.append(f"    ! {v}")
    return "\n".join(lines)
