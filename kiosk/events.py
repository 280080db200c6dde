"""Every kind of event the hall's event log holds, in one place. A `StrEnum`: a kind is still the
string on the wire and in the database, and compares equal to it."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    # a ticket's life
    TICKET_ISSUED = "ticket_issued"  # {ticket, ahead, estimated_wait_s}
    TICKET_CALLED = "ticket_called"  # {ticket, counter_id, counter_name, apology}
    TICKET_RECALLED = "ticket_recalled"  # as ticket_called
    TICKET_STARTED = "ticket_started"  # {ticket_id, number, counter_id}
    TICKET_FINISHED = "ticket_finished"  # {ticket, counter_id}
    TICKET_NO_SHOW = "ticket_no_show"  # {ticket_id, number, counter_id}
    TICKET_TRANSFERRED = "ticket_transferred"  # {ticket_id, number, from_service, to_service, counter_id}
    TICKET_REPRINT = "ticket_reprint"  # {ticket, printer, by, ...}: the kiosk that should print it again
    # counters and the day
    COUNTER_OPENED = "counter_opened"  # {counter_id}
    COUNTER_PAUSED = "counter_paused"  # a counter's status
    COUNTER_RESUMED = "counter_resumed"  # a counter's status
    DAY_CLOSED = "day_closed"  # {business_day}
    # stand up and greet
    GREET_ALERT = "greet_alert"  # {alert_id, arrival_at, sources, distance_m, counters}
    GREET_REPEAT = "greet_repeat"  # {alert_id, repeat}
    GREET_ESCALATED = "greet_escalated"  # {alert_id, counters, manager}
    GREET_CONFIRMED = "greet_confirmed"  # {alert_id, confirmed_by, ...}
    DEVICE_ALERT = "device_alert"  # {device, kind, state, message, ticket}
    # the event stream only: the server's log was restored, reload the state
    RESET = "reset"
