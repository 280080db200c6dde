"""Check a day after the fact: replay the event log and list every broken promise.

Independent of the engine's own bookkeeping (it rebuilds the line from events alone), so the
demo and the concurrency tests can prove what customers were promised:
- no ticket is called twice, and none is called that was not waiting;
- no normal ticket is passed over by more than `max_priority_in_a_row` priority tickets in a row;
- when a normal ticket is past its target, the counter calls someone past their target;
- every ticket number is issued once per day and prefix;
- nothing is lost: each issued ticket is finished, a no-show, or still open (listed).

A counter calling a specific number out of turn (with a reason) is listed as a manual call, not
judged as a violation; a no-show brought back is in line again at the place the event says; a
manager's change of a counter's services counts from the moment it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain import Event


@dataclass
class _Waiting:
    service: str
    priority: bool
    queue_time: float
    run: int = 0


@dataclass
class AuditResult:
    violations: list[str] = field(default_factory=list)
    issued: int = 0
    calls: int = 0
    still_open: list[str] = field(default_factory=list)
    manual_calls: list[str] = field(default_factory=list)  # "A007 at counter 2: appointment"
    returns: int = 0  # no-shows brought back into line


def audit(
    events: list[Event],
    counter_services: dict[int, tuple[str, ...]],
    targets_s: dict[str, float],
    max_priority_in_a_row: int,
) -> AuditResult:
    res = AuditResult()
    counter_services = dict(counter_services)  # changed by the day's events below
    waiting: dict[int, _Waiting] = {}
    state: dict[int, str] = {}
    numbers: dict[int, str] = {}
    first_issue: dict[int, tuple[float, bool]] = {}  # id -> (queue time, priority)
    seen_numbers: set[tuple[str, str]] = set()

    for ev in events:
        d = ev.data
        if ev.kind == "ticket_issued":
            t = d["ticket"]
            res.issued += 1
            key = (t["business_day"], t["number"])
            if key in seen_numbers:
                res.violations.append(f"number {t['number']} issued twice on {t['business_day']}")
            seen_numbers.add(key)
            numbers[t["id"]] = t["number"]
            first_issue[t["id"]] = (t["queue_time"], bool(t["priority"]))
            state[t["id"]] = "waiting"
            waiting[t["id"]] = _Waiting(t["service"], bool(t["priority"]), t["queue_time"])
        elif ev.kind == "ticket_called":
            res.calls += 1
            t = d["ticket"]
            tid, counter = t["id"], d["counter_id"]
            picked = waiting.pop(tid, None)
            if picked is None:
                res.violations.append(f"{t['number']} called by counter {counter} while {state.get(tid, 'unknown')}")
                continue
            state[tid] = "called"
            if d.get("manual"):
                res.manual_calls.append(f"{t['number']} at counter {counter}: {d.get('reason') or ''}")
                continue
            services = counter_services.get(counter, ())
            others = {i: w for i, w in waiting.items() if w.service in services}
            overdue_normal = [
                w
                for w in others.values()
                if not w.priority and ev.at - w.queue_time > targets_s.get(w.service, float("inf"))
            ]
            if overdue_normal and ev.at - picked.queue_time <= targets_s.get(picked.service, float("inf")):
                res.violations.append(
                    f"{t['number']} called at counter {counter} within its target while "
                    f"{len(overdue_normal)} ticket(s) were past theirs"
                )
            if picked.priority:
                for i, w in others.items():
                    if not w.priority and w.queue_time < picked.queue_time:
                        w.run += 1
                        if w.run > max_priority_in_a_row:
                            res.violations.append(f"{numbers[i]} passed over by {w.run} priority tickets in a row")
            else:
                for w in others.values():
                    if not w.priority:
                        w.run = 0
        elif ev.kind == "ticket_transferred":
            tid = d["ticket"]["id"]
            old = state.get(tid)
            if old not in ("called", "serving"):
                res.violations.append(f"{d['ticket']['number']} transferred while {old}")
            state[tid] = "waiting"
            queue_time, priority = first_issue[tid]  # keeps its place in line
            waiting[tid] = _Waiting(d["to_service"], priority, queue_time)
        elif ev.kind == "ticket_returned":
            t = d["ticket"]
            if state.get(t["id"]) != "no_show":
                res.violations.append(f"{t['number']} brought back while {state.get(t['id'], 'unknown')}")
            res.returns += 1
            state[t["id"]] = "waiting"
            waiting[t["id"]] = _Waiting(t["service"], bool(t["priority"]), t["queue_time"])
        elif ev.kind == "counter_services_changed":
            counter_services[d["counter_id"]] = tuple(d["services"])
        elif ev.kind == "ticket_started":
            state[d["ticket"]["id"]] = "serving"
        elif ev.kind == "ticket_finished":
            state[d["ticket"]["id"]] = "finished"
        elif ev.kind == "ticket_no_show":
            state[d["ticket"]["id"]] = "no_show"

    res.still_open = [numbers[i] for i, s in state.items() if s in ("waiting", "called", "serving")]
    return res
