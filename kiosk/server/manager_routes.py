"""The manager's: the waiting-time log (JSON or CSV), the report with the reception log's figures,
and closing the business day."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import PlainTextResponse
from pydantic import BeforeValidator

from kiosk.config import Language
from kiosk.report import read_report
from kiosk.reports import (
    LogFilter,
    log_rows,
    to_csv,
)
from kiosk.server.api import DayClosed, EngineDep, IdemKey, LogRow, Manager, ReportOut, documented
from kiosk.server.auth import scoped
from kiosk.server.wire import out_dict

_ONE = "(day|hour|service|counter|category|staff)"
GROUPINGS = f"^{_ONE}(,{_ONE})*$"  # what `by` may name, documented, so nothing else is sent
NO_NUL = r"^[^\x00]*$"  # the schema says what the server refuses (app.py: no NUL in a query)


def iso_day(value: object) -> object:
    """Only 2026-11-25 is a day here (pydantic would also read "0" as 1 January 1970)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date like 2026-11-25")
    return value


def _filter(
    day_from: date | None, day_to: date | None, service: str | None, counter: int | None, number: str | None
) -> LogFilter:
    """Dates arrive parsed (the schema says `format: date`, so a bad one is a documented 422)."""
    return LogFilter(
        day_from.isoformat() if day_from else None, day_to.isoformat() if day_to else None, service, counter, number
    )


router = APIRouter(prefix="/api/v1", tags=["manager"])


@router.get(
    "/log",
    responses={
        200: {
            "description": "one row per ticket; CSV (UTF-8 with a byte-order mark) with ?format=csv",
            "content": {
                "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/LogRow"}}},
                "text/csv": {},
            },
            "model": list[LogRow],
        }
    },
)
def log(
    engine: EngineDep,
    _caller: Manager,
    day_from: Annotated[date | None, BeforeValidator(iso_day), Query(alias="from")] = None,
    day_to: Annotated[date | None, BeforeValidator(iso_day), Query(alias="to")] = None,
    service: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    counter: Annotated[int | None, Query(ge=1, le=999)] = None,
    number: Annotated[str | None, Query(max_length=12, pattern=NO_NUL)] = None,
    format: Literal["json", "csv"] = "json",
    lang: Language | None = None,
) -> Any:
    """The waiting-time log. `lang`: service names (and, as CSV, headings, states and yes/no)
    in that language."""
    rows = log_rows(engine.store, engine.config, _filter(day_from, day_to, service, counter, number), lang)
    if format == "csv":
        return PlainTextResponse(
            to_csv(rows, lang),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="waiting-times.csv"'},
        )
    return rows


@router.get("/report", responses=documented(ReportOut))
def report(
    engine: EngineDep,
    _caller: Manager,
    day_from: Annotated[date | None, BeforeValidator(iso_day), Query(alias="from")] = None,
    day_to: Annotated[date | None, BeforeValidator(iso_day), Query(alias="to")] = None,
    by: Annotated[str, Query(max_length=60, pattern=GROUPINGS)] = "service",
) -> dict[str, Any]:
    """The period's figures: in total and grouped (`by` day, hour, service, counter, category,
    staff), the greeting figures, visits by category, the follow-ups and their reply rate,
    and figures per person."""
    groups = [g for g in by.split(",") if g and g != "none"]
    f = _filter(day_from, day_to, None, None, None)
    try:
        return read_report(engine.store, engine.config, f, engine.clock.now(), groups).as_dict()
    except ValueError as e:
        raise HTTPException(422, f"by: {e}") from None


@router.post("/day/close", responses={**documented(DayClosed), 409: {"description": "tickets are still open"}})
def close_day(engine: EngineDep, caller: Manager, idempotency_key: IdemKey = None) -> dict[str, Any]:
    """End the business day: every counter closes. Refused (409, why "tickets_open", with
    the numbers) while any ticket is still open: the last customer is always served."""
    closed = engine.close_day(key=scoped(caller, idempotency_key))
    return out_dict({"business_day": closed["business_day"], "closed_at": closed["closed_at"]}, engine.tz)
