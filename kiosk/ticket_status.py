"""What a customer's phone says about their ticket: each state told as the customer needs it
(how many ahead and where they will be served; nearly your turn; go to this counter, and where
it is; being served; thank you, and when a promised reply is due; missed, and that staff can
bring them back today; moved to another service; a ticket of a day that is over), in the
language they choose. One snapshot of the hall serves every phone watching: the status stream
builds it once per change, not once per phone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from kiosk.domain import LANGUAGES, CounterState, CounterStatus, Ticket, TicketState
from kiosk.engine import Engine, ServiceStatus
from kiosk.phrases import phrase, when_words
from kiosk.ticket_doc import quoted_range, wait_line

LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}


@dataclass(frozen=True)
class HallSnapshot:
    """The hall as the phones need it, read at one moment."""

    now: datetime  # local time at the site
    tickets: dict[str, tuple[Ticket, float | None]]  # token -> (ticket, when it asked for alerts)
    ahead: dict[int, int]  # waiting ticket id -> people ahead of it
    services: dict[str, ServiceStatus]
    counters: list[CounterStatus]
    reply_due: dict[int, float]  # ticket id -> when the promised reply is due
    texting: dict[int, str]  # ticket id -> the number it will be texted at, masked
    served_by: dict[tuple[str, str], list[str]] = field(
        default_factory=dict
    )  # (service, lang) -> counters, filled as read


def snapshot(engine: Engine, tokens: list[str]) -> HallSnapshot:
    """Read what the phones watching these tokens need: a few reads, however many phones."""
    tickets = engine.tickets_by_tokens(tokens)
    mine = [t for t, _ in tickets.values()]
    waiting_days = {t.business_day for t in mine if t.state == TicketState.WAITING}
    ahead: dict[int, int] = {}
    if waiting_days:
        line = engine.waiting_tickets(None, limit=100_000)
        ahead = _places(line, {t.id for t in mine})
    finished = [t.id for t in mine if t.state == TicketState.FINISHED and t.outcome == "follow_up"]
    return HallSnapshot(
        now=engine.local(engine.clock.now()),
        tickets=tickets,
        ahead=ahead,
        services={s.code: s for s in engine.services_status()},
        counters=engine.counters(),
        reply_due=engine.follow_up_due(finished),
        texting=engine.texting([t.id for t in mine if t.state.is_open]) if engine.config.sms.modem else {},
    )


def _places(line: list[Ticket], wanted: set[int]) -> dict[int, int]:
    """People ahead of each wanted ticket, as the engine counts them (kiosk.engine.waiting):
    everyone of its service and day earlier in line; a priority ticket counts only the priority
    tickets before it."""
    seen: dict[tuple[str, str], int] = {}
    seen_priority: dict[tuple[str, str], int] = {}
    out = {}
    for t in line:  # in order of place in line
        key = (t.service, t.business_day)
        if t.id in wanted:
            out[t.id] = seen_priority.get(key, 0) if t.priority else seen.get(key, 0)
        seen[key] = seen.get(key, 0) + 1
        if t.priority:
            seen_priority[key] = seen_priority.get(key, 0) + 1
    return out


def language_of(t: Ticket, asked: str | None, site_language: str) -> str:
    """The language the page speaks: the one asked for, else the ticket's own, else the site's."""
    for lang in (asked, t.language, site_language):
        if lang in LANGUAGES:
            return str(lang)
    return "zh-Hant"


def view(engine: Engine, token: str, lang: str, snap: HallSnapshot) -> dict[str, Any] | None:
    """The page's content for one ticket in `lang` (None: no such ticket)."""
    found = snap.tickets.get(token)
    if found is None:
        return None
    t, alerts_at = found
    config = engine.config
    svc = next(s for s in config.services if s.code == t.service)
    today = snap.now.date().isoformat()
    alert_ahead = config.phone.alert_ahead
    state = t.state.value
    lines: list[str] = []
    ahead = minutes = None
    counter = where = ""
    alert = ""  # what the phone should ring for, if its customer asked: "near" or "called"
    if t.state == TicketState.WAITING and t.business_day != today:
        state, headline = "day_over", phrase("phone_day_over", lang)
        lines.append(phrase("phone_ticket_of", lang, date=_date_words(t.business_day, lang)))
    elif t.state == TicketState.WAITING:
        ahead = snap.ahead.get(t.id, 0)
        minutes = _minutes(snap.services.get(t.service), ahead)
        near = ahead <= alert_ahead
        if ahead == 0:
            headline = phrase("phone_you_are_next", lang)
        else:
            headline = phrase("ahead", lang, n=ahead)
        if near:
            state, alert = "near", "near"
            lines.append(phrase("phone_near", lang))
        if minutes is not None:
            lines.append(wait_line(minutes * 60, lang, *quoted_range(t, minutes * 60)))
        names = snap.served_by.get((t.service, lang))
        if names is None:  # once per service and language, not once per phone
            names = [config.counter_name(c.id, lang) for c in snap.counters if _serves_now(c, t.service)]
            snap.served_by[(t.service, lang)] = names
        lines.append(
            phrase("phone_served_at", lang, counters=_join(names, lang)) if names else phrase("phone_no_counter", lang)
        )
        if t.transfers and t.service != t.original_service:
            state = "moved" if not near else state
            lines.insert(0, phrase("phone_moved", lang, service=svc.names[lang]))
    elif t.state in (TicketState.CALLED, TicketState.SERVING) and t.counter_id is not None:
        counter = config.counter_name(t.counter_id, lang)
        where = next((c.where_in(lang) for c in config.counters if c.id == t.counter_id), "")
        if t.state == TicketState.CALLED:
            headline, alert = phrase("phone_go_to", lang, counter=counter), "called"
            lines.append(phrase("phone_its_your_turn", lang))
        else:
            headline = phrase("phone_serving", lang, counter=counter)
        if where:
            lines.append(where)
    elif t.state == TicketState.NO_SHOW:
        headline = phrase("phone_no_show", lang)
        if t.business_day == today:
            lines.append(phrase("phone_come_back_today", lang))
        else:
            lines.append(phrase("phone_ticket_of", lang, date=_date_words(t.business_day, lang)))
    else:  # finished
        headline = phrase("phone_finished", lang)
        due = snap.reply_due.get(t.id)
        if due is not None:
            lines.append(phrase("phone_reply_by", lang, when=when_words(engine.local(due), snap.now, lang)))
    return {
        "number": t.number,
        "lang": lang,
        "state": state,
        "headline": headline,
        "lines": lines,
        "ahead": ahead,
        "estimated_minutes": minutes,
        "counter": counter,
        "where": where,
        "alert": alert,
        "alerts_on": alerts_at is not None,
        "open": t.state.is_open and t.business_day == today,
        "can_alert": ahead is not None,  # still waiting today: something to be alerted for
        "texts": bool(config.sms.modem) and ahead is not None,  # a text message may be asked for
        "texting": snap.texting.get(t.id, ""),
        "service": svc.names[lang],
        "site": config.site.name[lang],
        "updated": f"{snap.now:%H:%M}",
        "words": _words(lang, alert_ahead),  # shared, never changed
    }


