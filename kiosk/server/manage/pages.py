"""The web manager view at /manage: sign in with a manager's PIN, the waiting-time log with its
figures and chart, CSV and the daily PDF, reprints, the follow-up board with replies, the
counters today with their services and closing the day, and the hall's health; live through
/manage/live. Server-rendered pages (Jinja2, escaped by default); htmx (vendored, see
static/VENDORED.md) swaps the live regions and submits the forms without a reload, and every
form still works without it."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from kiosk.domain import LANGUAGES
from kiosk.engine import Engine, QueueError
from kiosk.engine.sessions import Session
from kiosk.hall_health import read_health
from kiosk.refusal_texts import refusal_text
from kiosk.report import Report, read_report
from kiosk.report_text import LOG_COLUMNS, REPLY_METHODS, target_of
from kiosk.reports import LogFilter, to_csv
from kiosk.server.api import EngineDep
from kiosk.server.manage import live
from kiosk.server.manage.texts import translator
from kiosk.server.manage.views import (
    ROWS_SHOWN,
    figure_rows,
    follow_up_rows,
    greeting_rows,
    health_view,
    hour_chart,
    log_table,
)
from kiosk.server.manage.web_auth import (
    COOKIE,
    LANG_COOKIE,
    PATH,
    SignInNeeded,
    check_csrf,
    safe_next,
    same_origin,
    session_of,
    set_session_cookie,
    sign_in_address,
)

STATIC_DIR = files("kiosk.server.manage").joinpath("static")
STATIC = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "manage.js": "text/javascript; charset=utf-8",
    "manage.css": "text/css; charset=utf-8",
}
_STATIC_CACHE: dict[str, bytes] = {}
FLASH = "kiosk_manager_flash"
# Nothing from elsewhere, no inline script or style, never framed, forms only to this server.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
LANG_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
HTML_LANG = {"zh-Hant": "zh-Hant", "zh-Hans": "zh-Hans", "en": "en"}
MakePdf = Callable[[Report, str], bytes]

templates = Environment(
    loader=PackageLoader("kiosk.server.manage", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
router = APIRouter(prefix=PATH, include_in_schema=False)


# ---------------------------------------------------------------- the frame of every page
def lang_of(request: Request, engine: Engine) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LANGUAGES else engine.config.site.language


def today_of(engine: Engine) -> date:
    return datetime.fromtimestamp(engine.clock.now(), engine.tz).date()


def page(
    request: Request,
    engine: Engine,
    session: Session | None,
    template: str,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    lang = lang_of(request, engine)
    t = translator(lang)
    flash = request.cookies.get(FLASH)
    body = templates.get_template(template).render(
        t=t,
        lang=lang,
        html_lang=HTML_LANG[lang],
        languages=LANG_NAMES,
        site=engine.config.site.name[lang],
        session=session,
        seq=getattr(request.state, "seq", None),
        csrf=session.csrf if session else "",
        path=request.url.path,
        query=request.url.query,
        other_query=urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"]),
        flash=values.pop("flash", None) or (flash and unquote(flash)),
        **values,
    )
    response = HTMLResponse(body, status, headers=PAGE_HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path=PATH, samesite="strict", httponly=True)
    if flash:
        response.delete_cookie(FLASH, path=PATH)
    return response


def unavailable_page(request: Request, engine: Engine, retry_s: int) -> HTMLResponse:
    """The database is away (PostgreSQL restarting, a full disk): a page in the manager's
    language, not the API's JSON. A page asked for tries again by itself; a form sent was not
    saved, and says so (sending it again by itself could act twice)."""
    again = request.method == "GET"
    if again:
        retry_href = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:  # back to the page the form was on
        back = urlsplit(request.headers.get("referer", "")).path
        retry_href = back if back.startswith(PATH) else PATH
    response = page(request, engine, None, "unavailable.html", 503, again=again, retry_s=retry_s, retry_href=retry_href)
    response.headers["Retry-After"] = str(retry_s)
    return response


def back_to(where: str, message: str) -> RedirectResponse:
    """After an action: to the page, with what happened said once there (a cookie, not the
    address: a reload does not say it again)."""
    response = RedirectResponse(where, 303)
    text = quote(message[:300], safe="")  # a cookie holds ASCII: the message in any language, escaped
    response.set_cookie(FLASH, text, max_age=60, path=PATH, samesite="strict", httponly=True)
    return response


def refused(e: QueueError, request: Request, engine: Engine) -> str:
    lang = lang_of(request, engine)
    return refusal_text(e, lang, engine.config, translator(lang))


def signed_in(engine: Engine, request: Request) -> Session:
    """The session, and the last event before the page reads anything: its live feed catches
    up from there (what happens while the page is drawn is not lost)."""
    session = session_of(engine, request)
    request.state.seq = engine.last_event_seq()
    return session


def acting(engine: Engine, request: Request, csrf: str | None) -> Session:
    """A POST: a session, and the session's CSRF token with it."""
    try:
        session = session_of(engine, request)
    except SignInNeeded:
        same_origin(request)
        raise HTTPException(401, "sign in first (/manage/sign-in)") from None
    check_csrf(request, session, csrf)
    return session


