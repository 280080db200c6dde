"""`kiosk demo`: a whole business day of a service hall on the real engine, in simulated time.

Customers arrive with morning and afternoon peaks and a lunch dip; some need priority help;
three counters serve overlapping services; one clerk takes a lunch break with a sign, another a
short break; a few customers do not come when called; some are transferred to another service;
at 17:00 the kiosk stops issuing while people are still waiting, and the counters serve every
one of them before the day is closed. Afterwards the event log is audited.

The reception log too: staff sign in (two people share counter 1 on a morning and an afternoon
shift); every visit ends with a category, some with a follow-up promised (every complaint);
some customers who missed their call come back and are brought back into line; counter 2 calls
one number out of turn; at noon a manager takes general enquiries off
counter 3. After the day the follow-ups are replied over the next working days, some late, with
the overdue alerts on the way.

Appointments: bookings through the day (general enquiries and payments) check in at the kiosk
by reference: most on time, some too early (told when to come back, and they do), some later
than the window (they take a normal ticket), some never come. Each is called at its time, before
the walk-ins but within the bound. Every ticket keeps the range its wait was quoted in, and the
summary says how often the wait fell inside it.
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
from kiosk.config import KioskConfig, StaffModel
from kiosk.engine import Engine, QueueError
from kiosk.engine.appointments import Booking
from kiosk.reports import (
    contact_figures,
    contact_rows,
    estimate_accuracy,
    figures,
    figures_as_dicts,
    follow_up_figures,
    follow_up_rows,
    log_rows,
    staff_figures,
    visits_by_category,
)
from kiosk.store import Store, sqlite_url

# Arrivals per hour by local hour: a morning peak, a lunch dip, an afternoon peak.
ARRIVALS_PER_HOUR = {9: 22, 10: 38, 11: 34, 12: 16, 13: 22, 14: 38, 15: 34, 16: 40, 17: 8}
SERVICE_MIX = {"general": 0.55, "payment": 0.35, "manager": 0.10}
PRIORITY_SHARE = 0.10
NO_SHOW_SHARE = 0.03
TRANSFER_SHARE = 0.06  # of general enquiries: sent on to payment
WALK_TO_COUNTER_S = 30
COME_BACK_SHARE = 0.5  # of no-shows: they were in the toilet, and come back a few minutes later
FOLLOW_UP_SHARE = 0.08  # of visits that are not complaints
CATEGORY_MIX = {"": 0.72, "enquiry": 0.1, "problem": 0.1, "complaint": 0.03, "other": 0.05}  # "": the default
# who works where: counter 1 has a morning and an afternoon shift (a hand-over at 13:00)
DEMO_STAFF = [
    StaffModel(id="chen", name="陳志明", pin="140001", manager=True),
    StaffModel(id="lin", name="林美華", pin="140002"),
    StaffModel(id="wu", name="吳建國", pin="140003"),
    StaffModel(id="huang", name="黃淑芬", pin="140004"),
]
SHIFTS = {1: [("lin", 9.0), ("huang", 13.0)], 2: [("wu", 9.0)], 3: [("chen", 9.0)]}
# bookings: every half hour but lunch, alternately general enquiries and payments; how people come
BOOKING_SLOTS = [h + m / 60 for h in (9, 10, 11, 13, 14, 15, 16) for m in (30,) if (h, m) != (9, 0)] + [
    10.0,
    14.0,
    15.0,
]
BOOKING_HABITS = {"on_time": 0.6, "early": 0.15, "late": 0.1, "no_show": 0.15}


@dataclass
class _Counter:
    id: int
    busy: bool = False
    paused: bool = False
    pause_at_free: tuple[str, float, float] | None = None  # (reason, duration, until) once free
    hand_over_to: str | None = None  # the next shift signs in once the counter is free
    manual_call: str | None = None  # call a specific number once free, with this reason


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
    came_back: int = 0
    manual_calls: list[str] = field(default_factory=list)
    service_changes: list[str] = field(default_factory=list)
    overdue_alerts: int = 0
    categories: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: dict[str, Any] = field(default_factory=dict)
    contacts: dict[str, Any] = field(default_factory=dict)  # calls, letters, e-mails without a ticket
    by_staff: list[dict[str, Any]] = field(default_factory=list)
    waiting_at_closing: int = 0
    last_call_local: str = ""
    day_closed_local: str = ""
    fairness_violations: list[str] = field(default_factory=list)
    lost_tickets: list[str] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)
    appointments: dict[str, Any] = field(default_factory=dict)
    estimates: dict[str, Any] = field(default_factory=dict)  # how right the quoted waits were, overall
    estimates_by_service: list[dict[str, Any]] = field(default_factory=list)
    by_service: list[dict[str, Any]] = field(default_factory=list)
    by_counter: list[dict[str, Any]] = field(default_factory=list)
    by_hour: list[dict[str, Any]] = field(default_factory=list)
    database: str = ""


def _lognormal_minutes(rng: random.Random, mean_min: float) -> float:
    sigma = 0.5
    mu = math.log(mean_min) - sigma**2 / 2
    return rng.lognormvariate(mu, sigma) * 60


def demo_config(config: KioskConfig) -> KioskConfig:
    """The configuration with the demo's people, if it has none of its own."""
    return config if config.staff else config.model_copy(update={"staff": DEMO_STAFF})


