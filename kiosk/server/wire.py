"""What goes over the wire: times as ISO 8601 with the site's offset, and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TIME_KEYS = {
    "queue_time",
    "issued_at",
    "first_called_at",
    "called_at",
    "started_at",
    "finished_at",
    "arrival_at",
    "confirmed_at",
    "pause_until",
    "at",
    "closed_at",
    "next_open",
    "escalated_at",
    "staff_since",
    "opened_at",
    "due_at",
    "replied_at",
    "overdue_alerted_at",
    "appointment_at",
    "checked_in_at",
    "check_in_until",
}


def iso(t: float | None, tz: ZoneInfo) -> str | None:
    """A time for the wire. A value no calendar holds (a stored year 9999, NaN) becomes None
    rather than an error: one bad row must never stop a screen from reading the hall."""
    if t is None:
        return None
    try:
        return datetime.fromtimestamp(t, tz).isoformat(timespec="milliseconds")
    except (OverflowError, ValueError, OSError):
        return None


def out(value: Any, tz: ZoneInfo) -> Any:
    """Convert POSIX times (by key name) to ISO strings, recursively."""
    if isinstance(value, dict):
        return {
            k: (iso(v, tz) if k in TIME_KEYS and isinstance(v, (int, float)) else out(v, tz)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [out(v, tz) for v in value]
    return value


def out_dict(value: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """`out` for one JSON object, typed as one."""
    converted: dict[str, Any] = out(value, tz)
    return converted


def back(value: Any) -> Any:
    """The inverse, for clients: ISO strings (by key name) to POSIX times."""
    if isinstance(value, dict):
        return {
            k: (datetime.fromisoformat(v).timestamp() if k in TIME_KEYS and isinstance(v, str) else back(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [back(v) for v in value]
    return value
