"""What goes on a ticket, in the customer's language. Pure: ticket in, TicketDoc out."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.config import KioskConfig
from kiosk.devices import TicketDoc
from kiosk.domain import Ticket
from kiosk.phrases import phrase


def status_url(base_url: str, ticket: Ticket) -> str:
    """The QR code's target: the ticket's unguessable status page (no personal data in it)."""
    return f"{base_url.rstrip('/')}/t/{ticket.status_token}"


def wait_line(estimated_wait_s: float | None, lang: str) -> str:
    if estimated_wait_s is None:
        return phrase("estimate_unknown", lang)
    # Round up to whole minutes, at least 1: "about 0 minutes" reads as a promise nobody keeps.
    return phrase("estimated_wait", lang, minutes=max(1, math.ceil(estimated_wait_s / 60)))


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
        wait_line=wait_line(est, lang),
        status_url=status_url(base_url, ticket),
        scan_line=phrase("scan_status", lang),
        phrase_line=phrase("please_watch", lang),
        welcome_line=phrase("welcome", lang),
        language=lang,
        priority_line=phrase("priority_mark", lang) if ticket.priority else "",
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