def run_demo(config: KioskConfig, day: date, seed: int = 7, db_dir: Path | None = None) -> DemoResult:
    config = demo_config(config)
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
    pins = {p.id: p.pin for p in config.staff}
    shifts = {cid: SHIFTS.get(cid, [(config.staff[(cid - 1) % len(config.staff)].id, 9.0)]) for cid in counters}
    for cid, people in shifts.items():
        for who, hour in people:
            if who in pins:
                at(opening + (hour - 9) * 3600 - (60 if hour == 9.0 else 0), "sign_in", counter=cid, staff=who)
    lunch = datetime.combine(day, time(12, 0), tzinfo=tz).timestamp()
    at(lunch, "services", counter=3, services=["payment", "manager"])
    at(opening + 1.5 * 3600, "manual_call", counter=2, reason="預約客戶 appointment booked by phone")
    at(lunch, "pause", counter=2, reason="午餐休息 Lunch break", minutes=45)
    at(lunch + 3.5 * 3600, "pause", counter=3, reason="暫離 Back soon", minutes=10)
    for cid in counters:
        at(opening, "free", counter=cid)
    habits = _book_the_day(engine, day, tz, rng, at)

    closing_seen = False

    def try_call(c: _Counter, now: float) -> None:
        if c.busy or c.paused:
            return
        if c.hand_over_to:
            engine.sign_in(c.id, c.hand_over_to, pins[c.hand_over_to])
            c.hand_over_to = None
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
        ticket = None
        if c.manual_call:
            waiting = engine.waiting_tickets(engine.counter_services_now()[c.id])
            if waiting:
                ticket = engine.call_number(c.id, waiting[-1].number, c.manual_call)
                result.manual_calls.append(f"{ticket.number} at counter {c.id}: {c.manual_call}")
            c.manual_call = None
        ticket = ticket or engine.call_next(c.id, key=f"demo-call-{c.id}-{now:.3f}")
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
        if kind == "booked_arrival":
            arrived = engine.check_in(ref=data["ref"]).result
            if arrived.refused == "too_early" and arrived.next_open is not None:
                habits["told_to_come_back"] += 1
                at(arrived.next_open + rng.uniform(0, 300), "booked_arrival", ref=data["ref"], service=data["service"])
                continue
            if arrived.refused == "too_late":  # offered a normal ticket, and takes it
                habits["late_walk_in"] += 1
                at(now + 20, "arrival", service=data["service"], priority=False)
                continue
            if arrived.ticket is not None:
                habits["checked_in"] += 1
                result.issued += 1
                for other in counters.values():
                    try_call(other, now)
            continue
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
                category = rng.choices(list(CATEGORY_MIX), weights=list(CATEGORY_MIX.values()))[0] or None
                if category == "complaint" or rng.random() < FOLLOW_UP_SHARE:
                    engine.finish(c.id, category, "follow_up", rng.choice(FOLLOW_UP_NOTES))
                else:
                    engine.finish(c.id, category)
                result.served += 1
                at(now + 5, "free", counter=c.id)
            elif kind == "recall":
                engine.recall(c.id)
            elif kind == "no_show":
                gone = engine.no_show(c.id)
                result.no_shows += 1
                at(now + 5, "free", counter=c.id)
                if rng.random() < COME_BACK_SHARE and config.site.hours.calendar().is_open(engine.local(now + 240)):
                    at(now + 240, "come_back", counter=c.id, number=gone.number)
            elif kind == "come_back":
                engine.return_ticket(data["number"], by=f"counter {c.id}")
                result.came_back += 1
                for other in counters.values():
                    try_call(other, now)
            elif kind == "sign_in":
                if c.busy:  # a hand-over waits for the customer at the counter
                    c.hand_over_to = data["staff"]
                else:
                    engine.sign_in(c.id, data["staff"], pins[data["staff"]])
                    try_call(c, now)
            elif kind == "services":
                engine.set_counter_services(c.id, data["services"], by="manager")
                result.service_changes.append(
                    f"counter {c.id} from {datetime.fromtimestamp(now, tz):%H:%M}: {', '.join(data['services'])}"
                )
            elif kind == "manual_call":
                c.manual_call = data["reason"]
                try_call(c, now)
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

    result_contacts = _calls_and_letters(engine)
    try:
        engine.close_day()
        result.day_closed_local = f"{engine.local(clock.now()):%H:%M}"
    except QueueError as e:  # would mean somebody was left in line: report it, never hide it
        result.lost_tickets.append(e.message)

    result.overdue_alerts = _reply_to_follow_ups(engine, clock, rng)

    targets = {code: s.target_wait_s for code, s in engine.services.items()}
    checked = audit(
        engine.events_after(0, limit=10**9),
        {cid: info.services for cid, info in engine.counter_info.items()},
        targets,
        config.queue.max_priority_in_a_row,
        max_appointments_in_a_row=config.appointments.max_in_a_row,
        tz=tz,
    )
    result.fairness_violations = checked.violations
    result.lost_tickets += checked.still_open
    rows = log_rows(store, config)
    result.overall = figures_as_dicts(figures(rows))[0]
    result.by_service = figures_as_dicts(figures(rows, ["service"]))
    result.by_counter = figures_as_dicts(figures(rows, ["counter"]))
    result.by_hour = figures_as_dicts(figures(rows, ["hour"]))
    result.categories = visits_by_category(rows, config, "en")
    result.appointments = _appointment_figures(rows, habits)
    result.estimates = (estimate_accuracy(rows) or [{}])[0]
    result.estimates_by_service = estimate_accuracy(rows, ["service"])
    result.follow_ups = follow_up_figures(follow_up_rows(store, config), clock.now())
    result.by_staff = staff_figures(rows)
    result.contacts = contact_figures(contact_rows(store, config), config) if result_contacts else {}
    store.dispose()
    return result


