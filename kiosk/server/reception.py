"""The reception log over the API: how a visit ends, missed calls, staff at counters, a counter's
services during the day, and the follow-up board. Every call is an engine command (one
transaction with its event, idempotent with an Idempotency-Key); refusals are 4xx with `why`.

Roles: a counter acts for its own counter (and replies to the follow-ups it owns); a manager
acts for any counter, changes services, and reads and reopens every follow-up. A customer's
contact is read only by the manager and the owning counter.
"""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi import Body as BodyParam
from pydantic import Field

from kiosk.engine import Engine
from kiosk.engine.rows import _status_dict
from kiosk.server.api import (
    READABLE,
    AtCounter,
    Body,
    ContactOut,
    CounterId,
    CounterOut,
    EngineDep,
    FollowUpId,
    FollowUpOut,
    IdemKey,
    Manager,
    Number,
    SlipOut,
    Staff,
    TicketAnswer,
    TicketId,
    counter_exists,
    documented,
    ticket_json,
)
from kiosk.server.auth import Caller, scoped
from kiosk.server.wire import out, out_dict


class FinishRequest(Body):
    category: Annotated[str | None, Field(min_length=1, max_length=32)] = None  # default: the service's
    outcome: Literal["resolved", "follow_up"] = "resolved"
    note: Annotated[str, Field(max_length=500)] = ""
    contact: Annotated[str, Field(max_length=100)] = ""  # only with the customer's consent
    due_hours: Annotated[float | None, Field(ge=1, le=720)] = None  # this matter's own reply time


class CallNumberRequest(Body):
    number: Annotated[str, Field(min_length=1, max_length=12)]
    reason: Annotated[str, Field(min_length=1, max_length=200, pattern=READABLE)]


class SignInRequest(Body):
    staff: Annotated[str, Field(min_length=1, max_length=32)]
    pin: Annotated[str, Field(min_length=1, max_length=16)]


class PinCheckRequest(Body):
    pin: Annotated[str, Field(min_length=1, max_length=16)]


class PinCheckAnswer(Body):
    staff: str  # "" for the site PIN of a hall without configured staff
    name: str
    manager: bool


class ServicesRequest(Body):
    services: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=50)]


class ReplyRequest(Body):
    by: Annotated[str, Field(min_length=1, max_length=32, pattern=READABLE)]
    method: Literal["phone", "visit", "letter", "email"]
    note: Annotated[str, Field(min_length=1, max_length=500, pattern=READABLE)]  # what the customer was told


class ReopenRequest(Body):
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=READABLE)]


class SlipRequest(Body):
    # default: the owning counter's slip_printer, else the kiosk that issued the ticket
    printer: Annotated[str | None, Field(min_length=1, max_length=64, pattern=READABLE)] = None


router = APIRouter(prefix="/api/v1")


def status(engine: Engine, s: Any) -> dict[str, Any]:
    return out_dict(_status_dict(s), engine.tz)


# ------------------------------------------------------------ the end of a visit
@router.post("/counters/{counter_id}/finish", tags=["counter"], name="finish", responses=documented(TicketAnswer))
def finish(
    engine: EngineDep,
    counter_id: CounterId,
    caller: AtCounter,
    body: Annotated[FinishRequest | None, BodyParam()] = None,
    idempotency_key: IdemKey = None,
) -> dict[str, Any]:
    """End the visit and log it: its category (default: the service's) and outcome. A
    follow-up (and every complaint) needs a note and is due by its category's time."""
    b = body or FinishRequest()
    t = engine.finish(
        counter_id, b.category, b.outcome, b.note, b.contact, key=scoped(caller, idempotency_key), due_hours=b.due_hours
    )
    return {"ticket": ticket_json(engine, t)}


class ContactRequest(Body):
    channel: Literal["phone", "letter", "email", "visit"]
    kind: Annotated[str, Field(min_length=1, max_length=32)]  # a category's code, or "praise"
    note: Annotated[str, Field(min_length=1, max_length=500, pattern=READABLE)]
    contact: Annotated[str, Field(max_length=100)] = ""  # only with the customer's consent
    follow_up: bool = False  # a complaint is always followed up
    due_hours: Annotated[float | None, Field(ge=1, le=720)] = None