Csrf = Annotated[str | None, Form(max_length=100)]


# ---------------------------------------------------------------- sign in and out
@router.get("", response_class=RedirectResponse)
@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse(f"{PATH}/log", 303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, engine: EngineDep, next: str | None = None) -> HTMLResponse:
    return page(request, engine, None, "sign_in.html", next=safe_next(next))


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    engine: EngineDep,
    pin: Annotated[str, Form(max_length=12)],
    next: Annotated[str | None, Form(max_length=300)] = None,
) -> Response:
    """A manager's PIN opens a session. Wrong PINs count toward the same lock-out as the screens'
    and the API's; a clerk's PIN is "only a manager" and does not count."""
    same_origin(request)
    try:
        manager = engine.check_manager_pin(pin.strip())
    except QueueError as e:
        status = 429 if e.why == "pin_locked" else 403
        # the PIN pad's words: there is no name here to "not match"
        error = (
            translator(lang_of(request, engine))("Wrong PIN") if e.why == "wrong_pin" else refused(e, request, engine)
        )
        return page(request, engine, None, "sign_in.html", status, next=safe_next(next), error=error)
    secret, _session = engine.open_session(manager)
    response = RedirectResponse(safe_next(next), 303)
    set_session_cookie(response, request, secret)
    return response


@router.post("/sign-out")
def sign_out(request: Request, engine: EngineDep, csrf: Csrf = None) -> Response:
    acting(engine, request, csrf)
    engine.end_session(request.cookies.get(COOKIE))
    response = RedirectResponse(f"{PATH}/sign-in", 303)
    response.delete_cookie(COOKIE, path=PATH)
    return response


# ---------------------------------------------------------------- the waiting-time log
def _log_filter(engine: Engine, request: Request) -> tuple[LogFilter, dict[str, str], str | None]:
    """The filter from the address; a day that is not a date is named, not guessed."""
    q = request.query_params
    today = today_of(engine)
    problem = None
    days = {}
    for key, default in (("from", today), ("to", today)):
        text = (q.get(key) or "").strip()
        if not text:
            days[key] = default.isoformat()
            continue
        try:
            days[key] = date.fromisoformat(text).isoformat()
        except ValueError:
            problem = f"{key}: {text[:20]!r} is not a date like {today.isoformat()}"
            days[key] = default.isoformat()
    service = q.get("service") or None
    if service is not None and service not in {s.code for s in engine.config.services}:
        service = None
    counter_text = q.get("counter") or ""
    counter = int(counter_text) if counter_text.isdigit() and int(counter_text) in engine.counter_info else None
    number = (q.get("number") or "").strip()[:12] or None
    form = {"from": days["from"], "to": days["to"], "service": service or "", "counter": str(counter or "")}
    form["number"] = number or ""
    return LogFilter(days["from"], days["to"], service, counter, number), form, problem


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, engine: EngineDep) -> Response:
    session = signed_in(engine, request)
    lang = lang_of(request, engine)
    t = translator(lang)
    f, form, problem = _log_filter(engine, request)
    report = read_report(engine.store, engine.config, f, engine.clock.now(), lang=lang)
    today = today_of(engine).isoformat()
    query = "&".join(f"{k}={v}" for k, v in form.items() if v)
    return page(
        request,
        engine,
        session,
        "log.html",
        title=t("Waiting-time log"),
        form=form,
        flash=problem,
        services=[(s.code, s.names[lang]) for s in engine.config.services],
        counters=[(c.id, c.name_in(lang)) for c in engine.config.counters],
        figures=figure_rows(report, t),
        greetings=greeting_rows(report, t),
        chart=hour_chart(report.by_hour, target_of(engine.config, f.service), t),
        columns=[t(h) for _, h in LOG_COLUMNS],
        rows=log_table(report, engine.config, lang, today, t),
        total_rows=len(report.rows),
        rows_shown=ROWS_SHOWN,
        live_log=(f.day_to or today) >= today,
        export_query=query + f"&lang={lang}",
    )


