"""The customer's phone: the status page the QR code on a ticket leads to, its content as JSON,
its live stream, and "Alert me". No key but the ticket's own random token; nothing personal
is shown; the page loads nothing from elsewhere."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import asyncio
import json
from collections.abc import AsyncIterator
from html import escape
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from kiosk.config import Language
from kiosk.domain import LANGUAGES
from kiosk.engine import QueueError
from kiosk.server.api import Body, EngineDep, documented
from kiosk.server.status_stream import StatusWatchers, Watcher

_PHONE = files("kiosk.server").joinpath("phone")
PAGE = _PHONE.joinpath("status.html").read_text(encoding="utf-8")
STATIC = {
    "status.js": (_PHONE.joinpath("status.js").read_text(encoding="utf-8"), "text/javascript; charset=utf-8"),
    "status.css": (_PHONE.joinpath("status.css").read_text(encoding="utf-8"), "text/css; charset=utf-8"),
}
KEEP_ALIVE_S = 25.0  # a comment on a quiet stream: proxies keep it open, a gone phone is noticed

# Nothing from elsewhere, no inline script, never framed (a fake kiosk page around it), and its
# address, which holds the ticket's token, never sent to another site.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cache-Control": "no-store",
}
AskedLanguage = Annotated[Language | None, Query(alias="lang")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such ticket (any token that is not a ticket's, however long)"}
}

router = APIRouter(tags=["customer"])


def phones_of(request: Request) -> StatusWatchers:
    phones: StatusWatchers = request.app.state.phones
    return phones


@router.get("/t/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404, "no such file")
    text, media = STATIC[name]
    return Response(text, media_type=media, headers={"Cache-Control": "max-age=3600", **PAGE_HEADERS})


@router.get(
    "/t/{token}",
    # the page as HTML; `{token}.json` its content as JSON; errors as JSON like every route's
    responses={200: {"description": "the page, or its content", "content": {"text/html": {}}}, **NOT_FOUND},
)
def status_page(request: Request, token: str, lang: str | None = None) -> Response:
    """The page (or, for `{token}.json`, its content): the ticket's state in its language (a
    language the page does not speak in `lang`: the ticket's own, as a person would expect)."""
    json_asked = token.endswith(".json")
    asked = lang if lang in LANGUAGES else None
    text = _content(phones_of(request), token[:-5] if json_asked else token, asked)
    if json_asked:
        return Response(text, media_type="application/json", headers=PAGE_HEADERS)
    return HTMLResponse(_filled(json.loads(text)), headers=PAGE_HEADERS)


@router.get(
    "/t/{token}/live",
    responses={
        200: {
            "description": "server-sent events: the page's content whenever it changes",
            "content": {"text/event-stream": {}},
        },
        **NOT_FOUND,
        503: {"description": "too many phones watching: poll `/t/{token}.json` instead"},
    },
)
async def live(request: Request, token: str, lang: AskedLanguage = None) -> Response:
    phones = phones_of(request)
    if len(phones.watchers) >= phones.engine.config.phone.max_watchers:
        return JSONResponse(
            {"detail": "too many phones watching; poll /t/{token}.json", "code": "unavailable"},
            503,
            headers={"Retry-After": "30"},
        )
    w = Watcher(token, lang)
    phones.watch(w)  # before the first content: a change while it is read is not missed
    try:
        first = await asyncio.to_thread(_content, phones, token, lang)
    except BaseException:
        phones.leave(w)
        raise
    w.last = w.last or first

    async def stream() -> AsyncIterator[str]:
        try:
            yield f"retry: 3000\ndata: {first}\n\n"
            while True:
                try:
                    text = await asyncio.wait_for(w.queue.get(), KEEP_ALIVE_S)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                yield f"data: {text}\n\n"
        finally:
            phones.leave(w)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


class AlertsOut(BaseModel):
    alerts: bool  # false: the ticket is no longer in line


@router.post("/t/{token}/alerts", responses={**documented(AlertsOut), **NOT_FOUND})
def ask_alerts(engine: EngineDep, token: str) -> dict[str, Any]:
    """The customer tapped "Alert me": counted for the daily report (false: the ticket is no
    longer in line)."""
    if len(token) > 64:
        raise HTTPException(404, "no such ticket")
    try:
        return {"alerts": engine.ask_alerts(token)}
    except QueueError:
        raise HTTPException(404, "no such ticket") from None


class TextRequest(Body):
    phone: Annotated[str, Field(min_length=1, max_length=32)]


class TextsOut(BaseModel):
    to: str  # the number, masked but its last three digits


@router.post(
    "/t/{token}/texts",
    responses={
        **documented(TextsOut),
        **NOT_FOUND,
        409: {"description": "no text messages here (no modem), or the ticket is no longer in line"},
    },
)
def ask_texts(engine: EngineDep, token: str, body: TextRequest) -> dict[str, Any]:
    """Text this ticket's customer at a few ahead and at the call. The number is kept only while
    the ticket is in line, and never shown again in full, sent on the event stream or logged."""
    if len(token) > 64:
        raise HTTPException(404, "no such ticket")
    if not engine.config.sms.modem:
        raise QueueError("conflict", "text messages are not offered here", "no_texts")
    return {"to": engine.ask_text(token, body.phone)}


def _content(phones: StatusWatchers, token: str, lang: str | None) -> str:
    if len(token) > 64:  # no ticket's token is this long: not found, not a validation error
        raise HTTPException(404, "no such ticket")
    text = phones.content(token, lang)
    if text is None:
        raise HTTPException(404, "no such ticket")
    return text


def _filled(d: dict[str, Any]) -> str:
    """The page with its first content in place: readable before any script runs."""
    words = d["words"]
    values = {
        "lang": d["lang"],
        "state": d["state"],
        "number": d["number"],
        "site": d["site"],
        "service": d["service"],
        "headline": d["headline"],
        "title": words["title"],
        "language": words["language"],
        "your_number": words["your_number"],
        "alert_me": words["alert_me"],
        "alert_how": words["alert_how"],
        "alerts_on": words["alerts_on"],
        "updated": f"{words['live']} · {d['updated']}",
    }
    page = PAGE
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", escape(str(value)))
    page = page.replace("{{lines}}", "".join(f"<li>{escape(line)}</li>" for line in d["lines"]))
    return page.replace("{{alert_hidden}}", "" if d["can_alert"] and not d["alerts_on"] else "hidden")
