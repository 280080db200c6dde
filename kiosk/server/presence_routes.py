"""Stand up and greet: what a sensor sees, a counter confirming it greeted, and a device (a remote
kiosk's printer, a remote sensor) telling staff it needs them."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Body as BodyParam
from pydantic import Field

from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.engine import QueueError
from kiosk.greeter import Greeter
from kiosk.server.api import (
    Accepted,
    AlertId,
    Body,
    EngineDep,
    GreetingConfirmed,
    IdemKey,
    counter_exists,
    documented,
    role,
)
from kiosk.server.auth import Caller, scoped
from kiosk.server.wire import out_dict


class PresenceRequest(Body):
    source: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["enter", "leave", "fault", "recovered"]
    distance_m: Annotated[float | None, Field(ge=0, le=100)] = None
    count: Annotated[int | None, Field(ge=0, le=1000)] = None  # a number (905.0 too), not `false` (Body)
    detail: Annotated[str, Field(max_length=200)] = ""


class ConfirmRequest(Body):
    counter: Annotated[int | None, Field(ge=1, le=999)] = None  # a manager confirming says for which counter


class DeviceAlertRequest(Body):
    device: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["printer", "sensor", "kiosk", "clock", "device"] = "device"
    state: Annotated[str, Field(min_length=1, max_length=32)]
    message: Annotated[str, Field(max_length=300)] = ""
    ticket: Annotated[str | None, Field(min_length=1, max_length=12)] = None


router = APIRouter(prefix="/api/v1", tags=["presence"])


@router.post("/presence", status_code=202, responses={202: {"model": Accepted, "description": "taken"}})
def presence(
    engine: EngineDep,
    request: Request,
    body: PresenceRequest,
    _caller: Annotated[Caller, Depends(role("sensor", "manager"))],
) -> dict[str, Any]:
    """What a sensor sees. With `count` (people it sees in the zone now), a count that rises
    is that many new arrivals, whoever is still inside; `leave` with a count is someone
    leaving. Without `count`, `enter` is one arrival (empty -> occupied) and `leave` is
    "nobody here". `fault` takes the sensor out of the zone until it reports again."""
    greeter: Greeter | None = request.app.state.greeter
    if greeter is None:
        raise HTTPException(409, "this server does not run the greeter")
    greeter.on_presence(
        PresenceEvent(
            body.source, PresenceKind(body.kind), engine.clock.now(), body.distance_m, body.count, body.detail
        )
    )
    return {"accepted": True}


@router.post("/alerts/{alert_id}/confirm", responses=documented(GreetingConfirmed))
def confirm(
    engine: EngineDep,
    alert_id: AlertId,
    caller: Annotated[Caller, Depends(role("counter", "manager"))],
    body: Annotated[ConfirmRequest | None, BodyParam()] = None,
    idempotency_key: IdemKey = None,
) -> dict[str, Any]:
    counter = caller.counter if caller.role == "counter" else (body.counter if body else None)
    if counter is None:  # a manager's token is no counter's: it must say which (409, the body may be empty)
        raise QueueError("conflict", 'say which counter greeted: {"counter": N}', "counter_needed")
    counter_exists(engine, counter)
    return out_dict(engine.confirm_greeting(alert_id, counter, key=scoped(caller, idempotency_key)), engine.tz)


@router.post("/device-alerts", status_code=202, responses={202: {"model": Accepted, "description": "taken"}})
def post_device_alert(
    engine: EngineDep, body: DeviceAlertRequest, caller: Annotated[Caller, Depends(role("kiosk", "sensor", "manager"))]
) -> dict[str, Any]:
    """A remote kiosk's printer or a remote sensor tells staff it needs them (or works again)."""
    engine.device_alert(
        f"{caller.name}: {body.device}"[:120], body.state, body.message, ticket=body.ticket, kind=body.kind
    )
    return {"accepted": True}
