"""`kiosk audit`: one business day of a hall's own store checked after the fact, as the demo's
day is: fairness violations, numbers called out of turn (with their reasons), no-shows brought
back, and anyone left open. The events of the LOOKBACK_DAYS before it rebuild who was already
in line; events are kept `server.retention_days` (90 by default), so older days cannot be audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.audit import AuditResult, audit
from kiosk.engine import Engine

LOOKBACK_DAYS = 7  # a ticket left open longer than a week before the day is named by its id


@dataclass
class DayAudit:
    day: str
    events: int
    result: AuditResult = field(default_factory=AuditResult)

    def as_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "business_day": self.day,
            "events": self.events,
            "issued": r.issued,
            "calls": r.calls,
            "violations": r.violations,
            "manual_calls": r.manual_calls,
            "appointment_calls": r.appointment_calls,
            "returns": r.returns,
            "still_open": r.still_open,
        }


def audit_day(engine: Engine, day: date) -> DayAudit:
    tz = engine.tz
    start = datetime.combine(day, time(0), tz).timestamp()
    end = datetime.combine(day + timedelta(days=1), time(0), tz).timestamp()
    events = engine.events_between(start - LOOKBACK_DAYS * 86400, end)
    result = audit(
        events,
        {cid: info.services for cid, info in engine.counter_info.items()},
        {code: s.target_wait_s for code, s in engine.services.items()},
        engine.config.queue.max_priority_in_a_row,
        judged_from=start,
        day=day.isoformat(),
        max_appointments_in_a_row=engine.config.appointments.max_in_a_row,
        tz=tz,
    )
    return DayAudit(day.isoformat(), sum(e.at >= start for e in events), result)


def format_audit(a: DayAudit) -> str:
    r = a.result
    lines = [
        f"audit of {a.day}: {r.issued} issued, {r.calls} calls, {len(r.manual_calls)} out of turn, "
        f"{len(r.appointment_calls)} appointment(s), {r.returns} no-show(s) brought back ({a.events} events)"
    ]
    if not a.events:
        lines.append("  no events on that day (nothing happened, or they are older than server.retention_days)")
    lines.append(f"fairness: {len(r.violations)} violation(s)" if r.violations else "fairness: no violation")
    lines += [f"  {v}" for v in r.violations]
    if r.manual_calls:
        lines.append("called out of turn:")
        lines += [f"  {m}" for m in r.manual_calls]
    if r.appointment_calls:
        lines.append("appointments called at their time (not violations: each within its bound):")
        lines += [f"  {m}" for m in r.appointment_calls]
    if r.still_open:
        lines.append(f"still open at the end of the day: {', '.join(r.still_open)}")
    return "\n".join(lines)
