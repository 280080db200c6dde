"""The customer's side: the services and their waits, taking a ticket, a ticket by id or number,
and a reprint (the phone's status page: phone_routes)."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Body as BodyParam
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from kiosk.config import Language
from kiosk.engine import Engine
from kiosk.server.api import (
    Body,
    EngineDep,
    IdemKey,
    Number,
    Reader,
    ServiceOut,
    TicketAnswer,
    TicketId,
    documented,
    role,
    ticket_json,
    tokens_of,
)
from kiosk.server.auth import Caller, require, scoped
from kiosk.server.wire import iso, out_dict


class IssueRequest(Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]
    priority: bool = False
    language: Language | None = None  # the customer's, for reprints


class ReprintRequest(Body):
    kiosk: Annotated[str | None, Field(min_length=1, max_length=64)] = None  # default: the kiosk that issued it


router = APIRouter(tags=["customer"])
CanReprint = Annotated[Caller, Depends(role("kiosk", "counter", "manager"))]


@router.get("/api/v1/services", responses={200: {"model": list[ServiceOut], "description": "every service, its wait"}})
def services(engine: EngineDep, _caller: Reader) -> list[dict[str, Any]]:
    return [
        out_dict(
            {
                "code": s.code,
                "prefix": s.prefix,
                "names": s.names,
                "open_now": s.open_now,
                "waiting": s.waiting,
                "estimated_wait_s": s.estimated_wait_s,
                "next_open": s.next_open,
                "target_wait_s": s.target_wait_s,
            },
            engine.tz,
        )
        for s in engine.services_status()
    ]


@router.post(
    "/api/v1/tickets",
    status_code=201,
    response_model=None,
    responses={
        201: {"model": TicketAnswer, "description": "the ticket, how many are ahead, the estimated wait"},
        409: {"description": "closed: no new tickets now"},
        429: {"description": "too many"},
    },
)
def issue(engine: EngineDep, request: Request, body: IssueRequest, idempotency_key: IdemKey = None) -> Response:
    caller = require(tokens_of(request), request, *ISSUERS)  # inline: the hot path (see api.role)
    status, answer = issued(engine, caller, body, idempotency_key)
    return JSONResponse(answer, status)  # already JSON-safe: without FastAPI's generic encoder (hot path)


ISSUERS = ("kiosk", "manager")


def issued(engine: Engine, caller: Caller, asked: IssueRequest, key: str | None) -> tuple[int, dict[str, Any]]:
    """A ticket taken, and its answer: 201 with the ticket, or 409 when the hall is closed. This
    route's and the lean route's (kiosk/server/hot_routes.py) one way to issue."""
    kiosk = caller.role == "kiosk"
    res = engine.issue(
        asked.service,
        asked.priority,
        key=scoped(caller, key),
        kiosk=caller.name if kiosk else None,
        language=asked.language,
        per_minute=engine.config.server.kiosk_tickets_per_minute if kiosk else None,
    )
    if res.ticket is None:
        return 409, {"detail": res.message, "reason": res.refused, "next_open": iso(res.next_open, engine.tz)}
    return 201, {
        "ticket": ticket_json(engine, res.ticket),
        "ahead": res.ahead,
        "estimated_wait_s": res.estimated_wait_s,
    }


@router.get("/api/v1/tickets/{ticket_id}", responses=documented(TicketAnswer))
def get_ticket(engine: EngineDep, ticket_id: TicketId, _caller: Reader) -> dict[str, Any]:
    t = engine.ticket(ticket_id)
    return {"ticket": ticket_json(engine, t), "ahead": engine.position(t)}


@router.get(
    "/api/v1/tickets/by-number/{number}",
    responses={**documented(TicketAnswer), 404: {"description": "no such ticket today"}},
)
def ticket_by_number(engine: EngineDep, number: Number, _caller: CanReprint) -> dict[str, Any]:
    """Today's ticket with this number (e.g. A012), as staff read it off a ticket or the display."""
    t = engine.ticket_by_number(number)
    return {"ticket": ticket_json(engine, t), "ahead": engine.position(t)}


@router.post(
    "/api/v1/tickets/{ticket_id}/reprint",
    responses={
        **documented(TicketAnswer),
        404: {"description": "no such ticket"},
        409: {"description": "the ticket is no longer in line, or no kiosk is known to print it"},
        429: {"description": "a kiosk asked for this ticket again too soon; see Retry-After"},
    },
)
def reprint(
    engine: EngineDep,
    ticket_id: TicketId,
    caller: CanReprint,
    body: Annotated[ReprintRequest | None, BodyParam()] = None,
    idempotency_key: IdemKey = None,
) -> dict[str, Any]:
    """Print a ticket again on the kiosk that issued it (or the one named). Its place in line
    does not change. The kiosk hears the request on the event stream."""
    t = engine.reprint_here(
        ticket_id,
        by=caller.name,
        kiosk=body.kiosk if body else None,
        key=scoped(caller, idempotency_key),
        as_kiosk=caller.role == "kiosk",
    )
    return {"ticket": ticket_json(engine, t.ticket), "ahead": t.ahead, "estimated_wait_s": t.estimated_wait_s}