FOLLOW_UP_NOTES = [
    "檢查帳單後回電 check the bill and call back",
    "轉維修部門，回覆處理時間 pass to maintenance, reply with a date",
    "查詢申請進度 check the application's progress",
]


# The day's calls, letters and e-mails without a ticket (seed 003), taken at the counters
CALLS_AND_LETTERS = [
    ("phone", "enquiry", "問停車費 asks about parking fees", False),
    ("phone", "complaint", "樓上漏水 water leaking from upstairs", True),
    ("letter", "praise", "表揚林小姐 thanks Ms Lin for her patience", False),
    ("email", "problem", "門禁卡失效 access card stopped working", True),
    ("phone", "enquiry", "問繳費期限 asks for the payment deadline", False),
]


def _book_the_day(engine: Engine, day: date, tz: Any, rng: random.Random, at: Any) -> dict[str, int]:
    """The day's bookings (as `kiosk appointments import` would add them) and when each person
    comes to the kiosk, by habit. Returns the counts the summary prints, filled in as they come."""
    bookings = []
    for i, hour in enumerate(sorted(BOOKING_SLOTS)):
        when = datetime.combine(day, time(int(hour), int(round(hour % 1 * 60))), tzinfo=tz).timestamp()
        bookings.append(Booking("general" if i % 2 == 0 else "payment", when, f"{880001 + i}", f"Demo {i + 1}"))
    engine.book(bookings, source="import")
    habits = dict.fromkeys(["booked", "checked_in", "told_to_come_back", "late_walk_in", "no_show"], 0)
    habits["booked"] = len(bookings)
    opening = datetime.combine(day, time(9, 0), tzinfo=tz).timestamp()  # nobody comes before the doors open
    for b in bookings:
        habit = rng.choices(list(BOOKING_HABITS), weights=list(BOOKING_HABITS.values()))[0]
        offset_min = {"on_time": rng.uniform(-12, 5), "early": rng.uniform(-60, -35), "late": rng.uniform(12, 25)}
        if habit == "no_show":
            habits["no_show"] += 1
            continue
        at(max(opening, b.at + offset_min[habit] * 60), "booked_arrival", ref=b.ref, service=b.service)
    return habits


