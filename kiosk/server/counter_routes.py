"""A counter's buttons: call next, recall, start, no-show, transfer, pause, resume. The end of a
visit, missed calls and staff are in reception.py. A counter's token acts for its own counter
only; a manager's for any."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition,
# where the role aliases (local to each router) are in scope

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from kiosk.engine.rows import _status_dict
from kiosk.server.api import READABLE, STAFF_ROLES, Api, Body, CounterId, CounterOut, IdemKey, TicketAnswer, documented
from kiosk.server.auth import Caller, scoped
from kiosk.server.wire import out_dict


class TransferRequest(Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]


class PauseRequest(Body):
    reason: Annotated[str, Field(min_length=1, max_length=200, pattern=READABLE)]
    until: datetime | None = None  # ISO 8601 with offset
    minutes: Annotated[int | None, Field(ge=1, le=480)] = None


def counter_routes(api: Api) -> APIRouter:
    router = APIRouter(prefix="/api/v1/counters/{counter_id}", tags=["counter"])
    engine, tz = api.engine, api.tz
    Staff = Annotated[Caller, Depends(api.at_counter())]

    @router.post(
        "/call-next",
        response_model=None,
        responses={**documented(TicketAnswer), 204: {"description": "nobody is waiting for this counter"}},
    )
    def call_next(request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> Response:
        api.counter_exists(counter_id)
        caller = api.caller(request, *STAFF_ROLES, counter=counter_id)  # inline: the hot path (see Api.caller)
        t = engine.call_next(counter_id, key=scoped(caller, idempotency_key))
        return Response(status_code=204) if t is None else JSONResponse({"ticket": api.ticket_json(t)})

    def _press(action: str) -> Callable[..., dict[str, Any]]:
        def endpoint(counter_id: CounterId, caller: Staff, idempotency_key: IdemKey = None) -> dict[str, Any]:
            done = getattr(engine, action)(counter_id, key=scoped(caller, idempotency_key))
            return {"ticket": api.ticket_json(done)}

        endpoint.__name__ = action
        return endpoint

    for path, action in (("recall", "recall"), ("start", "start"), ("no-show", "no_show")):
        router.post(f"/{path}", name=action, responses=documented(TicketAnswer))(_press(action))

    @router.post("/transfer", responses=documented(TicketAnswer))
    def transfer(
        counter_id: CounterId, body: TransferRequest, caller: Staff, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        t = engine.transfer(counter_id, body.service, key=scoped(caller, idempotency_key))
        return {"ticket": api.ticket_json(t)}

    @router.post("/pause", responses=documented(CounterOut))
    def pause(
        counter_id: CounterId, body: PauseRequest, caller: Staff, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        now = engine.clock.now()
        until = body.until.timestamp() if body.until else (now + body.minutes * 60 if body.minutes else None)
        if body.until is not None and body.until.tzinfo is None:
            raise HTTPException(422, "until needs a time zone offset, e.g. 2026-11-25T12:45:00+08:00")
        status = engine.pause(counter_id, body.reason, until, key=scoped(caller, idempotency_key))
        return out_dict(_status_dict(status), tz)

    @router.post("/resume", responses=documented(CounterOut))
    def resume(counter_id: CounterId, caller: Staff, idempotency_key: IdemKey = None) -> dict[str, Any]:
        return out_dict(_status_dict(engine.resume(counter_id, key=scoped(caller, idempotency_key))), tz)

    return router
