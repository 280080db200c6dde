"""What every screen reads: the server's health, the configuration to draw with, who a token is,
and the whole hall's state."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from kiosk.engine.rows import _status_dict
from kiosk.server.api import READ_ROLES, EngineDep, HallStateOut, Health, Me, Reader, documented, role, ticket_json
from kiosk.server.auth import Caller
from kiosk.server.wire import out_dict

logger = logging.getLogger("kiosk.server.app")


class Outage:
    """When the database went away: one log line when an outage begins and one when it ends,
    not a line (or a traceback) per request."""

    since: float | None = None

    def begin(self, why: str) -> None:
        if self.since is None:
            logger.warning("database trouble: %s", why)
            self.since = time.monotonic()

    def end(self) -> None:
        if self.since is not None:
            logger.warning("database available again after %.0f s", time.monotonic() - self.since)
            self.since = None


router = APIRouter()


@router.get("/healthz", tags=["health"], responses={**documented(Health), 503: {"model": Health}})
def healthz(engine: EngineDep, request: Request) -> Any:
    """200 when the queue can take a ticket now: the database answers and takes a new write
    (and, on SQLite, its disk has room); else 503 saying why."""
    outage: Outage = request.app.state.outage
    try:
        low = engine.store.disk_short()
        if low:
            raise OSError(low)
        engine.check_writable()
        seq = engine.last_event_seq()
    except Exception as e:
        why = " ".join(str(getattr(e, "orig", None) or e).split())[:200]
        outage.begin(why)
        return JSONResponse(
            {"status": "unavailable", "detail": f"the database cannot take a write: {why}"},
            503,
            headers={"Retry-After": "2"},
        )
    outage.end()
    return {"status": "ok", "branch": engine.branch, "last_event_seq": seq}


@router.get("/api/v1/config", tags=["screens"])
def screen_config(engine: EngineDep, _caller: Reader) -> dict[str, Any]:
    """What remote screens need to draw themselves: no tokens, no PIN and no PIN's hash.
    Counters sign in and the manager view opens through the server, which checks the PIN
    (`/api/v1/counters/{id}/sign-in`, `/api/v1/manager-pin`); a kiosk's exit PIN is in
    that kiosk's own configuration."""
    data = engine.config.model_dump(mode="json", exclude={"tokens": True, "site": {"database", "staff_pin"}})
    for person in data["staff"]:
        person["pin"] = ""
    return data


@router.get("/api/v1/me", tags=["screens"], responses=documented(Me))
def me(engine: EngineDep, caller: Annotated[Caller, Depends(role(*READ_ROLES, "sensor"))]) -> dict[str, Any]:
    """Who this token is: a remote kiosk learns the name its reprints are addressed to."""
    return {"role": caller.role, "name": caller.name, "counter": caller.counter}


@router.get("/api/v1/state", tags=["screens"], responses=documented(HallStateOut))
def state(
    engine: EngineDep,
    _caller: Annotated[Caller, Depends(role("counter", "display", "manager", "kiosk"))],
) -> dict[str, Any]:
    st = engine.hall_state()  # the same state a screen on this machine reads
    return out_dict(
        {
            "last_event_seq": st.last_event_seq,
            "site_open": st.site_open,
            "next_open": st.next_open,
            "counters": [_status_dict(c) for c in st.counters],
            "current": {str(cid): ticket_json(engine, t) for cid, t in st.current.items()},
            "waiting": st.waiting,
            "recent_calls": [ticket_json(engine, t) for t in st.recent_calls],
            "no_shows": [ticket_json(engine, t) for t in st.no_shows],
            "alerts": [{"seq": e.seq, "at": e.at, **e.data} for e in st.alerts],
            "greetings": st.greetings,
        },
        engine.tz,
    )
