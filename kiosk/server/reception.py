"""The reception log over the API: how a visit ends, missed calls, staff at counters, a counter's
services during the day, and the follow-up board. Every call is an engine command (one
transaction with its event, idempotent with an Idempotency-Key); refusals are 4xx with `why`.

Roles: a counter acts for its own counter (and replies to the follow-ups it owns); a manager
acts for any counter, changes services, and reads and reopens every follow-up. A customer's
contact is read only by the manager and the owning counter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Header, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kiosk.domain import Ticket
from kiosk.engine import Engine
from kiosk.engine.rows import _status_dict
from kiosk.server.auth import Caller, Tokens, require, scoped
from kiosk.server.wire import out

IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]
CounterId = Annotated[int, Path(ge=1, le=999)]
FollowUpId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Number = Annotated[str, Path(min_length=1, max_length=12)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FinishRequest(_Body):
    category: Annotated[str | None, Field(min_length=1, max_length=32)] = None  # default: the service's
    outcome: Literal["resolved", "follow_up"] = "resolved"
    note: Annotated[str, Field(max_length=500)] = ""
    contact: Annotated[str, Field(max_length=100)] = ""  # only with the customer's consent


class CallNumberRequest(_Body):
    number: Annotated[str, Field(min_length=1, max_length=12)]
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class SignInRequest(_Body):
    staff: Annotated[str, Field(min_length=1, max_length=32)]
    pin: Annotated[str, Field(min_length=1, max_length=16)]


class ServicesRequest(_Body):
    services: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=50)]


class ReplyRequest(_Body):
    by: Annotated[str, Field(min_length=1, max_length=32)]
    method: Literal["phone", "visit", "letter", "email"]
    note: Annotated[str, Field(max_length=500)] = ""


class ReopenRequest(_Body):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


def reception_routes(engine: Engine, tokens: Tokens, ticket_json: Callable[[Ticket], dict[str, Any]]) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    tz: ZoneInfo = engine.tz

    def at_counter(request: Request, cid: int) -> Caller:
        if cid not in engine.counter_info:
            raise HTTPException(404, f"no counter {cid} (known: {', '.join(map(str, engine.counter_info))})")
        return require(tokens, request, "counter", "manager", counter=cid)

    def status(s: Any) -> dict[str, Any]:
        answer: dict[str, Any] = out(_status_dict(s), tz)
        return answer

    # ------------------------------------------------------------ the end of a visit
    @router.post("/counters/{counter_id}/finish", tags=["counter"], name="finish")
    def finish(
        request: Request,
        counter_id: CounterId,
        body: Annotated[FinishRequest | None, Body()] = None,
        idempotency_key: IdemKey = None,
    ) -> dict[str, Any]:
        """End the visit and log it: its category (default: the service's) and outcome. A
        follow-up (and every complaint) needs a note and is due by its category's time."""
        caller = at_counter(request, counter_id)
        b = body or FinishRequest()
        t = engine.finish(counter_id, b.category, b.outcome, b.note, b.contact, key=scoped(caller, idempotency_key))
        return {"ticket": ticket_json(t)}

    # ------------------------------------------------------------ missed calls
    @router.post("/counters/{counter_id}/call-number", tags=["counter"])
    def call_number(
        request: Request, counter_id: CounterId, body: CallNumberRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        """Call a specific waiting number out of turn, with the reason (shown by the fairness
        audit as a manual call)."""
        caller = at_counter(request, counter_id)
        t = engine.call_number(counter_id, body.number, body.reason, key=scoped(caller, idempotency_key))
        return {"ticket": ticket_json(t)}

    @router.post("/tickets/by-number/{number}/return", tags=["counter"])
    def return_ticket(request: Request, number: Number, idempotency_key: IdemKey = None) -> dict[str, Any]:
        """Bring today's no-show back into line (at its place, or the front, as configured)."""
        caller = require(tokens, request, "counter", "manager")
        t = engine.return_ticket(number, by=caller.name, key=scoped(caller, idempotency_key))
        return {"ticket": ticket_json(t), "ahead": engine.position(t)}

    # ------------------------------------------------------------ staff
    @router.post("/counters/{counter_id}/sign-in", tags=["staff"])
    def sign_in(
        request: Request, counter_id: CounterId, body: SignInRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        caller = at_counter(request, counter_id)
        return status(engine.sign_in(counter_id, body.staff, body.pin, key=scoped(caller, idempotency_key)))

    @router.post("/counters/{counter_id}/sign-out", tags=["staff"])
    def sign_out(request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> dict[str, Any]:
        caller = at_counter(request, counter_id)
        return status(engine.sign_out(counter_id, key=scoped(caller, idempotency_key)))

    @router.put("/counters/{counter_id}/services", tags=["manager"])
    def set_services(
        request: Request, counter_id: CounterId, body: ServicesRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        """What the counter serves from its next call (kept across restarts)."""
        if counter_id not in engine.counter_info:
            raise HTTPException(404, f"no counter {counter_id}")
        caller = require(tokens, request, "manager")
        return status(
            engine.set_counter_services(counter_id, body.services, by=caller.name, key=scoped(caller, idempotency_key))
        )

    # ------------------------------------------------------------ follow-ups
    def owned(caller: Caller, fu: dict[str, Any]) -> bool:
        return caller.role == "manager" or fu["owner_counter_id"] == caller.counter

    def one(follow_up_id: int) -> dict[str, Any]:
        found = [f for f in engine.follow_ups() if f["id"] == follow_up_id]
        if not found:
            raise HTTPException(404, f"no follow-up {follow_up_id}")
        return found[0]

    @router.get("/follow-ups", tags=["manager"])
    def follow_ups(
        request: Request,
        state: Literal["open", "overdue", "replied"] | None = None,
        day_from: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        day_to: Annotated[str | None, Query(alias="to", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    ) -> list[dict[str, Any]]:
        """The follow-up board: open ones by due time, then replied ones. A counter sees the
        ones it owns."""
        caller = require(tokens, request, "counter", "manager")
        rows = [f for f in engine.follow_ups(state, day_from, day_to) if owned(caller, f)]
        now = engine.clock.now()
        board: list[dict[str, Any]] = out(
            [{**f, "overdue": f["state"] == "open" and f["due_at"] < now} for f in rows], tz
        )
        return board

    @router.post("/follow-ups/{follow_up_id}/reply", tags=["manager"])
    def reply(
        request: Request, follow_up_id: FollowUpId, body: ReplyRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        caller = require(tokens, request, "counter", "manager")
        if not owned(caller, one(follow_up_id)):
            raise HTTPException(403, "only the counter that took the matter, or a manager, replies to it")
        fu = engine.reply_follow_up(follow_up_id, body.by, body.method, body.note, key=scoped(caller, idempotency_key))
        answer: dict[str, Any] = out(fu, tz)
        return answer

    @router.post("/follow-ups/{follow_up_id}/reopen", tags=["manager"])
    def reopen(
        request: Request, follow_up_id: FollowUpId, body: ReopenRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        caller = require(tokens, request, "manager")
        fu = engine.reopen_follow_up(follow_up_id, body.reason, key=scoped(caller, idempotency_key))
        answer: dict[str, Any] = out(fu, tz)
        return answer

    return router
