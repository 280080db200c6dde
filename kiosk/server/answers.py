"""The refusals every route answers alike: the FastAPI app's exception handlers and the lean hot
routes (hot_routes.py) both build them here, so a refusal reads the same whichever answered."""

from __future__ import annotations

import logging
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError

from kiosk.engine import QueueError
from kiosk.server.hall_routes import Outage

logger = logging.getLogger("kiosk.server.app")
STATUS = {"not_found": 404, "conflict": 409, "refused": 409, "invalid": 422, "forbidden": 403}


def queue_refusal(e: QueueError) -> JSONResponse:
    body: dict[str, Any] = {"detail": e.message, "code": e.code}
    if e.why:
        body |= {"why": e.why, "params": e.params}
    if e.why == "rate_limited":
        return JSONResponse(body, 429, headers={"Retry-After": str(e.params["retry_after"])})
    if "retry_after" in e.params:  # a PIN lock-out: when to try again
        return JSONResponse(body, STATUS.get(e.code, 400), headers={"Retry-After": str(e.params["retry_after"])})
    return JSONResponse(body, STATUS.get(e.code, 400))


def database_trouble(e: DBAPIError, outage: Outage) -> JSONResponse:
    """A value the database cannot store is the request's fault (400); anything else means the
    database is down, restarting or full: 503 with when to try again, and one log line per
    outage, not a traceback per request."""
    if isinstance(e, DataError):
        logger.info("a value the database refused: %s", " ".join(str(e.orig or e).split())[:200])
        return JSONResponse({"detail": "a value in the request cannot be stored", "code": "invalid"}, 400)
    outage.begin(" ".join(str(e.orig or e).split())[:300])
    return JSONResponse(
        {"detail": "the queue's database is not available right now; try again shortly", "code": "unavailable"},
        503,
        headers={"Retry-After": "2"},
    )
