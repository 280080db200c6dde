"""A counter's buttons: call next, recall, start, no-show, transfer, pause, resume. The end of a
visit, missed calls and staff are in reception.py. A counter's token acts for its own counter
only; a manager's for any."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from kiosk.engine import Engine
from kiosk.engine.rows import _status_dict
from kiosk.server.api import (
    READABLE,
    STAFF_ROLES,
    AtCounter,
    Body,
    CounterId,
    CounterOut,
    EngineDep,
    IdemKey,
    TicketAnswer,
    counter_exists,
    documented,
    ticket_json,
    tokens_of,
)
from kiosk.server.auth import Caller, require, scoped
from kiosk.server.wire import out_dict


class TransferRequest(Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]


class PauseRequest(Body):
    reason: Annotated[str, Field(min_length=1, max_length=200, pattern=READABLE)]
    until: datetime | None = None  # ISO 8601 with offset
    minutes: Annotated[int | None, Field(ge=1, le=480)] = None


router = APIRouter(prefix="/api/v1/counters/{counter_id}", tags=["counter"])


@router.post(
    "/call-next",
    response_model=None,
    responses={**documented(TicketAnswer), 204: {"description": "nobody is waiting for this counter"}},
)
def call_next(engine: EngineDep, request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> Response:
    counter_exists(engine, counter_id)
    caller = require(
        tokens_of(request), request, *STAFF_ROLES, counter=counter_id
    )  # inline: the hot path (see api.role)
    status, answer = called_next(engine, caller, counter_id, idempotency_key)
    return Response(status_code=status) if answer is None else JSONResponse(answer, status)


def called_next(engine: Engine, caller: Caller, counter_id: int, key: str | None) -> tuple[int, dict[str, Any] | None]:
    """The next customer called, and the answer: 200 with the ticket, or 204 when nobody waits.
    This route's and the lean route's (kiosk/server/hot_routes.py) one way to call."""
    t = engine.call_next(counter_id, key=scoped(caller, key))
    return (204, None) if t is None else (200, {"ticket": ticket_json(engine, t)})


def _press(action: str) -> Callable[..., dict[str, Any]]:
    def endpoint(
        engine: EngineDep, counter_id: CounterId, caller: AtCounter, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        done = getattr(engine, action)(counter_id, key=scoped(caller, idempotency_key))
        return {"ticket": ticket_json(engine, done)}

    endpoint.__name__ = action
    return endpoint


for path, action in (("recall", "recall"), ("start", "start"), ("no-show", "no_show")):
    router.post(f"/{path}", name=action, responses=documented(TicketAnswer))(_press(action))


@router.post("/transfer", responses=documented(TicketAnswer))
def transfer(
    engine: EngineDep, counter_id: CounterId, body: TransferRequest, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    t = engine.transfer(counter_id, body.service, key=scoped(caller, idempotency_key))
    return {"ticket": ticket_json(engine, t)}


@router.post("/pause", responses=documented(CounterOut))
def pause(
    engine: EngineDep, counter_id: CounterId, body: PauseRequest, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    now = engine.clock.now()
    until = body.until.timestamp() if body.until else (now + body.minutes * 60 if body.minutes else None)
    if body.until is not None and body.until.tzinfo is None:
        raise HTTPException(422, "until needs a time zone offset, e.g. 2026-11-25T12:45:00+08:00")
    status = engine.pause(counter_id, body.reason, until, key=scoped(caller, idempotency_key))
    return out_dict(_status_dict(status), engine.tz)


@router.post("/resume", responses=documented(CounterOut))
def resume(
    engine: EngineDep, counter_id: CounterId, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    return out_dict(_status_dict(engine.resume(counter_id, key=scoped(caller, idempotency_key))), engine.tz)