@router.post("/counters/{counter_id}/log-contact", tags=["reception log"], responses=documented(ContactOut))
def log_contact(
    engine: EngineDep, counter_id: CounterId, body: ContactRequest, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    """Log a phone call, letter, e-mail or walk-in without a ticket, taken at this counter: what it
    was about (a category, or praise, counted apart) and, if a reply was promised, its follow-up."""
    return engine.log_contact(
        counter_id,
        body.channel,
        body.kind,
        body.note,
        body.contact,
        body.follow_up,
        body.due_hours,
        key=scoped(caller, idempotency_key),
    )


# ------------------------------------------------------------ missed calls
@router.post("/counters/{counter_id}/call-number", tags=["counter"], responses=documented(TicketAnswer))
def call_number(
    engine: EngineDep,
    counter_id: CounterId,
    body: CallNumberRequest,
    caller: AtCounter,
    idempotency_key: IdemKey = None,
) -> dict[str, Any]:
    """Call a specific waiting number out of turn, with the reason (shown by the fairness
    audit as a manual call)."""
    t = engine.call_number(counter_id, body.number, body.reason, key=scoped(caller, idempotency_key))
    return {"ticket": ticket_json(engine, t)}


@router.post("/tickets/by-number/{number}/return", tags=["counter"], responses=documented(TicketAnswer))
def return_ticket(engine: EngineDep, number: Number, caller: Staff, idempotency_key: IdemKey = None) -> dict[str, Any]:
    """Bring today's no-show back into line (at its place, or the front, as configured)."""
    t = engine.return_ticket(number, by=caller.name, key=scoped(caller, idempotency_key))
    return {"ticket": ticket_json(engine, t), "ahead": engine.position(t)}


# ------------------------------------------------------------ staff
@router.post("/counters/{counter_id}/sign-in", tags=["staff"], responses=documented(CounterOut))
def sign_in(
    engine: EngineDep, counter_id: CounterId, body: SignInRequest, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    return status(engine, engine.sign_in(counter_id, body.staff, body.pin, key=scoped(caller, idempotency_key)))


@router.post(
    "/manager-pin",
    tags=["staff"],
    responses={
        **documented(PinCheckAnswer),
        403: {"description": "wrong PIN, not a manager's, or too many wrong PINs (see Retry-After)"},
    },
)
def manager_pin(engine: EngineDep, body: PinCheckRequest, _caller: Manager) -> dict[str, Any]:
    """Whose manager PIN this is: the manager view on another machine opens with it. PINs
    never leave the server; wrong ones count toward the same lock-out as everywhere."""
    who = engine.check_manager_pin(body.pin)
    return {"staff": who.id, "name": who.name, "manager": who.manager}


@router.post("/counters/{counter_id}/sign-out", tags=["staff"], responses=documented(CounterOut))
def sign_out(
    engine: EngineDep, counter_id: CounterId, caller: AtCounter, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    return status(engine, engine.sign_out(counter_id, key=scoped(caller, idempotency_key)))


@router.put("/counters/{counter_id}/services", tags=["manager"], responses=documented(CounterOut))
def set_services(
    engine: EngineDep, counter_id: CounterId, body: ServicesRequest, caller: Manager, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    """What the counter serves from its next call (kept across restarts)."""
    counter_exists(engine, counter_id)
    return status(
        engine,
        engine.set_counter_services(counter_id, body.services, by=caller.name, key=scoped(caller, idempotency_key)),
    )


# ------------------------------------------------------------ follow-ups
def owned(caller: Caller, fu: dict[str, Any]) -> bool:
    return caller.role == "manager" or fu["owner_counter_id"] == caller.counter


def one(engine: Engine, follow_up_id: int) -> dict[str, Any]:
    found = [f for f in engine.follow_ups() if f["id"] == follow_up_id]
    if not found:
        raise HTTPException(404, f"no follow-up {follow_up_id}")
    return found[0]


@router.get(
    "/follow-ups",
    tags=["manager"],
    responses={200: {"model": list[FollowUpOut], "description": "the board, open ones by due time first"}},
)
def follow_ups(
    engine: EngineDep,
    caller: Staff,
    state: Literal["open", "overdue", "replied"] | None = None,
    day_from: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    day_to: Annotated[str | None, Query(alias="to", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
) -> list[dict[str, Any]]:
    """The follow-up board: open ones by due time, then replied ones. A counter sees the
    ones it owns."""
    rows = [f for f in engine.follow_ups(state, day_from, day_to) if owned(caller, f)]
    now = engine.clock.now()
    board: list[dict[str, Any]] = out(
        [{**f, "overdue": f["state"] == "open" and f["due_at"] < now} for f in rows], engine.tz
    )
    return board


@router.post("/follow-ups/{follow_up_id}/reply", tags=["manager"], responses=documented(FollowUpOut))
def reply(
    engine: EngineDep, follow_up_id: FollowUpId, body: ReplyRequest, caller: Staff, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    if not owned(caller, one(engine, follow_up_id)):
        raise HTTPException(403, "only the counter that took the matter, or a manager, replies to it")
    fu = engine.reply_follow_up(follow_up_id, body.by, body.method, body.note, key=scoped(caller, idempotency_key))
    return out_dict(fu, engine.tz)


@router.post("/follow-ups/{follow_up_id}/reopen", tags=["manager"], responses=documented(FollowUpOut))
def reopen(
    engine: EngineDep, follow_up_id: FollowUpId, body: ReopenRequest, caller: Manager, idempotency_key: IdemKey = None
) -> dict[str, Any]:
    return out_dict(engine.reopen_follow_up(follow_up_id, body.reason, key=scoped(caller, idempotency_key)), engine.tz)


SLIP_ANSWERS: dict[int | str, dict[str, Any]] = {
    **documented(SlipOut, "the slip is asked of this printer"),
    403: {"description": "another counter's matter"},
    404: {"description": "no such follow-up, or the ticket was promised none"},
    409: {"description": "already replied, or no printer is known for slips"},
}


def slip_of(engine: Engine, fu: dict[str, Any], caller: Caller, body: SlipRequest | None, key: str | None) -> Any:
    if not owned(caller, fu):
        raise HTTPException(403, "only the counter that took the matter, or a manager, prints its slip")
    answer = engine.follow_up_slip(caller.name, follow_up_id=fu["id"], printer=body.printer if body else None, key=key)
    return {"follow_up": out_dict(answer["follow_up"], engine.tz), "printer": answer["printer"]}


@router.post("/follow-ups/{follow_up_id}/slip", tags=["manager"], responses=SLIP_ANSWERS)
def follow_up_slip(
    engine: EngineDep,
    follow_up_id: FollowUpId,
    caller: Staff,
    body: Annotated[SlipRequest | None, BodyParam()] = None,
    idempotency_key: IdemKey = None,
) -> Any:
    """Print the customer's slip with the reply time they were promised (seed 000: tell the
    customer when the reply will come), on the counter's slip printer or the ticket's kiosk."""
    return slip_of(engine, one(engine, follow_up_id), caller, body, scoped(caller, idempotency_key))


@router.post("/tickets/{ticket_id}/slip", tags=["manager"], responses=SLIP_ANSWERS)
def ticket_slip(
    engine: EngineDep,
    ticket_id: TicketId,
    caller: Staff,
    body: Annotated[SlipRequest | None, BodyParam()] = None,
    idempotency_key: IdemKey = None,
) -> Any:
    """The slip of the follow-up promised at this ticket's visit (the newest, if several)."""
    found = [f for f in engine.follow_ups() if f["ticket_id"] == ticket_id]
    if not found:
        raise HTTPException(404, f"ticket {ticket_id} was promised no follow-up")
    newest = max(found, key=lambda f: f["id"])
    return slip_of(engine, newest, caller, body, scoped(caller, idempotency_key))
