"""Check a day after the fact: replay the event log and list every broken promise.

Independent of the engine's own bookkeeping (it rebuilds the line from events alone), so the
demo and the concurrency tests can prove what customers were promised:
- no ticket is called twice, and none is called that was not waiting;
- no normal ticket is passed over by more than `max_priority_in_a_row` priority tickets in a row,
  nor by more than `max_appointments_in_a_row` appointments (one run counts both, as the engine's);
- when a normal ticket is past its target, the counter calls someone past their target;
- every ticket number is issued once per day and prefix;
- nothing is lost: each issued ticket is finished, a no-show, or still open (listed).

A counter calling a specific number out of turn (with a reason) is listed as a manual call, not
judged as a violation; an appointment called at or after its booked time is listed apart
(`appointment_calls`) and judged by its own bound; a no-show brought back is in line again at
the place the event says; a manager's change of a counter's services counts from the moment it was made.

`audit_day` checks one business day of a hall's own store (`kiosk audit --date`): the events
of the days before it rebuild who was already waiting; only what happened on the day is judged,
and a number left over from an earlier day carries its date ("A001 12/02").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain import Event, number_as_shown


@dataclass
class _Waiting:
    service: str
    priority: bool
    queue_time: float
    run: int = 0
    appointment: bool = False  # its queue time is its booked time

    def goes_ahead(self, at: float) -> bool:
        return self.priority or (self.appointment and at >= self.queue_time)


@dataclass
class AuditResult:
    violations: list[str] = field(default_factory=list)
    issued: int = 0
    calls: int = 0
    still_open: list[str] = field(default_factory=list)
    manual_calls: list[str] = field(default_factory=list)  # "A007 at counter 2: appointment"
    returns: int = 0  # no-shows brought back into line
    appointment_calls: list[str] = field(default_factory=list)  # "B003 booked 10:30 at counter 2: went ahead of 1"


def audit(
    events: list[Event],
    counter_services: dict[int, tuple[str, ...]],
    targets_s: dict[str, float],
    max_priority_in_a_row: int,
    judged_from: float = float("-inf"),
    day: str | None = None,
    max_appointments_in_a_row: int | None = None,
    tz: Any = None,
) -> AuditResult:
    """Replay `events`; those before `judged_from` only rebuild the line (counted and judged from
    then on). With `day`, a number from another business day is named with its date."""
    res = AuditResult()
    k_appointments = max_priority_in_a_row if max_appointments_in_a_row is None else max_appointments_in_a_row
    before = AuditResult()  # what happened before judged_from: replayed, not reported
    counter_services = dict(counter_services)  # changed by the day's events below
    waiting: dict[int, _Waiting] = {}
    state: dict[int, str] = {}
    numbers: dict[int, str] = {}
    first_issue: dict[int, tuple[float, bool]] = {}  # id -> (queue time, priority)
    seen_numbers: set[tuple[str, str]] = set()

    def name(t: dict[str, Any]) -> str:
        return number_as_shown(t["number"], t.get("business_day") or "", day) if day else t["number"]

    for ev in events:
        out = before if ev.at < judged_from else res
        d = ev.data
        if ev.kind == "ticket_issued":
            t = d["ticket"]
            out.issued += 1
            key = (t["business_day"], t["number"])
            if key in seen_numbers:
                out.violations.append(f"number {t['number']} issued twice on {t['business_day']}")
            seen_numbers.add(key)
            numbers[t["id"]] = name(t)
            first_issue[t["id"]] = (t["queue_time"], bool(t["priority"]))
            state[t["id"]] = "waiting"
            waiting[t["id"]] = _Waiting(
                t["service"], bool(t["priority"]), t["queue_time"], 0, t.get("appointment_at") is not None
            )
        elif ev.kind == "ticket_called":
            out.calls += 1
            t = d["ticket"]
            tid, counter = t["id"], d["counter_id"]
            picked = waiting.pop(tid, None)
            if picked is None:
                out.violations.append(f"{name(t)} called by counter {counter} while {state.get(tid, 'unknown')}")
                continue
            state[tid] = "called"
            if d.get("manual"):
                out.manual_calls.append(f"{name(t)} at counter {counter}: {d.get('reason') or ''}")
                continue
            services = counter_services.get(counter, ())
            others = {i: w for i, w in waiting.items() if w.service in services}
            overdue_normal = [
                w
                for w in others.values()
                if not w.goes_ahead(ev.at) and ev.at - w.queue_time > targets_s.get(w.service, float("inf"))
            ]
            due_appointment = picked.appointment and picked.goes_ahead(ev.at)  # judged by its bound below
            within = ev.at - picked.queue_time <= targets_s.get(picked.service, float("inf"))
            if overdue_normal and within and not due_appointment:
                out.violations.append(
                    f"{name(t)} called at counter {counter} within its target while "
                    f"{len(overdue_normal)} ticket(s) were past theirs"
                )
            if picked.goes_ahead(ev.at):
                bound = max_priority_in_a_row if picked.priority else k_appointments
                kind = "priority tickets" if picked.priority else "priority tickets and appointments"
                jumped = 0
                for i, w in others.items():
                    if not w.goes_ahead(ev.at) and w.queue_time < picked.queue_time:
                        jumped += 1
                        w.run += 1
                        if w.run > bound:
                            out.violations.append(f"{numbers[i]} passed over by {w.run} {kind} in a row")
                if not picked.priority:
                    booked = _clock(picked.queue_time, tz)
                    out.appointment_calls.append(
                        f"{name(t)} booked {booked} at counter {counter}: went ahead of {jumped}"
                    )
            else:
                for w in others.values():
                    if not w.goes_ahead(ev.at):
                        w.run = 0
        elif ev.kind == "ticket_transferred":
            tid = d["ticket"]["id"]
            old = state.get(tid)
            if old not in ("called", "serving"):
                out.violations.append(f"{name(d['ticket'])} transferred while {old}")
            state[tid] = "waiting"
            # keeps its place in line (a ticket issued before the events read keeps the one it says)
            queue_time, priority = first_issue.get(tid, (d["ticket"]["queue_time"], bool(d["ticket"]["priority"])))
            waiting[tid] = _Waiting(
                d["to_service"], priority, queue_time, 0, d["ticket"].get("appointment_at") is not None
            )
        elif ev.kind == "ticket_returned":
            t = d["ticket"]
            if state.get(t["id"]) != "no_show":
                out.violations.append(f"{name(t)} brought back while {state.get(t['id'], 'unknown')}")
            out.returns += 1
            state[t["id"]] = "waiting"
            waiting[t["id"]] = _Waiting(
                t["service"], bool(t["priority"]), t["queue_time"], 0, t.get("appointment_at") is not None
            )
        elif ev.kind == "counter_services_changed":
            counter_services[d["counter_id"]] = tuple(d["services"])
        elif ev.kind == "ticket_started":
            state[d["ticket"]["id"]] = "serving"
        elif ev.kind == "ticket_finished":
            state[d["ticket"]["id"]] = "finished"
        elif ev.kind == "ticket_no_show":
            state[d["ticket"]["id"]] = "no_show"

    res.still_open = [numbers.get(i, f"#{i}") for i, s in state.items() if s in ("waiting", "called", "serving")]
    return res


def _clock(t: float, tz: Any) -> str:
    return datetime.fromtimestamp(t, tz).strftime("%H:%M")