@router.get("/log.csv")
def log_csv(request: Request, engine: EngineDep) -> Response:
    signed_in(engine, request)
    lang = lang_of(request, engine)
    f, _form, _problem = _log_filter(engine, request)
    report = read_report(engine.store, engine.config, f, engine.clock.now(), lang=lang)
    return PlainTextResponse(
        to_csv(report.rows, lang),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="waiting-times-{f.day_from}.csv"', **PAGE_HEADERS},
    )


@router.get("/report.pdf")
async def report_pdf(request: Request, engine: EngineDep) -> Response:
    signed_in(engine, request)
    make_pdf: MakePdf | None = request.app.state.make_pdf
    if make_pdf is None:
        raise HTTPException(503, "this server cannot write PDFs: install the screens part (Qt) beside it")
    lang = lang_of(request, engine)
    f, _form, _problem = _log_filter(engine, request)
    now = engine.clock.now()
    report = await asyncio.to_thread(read_report, engine.store, engine.config, f, now, ("service",), lang)
    try:
        pdf = await asyncio.to_thread(make_pdf, report, lang)
    except Exception as e:  # no Qt on this server, or the writer failed: said, not a 500
        raise HTTPException(503, f"the PDF could not be written here: {' '.join(str(e).split())[:300]}") from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="waiting-times-{f.day_from}.pdf"', **PAGE_HEADERS},
    )


