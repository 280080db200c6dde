"""`kiosk serve`: the queue as a JSON API over HTTP, a WebSocket event stream, and the
customer's status page. The OpenAPI document (/openapi.json) is the contract for clients.

Bad input always gets a 4xx with a reason (never a 500): unknown service, malformed JSON,
oversized body, wrong types. Mutating calls honour an Idempotency-Key header, so a client that
retries after a lost reply gets the first answer and nobody is skipped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Header, HTTPException, Path, Query, Request, WebSocket
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.domain import Event, Ticket
from kiosk.engine import Engine, QueueError
from kiosk.engine.rows import _status_dict
from kiosk.event_hub import EventHub
from kiosk.greeter import Greeter
from kiosk.phrases import phrase
from kiosk.reports import (
    LogFilter,
    figures,
    figures_as_dicts,
    follow_up_figures,
    follow_up_rows,
    greeting_figures,
    greeting_rows,
    log_rows,
    staff_figures,
    to_csv,
    visits_by_category,
)
from kiosk.server.auth import Caller, Tokens, bearer, require, scoped
from kiosk.server.reception import reception_routes
from kiosk.server.status_page import STATUS_PAGE
from kiosk.server.wire import iso, out, out_dict
from kiosk.ticket_doc import status_url
from kiosk.watchdog import notify, ping_interval_s

logger = logging.getLogger(__name__)
BACKLOG_PAGE = 500  # events per read when a client catches up
STATUS = {"not_found": 404, "conflict": 409, "refused": 409, "invalid": 422, "forbidden": 403}
READ_ROLES = ("kiosk", "counter", "display", "manager")
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]
# Bounded ids: a number beyond what the database stores is a 422, not an overflow inside SQLite.
TicketId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CounterId = Annotated[int, Path(ge=1, le=999)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Problem(BaseModel):
    """Every refusal: `detail` says what is wrong (for a malformed request, FastAPI's list of
    field errors); `code` and `why` let a program or a screen tell refusals apart."""

    detail: str | list[dict[str, Any]]
    code: str | None = None
    why: str | None = None
    params: dict[str, Any] | None = None


def _problem(text: str) -> dict[str, Any]:
    return {"model": Problem, "description": text}


ERRORS: dict[int | str, dict[str, Any]] = {
    400: _problem("the body is not valid JSON"),
    401: _problem("no valid bearer token"),
    403: _problem("this token's role may not do this"),
    404: _problem("no such service, counter, ticket or alert"),
    409: _problem("refused: closed, already done, or an idempotency key reused for another request"),
    413: _problem("request body too large"),
    422: _problem("a value is missing, malformed or out of range"),
    429: _problem("too many tickets from one kiosk; see Retry-After"),
    503: _problem("the database is not available; see Retry-After"),
}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueRequest(_Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]
    priority: bool = False
    language: Literal["zh-Hant", "zh-Hans", "en"] | None = None  # the customer's, for reprints


class ReprintRequest(_Body):
    kiosk: Annotated[str | None, Field(min_length=1, max_length=64)] = None  # default: the kiosk that issued it


class DeviceAlertRequest(_Body):
    device: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["printer", "sensor", "kiosk", "clock", "device"] = "device"
    state: Annotated[str, Field(min_length=1, max_length=32)]
    message: Annotated[str, Field(max_length=300)] = ""
    ticket: Annotated[str | None, Field(min_length=1, max_length=12)] = None


class TransferRequest(_Body):
    service: Annotated[str, Field(min_length=1, max_length=64)]


class PauseRequest(_Body):
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    until: datetime | None = None  # ISO 8601 with offset
    minutes: Annotated[int | None, Field(ge=1, le=480)] = None


class PresenceRequest(_Body):
    source: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["enter", "leave", "fault", "recovered"]
    distance_m: Annotated[float | None, Field(ge=0, le=100)] = None
    count: Annotated[int | None, Field(ge=0, le=1000)] = None
    detail: Annotated[str, Field(max_length=200)] = ""


class ConfirmRequest(_Body):
    counter: Annotated[int | None, Field(ge=1, le=999)] = None  # a manager confirming says for which counter


def create_app(
    engine: Engine, hub: EventHub | None = None, greeter: Greeter | None = None, tell_systemd: bool = True
) -> FastAPI:
    """tell_systemd: ping systemd's watchdog from this event loop (False where the screens do,
    under `kiosk run`: a hung screen must not be kept alive by a healthy server thread)."""
    config = engine.config
    tz = engine.tz
    tokens = Tokens(config)
    hub = hub or EventHub(engine)
    app = FastAPI(
        title="Front-desk kiosk API",
        version="1",
        responses=ERRORS,
        description="Queue tickets, fair calls, the waiting-time log. Every call needs a device's "
        "bearer token; each token has a role.",
    )

    # ------------------------------------------------------------ plumbing
    app.add_middleware(BodyLimitAndTiming, max_body=config.server.max_body_bytes, tokens=tokens)

    outage: dict[str, float | None] = {"since": None}

    @app.exception_handler(DBAPIError)
    async def database_trouble(_request: Request, e: DBAPIError) -> JSONResponse:
        """The database is down, restarting or full: 503 with a reason and when to try again;
        one log line per outage, not a traceback per request."""
        if outage["since"] is None or time.monotonic() - outage["since"] > 60:
            logger.warning("database trouble: %s", " ".join(str(e.orig or e).split())[:300])
            outage["since"] = time.monotonic()
        return JSONResponse(
            {"detail": "the queue's database is not available right now; try again shortly", "code": "unavailable"},
            503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(QueueError)
    async def queue_error(_request: Request, e: QueueError) -> JSONResponse:
        body: dict[str, Any] = {"detail": e.message, "code": e.code}
        if e.why:
            body |= {"why": e.why, "params": e.params}
        if e.why == "rate_limited":
            return JSONResponse(body, 429, headers={"Retry-After": str(e.params["retry_after"])})
        return JSONResponse(body, STATUS.get(e.code, 400))

    def ticket_json(t: Ticket) -> dict[str, Any]:
        d = out_dict(t.to_dict(), tz)
        d["status_url"] = status_url(config.site.public_url, t)
        return d

    def counter_exists(cid: int) -> None:
        if cid not in engine.counter_info:
            raise HTTPException(404, f"no counter {cid} (known: {', '.join(map(str, engine.counter_info))})")

    # ------------------------------------------------------------ health and config
    @app.get("/healthz", tags=["health"])
    def healthz() -> Any:
        """200 when the queue can take a ticket now: the database answers and takes a write."""
        try:
            engine.check_writable()
            seq = engine.last_event_seq()
        except Exception as e:
            return JSONResponse(
                {"status": "unavailable", "detail": f"the database cannot take a write: {type(e).__name__}"},
                503,
                headers={"Retry-After": "2"},
            )
        if outage["since"] is not None:
            logger.warning("database available again")
            outage["since"] = None
        return {"status": "ok", "branch": engine.branch, "last_event_seq": seq}

    @app.get("/api/v1/config", tags=["screens"])
    def screen_config(request: Request) -> dict[str, Any]:
        """What remote screens need to draw themselves (no tokens; the PIN only for kiosk and manager)."""
        caller = require(tokens, request, *READ_ROLES)
        data = config.model_dump(mode="json", exclude={"tokens": True, "site": {"database"}})
        if caller.role not in ("kiosk", "manager"):
            data["site"].pop("staff_pin", None)
            for person in data["staff"]:  # a counter signs in through the server, which checks the PIN
                person["pin"] = ""
        return data

    # ------------------------------------------------------------ customer
    @app.get("/api/v1/services", tags=["customer"])
    def services(request: Request) -> list[dict[str, Any]]:
        require(tokens, request, *READ_ROLES)
        return [
            out(
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
                tz,
            )
            for s in engine.services_status()
        ]

    @app.post(
        "/api/v1/tickets",
        status_code=201,
        tags=["customer"],
        responses={409: {"description": "closed: no new tickets now"}, 429: {"description": "too many"}},
    )
    def issue(request: Request, body: IssueRequest, idempotency_key: IdemKey = None) -> Any:
        caller = require(tokens, request, "kiosk", "manager")
        kiosk = caller.role == "kiosk"
        res = engine.issue(
            body.service,
            body.priority,
            key=scoped(caller, idempotency_key),
            kiosk=caller.name if kiosk else None,
            language=body.language,
            per_minute=config.server.kiosk_tickets_per_minute if kiosk else None,
        )
        if res.ticket is None:
            return JSONResponse(
                {"detail": res.message, "reason": res.refused, "next_open": iso(res.next_open, tz)}, 409
            )
        # already JSON-safe: answered as it is, without FastAPI's generic encoder (hot path)
        return JSONResponse(
            {"ticket": ticket_json(res.ticket), "ahead": res.ahead, "estimated_wait_s": res.estimated_wait_s}, 201
        )

    @app.get("/api/v1/tickets/{ticket_id}", tags=["customer"])
    def get_ticket(request: Request, ticket_id: TicketId) -> dict[str, Any]:
        require(tokens, request, *READ_ROLES)
        t = engine.ticket(ticket_id)
        return {"ticket": ticket_json(t), "ahead": engine.position(t)}

    @app.get(
        "/api/v1/tickets/by-number/{number}",
        tags=["customer"],
        responses={404: {"description": "no such ticket today"}},
    )
    def ticket_by_number(request: Request, number: Annotated[str, Path(min_length=1, max_length=12)]) -> dict[str, Any]:
        """Today's ticket with this number (e.g. A012), as staff read it off a ticket or the display."""
        require(tokens, request, "kiosk", "counter", "manager")
        t = engine.ticket_by_number(number)
        return {"ticket": ticket_json(t), "ahead": engine.position(t)}

    @app.post(
        "/api/v1/tickets/{ticket_id}/reprint",
        tags=["customer"],
        responses={
            404: {"description": "no such ticket"},
            409: {"description": "the ticket is no longer in line, or no kiosk is known to print it"},
        },
    )
    def reprint(
        request: Request,
        ticket_id: TicketId,
        body: Annotated[ReprintRequest | None, Body()] = None,
        idempotency_key: IdemKey = None,
    ) -> dict[str, Any]:
        """Print a ticket again on the kiosk that issued it (or the one named). Its place in line
        does not change. The kiosk hears the request on the event stream."""
        caller = require(tokens, request, "kiosk", "counter", "manager")
        t = engine.reprint(
            ticket_id, by=caller.name, kiosk=body.kiosk if body else None, key=scoped(caller, idempotency_key)
        )
        return {"ticket": ticket_json(t)}

    @app.post("/api/v1/device-alerts", status_code=202, tags=["presence"])
    def post_device_alert(request: Request, body: DeviceAlertRequest) -> dict[str, Any]:
        """A remote kiosk's printer or a remote sensor tells staff it needs them (or works again)."""
        caller = require(tokens, request, "kiosk", "sensor", "manager")
        engine.device_alert(
            f"{caller.name}: {body.device}"[:120], body.state, body.message, ticket=body.ticket, kind=body.kind
        )
        return {"accepted": True}

    @app.get("/api/v1/me", tags=["screens"])
    def me(request: Request) -> dict[str, Any]:
        """Who this token is: a remote kiosk learns the name its reprints are addressed to."""
        caller = require(tokens, request, *READ_ROLES, "sensor")
        return {"role": caller.role, "name": caller.name, "counter": caller.counter}

    # ------------------------------------------------------------ counters
    def counter_call(request: Request, cid: int, roles: tuple[str, ...] = ("counter", "manager")) -> Caller:
        counter_exists(cid)
        return require(tokens, request, *roles, counter=cid)

    @app.post(
        "/api/v1/counters/{counter_id}/call-next",
        tags=["counter"],
        responses={204: {"description": "nobody is waiting for this counter"}},
    )
    def call_next(request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> Any:
        caller = counter_call(request, counter_id)
        t = engine.call_next(counter_id, key=scoped(caller, idempotency_key))
        return Response(status_code=204) if t is None else JSONResponse({"ticket": ticket_json(t)})

    def _staff(action: str) -> Callable[..., dict[str, Any]]:
        def endpoint(request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> dict[str, Any]:
            caller = counter_call(request, counter_id)
            return {"ticket": ticket_json(getattr(engine, action)(counter_id, key=scoped(caller, idempotency_key)))}

        endpoint.__name__ = action
        return endpoint

    for path, action in (("recall", "recall"), ("start", "start"), ("no-show", "no_show")):
        app.post(f"/api/v1/counters/{{counter_id}}/{path}", tags=["counter"], name=action)(_staff(action))

    app.include_router(reception_routes(engine, tokens, ticket_json))  # finish, missed calls, staff, follow-ups

    @app.post("/api/v1/counters/{counter_id}/transfer", tags=["counter"])
    def transfer(
        request: Request, counter_id: CounterId, body: TransferRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        caller = counter_call(request, counter_id)
        return {"ticket": ticket_json(engine.transfer(counter_id, body.service, key=scoped(caller, idempotency_key)))}

    @app.post("/api/v1/counters/{counter_id}/pause", tags=["counter"])
    def pause(
        request: Request, counter_id: CounterId, body: PauseRequest, idempotency_key: IdemKey = None
    ) -> dict[str, Any]:
        caller = counter_call(request, counter_id)
        now = engine.clock.now()
        until = body.until.timestamp() if body.until else (now + body.minutes * 60 if body.minutes else None)
        if body.until is not None and body.until.tzinfo is None:
            raise HTTPException(422, "until needs a time zone offset, e.g. 2026-11-25T12:45:00+08:00")
        return out_dict(
            _status_dict(engine.pause(counter_id, body.reason, until, key=scoped(caller, idempotency_key))), tz
        )

    @app.post("/api/v1/counters/{counter_id}/resume", tags=["counter"])
    def resume(request: Request, counter_id: CounterId, idempotency_key: IdemKey = None) -> dict[str, Any]:
        caller = counter_call(request, counter_id)
        return out_dict(_status_dict(engine.resume(counter_id, key=scoped(caller, idempotency_key))), tz)

    @app.post("/api/v1/day/close", tags=["manager"], responses={409: {"description": "tickets are still open"}})
    def close_day(request: Request, idempotency_key: IdemKey = None) -> dict[str, Any]:
        """End the business day: every counter closes. Refused (409, why "tickets_open", with
        the numbers) while any ticket is still open: the last customer is always served."""
        caller = require(tokens, request, "manager")
        closed = engine.close_day(key=scoped(caller, idempotency_key))
        return out_dict({"business_day": closed["business_day"], "closed_at": closed["closed_at"]}, tz)

    # ------------------------------------------------------------ the hall
    @app.get("/api/v1/state", tags=["screens"])
    def state(request: Request) -> dict[str, Any]:
        require(tokens, request, "counter", "display", "manager", "kiosk")
        st = engine.hall_state()  # the same state a screen on this machine reads
        return out_dict(
            {
                "last_event_seq": st.last_event_seq,
                "site_open": st.site_open,
                "next_open": st.next_open,
                "counters": [_status_dict(c) for c in st.counters],
                "current": {str(cid): ticket_json(t) for cid, t in st.current.items()},
                "waiting": st.waiting,
                "recent_calls": [ticket_json(t) for t in st.recent_calls],
                "alerts": [{"seq": e.seq, "at": e.at, **e.data} for e in st.alerts],
                "greetings": st.greetings,
            },
            tz,
        )

    # ------------------------------------------------------------ presence
    @app.post("/api/v1/presence", status_code=202, tags=["presence"])
    def presence(request: Request, body: PresenceRequest) -> dict[str, Any]:
        """What a sensor sees. With `count` (people it sees in the zone now), a count that rises
        is that many new arrivals, whoever is still inside; `leave` with a count is someone
        leaving. Without `count`, `enter` is one arrival (empty -> occupied) and `leave` is
        "nobody here". `fault` takes the sensor out of the zone until it reports again."""
        require(tokens, request, "sensor", "manager")
        if greeter is None:
            raise HTTPException(409, "this server does not run the greeter")
        greeter.on_presence(
            PresenceEvent(
                body.source, PresenceKind(body.kind), engine.clock.now(), body.distance_m, body.count, body.detail
            )
        )
        return {"accepted": True}

    @app.post("/api/v1/alerts/{alert_id}/confirm", tags=["presence"])
    def confirm(
        request: Request,
        alert_id: AlertId,
        body: Annotated[ConfirmRequest | None, Body()] = None,
        idempotency_key: IdemKey = None,
    ) -> dict[str, Any]:
        caller = require(tokens, request, "counter", "manager")
        counter = caller.counter if caller.role == "counter" else (body.counter if body else None)
        if counter is None:
            raise HTTPException(422, 'say which counter greeted: {"counter": N}')
        counter_exists(counter)
        return out_dict(engine.confirm_greeting(alert_id, counter, key=scoped(caller, idempotency_key)), tz)

    # ------------------------------------------------------------ manager
    def _filter(
        day_from: str | None, day_to: str | None, service: str | None, counter: int | None, number: str | None
    ) -> LogFilter:
        for name, d in (("from", day_from), ("to", day_to)):
            if d is not None:
                try:
                    datetime.strptime(d, "%Y-%m-%d")
                except ValueError:
                    raise HTTPException(422, f"{name}: expected a date like 2026-11-25, got {d!r}") from None
        return LogFilter(day_from, day_to, service, counter, number)

    @app.get("/api/v1/log", tags=["manager"])
    def log(
        request: Request,
        day_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        day_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        service: Annotated[str | None, Query(max_length=64)] = None,
        counter: Annotated[int | None, Query(ge=1, le=999)] = None,
        number: Annotated[str | None, Query(max_length=12)] = None,
        format: Literal["json", "csv"] = "json",
        lang: Literal["zh-Hant", "zh-Hans", "en"] | None = None,
    ) -> Any:
        """The waiting-time log. `lang`: service names (and, as CSV, headings, states and yes/no)
        in that language."""
        require(tokens, request, "manager")
        rows = log_rows(engine.store, config, _filter(day_from, day_to, service, counter, number), lang)
        if format == "csv":
            return PlainTextResponse(
                to_csv(rows, lang),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="waiting-times.csv"'},
            )
        return rows

    @app.get("/api/v1/report", tags=["manager"])
    def report(
        request: Request,
        day_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        day_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        by: Annotated[str, Query(max_length=40)] = "service",
    ) -> dict[str, Any]:
        require(tokens, request, "manager")
        groups = [g for g in by.split(",") if g and g != "none"]
        f = _filter(day_from, day_to, None, None, None)
        rows = log_rows(engine.store, config, f)
        try:
            figs = figures_as_dicts(figures(rows, groups))
        except ValueError as e:
            raise HTTPException(422, f"by: {e}") from None
        return {
            "total": figures_as_dicts(figures(rows))[0] if rows else None,
            "groups": figs,
            "greetings": greeting_figures(greeting_rows(engine.store, config, f), rows, config.presence.greet_target_s),
            "categories": visits_by_category(rows, config, config.site.language),
            "follow_ups": follow_up_figures(follow_up_rows(engine.store, config, f), engine.clock.now()),
            "staff": staff_figures(rows),
        }

    # ------------------------------------------------------------ events
    # Each event is encoded once and the same text goes to every client: with 100 displays,
    # encoding per client was most of the server's work.
    clients: set[asyncio.Queue[tuple[int, str]]] = set()
    loop_ref: dict[str, asyncio.AbstractEventLoop] = {}

    def _encode(ev: Event) -> tuple[int, str]:
        return ev.seq, json.dumps(
            {"seq": ev.seq, "at": iso(ev.at, tz), "kind": ev.kind, "data": out(ev.data, tz)}, ensure_ascii=False
        )

    def _fan_out(ev: Event) -> None:
        loop = loop_ref.get("loop")
        if loop is None or not clients:
            return
        item = _encode(ev)

        def deliver() -> None:  # one wake-up of the event loop per event, not per client
            for q in clients:
                q.put_nowait(item)

        loop.call_soon_threadsafe(deliver)

    unsubscribe_hub = hub.subscribe(_fan_out)

    @app.websocket("/api/v1/events")
    async def events(ws: WebSocket, after: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None) -> None:
        """Events in order. `after`: the last sequence number this client saw; it gets what it
        missed, in pages, then live events. Without it: live events from now (read the state
        first). A sequence this server has not reached (a restored database) gets
        {"kind": "reset", "seq": N}: reload the state and go on after N."""
        caller = tokens.caller(bearer(ws))
        if caller is None or caller.role not in READ_ROLES:
            await ws.close(code=4401 if caller is None else 4403)
            return
        await ws.accept()
        loop_ref["loop"] = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        clients.add(queue)

        async def send() -> None:
            current = await asyncio.to_thread(engine.last_event_seq)
            if after is None:
                sent = current
            elif after > current:
                await ws.send_text(json.dumps({"seq": current, "kind": "reset", "data": {}}))
                sent = current
            else:
                sent = after
                while True:  # the backlog in pages: no page held longer than sent
                    page = await asyncio.to_thread(engine.events_after, sent, BACKLOG_PAGE)
                    for ev in page:
                        await ws.send_text(_encode(ev)[1])
                        sent = ev.seq
                    if len(page) < BACKLOG_PAGE:
                        break
            while True:
                seq, text = await queue.get()
                if seq > sent:  # the backlog may already have carried it
                    await ws.send_text(text)
                    sent = seq

        async def until_closed() -> None:  # a client that left must not hold a task forever
            while (await ws.receive())["type"] != "websocket.disconnect":
                pass

        tasks = {asyncio.create_task(send()), asyncio.create_task(until_closed())}
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                t.cancel()
            clients.discard(queue)

    def prune_now() -> None:
        try:
            events, answers = engine.prune(config.server.retention_days * 86400)
            if events or answers:
                logger.info(
                    "pruned %d events and %d idempotency answers older than %d days",
                    events,
                    answers,
                    config.server.retention_days,
                )
        except Exception as e:  # a busy or absent database: next time
            logger.warning("pruning failed: %s", e)

    async def prune_daily() -> None:
        while True:
            await asyncio.to_thread(prune_now)
            await asyncio.sleep(6 * 3600)

    async def watchdog_pings(interval: float) -> None:
        """Alive pings from the server's event loop: a stuck loop stops them (WatchdogSec)."""
        while True:
            notify("WATCHDOG=1")
            await asyncio.sleep(interval)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(prune_daily())]
        if tell_systemd:
            notify("READY=1")
        interval = ping_interval_s() if tell_systemd else None
        if interval is not None:
            tasks.append(asyncio.create_task(watchdog_pings(interval)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            unsubscribe_hub()

    app.router.lifespan_context = lifespan

    # ------------------------------------------------------------ the customer's status page
    @app.get("/t/{token}", response_class=HTMLResponse, tags=["customer"], include_in_schema=True)
    def status_page(token: Annotated[str, Path(max_length=64)]) -> Response:
        if token.endswith(".json"):
            return JSONResponse(_status_data(token[:-5]))
        _status_data(token)  # 404 for an unknown token
        return HTMLResponse(STATUS_PAGE.replace("{{TOKEN}}", token))

    def _status_data(token: str) -> dict[str, Any]:
        try:
            t = engine.ticket_by_token(token)
        except QueueError:
            raise HTTPException(404, "no such ticket") from None
        lang = config.site.language
        svc = next(s for s in config.services if s.code == t.service)
        ahead = engine.position(t)
        est = engine.services_status()
        mine = next((s for s in est if s.code == t.service), None)
        minutes = None
        if t.state.value == "waiting" and mine and mine.estimated_wait_s is not None and mine.waiting:
            minutes = max(1, round(mine.estimated_wait_s * ahead / max(1, mine.waiting) / 60))
        state_text = {
            "waiting": phrase("ahead", lang, n=ahead),
            "called": phrase("call", lang, number=t.number, counter=t.counter_id),
            "serving": phrase("call", lang, number=t.number, counter=t.counter_id),
        }
        return {
            "number": t.number,
            "service": svc.names[lang],
            "state": t.state.value,
            "ahead": ahead,
            "estimated_minutes": minutes,
            "text": state_text.get(t.state.value, phrase("thanks", lang)),
            "site": config.site.name[lang],
        }

    app.state.hub = hub
    return app


class BodyLimitAndTiming:
    """Before any byte of a body is read: a request to the API that carries a body must have a
    valid token (401), and its body may not pass `max_body` bytes, counted as they arrive, so a
    chunked body with no Content-Length is cut off too (413). Each response is stamped with the
    server's own time (W3C Server-Timing, read by bench/load.py). Plain ASGI: Starlette's
    BaseHTTPMiddleware wraps every request in a task group and a streaming response."""

    def __init__(self, app: ASGIApp, max_body: int, tokens: Tokens):
        self.app = app
        self.max_body = max_body
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        has_body = length not in (None, b"0") or b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if has_body and scope["path"].startswith("/api/"):
            auth = headers.get(b"authorization", b"").decode("latin-1")
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
            if self.tokens.caller(token) is None:
                response = JSONResponse(
                    {"detail": "a valid bearer token is needed (Authorization: Bearer <token>)"},
                    401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                return await response(scope, receive, send)
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            response = JSONResponse({"detail": f"request body over {self.max_body} bytes"}, 413)
            return await response(scope, receive, send)
        started = time.perf_counter()
        received = 0
        responded = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def timed_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
                dur = f"app;dur={(time.perf_counter() - started) * 1000:.2f}".encode()
                message = {**message, "headers": [*message.get("headers", []), (b"server-timing", dur)]}
            await send(message)

        try:
            await self.app(scope, counted_receive, timed_send)
        except BodyTooLarge:
            if not responded:
                response = JSONResponse(
                    {"detail": f"request body over {self.max_body} bytes"}, 413, headers={"Connection": "close"}
                )
                await response(scope, receive, send)


class BodyTooLarge(HTTPException):
    """An HTTPException, so the body parser passes it on as a 413 rather than "cannot parse" (400)."""

    def __init__(self, limit: int = 0):
        super().__init__(413, f"request body over {limit} bytes")
