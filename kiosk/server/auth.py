"""Who is calling: one bearer token per device, each with a role (and a counter for counter
panels). A device can do only what its role needs: a display cannot call next, a kiosk cannot
read the log."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request, WebSocket

from kiosk.config import KioskConfig


@dataclass(frozen=True)
class Caller:
    role: str
    counter: int | None
    name: str
    token_id: str  # a short, non-secret handle for logs and rate limits


class Tokens:
    def __init__(self, config: KioskConfig):
        self._tokens = [
            (t.token, Caller(t.role, t.counter, t.name or t.role, f"{t.role}#{i}")) for i, t in enumerate(config.tokens)
        ]

    def caller(self, token: str | None) -> Caller | None:
        if not token:
            return None
        for secret, caller in self._tokens:
            if hmac.compare_digest(secret.encode(), token.encode()):  # same time whatever matches
                return caller
        return None


def bearer(request: Request | WebSocket) -> str | None:
    """The token from the Authorization header. Only a WebSocket may carry it as `?token=`
    (a browser cannot set headers there); the logs never show query strings (server/logs.py)."""
    token = bearer_token(request.headers.get("authorization", ""))
    if token is not None:
        return token
    if request.scope.get("type") == "websocket":
        return request.query_params.get("token")
    return None


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value."""
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def require(tokens: Tokens, request: Request, *roles: str, counter: int | None = None) -> Caller:
    caller = tokens.caller(bearer(request))
    if caller is None:
        raise HTTPException(
            401,
            "a valid bearer token is needed (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if caller.role not in roles:
        raise HTTPException(403, f"a {caller.role} token cannot do this; it needs a {' or '.join(roles)} token")
    if counter is not None and caller.role == "counter" and caller.counter != counter:
        raise HTTPException(403, f"this token belongs to counter {caller.counter}, not counter {counter}")
    presence = getattr(request.app.state, "presence", None)  # the hall's health page: who calls
    if presence is not None:
        presence.note(caller, request)
    return caller


def scoped(caller: Caller, key: str | None) -> str | None:
    """An idempotency key belongs to the device that sent it: kiosk B sending kiosk A's key gets
    its own answer, never A's ticket."""
    return None if key is None else f"{caller.token_id}/{key}"
