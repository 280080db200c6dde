"""Rows and answers to domain objects and back, written once for every command and query."""

from __future__ import annotations

from typing import Any

from kiosk import schema
from kiosk.domain import CounterState, CounterStatus, Ticket, TicketState
from kiosk.events import CounterStatusData

T = schema.tickets
C = schema.counters


def _ticket(row: Any) -> Ticket:
    m = row._mapping
    return Ticket(
        id=m["id"],
        number=m["number"],
        service=m["service"],
        priority=bool(m["priority"]),
        state=TicketState(m["state"]),
        business_day=m["business_day"],
        queue_time=m["queue_time"],
        issued_at=m["issued_at"],
        first_called_at=m["first_called_at"],
        called_at=m["called_at"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        counter_id=m["counter_id"],
        owner_counter_id=m["owner_counter_id"],
        original_service=m["original_service"],
        transfers=m["transfers"],
        recalls=m["recalls"],
        overtaken=m["overtaken"],
        estimated_wait_s=m["estimated_wait_s"],
        ahead_at_issue=m["ahead_at_issue"],
        status_token=m["status_token"],
        call_reason=m["call_reason"],
        issued_by=m["issued_by"],
        language=m["language"],
        reprints=m["reprints"],
        category=m["category"],
        outcome=m["outcome"],
        called_by=m["called_by"],
        finished_by=m["finished_by"],
        returns=m["returns"],
        call_note=m["call_note"],
        appointment_at=m["appointment_at"],
        estimate_low_s=m["estimate_low_s"],
        estimate_high_s=m["estimate_high_s"],
    )


def _ticket_from_dict(d: dict[str, Any]) -> Ticket:
    d = dict(d)
    d["state"] = TicketState(d["state"])
    return Ticket(**d)


def _status_event(s: CounterStatus) -> CounterStatusData:
    return CounterStatusData(
        id=s.id,
        name=s.name,
        services=list(s.services),
        state=s.state.value,
        current_ticket_id=s.current_ticket_id,
        pause_reason=s.pause_reason,
        pause_until=s.pause_until,
        staff_id=s.staff_id,
        staff_name=s.staff_name,
    )


def _status_dict(s: CounterStatus) -> dict[str, Any]:
    return dict(_status_event(s))


def _status_from_dict(d: dict[str, Any]) -> CounterStatus:
    return CounterStatus(
        id=d["id"],
        name=d["name"],
        services=tuple(d["services"]),
        state=CounterState(d["state"]),
        current_ticket_id=d["current_ticket_id"],
        pause_reason=d["pause_reason"],
        pause_until=d["pause_until"],
        staff_id=d.get("staff_id"),
        staff_name=d.get("staff_name"),
    )