@router.post("/reprint")
def reprint(
    request: Request,
    engine: EngineDep,
    number: Annotated[str, Form(max_length=12)],
    csrf: Csrf = None,
    back: Annotated[str | None, Form(max_length=300)] = None,
) -> Response:
    session = acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    where = safe_next(back)
    try:
        ticket = engine.ticket_by_number(number)
        engine.reprint(ticket.id, by=session.name, key=f"web-reprint-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(where, refused(e, request, engine))
    return back_to(where, t("Ticket {n} is printing again at the kiosk").replace("{n}", ticket.number))


# ---------------------------------------------------------------- follow-ups
@router.get("/follow-ups", response_class=HTMLResponse)
def follow_ups_page(request: Request, engine: EngineDep) -> Response:
    session = signed_in(engine, request)
    lang = lang_of(request, engine)
    t = translator(lang)
    rows = follow_up_rows(engine.follow_ups(), engine.config, lang, engine.clock.now(), t)
    return page(
        request,
        engine,
        session,
        "follow_ups.html",
        title=t("Follow-ups"),
        rows=rows,
        methods=[(code, t(words)) for code, words in REPLY_METHODS],
        open_count=sum(r["open"] for r in rows),
        overdue=sum(r["late"] for r in rows),
    )


@router.post("/follow-ups/{follow_up_id}/reply")
def reply(
    request: Request,
    engine: EngineDep,
    follow_up_id: int,
    method: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=500)] = "",
    csrf: Csrf = None,
) -> Response:
    session = acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    try:
        fu = engine.reply_follow_up(follow_up_id, session.name, method, note.strip(), key=f"web-reply-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(f"{PATH}/follow-ups", refused(e, request, engine))
    return back_to(f"{PATH}/follow-ups", f"{t('Replied')}: {fu['number']}")


@router.post("/follow-ups/{follow_up_id}/reopen")
def reopen(
    request: Request,
    engine: EngineDep,
    follow_up_id: int,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: Csrf = None,
) -> Response:
    """The reply did not settle it: open again, due anew from now (as in the Qt board)."""
    acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    try:
        fu = engine.reopen_follow_up(follow_up_id, reason.strip(), key=f"web-reopen-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(f"{PATH}/follow-ups", refused(e, request, engine))
    return back_to(f"{PATH}/follow-ups", f"{t('Reopen')}: {fu['number']}")


# ---------------------------------------------------------------- counters today
def _counters_page(request: Request, engine: Engine, session: Session, **values: Any) -> HTMLResponse:
    lang = lang_of(request, engine)
    t = translator(lang)
    state = engine.hall_state()
    waiting = sum(state.waiting.values())
    counters = [
        {
            "id": c.id,
            "name": engine.config.counter_name(c.id, lang),
            "person": c.staff_name or "–",
            "state": t({"open": "Open", "paused": "Paused", "closed": "Closed"}.get(str(c.state.value), "Closed")),
            "services": [(s.code, s.names[lang], s.code in c.services) for s in engine.config.services],
        }
        for c in state.counters
    ]
    title = t("Counters today")
    return page(request, engine, session, "counters.html", title=title, counters=counters, waiting=waiting, **values)


@router.get("/counters", response_class=HTMLResponse)
def counters_page(request: Request, engine: EngineDep) -> Response:
    return _counters_page(request, engine, signed_in(engine, request))


@router.post("/counters/{counter_id}/services")
async def set_services(request: Request, engine: EngineDep, counter_id: int) -> Response:
    form = await request.form()
    session = acting(engine, request, str(form.get("csrf") or "") or None)
    lang = lang_of(request, engine)
    t = translator(lang)
    if counter_id not in engine.counter_info:
        raise HTTPException(404, f"there is no counter {counter_id}")
    services = [str(s) for s in form.getlist("service")][:50]
    try:
        status = await asyncio.to_thread(
            engine.set_counter_services, counter_id, services, session.name, key=f"web-services-{uuid.uuid4()}"
        )
    except QueueError as e:
        return back_to(f"{PATH}/counters", refused(e, request, engine))
    names = ", ".join(s.names[lang] for s in engine.config.services if s.code in status.services)
    return back_to(
        f"{PATH}/counters", f"{engine.config.counter_name(counter_id, lang)}: {names} ({t('from its next call')})"
    )


@router.post("/day/close")
def close_day(
    request: Request,
    engine: EngineDep,
    csrf: Csrf = None,
    confirm: Annotated[str | None, Form(max_length=8)] = None,
) -> Response:
    """Two steps: the first press asks, the second closes (a day is not closed by one stray tap)."""
    session = acting(engine, request, csrf)
    t = translator(lang_of(request, engine))
    if confirm != "yes":
        return _counters_page(request, engine, session, confirm_close=True)
    try:
        closed = engine.close_day(key=f"web-close-day-{uuid.uuid4()}")
    except QueueError as e:
        return back_to(f"{PATH}/counters", refused(e, request, engine))
    return back_to(f"{PATH}/counters", f"{t('The day is closed')}: {closed['business_day']}")


# ---------------------------------------------------------------- the hall's health
@router.get("/health", response_class=HTMLResponse)
def health_page(request: Request, engine: EngineDep) -> Response:
    session = signed_in(engine, request)
    t = translator(lang_of(request, engine))
    h = health_view(read_health(engine), engine.config, t)
    return page(request, engine, session, "health.html", title=t("Hall health"), h=h)


@router.get("/news", response_class=HTMLResponse)
def news(request: Request, engine: EngineDep) -> Response:
    """The strip under the header on every page: what needs the manager now."""
    session = signed_in(engine, request)
    now = engine.clock.now()
    overdue = [f["number"] for f in engine.follow_ups("overdue")]
    state = engine.hall_state()
    escalated = [g for g in state.greetings if g.get("escalated")]
    problems = read_health(engine).problems
    return page(
        request, engine, session, "news.html", overdue=overdue, escalated=len(escalated), problems=problems, now=now
    )


# ---------------------------------------------------------------- live, and the files
@router.get("/live")
async def live_stream(
    request: Request, engine: EngineDep, after: Annotated[int | None, Query(ge=0, le=2**62)] = None
) -> Response:
    """Server-sent events: the topics of what changed ("tickets", "follow-ups", "counters",
    "devices", "greetings"), at most twice a second; the page refreshes what shows them."""
    try:
        session_of(engine, request)
    except SignInNeeded:
        raise HTTPException(401, "sign in first") from None
    feed: live.ManagerFeed = request.app.state.manager_feed
    queue = feed.join()
    if queue is None:
        raise HTTPException(503, "too many manager pages are open; this one refreshes when you reload")

    resume = request.headers.get("last-event-id", "")
    since = int(resume) if resume.isdigit() else after

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 3000\n\n"
            if since is not None:
                missed = await asyncio.to_thread(engine.events_after, since, 1000)
                if missed and (said := live.catch_up(missed)):
                    yield said
            async for message in feed.messages(queue, lambda: engine.session(request.cookies.get(COOKIE)) is not None):
                yield message
        finally:
            feed.leave(queue)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404, "no such file")
    if name not in _STATIC_CACHE:
        _STATIC_CACHE[name] = STATIC_DIR.joinpath(name).read_bytes()
    return Response(_STATIC_CACHE[name], media_type=STATIC[name], headers={"Cache-Control": "max-age=3600"})


def sign_in_redirect(exc: SignInNeeded, request: Request) -> Response:
    """A page without a session goes to the sign-in form and back; a partial update gets 401
    (the page's script then goes to the form)."""
    if request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true":
        return PlainTextResponse("sign in first", 401)
    return RedirectResponse(sign_in_address(exc.where), 303)