def _appointment_figures(rows: list[dict[str, Any]], habits: dict[str, int]) -> dict[str, Any]:
    """The bookings as the day went, and how long after its booked time each was called."""
    late_by = sorted(
        (datetime.fromisoformat(r["first_called_at"]) - datetime.fromisoformat(r["appointment_at"])).total_seconds()
        / 60
        for r in rows
        if r["appointment_at"] and r["first_called_at"]
    )
    return {
        **habits,
        "called": len(late_by),
        "called_after_booked_min_median": round(late_by[len(late_by) // 2], 1) if late_by else None,
        "called_after_booked_min_max": round(late_by[-1], 1) if late_by else None,
    }


def _calls_and_letters(engine: Engine) -> int:
    """Logged at the counters staffed at closing time; how many were logged."""
    logged = 0
    for i, (channel, kind, note, reply) in enumerate(CALLS_AND_LETTERS):
        counter = engine.config.counters[i % len(engine.config.counters)].id
        try:
            engine.log_contact(counter, channel, kind, note, follow_up=reply)
            logged += 1
        except QueueError:  # nobody signed in there: the next counter takes the next one
            continue
    return logged


def _reply_to_follow_ups(engine: Engine, clock: SimulatedClock, rng: random.Random) -> int:
    """The working days after: each follow-up is replied by phone, most within their time, some
    late; the timekeeper's check runs every hour meanwhile. Returns the overdue alerts raised."""
    replies = []
    for fu in engine.follow_ups("open"):  # a store with earlier days (bench/manager_pages.py) has replied ones
        share = rng.choice((0.2, 0.4, 0.6, 0.8, 0.9, 1.25))  # one in six replied after its due time
        replies.append((fu["opened_at"] + share * (fu["due_at"] - fu["opened_at"]), fu["id"]))
    alerts = 0
    for when, fid in sorted(replies):
        while clock.now() + 3600 < when:
            clock.advance(3600)
            alerts += engine.check_follow_ups()
        clock.set(max(when, clock.now()))
        alerts += engine.check_follow_ups()
        engine.reply_follow_up(fid, by="chen", method="phone", note="replied")
    return alerts


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
        f"  no-shows                  {r.no_shows}  ({r.came_back} came back and were brought back into line)",
        f"  transferred               {r.transfers}  (kept their place in line)",
        f"  counter breaks            {'; '.join(r.pauses) or 'none'}",
        "",
        f"  wait (minutes)            mean {o['mean_wait_min']}, median {o['median_wait_min']}, "
        f"p90 {o['p90_wait_min']}",
        f"  called within target      {o['within_target_pct']} %",
        f"  mean service time         {o['mean_service_min']} min",
        f"  appointments              {_appointments_line(r.appointments)}",
        f"  wait estimates            {_estimates_line(r.estimates)}",
    ]
    for s in r.estimates_by_service:
        lines.append(f"    {s['service']:<10} {_estimates_line(s)}")
    lines += [
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
    f = r.follow_ups
    lines += [
        "",
        "  reception log:",
        "    visits by category       "
        + ", ".join(f"{c['category']} {c['visits']} ({c['follow_ups']} follow-up)" for c in r.categories),
        f"    follow-ups               {f.get('follow_ups', 0)} ({f.get('complaints', 0)} complaints): "
        f"{f.get('replied', 0)} replied, {f.get('replied_within_target', 0)} within their time, "
        f"{f.get('replied_late', 0)} late ({r.overdue_alerts} overdue alerts), {f.get('overdue', 0)} overdue now",
        f"    reply rate               {f.get('reply_rate_pct')} % (target 100 %), "
        f"in time {f.get('reply_in_time_pct')} %",
        f"    calls and letters        {_contacts_line(r.contacts)}",
        f"    no-shows who came back   {r.came_back} (back in line at their place)",
        f"    called out of turn       {'; '.join(r.manual_calls) or 'none'}",
        f"    services changed         {'; '.join(r.service_changes) or 'none'}",
        "  by person:",
    ]
    for p in r.by_staff:
        lines.append(
            f"    {p['served']:>4} served  {p['no_shows']:>2} no-shows  {p['follow_ups']:>2} follow-ups  "
            f"mean service {p['mean_service_min']:>4} min  {p['staff']}"
        )
    lines += [
        "",
        f"  fairness violations       {len(r.fairness_violations)}  "
        f"({len(r.manual_calls)} manual call(s) listed apart)",
        f"  tickets lost or left open {len(r.lost_tickets)}",
    ]
    for v in r.fairness_violations[:10] + r.lost_tickets[:10]:
        lines.append(f"    ! {v}")
    return "\n".join(lines)


def _appointments_line(a: dict[str, Any]) -> str:
    if not a:
        return "none"
    return (
        f"{a['booked']} booked: {a['checked_in']} checked in ({a['told_to_come_back']} told when to come back), "
        f"{a['late_walk_in']} too late took a normal ticket, {a['no_show']} never came; called a median "
        f"{a['called_after_booked_min_median']} min (at most {a['called_after_booked_min_max']}) after the booked time"
    )


def _estimates_line(e: dict[str, Any]) -> str:
    if not e:
        return "none quoted"
    return (
        f"{e['inside_range_pct']} % of waits inside the quoted range; mean error {e['mean_error_min']:+} min "
        f"(off by {e['mean_abs_error_min']} min on average), {e['quoted']} quoted"
    )


def _contacts_line(c: dict[str, Any]) -> str:
    if not c:
        return "none"
    channels = ", ".join(f"{n} {ch}" for ch, n in c["by_channel"].items() if n)
    counted = f"{c['complaints']} complaint(s), {c['praise']} praise, {c['followed_up']} followed up"
    return f"{c['contacts']} ({channels}): {counted}"
