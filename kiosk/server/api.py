"""What every group of routes shares: the engine (a dependency read from the app's state), the
role dependencies that replace a hand call per route, the bounded path and header types, and the
documented shapes of the answers (for /openapi.json: the routes answer plain JSON, and the hot
ones bypass FastAPI's encoder, so these models describe the answers without checking them on
the way out)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, get_args

from fastapi import Depends, Header, HTTPException, Path, Request
from fastapi.requests import HTTPConnection
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from kiosk.domain import Ticket
from kiosk.engine import Engine
from kiosk.server.auth import Caller, Tokens, require
from kiosk.server.wire import out_dict
from kiosk.ticket_doc import status_url

READ_ROLES = ("kiosk", "counter", "display", "manager")
STAFF_ROLES = ("counter", "manager")
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]
# Bounded ids: a number beyond what the database stores is a 422, not an overflow inside SQLite.
TicketId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CounterId = Annotated[int, Path(ge=1, le=999)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FollowUpId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Number = Annotated[str, Path(min_length=1, max_length=12)]


TEXT_PATTERN = "^[^\\x00]*$"  # no NUL: what every text field takes (an unpaired surrogate is not text either)


READABLE = r"^[^\x00]*[^\s\x00-\x1f][^\x00]*$"  # a reason or name: at least one character to read


def _document_text(schema: dict[str, Any]) -> None:
    """Say in the OpenAPI document what _storable_text refuses, so a client generated from it
    (or schemathesis) knows: a text field without a pattern of its own gets TEXT_PATTERN."""
    for prop in schema.get("properties", {}).values():
        for option in prop.get("anyOf", [prop]):
            for text in (option, option.get("items", {})):  # a text, or a list of texts
                if text.get("type") == "string" and "pattern" not in text and "enum" not in text:
                    text["pattern"] = TEXT_PATTERN


def _classes(annotation: Any) -> set[Any]:
    args = get_args(annotation)
    return {annotation} if not args else set().union(*(_classes(a) for a in args))


class Body(BaseModel):
    """A request body: an unknown field is a 422, not silently ignored; so are values nothing
    can store or show: NaN, infinities (1e400 too), NUL characters, unpaired surrogates; and a
    number field takes a number (not `false`, not "1"), as the document says."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, json_schema_extra=_document_text)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool | str) and info.field_name is not None:
            kinds = _classes(cls.model_fields[info.field_name].annotation)
            if kinds & {int, float} and not kinds & {bool, str} and not (isinstance(value, bool) and bool in kinds):
                raise ValueError("a number is needed here")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        for text in value if isinstance(value, list | tuple) else (value,):
            if isinstance(text, str):
                if "\x00" in text:
                    raise ValueError("contains a NUL character")
                if not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        raise ValueError("contains an unpaired surrogate (not text)") from None
        return value


# ---------------------------------------------------------------- what a route is given
async def the_engine(request: HTTPConnection) -> Engine:
    """The engine this app serves: a dependency, so a test may hand a route another one
    (`app.dependency_overrides[the_engine]`), as FastAPI intends. Async: FastAPI runs a plain
    function on its thread pool, a hop per request."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(the_engine)]


def tokens_of(request: HTTPConnection) -> Tokens:
    tokens: Tokens = request.app.state.tokens
    return tokens


def ticket_json(engine: Engine, t: Ticket) -> dict[str, Any]:
    d = out_dict(t.to_dict(), engine.tz)
    d["status_url"] = status_url(engine.config.site.public_url, t)
    return d


def counter_exists(engine: Engine, cid: int) -> None:
    if cid not in engine.counter_info:
        known = ", ".join(map(str, engine.counter_info))
        raise HTTPException(404, f"no counter {cid} (known: {known})")


def role(*roles: str) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency: the caller, if their token has one of `roles` (else 401 / 403). The two
    hottest routes (take a ticket, call next) call `require` inline instead: FastAPI's
    dependency machinery cost about 5 % of a ticket's server time (bench/throughput.py)."""

    async def caller(request: Request) -> Caller:
        return require(tokens_of(request), request, *roles)

    return caller


def at_counter(*roles: str) -> Callable[..., Awaitable[Caller]]:
    """A dependency for /counters/{counter_id}/...: the counter exists (404), and a counter's
    token acts only for its own counter (403)."""
    allowed = roles or STAFF_ROLES

    async def caller(request: Request, counter_id: CounterId, engine: EngineDep) -> Caller:
        counter_exists(engine, counter_id)
        return require(tokens_of(request), request, *allowed, counter=counter_id)

    return caller


