"""The two hot paths, taking a ticket and calling the next customer, answered without FastAPI's
routing, dependency solving and thread-pool hand-off. Those cost about as much server CPU as
the ticket itself (bench/throughput.py; issue 27).

Only the well-formed common case is taken here:
- a valid token of a role that may do it;
- a JSON body that the route's own model accepts;
- an Idempotency-Key within its bounds.

Anything else goes on to the FastAPI app unchanged, with the body it already read, and is
answered there as it always was: a refusal reads word for word the same, and the OpenAPI
document stays the contract. The business rules stay in the engine. What this module skips is
only the web framework's general machinery around them.

The engine's call runs on a small thread pool of its own, never on the event loop: a write
waits for the disk (and PostgreSQL for the network), and the loop also carries every screen's
event stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.engine import MAX_BATCH, Engine, QueueError
from kiosk.server.answers import database_trouble, queue_refusal
from kiosk.server.api import STAFF_ROLES
from kiosk.server.auth import Caller, Tokens, bearer_token
from kiosk.server.counter_routes import called_next
from kiosk.server.customer_routes import ISSUERS, IssueRequest, issued
from kiosk.server.hall_routes import Outage

TICKETS = "/api/v1/tickets"
COUNTERS, CALL_NEXT = "/api/v1/counters/", "/call-next"
# as many presses at once as group commit gathers into one transaction: with fewer threads, the
# presses left without one waited for a whole transaction before joining the next (50 counters
# at once: three transactions instead of two; p99 33-38 -> 29 ms SQLite, 142 -> 104 ms PostgreSQL,
# old and new code measured one after the other, README's throughput section)
WORKERS = MAX_BATCH
JSON_HEADERS = [(b"content-type", b"application/json")]


class _Fallback(Exception):
    """Not the common case: the FastAPI app answers it."""


class HotRoutes:
    """Plain ASGI, inside BodyLimitAndTiming: the body limit, the token check before a body is
    read and the Server-Timing stamp apply here as to every route."""

    def __init__(
        self, app: ASGIApp, engine: Engine, tokens: Tokens, outage: Outage, pool: ThreadPoolExecutor, presence: Any
    ):
        self.app = app
        self.engine = engine
        self.tokens = tokens
        self.outage = outage
        self.pool = pool  # the app's lifespan shuts it down
        self.presence = presence  # the hall's health page: which device called, and when

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or _overridden(scope):
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        counter = _counter_of(path)
        if path != TICKETS and counter not in self.engine.counter_info:  # an unknown one: the app's 404
            return await self.app(scope, receive, send)
        try:
            body = await _whole_body(receive)
        except _Disconnected:
            return  # the client went away: nobody to answer
        try:
            headers = dict(scope["headers"])
            if path == TICKETS:
                await self._issue(scope, headers, body, send)
            else:
                assert counter is not None
                await self._call_next(scope, headers, counter, send)
        except _Fallback:
            await self.app(scope, _replay(body, receive), send)

    # ------------------------------------------------------------ the two routes
    async def _issue(self, scope: Scope, headers: dict[bytes, bytes], body: bytes, send: Send) -> None:
        caller = self._caller(scope, headers, ISSUERS)
        if not headers.get(b"content-type", b"").startswith(b"application/json"):
            raise _Fallback
        try:
            asked = IssueRequest.model_validate_json(body)
        except ValidationError:
            raise _Fallback from None
        key = _idempotency_key(headers)
        await self._answer(scope, send, lambda: issued(self.engine, caller, asked, key))

    async def _call_next(self, scope: Scope, headers: dict[bytes, bytes], counter: int, send: Send) -> None:
        caller = self._caller(scope, headers, STAFF_ROLES, counter)
        key = _idempotency_key(headers)
        await self._answer(scope, send, lambda: called_next(self.engine, caller, counter, key))

    # ------------------------------------------------------------ shared
    def _caller(
        self, scope: Scope, headers: dict[bytes, bytes], roles: tuple[str, ...], counter: int | None = None
    ) -> Caller:
        caller = self.tokens.caller(bearer_token(headers.get(b"authorization", b"").decode("latin-1")))
        if caller is None or caller.role not in roles:
            raise _Fallback  # 401 / 403, worded by the app
        if counter is not None and caller.role == "counter" and caller.counter != counter:
            raise _Fallback
        if self.presence is not None:
            self.presence.note(caller, HTTPConnection(scope))
        return caller

    async def _answer(self, scope: Scope, send: Send, work: Callable[[], tuple[int, dict[str, Any] | None]]) -> None:
        loop = asyncio.get_running_loop()
        try:
            status, answer = await loop.run_in_executor(self.pool, work)
        except QueueError as e:
            return await queue_refusal(e)(scope, _nothing, send)
        except DBAPIError as e:
            return await database_trouble(e, self.outage)(scope, _nothing, send)
        if answer is None:
            await send({"type": "http.response.start", "status": status, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        data = json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        start_headers = [*JSON_HEADERS, (b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": start_headers})
        await send({"type": "http.response.body", "body": data})


def hot_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(WORKERS, thread_name_prefix="hot")


def _overridden(scope: Scope) -> bool:
    """A test that hands the routes another engine (FastAPI's dependency_overrides) gets the
    framework's routes, which honour it."""
    app = scope.get("app")
    return bool(getattr(app, "dependency_overrides", None))


def _counter_of(path: str) -> int | None:
    """/api/v1/counters/12/call-next -> 12, for a counter id as the API allows it (1 to 999)."""
    if not (path.startswith(COUNTERS) and path.endswith(CALL_NEXT)):
        return None
    digits = path[len(COUNTERS) : -len(CALL_NEXT)]
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 3 and digits[0] != "0"):
        return None
    return int(digits)


def _idempotency_key(headers: dict[bytes, bytes]) -> str | None:
    raw = headers.get(b"idempotency-key")
    if raw is None:
        return None
    key = raw.decode("latin-1")
    if not 1 <= len(key) <= 100:
        raise _Fallback  # the app's 422 names the header
    return key


async def _whole_body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise _Disconnected
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


class _Disconnected(Exception):
    pass


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request's body once more, for the app, then whatever the client sends next."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
