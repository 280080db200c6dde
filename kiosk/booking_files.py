"""Bookings read from a file for `kiosk appointments import FILE`: CSV (as a spreadsheet or a
booking site exports it) or iCalendar (.ics, as a calendar exports it). Every row is checked
before anything is imported; a bad row is named by its line (CSV) or event (ICS) and what is
wrong with it, and nothing is imported.

CSV: a header row, then one booking a row. Columns (any order; case and spaces ignored):
  service   the service's code or its name in any language (required)
  date      YYYY-MM-DD, and time HH:MM (local to the site), or one column `at` YYYY-MM-DDTHH:MM
  ref       the reference the customer was given (4-16 letters/digits; empty: one is made)
  name, phone  optional; erased after the day (config [appointments] keep_personal_days)
A UTF-8 file with or without a byte-order mark (Excel's "CSV UTF-8") is read as is.

ICS: one VEVENT a booking. DTSTART is the time (a floating time is the site's local time);
the service is CATEGORIES or, failing that, the SUMMARY (a code or a name, or a SUMMARY that
contains one); the reference is X-KIOSK-REF (or none: one is made); the name is the ATTENDEE's
CN or CONTACT; the phone X-PHONE or a tel: ATTENDEE.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import KioskConfig
from kiosk.engine.appointments import Booking


class BookingFileError(Exception):
    """A file that cannot be imported: every problem, each naming its row."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: nothing imported; " + "; ".join(problems))


def read_bookings(path: Path, config: KioskConfig) -> list[Booking]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise BookingFileError(path, [f"cannot read it ({e.strerror or e})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BookingFileError(path, [f"not UTF-8 text (byte {e.start})"]) from None
    services = _service_names(config)
    tz = config.tz()
    if path.suffix.lower() in (".ics", ".ical", ".ifb") or text.lstrip().startswith("BEGIN:VCALENDAR"):
        bookings, problems = _from_ics(text, services, tz)
    else:
        bookings, problems = _from_csv(text, services, tz)
    if not problems and not bookings:
        problems = ["no bookings in it"]
    if problems:
        raise BookingFileError(path, problems)
    return bookings


def _service_names(config: KioskConfig) -> dict[str, str]:
    """Every way a file may name a service (its code, its names), folded -> its code."""
    out: dict[str, str] = {}
    for s in config.services:
        out[s.code.casefold()] = s.code
        for name in s.names.values():
            out[name.strip().casefold()] = s.code
    return out


def _service(text: str, services: dict[str, str], contains: bool = False) -> str | None:
    folded = (text or "").strip().casefold()
    if folded in services:
        return services[folded]
    if contains:  # "Appointment: Payments - Chan" names Payments
        found = {code for name, code in services.items() if name and name in folded}
        return found.pop() if len(found) == 1 else None
    return None


def _from_csv(text: str, services: dict[str, str], tz: ZoneInfo) -> tuple[list[Booking], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return [], ["no header row"]
    columns = {(f or "").strip().casefold(): f for f in reader.fieldnames}
    missing = [c for c in ("service",) if c not in columns]
    if "at" not in columns and not ("date" in columns and "time" in columns):
        missing.append("date and time (or at)")
    if missing:
        return [], [f"line 1: missing column(s) {', '.join(missing)} (found: {', '.join(columns)})"]
    bookings: list[Booking] = []
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        cell = {k: (row.get(f) or "").strip() for k, f in columns.items()}
        if not any(cell.values()):
            continue  # an empty line at the end of a spreadsheet
        wrong: list[str] = []
        code = _service(cell["service"], services)
        if code is None:
            wrong.append(f"no service {cell['service']!r}")
        at = _csv_time(cell, tz, wrong)
        if wrong:
            problems.append(f"line {line}: " + ", ".join(wrong))
        elif code is not None and at is not None:
            bookings.append(
                Booking(code, at, cell.get("ref") or None, cell.get("name") or None, cell.get("phone") or None)
            )
    return bookings, problems


def _csv_time(cell: dict[str, str], tz: ZoneInfo, wrong: list[str]) -> float | None:
    try:
        if cell.get("at"):
            moment = datetime.fromisoformat(cell["at"])
        else:
            moment = datetime.combine(date.fromisoformat(cell["date"]), time.fromisoformat(cell["time"]))
    except ValueError:
        shown = cell.get("at") or f"{cell.get('date', '')} {cell.get('time', '')}"
        wrong.append(f"time {shown.strip()!r} is not YYYY-MM-DD HH:MM")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.timestamp()


def _from_ics(text: str, services: dict[str, str], tz: ZoneInfo) -> tuple[list[Booking], list[str]]:
    from icalendar import Calendar  # only an import of a calendar needs it

    try:
        cal = Calendar.from_ical(text)
    except ValueError as e:
        return [], [f"not an iCalendar file ({e})"]
    bookings: list[Booking] = []
    problems: list[str] = []
    for n, ev in enumerate(cal.walk("VEVENT"), 1):
        summary = str(ev.get("SUMMARY") or "")
        where = f"event {n}" + (f" ({summary})" if summary else "")
        wrong: list[str] = []
        code = None
        for cats in _listed(ev.get("CATEGORIES")):
            for cat in getattr(cats, "cats", [cats]):
                code = code or _service(str(cat), services)
        code = code or _service(summary, services, contains=True)
        if code is None:
            wrong.append("no known service in its CATEGORIES or SUMMARY")
        start = ev.get("DTSTART")
        at = None
        if start is None or not isinstance(start.dt, datetime):
            wrong.append("no DTSTART with a time of day")
        else:
            moment = start.dt if start.dt.tzinfo is not None else start.dt.replace(tzinfo=tz)
            at = moment.timestamp()
        if wrong:
            problems.append(f"{where}: " + ", ".join(wrong))
            continue
        name, phone = _who(ev)
        ref = str(ev.get("X-KIOSK-REF") or "") or None
        assert code is not None and at is not None
        bookings.append(Booking(code, at, ref, name, phone))
    return bookings, problems


def _listed(value: Any) -> Iterable[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _who(ev: Any) -> tuple[str | None, str | None]:
    name = str(ev.get("CONTACT") or "") or None
    phone = str(ev.get("X-PHONE") or "") or None
    for attendee in _listed(ev.get("ATTENDEE")):
        cn = getattr(attendee, "params", {}).get("CN")
        name = name or (str(cn) if cn else None)
        if str(attendee).lower().startswith("tel:"):
            phone = phone or str(attendee)[4:]
    return name, phone
