"""The period's report, built once and read by every place that shows it: `kiosk report`,
the API's /api/v1/report, the manager view (locally and over the API) and its PDF. Its parts
come from kiosk/reports.py; this is where they are put together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.config import KioskConfig
from kiosk.reports import (
    Figures,
    LogFilter,
    contact_figures,
    contact_rows,
    estimate_accuracy,
    figures,
    figures_as_dicts,
    follow_up_figures,
    follow_up_rows,
    greeting_figures,
    greeting_rows,
    log_rows,
    phone_figures,
    staff_figures,
    visits_by_category,
)
from kiosk.store import Store


@dataclass(frozen=True)
class Report:
    filter: LogFilter
    rows: list[dict[str, Any]]  # the waiting-time log, oldest first
    total: Figures | None  # None: no tickets in the period
    groups: list[Figures]  # by the grouping asked for
    by_hour: list[Figures]  # for the chart of mean wait by hour
    greetings: dict[str, Any]  # the stand-and-greet figures
    follow_ups: dict[str, Any]  # the follow-ups and their reply rate
    categories: list[dict[str, Any]]  # visits by category, names in the report's language
    staff: list[dict[str, Any]]  # figures per person
    phones: dict[str, Any]  # phone alerts asked for, and no-shows with and without them
    contacts: dict[str, Any]  # calls, letters, e-mails, walk-ins: complaints and praise apart
    estimates: list[dict[str, Any]]  # how right the quoted waits were, per service and hour
    estimates_total: dict[str, Any]  # ... and over the whole period (empty: nothing quoted)

    def as_dict(self) -> dict[str, Any]:
        """The API's answer (ReportOut): the figures, not the log."""
        return {
            "total": figures_as_dicts([self.total])[0] if self.total else None,
            "groups": figures_as_dicts(self.groups),
            "greetings": self.greetings,
            "categories": self.categories,
            "follow_ups": self.follow_ups,
            "staff": self.staff,
            "phones": self.phones,
            "contacts": self.contacts,
            "estimates": self.estimates,
            "estimates_total": self.estimates_total,
        }


def report_from(
    rows: list[dict[str, Any]],
    greetings: dict[str, Any],
    follow_ups: dict[str, Any],
    config: KioskConfig,
    f: LogFilter,
    by: Sequence[str] = ("service",),
    lang: str | None = None,
    contacts: dict[str, Any] | None = None,
) -> Report:
    """The report from the log and the figures read beside it (here, or by a server that was
    asked). ValueError for a grouping that does not exist."""
    total = figures(rows)
    return Report(
        filter=f,
        rows=rows,
        total=total[0] if total else None,
        groups=figures(rows, by),
        by_hour=figures(rows, ["hour"]),
        greetings=greetings,
        follow_ups=follow_ups,
        categories=visits_by_category(rows, config, lang or config.site.language),
        staff=staff_figures(rows),
        phones=phone_figures(rows),
        contacts=contacts if contacts is not None else contact_figures([], config),
        estimates=estimate_accuracy(rows, ["service", "hour"]),
        estimates_total=(estimate_accuracy(rows) or [{}])[0],
    )


def read_report(
    store: Store,
    config: KioskConfig,
    f: LogFilter,
    now: float,
    by: Sequence[str] = ("service",),
    lang: str | None = None,
) -> Report:
    """The report of the period in `f`, read from the store."""
    rows = log_rows(store, config, f, lang)
    greetings = greeting_figures(greeting_rows(store, config, f), rows, config.presence.greet_target_s)
    follow_ups = follow_up_figures(follow_up_rows(store, config, f), now)
    contacts = contact_figures(contact_rows(store, config, f), config)
    return report_from(rows, greetings, follow_ups, config, f, by, lang, contacts)
