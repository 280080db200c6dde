"""Every kind of event the hall's event log holds, in one place. A `StrEnum`: a kind is still the
string on the wire and in the database, and compares equal to it.

A ticket's events all carry the whole ticket as it is after the change (`ticket`, the same
fields as GET /api/v1/tickets/{id}) and, from a counter, `counter_id`; a kind adds only what is
its own (a transfer's services, a call's apology). Each kind's payload is a TypedDict below
(`PAYLOADS`): the engine builds them by name, so mypy checks every field where an event is made,
and tests/test_demo.py holds a whole day's events to them.

(No `from __future__ import annotations` here: Python 3.11's TypedDict reads NotRequired only from
real annotations.)"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class EventKind(StrEnum):
    # a ticket's life
    TICKET_ISSUED = "ticket_issued"  # {ticket, ahead, estimated_wait_s}
    TICKET_CALLED = "ticket_called"  # {ticket, counter_id, counter_name, apology[, manual, reason]}
    TICKET_RECALLED = "ticket_recalled"  # as ticket_called
    TICKET_STARTED = "ticket_started"  # {ticket, counter_id}
    TICKET_FINISHED = "ticket_finished"  # {ticket, counter_id}
    TICKET_NO_SHOW = "ticket_no_show"  # {ticket, counter_id[, auto]}
    TICKET_TRANSFERRED = "ticket_transferred"  # {ticket, from_service, to_service, counter_id}
    TICKET_RETURNED = "ticket_returned"  # {ticket, to, by}: a no-show back in line
    TICKET_REPRINT = "ticket_reprint"  # {ticket, printer, by, ...}: the kiosk that should print it again
    # counters and the day
    COUNTER_OPENED = "counter_opened"  # {counter_id}
    COUNTER_PAUSED = "counter_paused"  # a counter's status
    COUNTER_RESUMED = "counter_resumed"  # a counter's status
    COUNTER_SERVICES_CHANGED = "counter_services_changed"  # {counter_id, services, before, by}
    STAFF_SIGNED_IN = "staff_signed_in"  # {counter_id, staff_id, staff_name}
    STAFF_SIGNED_OUT = "staff_signed_out"  # {counter_id, staff_id}
    DAY_CLOSED = "day_closed"  # {business_day}
    # bookings added, moved or cancelled: how many and for which days, never who
    APPOINTMENTS_CHANGED = "appointments_changed"  # {count, days}
    # the reception log's follow-ups (contacts never travel on the event stream)
    FOLLOW_UP_OPENED = "follow_up_opened"  # {follow_up, manager}
    FOLLOW_UP_REPLIED = "follow_up_replied"  # {follow_up, late}
    FOLLOW_UP_REOPENED = "follow_up_reopened"  # {follow_up, manager}
    FOLLOW_UP_OVERDUE = "follow_up_overdue"  # {follow_up, counter_id}: the manager and the owning counter
    FOLLOW_UP_SLIP = "follow_up_slip"  # {follow_up, printer, by, ...}: the customer's slip, with the reply time
    # stand up and greet
    GREET_ALERT = "greet_alert"  # {alert_id, arrival_at, sources, distance_m, counters}
    GREET_REPEAT = "greet_repeat"  # {alert_id, repeat}
    GREET_ESCALATED = "greet_escalated"  # {alert_id, counters, manager}
    GREET_CONFIRMED = "greet_confirmed"  # {alert_id, confirmed_by, ...}
    DEVICE_ALERT = "device_alert"  # {device, kind, state, message, ticket}
    # the event stream only: the server's log was restored, reload the state
    RESET = "reset"


TicketData = dict[str, Any]  # a ticket as GET /api/v1/tickets/{id} answers it (Ticket.to_dict)
FollowUpData = dict[str, Any]  # a follow-up as the board shows it, without the contact


class TicketIssued(TypedDict):
    ticket: TicketData
    ahead: int
    estimated_wait_s: float | None


class TicketCalled(TypedDict):  # also a recall
    ticket: TicketData
    counter_id: int | None
    counter_name: str
    apology: bool  # the wait was longer than the service's target: "sorry to keep you waiting"
    manual: NotRequired[bool]  # a counter called this number on purpose ...
    reason: NotRequired[str]  # ... and said why


class TicketAtCounter(TypedDict):  # started, finished
    ticket: TicketData
    counter_id: int | None


class TicketNoShow(TypedDict):
    ticket: TicketData
    counter_id: int | None
    auto: NotRequired[bool]  # nobody came within queue.no_show_after_minutes


class TicketTransferred(TypedDict):
    ticket: TicketData
    from_service: str
    to_service: str
    counter_id: int


class TicketReturned(TypedDict):
    ticket: TicketData
    to: str  # "queue_time" or "front"
    by: str | None


class TicketReprint(TypedDict):
    ticket: TicketData
    printer: str  # the kiosk that prints it
    by: str
    ahead: int
    estimated_wait_s: float | None


class CounterOpened(TypedDict):
    counter_id: int


class CounterStatusData(TypedDict):  # a pause or a resume: the counter as it is now
    id: int
    name: str
    services: list[str]
    state: str
    current_ticket_id: int | None
    pause_reason: str | None
    pause_until: float | None
    staff_id: str | None
    staff_name: str | None


class CounterServicesChanged(TypedDict):
    counter_id: int
    services: list[str]
    before: list[str]
    by: str | None


class StaffSignedIn(TypedDict):
    counter_id: int
    staff_id: str
    staff_name: str


class StaffSignedOut(TypedDict):
    counter_id: int
    staff_id: str


class DayClosed(TypedDict):
    business_day: str


class AppointmentsChanged(TypedDict):
    count: int
    days: list[str]


class FollowUpForManager(TypedDict):  # opened, reopened
    follow_up: FollowUpData
    manager: bool  # the manager must hear of it (always for a complaint)


class FollowUpReplied(TypedDict):
    follow_up: FollowUpData
    late: bool


class FollowUpOverdue(TypedDict):
    follow_up: FollowUpData
    counter_id: int  # the counter that owns it (first-contact responsibility)


class FollowUpSlip(TypedDict):
    follow_up: FollowUpData
    printer: str  # the kiosk (or counter) whose printer prints it
    by: str
    language: str  # the ticket's, else the site's
    status_token: str | None  # the ticket's status page, which tells the reply time too


class GreetAlert(TypedDict):
    alert_id: int
    arrival_at: float
    sources: list[str]
    distance_m: float | None
    counters: list[int]


class GreetRepeat(TypedDict):
    alert_id: int
    repeat: int


class GreetEscalated(TypedDict):
    alert_id: int
    counters: list[int]
    manager: bool


class GreetConfirmed(TypedDict):
    alert_id: int
    confirmed_by: int
    confirmed_at: float
    latency_s: float


class DeviceAlert(TypedDict):
    device: str
    kind: str  # "printer", "sensor", "device"
    state: str  # "ready" when it works again
    message: str
    ticket: str | None  # the number a printer could not print


class Reset(TypedDict):
    pass


PAYLOADS: dict[EventKind, type[Mapping[str, Any]]] = {
    EventKind.TICKET_ISSUED: TicketIssued,
    EventKind.TICKET_CALLED: TicketCalled,
    EventKind.TICKET_RECALLED: TicketCalled,
    EventKind.TICKET_STARTED: TicketAtCounter,
    EventKind.TICKET_FINISHED: TicketAtCounter,
    EventKind.TICKET_NO_SHOW: TicketNoShow,
    EventKind.TICKET_TRANSFERRED: TicketTransferred,
    EventKind.TICKET_RETURNED: TicketReturned,
    EventKind.TICKET_REPRINT: TicketReprint,
    EventKind.COUNTER_OPENED: CounterOpened,
    EventKind.COUNTER_PAUSED: CounterStatusData,
    EventKind.COUNTER_RESUMED: CounterStatusData,
    EventKind.COUNTER_SERVICES_CHANGED: CounterServicesChanged,
    EventKind.STAFF_SIGNED_IN: StaffSignedIn,
    EventKind.STAFF_SIGNED_OUT: StaffSignedOut,
    EventKind.DAY_CLOSED: DayClosed,
    EventKind.APPOINTMENTS_CHANGED: AppointmentsChanged,
    EventKind.FOLLOW_UP_OPENED: FollowUpForManager,
    EventKind.FOLLOW_UP_REPLIED: FollowUpReplied,
    EventKind.FOLLOW_UP_REOPENED: FollowUpForManager,
    EventKind.FOLLOW_UP_OVERDUE: FollowUpOverdue,
    EventKind.FOLLOW_UP_SLIP: FollowUpSlip,
    EventKind.GREET_ALERT: GreetAlert,
    EventKind.GREET_REPEAT: GreetRepeat,
    EventKind.GREET_ESCALATED: GreetEscalated,
    EventKind.GREET_CONFIRMED: GreetConfirmed,
    EventKind.DEVICE_ALERT: DeviceAlert,
    EventKind.RESET: Reset,
}


def payload_problems(kind: str, data: Mapping[str, Any]) -> list[str]:
    """What is wrong with an event's payload for its kind: an unknown kind, a field missing or
    one its TypedDict does not name (empty: it is as documented)."""
    try:
        shape: Any = PAYLOADS[EventKind(kind)]
    except ValueError:
        return [f"unknown kind {kind!r}"]
    missing = sorted(shape.__required_keys__ - set(data))
    unknown = sorted(set(data) - shape.__required_keys__ - shape.__optional_keys__)
    return [f"{kind}: missing {k}" for k in missing] + [f"{kind}: unknown field {k}" for k in unknown]
