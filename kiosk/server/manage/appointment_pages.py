"""The manager's appointments in the browser: a day's bookings (who, when, which service, how
it went), one added by hand (a booking taken on the phone), one moved or cancelled. A file of
bookings goes in with `kiosk appointments import` or the API; this page is for the few by hand.
The same session, CSRF and refusal texts as the other /manage pages (pages.py)."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import re
import uuid
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kiosk.engine import QueueError
from kiosk.engine.appointments import Booking
from kiosk.server.api import EngineDep
from kiosk.server.manage.pages import Csrf, acting, back_to, lang_of, page, refused, signed_in, today_of
from kiosk.server.manage.texts import translator
from kiosk.server.manage.web_auth import PATH

router = APIRouter(prefix=PATH, include_in_schema=False)
STATE_WORDS = {
    "booked": "Booked",
    "checked_in": "Checked in",
    "late": "Late",
    "missed": "Did not come",  # shown, not stored: booked, and its check-in window has passed
    "cancelled": "Cancelled",
}
HERE = f"{PATH}/appointments"


def _day(asked: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(asked) if asked and re.fullmatch(r"\d{4}-\d{2}-\d{2}", asked) else fallback
    except ValueError:
        return fallback


@router.get("/appointments", response_class=HTMLResponse)
def appointments_page(request: Request, engine: EngineDep) -> Response:
    session = signed_in(engine, request)
    lang = lang_of(request, engine)
    t = translator(lang)
    day = _day(request.query_params.get("day"), today_of(engine))
    names = {s.code: s.names[lang] for s in engine.config.services}
    rows: list[dict[str, Any]] = []
    now = engine.clock.now()
    for a in engine.appointments_of(day.isoformat()):
        # a booking stays "booked" in the store until someone tries to check in: nobody came
        state = "missed" if a["state"] == "booked" and now > a["check_in_until"] else a["state"]
        rows.append(
            {
                **a,
                "state": state,
                "time": f"{engine.local(a['at']):%H:%M}",
                "service_name": names.get(a["service"], a["service"]),
                "state_words": t(STATE_WORDS.get(state, state)),
                "ticket": a["ticket_number"] or "",
                "open": state in ("booked", "late", "missed"),  # a missed one may be moved when they call
            }
        )
    return page(
        request,
        engine,
        session,
        "appointments.html",
        title=t("Appointments"),
        day=day.isoformat(),
        rows=rows,
        services=list(names.items()),
        counts={w: sum(r["state"] == s for r in rows) for s, w in STATE_WORDS.items()},
    )


def _page_of(day: str) -> str:
    """Back to the day the form was about (an address of its own only for a well-formed date)."""
    return f"{HERE}?day={day if re.fullmatch(r'[0-9]{4}-[0-9]{2}-[0-9]{2}', day) else ''}"


def _when(engine: Any, day: str, at: str) -> float | None:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(at), engine.tz).timestamp()
    except ValueError:
        return None


@router.post("/appointments/add")
def add(
    request: Request,
    engine: EngineDep,
    service: Annotated[str, Form(max_length=64)],
    day: Annotated[str, Form(max_length=10)],
    at: Annotated[str, Form(max_length=5)],
    name: Annotated[str, Form(max_length=80)] = "",
    phone: Annotated[str, Form(max_length=32)] = "",
    csrf: Csrf = None,
) -> Response:
    acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    where = _page_of(day)
    when = _when(engine, day, at)
    if when is None:
        return back_to(where, t("Give the date and time, e.g. 2026-12-07 10:30"))
    try:
        [added] = engine.book(
            [Booking(service, when, None, name.strip() or None, phone.strip() or None)],
            source="manager",
            key=f"web-book-{uuid.uuid4()}",
        )
    except QueueError as e:
        return back_to(where, refused(e, request, engine))
    return back_to(where, f"{t('Booking added')}: {added['ref']} {at}")


@router.post("/appointments/{appointment_id}/move")
def move(
    request: Request,
    engine: EngineDep,
    appointment_id: int,
    day: Annotated[str, Form(max_length=10)],
    at: Annotated[str, Form(max_length=5)],
    csrf: Csrf = None,
) -> Response:
    acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    when = _when(engine, day, at)
    where = _page_of(day)
    if when is None:
        return back_to(where, t("Give the date and time, e.g. 2026-12-07 10:30"))
    try:
        moved = engine.change_appointment(appointment_id, at=when, key=f"web-move-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(where, refused(e, request, engine))
    return back_to(where, f"{t('Booking moved')}: {moved['ref']} {at}")


@router.post("/appointments/{appointment_id}/cancel")
def cancel(
    request: Request,
    engine: EngineDep,
    appointment_id: int,
    day: Annotated[str, Form(max_length=10)] = "",
    csrf: Csrf = None,
) -> Response:
    acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    where = _page_of(day)
    try:
        gone = engine.change_appointment(appointment_id, cancel=True, key=f"web-cancel-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(where, refused(e, request, engine))
    return back_to(where, f"{t('Booking cancelled')}: {gone['ref']}")