def _serves_now(c: CounterStatus, service: str) -> bool:
    return c.state == CounterState.OPEN and service in c.services


def _minutes(s: ServiceStatus | None, ahead: int) -> int | None:
    """This ticket's estimated wait: the service's estimate for the whole line, in proportion,
    so it only ever shrinks as the line moves. None for the next in line ("You are next" says it)."""
    if s is None or s.estimated_wait_s is None or not s.waiting or ahead <= 0:
        return None
    return max(1, round(s.estimated_wait_s * ahead / s.waiting / 60))


def _join(names: list[str], lang: str) -> str:
    return ("、" if lang != "en" else ", ").join(names)


def _date_words(day: str, lang: str) -> str:
    d = datetime.fromisoformat(day)
    return f"{d.day}/{d.month}" if lang == "en" else f"{d.month}月{d.day}日"


@lru_cache(maxsize=64)
def _words(lang: str, alert_ahead: int) -> dict[str, str]:
    """The page's own labels in `lang`: the page holds no text of its own, so it speaks the
    ticket's language from its first paint."""
    return {
        "title": phrase("phone_title", lang),
        "alert_me": phrase("phone_alert_me", lang),
        "alert_how": phrase("phone_alert_how", lang, n=alert_ahead),
        "alerts_on": phrase("phone_alerts_on", lang),
        "live": phrase("phone_live", lang),
        "reconnecting": phrase("phone_reconnecting", lang),
        "ok": phrase("phone_ok", lang),
        "language": phrase("phone_language", lang),
        "your_number": phrase("your_number", lang),
        "text_me": phrase("phone_text_me", lang),
        "text_number": phrase("phone_text_number", lang),
        "text_how": phrase("phone_text_how", lang, n=alert_ahead),
        "text_to": phrase("phone_text_to", lang, to="{to}"),
        "text_bad": phrase("phone_text_bad", lang),
    }
