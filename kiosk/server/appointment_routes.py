"""Booked appointments over the API: a manager adds (all or none), lists, moves and cancels
bookings; a kiosk checks one in by its reference, a counter by the booking found by name.
A kiosk's answer never carries the name or phone; staff's lists do."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BeforeValidator, Field

from kiosk.config import Language
from kiosk.engine.appointments import Booking
from kiosk.server.api import (
    READABLE,
    Body,
    EngineDep,
    IdemKey,
    Manager,
    TicketAnswer,
    _Open,
    documented,
    role,
    ticket_json,
)
from kiosk.server.auth import Caller, scoped
from kiosk.server.manager_routes import iso_day
from kiosk.server.wire import iso, out, out_dict

router = APIRouter(tags=["appointments"])
Staff = Annotated[Caller, Depends(role("counter", "manager"))]
CanCheckIn = Annotated[Caller, Depends(role("kiosk", "counter", "manager"))]
REF_PATTERN = r"^[A-Za-z0-9 :=-]{1,40}$"  # as typed, scanned or read from a QR code (kiosk/engine/appointments.py)


class BookingIn(Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]
    at: AwareDatetime  # ISO 8601 with its offset, e.g. 2026-12-07T10:30:00+08:00
    ref: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9-]{4,20}$")] = None  # none: six digits are made
    name: Annotated[str | None, Field(max_length=80, pattern=READABLE)] = None
    phone: Annotated[str | None, Field(pattern=r"^\+?[0-9 ()-]{3,32}$")] = None


class BookingsIn(Body):
    # at most 50 a request, so the largest body stays under the server's 64 KiB limit; a day's
    # file goes all or none through `kiosk appointments import` (or in several requests)
    bookings: Annotated[list[BookingIn], Field(min_length=1, max_length=50)]


class BookingChange(Body):
    at: AwareDatetime | None = None
    service: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    cancel: bool = False


class AppointmentOut(_Open):
    """A booking as staff see it; times ISO 8601 with the site's offset."""

    id: int
    ref: str
    service: str
    at: str
    business_day: str
    state: str  # booked | checked_in | late | cancelled
    name: str | None = None
    phone: str | None = None
    ticket_id: int | None = None  # the ticket it became, checked in
    ticket_number: str | None = None  # ... and its number (in a day's list)
    check_in_until: str | None = None  # after this a check-in is refused as late


class AppointmentsAdded(_Open):
    added: list[AppointmentOut]


class AppointmentsOfDay(_Open):
    business_day: str
    appointments: list[AppointmentOut]


class AppointmentChanged(_Open):
    appointment: AppointmentOut


class CheckInByRef(Body):
    """A kiosk (or staff) checks in the booking with this reference."""

    ref: Annotated[str, Field(pattern=REF_PATTERN)]
    language: Language | None = None


class CheckInById(Body):
    """Staff check in the booking they found by name (GET /api/v1/appointments?name=)."""

    appointment_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    language: Language | None = None


@router.post(
    "/api/v1/appointments/add",
    status_code=201,
    responses={201: {"model": AppointmentsAdded, "description": "every booking, added"}},
)
def add_bookings(engine: EngineDep, body: BookingsIn, caller: Manager, idempotency_key: IdemKey = None) -> Any:
    """Add bookings: every one, or none (409): each bad one named (`params.problems`), or the
    references already booked."""
    bookings = [Booking(b.service, b.at.timestamp(), b.ref, b.name, b.phone) for b in body.bookings]
    added = engine.book(bookings, source="api", key=scoped(caller, idempotency_key))
    return {"added": out(added, engine.tz)}


@router.get("/api/v1/appointments", responses=documented(AppointmentsOfDay))
def list_bookings(
    engine: EngineDep,
    _caller: Staff,
    day: Annotated[date | None, BeforeValidator(iso_day), Query(description="YYYY-MM-DD (default: today)")] = None,
    name: Annotated[str | None, Query(max_length=80, pattern=r"^[^\x00]*$")] = None,
) -> Any:
    """A day's bookings by time, with name and phone (staff only); `name` narrows to those
    whose name contains it, as a counter looks someone up."""
    asked = (day or engine.local(engine.clock.now()).date()).isoformat()
    return {"business_day": asked, "appointments": out(engine.appointments_of(asked, name), engine.tz)}


@router.post("/api/v1/appointments/{appointment_id}/change", responses=documented(AppointmentChanged))
def change_booking(
    engine: EngineDep,
    appointment_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: BookingChange,
    caller: Manager,
    idempotency_key: IdemKey = None,
) -> Any:
    """Move a booking (time, service) or cancel it."""
    changed = engine.change_appointment(
        appointment_id,
        at=body.at.timestamp() if body.at else None,
        service=body.service,
        cancel=body.cancel,
        key=scoped(caller, idempotency_key),
    )
    return {"appointment": out_dict(changed, engine.tz)}


@router.post(
    "/api/v1/check-in",
    status_code=201,
    response_model=None,
    responses={
        201: {"model": TicketAnswer, "description": "checked in: the ticket (its place is the booked time)"},
        200: {"model": TicketAnswer, "description": "checked in before: the same ticket, nothing new to print"},
        404: {"description": "no booking with that reference"},
        409: {"description": "too early (next_open: when check-in opens), too late, cancelled, another day"},
    },
)
def check_in(
    engine: EngineDep,
    body: CheckInByRef | CheckInById,
    caller: CanCheckIn,
    idempotency_key: IdemKey = None,
) -> Response:
    by_id = isinstance(body, CheckInById)
    if by_id and caller.role == "kiosk":
        raise HTTPException(403, "a kiosk checks in by reference; a booking by id is checked in by staff")
    kiosk = caller.role == "kiosk"
    done = engine.check_in(
        ref=body.ref if isinstance(body, CheckInByRef) else None,
        appointment_id=body.appointment_id if isinstance(body, CheckInById) else None,
        kiosk=caller.name if kiosk else None,
        language=body.language,
        key=scoped(caller, idempotency_key),
    )
    r = done.result
    shown = out_dict(done.appointment, engine.tz) if done.appointment else None
    if r.ticket is None:
        status = 404 if r.refused == "not_found" else 409
        body_out = {"detail": r.message, "reason": r.refused, "next_open": iso(r.next_open, engine.tz)}
        return JSONResponse({**body_out, "appointment": shown}, status)
    answer = {"ticket": ticket_json(engine, r.ticket), "ahead": r.ahead, "estimated_wait_s": r.estimated_wait_s}
    return JSONResponse({**answer, "appointment": shown, "again": done.again}, 200 if done.again else 201)