# the roles the routes ask for, made once
Reader = Annotated[Caller, Depends(role(*READ_ROLES))]
Staff = Annotated[Caller, Depends(role(*STAFF_ROLES))]
Manager = Annotated[Caller, Depends(role("manager"))]
AtCounter = Annotated[Caller, Depends(at_counter())]


# ---------------------------------------------------------------- documented answers
class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")  # documented fields; an answer may carry more


class TicketOut(_Open):
    """A ticket; times are ISO 8601 with the site's offset."""

    id: int
    number: str
    service: str
    priority: bool
    state: str  # waiting | called | serving | finished | no_show
    business_day: str
    issued_at: str
    called_at: str | None = None
    counter_id: int | None = None
    owner_counter_id: int | None = None
    category: str | None = None
    outcome: str | None = None
    status_url: str


class TicketAnswer(_Open):
    ticket: TicketOut
    ahead: int | None = None
    estimated_wait_s: float | None = None


class CounterOut(_Open):
    id: int
    name: str
    services: list[str]
    state: str  # open | paused | closed
    current_ticket_id: int | None = None
    pause_reason: str | None = None
    pause_until: str | None = None
    staff_id: str | None = None
    staff_name: str | None = None


class FollowUpOut(_Open):
    id: int
    ticket_id: int | None  # None: from a call, letter or e-mail (contact_id)
    contact_id: int | None = None
    number: str
    category: str
    complaint: bool
    owner_counter_id: int
    state: str  # open | replied
    due_at: str
    note: str
    contact: str | None = None  # only to the manager and the owning counter
    replied_at: str | None = None
    replied_by: str | None = None
    reply_method: str | None = None


class SlipOut(_Open):
    follow_up: FollowUpOut  # without the contact: the slip never prints it
    printer: str  # the kiosk or counter whose printer prints it (it hears the event)


class ContactOut(_Open):
    id: int
    business_day: str
    follow_up_id: int | None  # the reply it was promised, on the follow-up board


class Accepted(_Open):
    accepted: bool


class Health(_Open):
    status: str  # ok | unavailable
    branch: str | None = None
    last_event_seq: int | None = None


class Me(_Open):
    role: str
    name: str
    counter: int | None = None


class ServiceOut(_Open):
    code: str
    prefix: str
    names: dict[str, str]
    open_now: bool
    waiting: int
    estimated_wait_s: float | None = None
    next_open: str | None = None
    target_wait_s: float


class HallStateOut(_Open):
    """What every screen draws from; then it follows the event stream after `last_event_seq`."""

    last_event_seq: int
    site_open: bool
    next_open: str | None = None
    counters: list[CounterOut]
    current: dict[str, TicketOut]  # counter id -> its customer
    waiting: dict[str, int]  # service -> people waiting
    recent_calls: list[TicketOut]
    no_shows: list[TicketOut]  # today's, the latest called first
    alerts: list[dict[str, Any]]
    greetings: list[dict[str, Any]]


class GreetingConfirmed(_Open):
    alert_id: int
    confirmed_by: int


class DayClosed(_Open):
    business_day: str
    closed_at: str


class LogRow(_Open):
    """One ticket of the waiting-time log (as CSV with ?format=csv)."""

    number: str
    business_day: str
    service: str
    state: str
    issued_at: str
    first_called_at: str | None = None
    wait_min: float | None = None
    within_target: bool | None = None
    category: str | None = None
    outcome: str | None = None
    finished_by: str | None = None


class ReportOut(_Open):
    total: dict[str, Any] | None = None
    groups: list[dict[str, Any]]
    greetings: dict[str, Any]
    categories: list[dict[str, Any]]
    follow_ups: dict[str, Any]  # follow_ups, complaints, replied_within_target, overdue, reply_rate_pct, ...
    staff: list[dict[str, Any]]
    phones: dict[str, Any]  # alerted, no_show_pct_alerted, no_show_pct_not_alerted, ...
    contacts: dict[str, Any]  # contacts, by_channel, complaints, praise, followed_up


def documented(model: type[BaseModel], description: str = "") -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route whose 200 answer has this shape."""
    return {200: {"model": model, "description": description or "OK"}}
