"""The words of a service hall: services, counters, tickets.

Plain data, no I/O. Times are POSIX seconds (UTC); the site's time zone turns them into
local dates and hours where people read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.service_calendar import ServiceCalendar

LANGUAGES = ("zh-Hant", "zh-Hans", "en")


class TicketState(str, enum.Enum):
    WAITING = "waiting"  # in line
    CALLED = "called"  # announced, customer walking to the counter
    SERVING = "serving"  # at the counter
    FINISHED = "finished"  # served (outcome "served")
    NO_SHOW = "no_show"  # called, did not come (staff said so, or queue.no_show_after_minutes passed)

    @property
    def is_open(self) -> bool:
        return self in (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


class CounterState(str, enum.Enum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True)
class Service:
    code: str
    prefix: str
    names: dict[str, str]
    target_wait_s: float
    calendar: ServiceCalendar

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.code


@dataclass(frozen=True)
class CounterInfo:
    """A counter as configured: who it is and what it serves."""

    id: int
    name: str
    services: tuple[str, ...]


@dataclass
class Ticket:
    id: int
    number: str
    service: str
    priority: bool
    state: TicketState
    business_day: str  # ISO date, local to the site
    queue_time: float  # place in line: the first issue time, kept across transfers
    issued_at: float
    first_called_at: float | None = None
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    counter_id: int | None = None
    owner_counter_id: int | None = None  # first counter that called it (first-contact owner)
    original_service: str = ""
    transfers: int = 0
    recalls: int = 0
    overtaken: int = 0  # how many priority tickets went before it
    estimated_wait_s: float | None = None
    ahead_at_issue: int = 0
    status_token: str = ""
    call_reason: str | None = None
    issued_by: str | None = None  # the kiosk that printed it; a reprint goes to its printer
    language: str | None = None  # the language the customer chose
    reprints: int = 0
    category: str | None = None  # what the visit was about, recorded at finish
    outcome: str | None = None  # "resolved" or "follow_up"
    called_by: str | None = None  # staff member signed in at the counter
    finished_by: str | None = None
    returns: int = 0  # brought back into line after a no-show
    call_note: str | None = None  # why it was called out of turn
    appointment_at: float | None = None  # a checked-in appointment's booked time (its place in line)
    estimate_low_s: float | None = None  # the range the wait was quoted in
    estimate_high_s: float | None = None

    @property
    def waited_s(self) -> float | None:
        """Wait from issue to first call: the figure the waiting-time log is about."""
        if self.first_called_at is None:
            return None
        return self.first_called_at - self.issued_at

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["state"] = self.state.value
        return d


@dataclass(frozen=True)
class CounterStatus:
    id: int
    name: str
    services: tuple[str, ...]
    state: CounterState
    current_ticket_id: int | None = None
    pause_reason: str | None = None
    pause_until: float | None = None
    staff_id: str | None = None  # who is signed in
    staff_name: str | None = None


@dataclass(frozen=True)
class IssueResult:
    """What the kiosk shows after a tap: the ticket, or why there is none."""

    ticket: Ticket | None
    ahead: int = 0
    estimated_wait_s: float | None = None
    refused: str | None = None  # machine-readable reason: "closed", "service_closed"
    message: str | None = None  # human sentence, in English; screens use the phrase catalogue
    next_open: float | None = None  # when the service opens next, if it is closed

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket.to_dict() if self.ticket else None,
            "ahead": self.ahead,
            "estimated_wait_s": self.estimated_wait_s,
            "refused": self.refused,
            "message": self.message,
            "next_open": self.next_open,
        }


@dataclass(frozen=True)
class Event:
    """One state change, numbered per branch without gaps so a client can resume after N."""

    seq: int
    at: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


def number_asked(text: str, today: str) -> tuple[str, str | None]:
    """A number as staff type it back from a screen: "a002", "A002 12/02" (an earlier day's, as
    screens show it) or "A002 2026-12-02". Returns (number, its business day or None)."""
    parts = (text or "").strip().upper().split()
    if len(parts) != 2:
        return (parts[0] if parts else ""), None
    number, when = parts
    try:
        if "-" in when:
            return number, date.fromisoformat(when).isoformat()
        month, day = (int(x) for x in when.split("/"))
        year = int(today[:4])
        asked = date(year, month, day)
        if asked.isoformat() > today:  # "12/31" typed on January 2nd is last year's
            asked = date(year - 1, month, day)
        return number, asked.isoformat()
    except ValueError:
        return text.strip().upper(), None  # not a date: the whole text is looked up, and not found


def number_as_shown(number: str, business_day: str, today: str) -> str:
    """A ticket number as screens show it: a ticket left over from an earlier business day
    carries its date ("A001 11/20"), so it is never confused with today's A001."""
    return number if business_day == today else f"{number} {business_day[5:7]}/{business_day[8:10]}"
