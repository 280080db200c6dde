"""Who may use the web manager view: a manager with a session opened by their PIN.

- The session cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page
  sends it), limited to /manage, and Secure when the server speaks HTTPS.
- Every POST must carry the session's CSRF token (a form field, or the X-CSRF-Token header
  htmx sends) and, when the browser says where it comes from, come from this server's origin.
- Bearer tokens mean nothing here: a kiosk's, a counter's or even a manager device's token
  opens no page; only a person's PIN does.
- The PIN lock-out is the one the screens and the API count (kiosk/engine/staff.py).
"""

from __future__ import annotations

import hmac
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request

from kiosk.engine import Engine
from kiosk.engine.sessions import IDLE_S, Session

COOKIE = "kiosk_manager"
LANG_COOKIE = "kiosk_manager_lang"
PATH = "/manage"


class SignInNeeded(Exception):
    """No session: a page goes to the sign-in form, an action or a partial update gets 401."""

    def __init__(self, where: str):
        self.where = where


def session_of(engine: Engine, request: Request) -> Session:
    session = engine.session(request.cookies.get(COOKIE))
    if session is None:
        raise SignInNeeded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return session


def same_origin(request: Request) -> None:
    """A POST whose Origin (or Referer) names another site is refused, whatever it carries."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and origin != "null":
        there = urlsplit(origin)
        if there.netloc != request.headers.get("host", request.url.netloc):
            raise HTTPException(403, "this form was sent from another site")


def check_csrf(request: Request, session: Session, sent: str | None) -> None:
    same_origin(request)
    token = sent or request.headers.get("x-csrf-token") or ""
    if not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise HTTPException(403, "the form's security token is missing or stale: reload the page and try again")


def set_session_cookie(response, request: Request, secret: str) -> None:  # type: ignore[no-untyped-def]
    response.set_cookie(
        COOKIE,
        secret,
        max_age=int(IDLE_S * 48),  # the store ends an idle session; the cookie only carries it
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def sign_in_address(where: str) -> str:
    return f"{PATH}/sign-in?next={quote(where, safe='')}"


def safe_next(where: str | None) -> str:
    """Only a path of this view: a sign-in link never sends a manager to another site."""
    if where and where.startswith(PATH + "/") and not where.startswith("//") and "\\" not in where:
        return where
    return f"{PATH}/log"
