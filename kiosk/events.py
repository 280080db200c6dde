"""Every kind of event the hall's event log holds, in one place. A `StrEnum`: a kind is still the
string on the wire and in the database, and compares equal to it.

A ticket's events all carry the whole ticket as it is after the change (`ticket`, the same
fields as GET /api/v1/tickets/{id}) and, from a counter, `counter_id`; a kind adds only what is
its own (a transfer's services, a call's apology)."""

from __future__ import annotations

from enum import StrEnum


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
    # the reception log's follow-ups (contacts never travel on the event stream)
    FOLLOW_UP_OPENED = "follow_up_opened"  # {follow_up, manager}
    FOLLOW_UP_REPLIED = "follow_up_replied"  # {follow_up, late}
    FOLLOW_UP_REOPENED = "follow_up_reopened"  # {follow_up, manager}
    FOLLOW_UP_OVERDUE = "follow_up_overdue"  # {follow_up, counter_id}: the manager and the owning counter
    # stand up and greet
    GREET_ALERT = "greet_alert"  # {alert_id, arrival_at, sources, distance_m, counters}
    GREET_REPEAT = "greet_repeat"  # {alert_id, repeat}
    GREET_ESCALATED = "greet_escalated"  # {alert_id, counters, manager}
    GREET_CONFIRMED = "greet_confirmed"  # {alert_id, confirmed_by, ...}
    DEVICE_ALERT = "device_alert"  # {device, kind, state, message, ticket}
    # the event stream only: the server's log was restored, reload the state
    RESET = "reset"
