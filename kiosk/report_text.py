"""The report's figures as a manager reads them, for every view of it (the Qt manager view, the
web manager view, the PDF): which figures, in which order, as text with their units. Labels
stay in English (the staff translations' source texts); each view translates them with its own
`t`, and units go through that `t` too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import KioskConfig
from kiosk.report import Report

T = Callable[[str], str]
LOG_COLUMNS = (
    ("number", "Number"),
    ("service_name", "Service"),
    ("issued_at", "Issued"),
    ("first_called_at", "Called"),
    ("finished_at", "Finished"),
    ("wait_min", "Wait (min)"),
    ("owner_counter", "Counter"),
    ("state", "State"),
    ("category_name", "Category"),
    ("finished_by", "Served by"),
    ("reprints", "Reprints"),
)
REPLY_METHODS = (("phone", "by phone"), ("visit", "in person"), ("letter", "by letter"), ("email", "by e-mail"))


def _min(value: float | None, t: T) -> str:
    return "–" if value is None else f"{value} {t('min')}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value} %"


def alerted_vs_not(phones: dict[str, Any]) -> str:
    """The no-show rate of customers who asked their phone to alert them, then of the others."""
    return " / ".join(pct(phones.get(k)) for k in ("no_show_pct_alerted", "no_show_pct_not_alerted"))


def figure_cells(report: Report, t: T) -> list[tuple[str, str]]:
    """The period's figures as (English label, value as text)."""
    tot, fu, ph = report.total, report.follow_ups, report.phones
    return [
        ("Tickets", str(tot.tickets if tot else 0)),
        ("Mean wait", _min(tot.mean_wait_min if tot else None, t)),
        ("Median wait", _min(tot.median_wait_min if tot else None, t)),
        ("90% waited less than", _min(tot.p90_wait_min if tot else None, t)),
        ("Called within target", pct(tot.within_target_pct if tot else None)),
        ("Mean service time", _min(tot.mean_service_min if tot else None, t)),
        ("No-shows", str(tot.no_shows if tot else 0)),
        ("Transfers", str(tot.transfers if tot else 0)),
        ("Still open", str(tot.still_open if tot else 0)),
        ("Follow-ups", str(fu.get("follow_ups", 0))),
        ("Replied in time", str(fu.get("replied_within_target", 0))),
        ("Overdue", str(fu.get("overdue", 0))),
        ("Reply rate", pct(fu.get("reply_rate_pct"))),
        ("Complaints", str(fu.get("complaints", 0))),
        ("Phone alerts", str(ph.get("alerted", 0))),
        ("No-shows: alerted / not", alerted_vs_not(ph)),
        ("Estimates: mean error", _min(report.estimates_total.get("mean_error_min"), t)),
        ("Waits inside the quoted range", pct(report.estimates_total.get("inside_range_pct"))),
    ]


def greeting_cells(report: Report, t: T) -> list[tuple[str, str]]:
    """The stand-and-greet figures as (English label, value as text)."""
    g = report.greetings
    return [
        ("Arrivals", str(g.get("arrivals", 0))),
        ("Median time to greet", "–" if g.get("median_greet_s") is None else f"{g['median_greet_s']} {t('s')}"),
        ("Greeted within target", pct(g.get("within_target_pct"))),
        ("Not greeted", str(g.get("unconfirmed", 0))),
        ("Left without a ticket", str(g.get("arrivals_without_ticket", 0))),
    ]


def target_of(config: KioskConfig, service: str | None) -> float | None:
    """The chart's target line: the shortest target wait of the services shown."""
    targets = [s.target_wait_minutes for s in config.services if service in (None, s.code)]
    return min(targets) if targets else None
