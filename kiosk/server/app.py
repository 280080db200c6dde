"""`kiosk serve`: the queue as a JSON API over HTTP, a WebSocket event stream, and the
customer's status page. The OpenAPI document (/openapi.json) is the contract for clients.

Bad input always gets a 4xx with a reason (never a 500): unknown service, malformed JSON,
oversized body, wrong types. Mutating calls honour an Idempotency-Key header, so a client that
retries after a lost reply gets the first answer and nobody is skipped.

The routes live in one module per resource (customer, counter, reception, hall, presence,
manager, events), each a module-level router whose routes are given the engine as a FastAPI
dependency (kiosk/server/api.py's `the_engine`, read from the app's state) and a role
dependency each; this module puts them together with the error handlers, the body limit and
the background tasks.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.engine import Engine, QueueError
from kiosk.event_hub import EventHub
from kiosk.greeter import Greeter
from kiosk.server import (
    appointment_routes,
    counter_routes,
    customer_routes,
    event_routes,
    hall_routes,
    manager_routes,
    phone_routes,
    presence_routes,
    reception,
)
from kiosk.server.answers import database_trouble, queue_refusal
from kiosk.server.auth import Tokens, bearer_token
from kiosk.server.device_presence import DevicePresence
from kiosk.server.event_routes import EventFanOut
from kiosk.server.hall_routes import Outage
from kiosk.server.hot_routes import HotRoutes, hot_pool
from kiosk.server.manage import appointment_pages as manage_appointments
from kiosk.server.manage import pages as manage_pages
from kiosk.server.manage.live import ManagerFeed
from kiosk.server.manage.pages import MakePdf, sign_in_redirect, unavailable_page
from kiosk.server.manage.web_auth import PATH as MANAGE_PATH
from kiosk.server.manage.web_auth import SignInNeeded
from kiosk.server.status_stream import StatusWatchers
from kiosk.watchdog import notify, ping_interval_s

logger = logging.getLogger(__name__)


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
    404: _problem("no such service, counter, ticket, alert or category"),
    409: _problem(
        "refused by the hall's rules now: closed, already done, a follow-up without a note, a return "
        "time already past, or an idempotency key reused"
    ),
    413: _problem("request body too large"),
    422: _problem("a value is missing, malformed or out of range"),
    429: _problem("too many tickets from one kiosk; see Retry-After"),
    503: _problem("the database is not available; see Retry-After"),
}


def _printable(value: Any) -> str | int:
    """A part of an error message as JSON can carry it (a surrogate shown as its escape)."""
    if isinstance(value, int):
        return value
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def create_app(
    engine: Engine,
    hub: EventHub | None = None,
    greeter: Greeter | None = None,
    tell_systemd: bool = True,
    on_stop: Callable[[], None] | None = None,
    make_pdf: MakePdf | None = None,
) -> FastAPI:
    """tell_systemd: ping systemd's watchdog from this event loop (False where the screens do,
    under `kiosk run`: a hung screen must not be kept alive by a healthy server thread).
    on_stop: run at a clean stop, after the last request (uvicorn then re-raises the stopping
    signal, so code after `Server.run()` may never run).
    make_pdf: writes the daily report's PDF for the web manager view (kiosk/compose.py gives
    one that runs Qt in a process of its own); None: the view says PDFs are not available."""
    config = engine.config
    tokens = Tokens(config)
    hub = hub or EventHub(engine)
    app = FastAPI(
        title="Front-desk kiosk API",
        version="1",
        responses=ERRORS,
        description="Queue tickets, fair calls, the waiting-time log, the reception log. Every call "
        "needs a device's bearer token; each token has a role.",
    )
    outage = Outage()
    fan_out = EventFanOut(engine, hub)
    phones = StatusWatchers(engine, hub)
    presence = DevicePresence(engine)
    pool = hot_pool()
    # the two hot paths inside the body limit and timing (middleware added last is outermost);
    # KIOSK_FRAMEWORK_ONLY=1: FastAPI answers them too (the bench's "before", a test's reference)
    if not os.environ.get("KIOSK_FRAMEWORK_ONLY"):
        app.add_middleware(HotRoutes, engine=engine, tokens=tokens, outage=outage, pool=pool, presence=presence)
    app.add_middleware(BodyLimitAndTiming, max_body=config.server.max_body_bytes, tokens=tokens)
    # what the module-level routes read (kiosk/server/api.py's the_engine, tokens_of)
    app.state.engine, app.state.tokens, app.state.outage = engine, tokens, outage
    app.state.greeter, app.state.hub, app.state.events = greeter, hub, fan_out
    app.state.phones, app.state.presence = phones, presence
    app.state.manager_feed, app.state.make_pdf = ManagerFeed(hub), make_pdf

    @app.exception_handler(DBAPIError)  # DataError (a value it cannot store, 400) is one too
    async def database_error(request: Request, e: DBAPIError) -> Response:
        answer = database_trouble(e, outage)
        if answer.status_code == 503 and request.url.path.startswith(MANAGE_PATH):  # a person reads it
            return unavailable_page(request, engine, int(answer.headers["Retry-After"]))
        return answer

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, e: RequestValidationError) -> JSONResponse:
        """422 naming each field and what is wrong, without echoing the input back: an input
        with an unpaired surrogate or NaN cannot be written as JSON, so FastAPI's own answer
        became a 500 with a traceback."""
        problems = [
            {
                "loc": [_printable(part) for part in err.get("loc", ())],
                "msg": _printable(err.get("msg", "")),
                "type": _printable(err.get("type", "")),
            }
            for err in e.errors()
        ]
        return JSONResponse({"detail": problems, "code": "invalid"}, 422)

    @app.exception_handler(QueueError)
    async def queue_error(_request: Request, e: QueueError) -> JSONResponse:
        return queue_refusal(e)

    for routes in (
        hall_routes,
        customer_routes,
        appointment_routes,
        counter_routes,
        reception,  # the end of a visit, missed calls, staff, follow-ups
        presence_routes,
        manager_routes,
        event_routes,
        phone_routes,
        manage_pages,
        manage_appointments,
    ):
        app.include_router(routes.router)

    @app.exception_handler(SignInNeeded)
    async def sign_in_first(request: Request, e: SignInNeeded) -> Response:
        return sign_in_redirect(e, request)

    def prune_now() -> None:
        try:
            pruned, answers = engine.prune(config.server.retention_days * 86400)
            if pruned or answers:
                logger.info(
                    "pruned %d events and %d idempotency answers older than %d days",
                    pruned,
                    answers,
                    config.server.retention_days,
                )
            erased = engine.appointments.forget_personal(engine.local(engine.clock.now()).date().isoformat())
            if erased:
                logger.info("erased the name and phone of %d past appointment(s)", erased)
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
        tasks = [asyncio.create_task(prune_daily()), asyncio.create_task(presence.flush_every())]
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
            fan_out.stop_hearing()
            phones.stop()
            app.state.manager_feed.stop_hearing()
            pool.shutdown(wait=False, cancel_futures=True)
            if on_stop is not None:
                await asyncio.to_thread(on_stop)

    app.router.lifespan_context = lifespan
    return app


# The collector's thresholds while serving: the young generation collected every 20,000
# allocations instead of 700 (a request frees almost everything it makes by reference counting;
# the collector only finds cycles), the older ones more rarely still.
GC_THRESHOLDS = (20_000, 20, 50)


def settle_garbage() -> None:
    """What start-up made (modules, the app, the engine, compiled statements) is frozen out of
    the collector's reach: a full collection no longer walks it, so it stops costing a burst of
    calls 40 ms. bench/throughput.py --bursts shows the tail with and without. For `kiosk serve`
    only: the screens' process collects by hand on the Qt thread (ui/app.py)."""
    if os.environ.get("KIOSK_GC_DEFAULT"):  # the bench's "before"
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


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
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
            # no queue value holds one, and PostgreSQL cannot store one: refused here, named,
            # instead of a "database not available" 503 and an outage warning
            response = JSONResponse(
                {"detail": "a NUL character is not allowed in a path or query", "code": "invalid"}, 400
            )
            return await response(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        has_body = length not in (None, b"0") or b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if has_body and scope["path"].startswith("/api/"):
            if self.tokens.caller(bearer_token(headers.get(b"authorization", b"").decode("latin-1"))) is None:
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
