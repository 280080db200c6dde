"""What goes on a ticket, in the customer's language. Pure: ticket in, TicketDoc out."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.config import KioskConfig
from kiosk.devices import TicketDoc
from kiosk.domain import Ticket
from kiosk.estimate import is_wide
from kiosk.phrases import phrase


def status_url(base_url: str, ticket: Ticket) -> str:
    """The QR code's target: the ticket's unguessable status page (no personal data in it)."""
    return f"{base_url.rstrip('/')}/t/{ticket.status_token}"


def wait_line(
    estimated_wait_s: float | None, lang: str, low_s: float | None = None, high_s: float | None = None
) -> str:
    """ "About 8 min wait", or "About 5–20 min wait" where the quoted range is wide (kiosk/estimate.py)."""
    if estimated_wait_s is None:
        return phrase("estimate_unknown", lang)
    if is_wide(low_s, high_s, estimated_wait_s):
        assert low_s is not None and high_s is not None
        low = max(1, math.floor(low_s / 60))
        high = max(low + 1, math.ceil(high_s / 60))
        return phrase("estimated_wait_range", lang, low=low, high=high)
    # Round up to whole minutes, at least 1: "about 0 minutes" reads as a promise nobody keeps.
    return phrase("estimated_wait", lang, minutes=max(1, math.ceil(estimated_wait_s / 60)))


def quoted_range(ticket: Ticket, estimated_wait_s: float | None) -> tuple[float | None, float | None]:
    """The ticket's quoted range, moved in proportion when its estimate is told again (a
    reprint, the status page) from the line as it is now."""
    low, high, at_issue = ticket.estimate_low_s, ticket.estimate_high_s, ticket.estimated_wait_s
    if low is None or high is None or estimated_wait_s is None:
        return None, None
    if at_issue is None or at_issue <= 0 or estimated_wait_s == at_issue:
        return low, high
    ratio = estimated_wait_s / at_issue
    return low * ratio, high * ratio


def mark_line(ticket: Ticket, lang: str, tz: ZoneInfo) -> str:
    """What the ticket says beside its service: priority, or the appointment's time."""
    if ticket.appointment_at is not None:
        return phrase("appointment_mark", lang, time=f"{datetime.fromtimestamp(ticket.appointment_at, tz):%H:%M}")
    return phrase("priority_mark", lang) if ticket.priority else ""


def make_ticket_doc(
    ticket: Ticket,
    config: KioskConfig,
    lang: str,
    base_url: str,
    ahead: int | None = None,
    estimated_wait_s: float | None = None,
) -> TicketDoc:
    tz = ZoneInfo(config.site.timezone)
    service = next(s for s in config.services if s.code == ticket.service)
    issued = datetime.fromtimestamp(ticket.issued_at, tz)
    ahead = ticket.ahead_at_issue if ahead is None else ahead
    est = ticket.estimated_wait_s if estimated_wait_s is None else estimated_wait_s
    return TicketDoc(
        site_name=config.site.name[lang],
        number=ticket.number,
        service_name=service.names[lang],
        issued_line=phrase("issued_at", lang, time=f"{issued:%Y-%m-%d %H:%M}"),
        ahead_line=phrase("ahead", lang, n=ahead),
        wait_line=wait_line(est, lang, *quoted_range(ticket, est)),
        status_url=status_url(base_url, ticket),
        scan_line=phrase("scan_status", lang),
        phrase_line=phrase("please_watch", lang),
        welcome_line=phrase("welcome", lang),
        language=lang,
        priority_line=mark_line(ticket, lang, tz),
    )


def sample_ticket(service: str, at: float, number: str = "A001", status_token: str = "print-test") -> Ticket:
    """A ticket as the kiosk would print it, for `kiosk print-test` and bench/ticket.py: three
    ahead, about eight minutes' wait."""
    from kiosk.domain import TicketState

    return Ticket(
        id=0,
        number=number,
        service=service,
        priority=False,
        state=TicketState.WAITING,
        business_day="",
        queue_time=at,
        issued_at=at,
        ahead_at_issue=3,
        estimated_wait_s=480,
        status_token=status_token,
    )
