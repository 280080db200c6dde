"""The hall's health on one page: each printer, each sensor, each screen and kiosk, the database,
and the day's staff alerts. Read from what the hall already records (the device alerts on the
event log, the devices' calls to the server, the tickets, the backups): nothing here asks a
device, so a dead printer cannot stall the page that is meant to show it is dead.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from datetime import time as clock_time
from typing import Any

from sqlalchemy import select, text

from kiosk import schema
from kiosk.devices import PrinterState
from kiosk.domain import Event
from kiosk.engine import Engine

ALERTS_READ = 300  # the newest device alerts read: a day of a busy hall's alerts, several times over
FLAPPING_CHANGES = 4  # a sensor that faulted this often today is "flapping", whatever it says now
QUIET_AFTER_S = 120.0  # a screen or kiosk not heard from for this long is "not heard from"
OFFSET_WARN_S = 5.0  # a device clock further off than this: its times on tickets and logs drift


@dataclass(frozen=True)
class DeviceHealth:
    name: str
    kind: str  # printer, sensor, kiosk, counter, display, manager, modem, device
    state: str  # ready, paper_near_end, paper_out, offline, fault, flapping, ok, quiet, ...
    good: bool  # False: someone should look at it
    since: float | None  # when it entered this state
    detail: str  # the device's own words, or what is known (last ticket, version, address)
    last_ticket: str | None = None  # a printer: the last ticket it was asked to print
    version: str | None = None
    clock_offset_s: float | None = None


@dataclass(frozen=True)
class DatabaseHealth:
    kind: str  # "SQLite" or "PostgreSQL"
    latency_ms: float | None  # None: it did not answer
    size_bytes: int | None
    last_backup_at: float | None
    last_backup_file: str | None
    problem: str | None


@dataclass(frozen=True)
class HallHealth:
    at: float
    printers: list[DeviceHealth]
    sensors: list[DeviceHealth]
    devices: list[DeviceHealth]  # screens, kiosks and other callers of the server
    database: DatabaseHealth
    alerts: list[Event]  # today's device alerts, newest first

    @property
    def problems(self) -> int:
        return sum(not d.good for d in self.printers + self.sensors + self.devices) + (
            self.database.problem is not None
        )


def _since_in_state(alerts: list[Event]) -> float:
    """When the device's latest state began: the oldest alert of the run of equal states at
    the newest end (alerts newest first)."""
    since, state = alerts[0].at, alerts[0].data.get("state")
    for ev in alerts[1:]:
        if ev.data.get("state") != state:
            break
        since = ev.at
    return since


def _by_device(alerts: list[Event], kind: str) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for ev in alerts:
        if ev.data.get("kind") == kind:
            out.setdefault(str(ev.data.get("device", "")), []).append(ev)
    return out


def _last_ticket(engine: Engine, device: str) -> str | None:
    """The last ticket a kiosk issued (for a printer named after its kiosk: "kiosk 2: printer")."""
    kiosk = device.split(":", 1)[0]
    T = schema.tickets
    with engine.store.read() as conn:
        row = conn.execute(
            select(T.c.number, T.c.issued_at)
            .where(T.c.branch == engine.branch, T.c.issued_by.in_([kiosk, device]))
            .order_by(T.c.issued_at.desc())
            .limit(1)
        ).first()
    return None if row is None else f"{row.number} {engine.local(row.issued_at):%H:%M}"


def printers(engine: Engine, alerts: list[Event]) -> list[DeviceHealth]:
    out = []
    for name, evs in sorted(_by_device(alerts, "printer").items()):
        state = str(evs[0].data.get("state", "unknown"))
        try:
            good = PrinterState(state).can_print
        except ValueError:
            good = state == "ready"
        out.append(
            DeviceHealth(
                name, "printer", state, good, _since_in_state(evs), str(evs[0].data.get("message", "")),
                last_ticket=_last_ticket(engine, name),
            )
        )  # fmt: skip
    return out


def sensors(engine: Engine, alerts: list[Event], day_start: float) -> list[DeviceHealth]:
    """Every configured sensor (silent ones are well), and any other that raised an alert."""
    by_name = _by_device(alerts, "sensor")
    names = [s.name for s in engine.config.sensors] + sorted(set(by_name) - {s.name for s in engine.config.sensors})
    out = []
    for name in names:
        evs = by_name.get(name, [])
        faults_today = sum(1 for ev in evs if ev.at >= day_start and ev.data.get("state") not in ("ready", "recovered"))
        if not evs:
            out.append(DeviceHealth(name, "sensor", "ok", True, None, ""))
            continue
        state = str(evs[0].data.get("state", ""))
        good = state in ("ready", "recovered")
        if faults_today >= FLAPPING_CHANGES:
            state, good = "flapping", False
        elif good:
            state = "ok"
        out.append(DeviceHealth(name, "sensor", state, good, _since_in_state(evs), str(evs[0].data.get("message", ""))))
    return out


def devices(engine: Engine, now: float) -> list[DeviceHealth]:
    out = []
    for d in engine.devices_seen():
        quiet = now - d.last_seen > QUIET_AFTER_S
        off = d.clock_offset_s is not None and abs(d.clock_offset_s) > OFFSET_WARN_S
        state = "quiet" if quiet else "clock_off" if off else "ok"
        out.append(
            DeviceHealth(
                d.device, d.role, state, not (quiet or off), d.last_seen, d.address,
                version=d.version or None, clock_offset_s=d.clock_offset_s,
            )
        )  # fmt: skip
    return out


def database(engine: Engine) -> DatabaseHealth:
    store = engine.store
    kind = "SQLite" if store.is_sqlite else "PostgreSQL"
    started = time.perf_counter()
    try:
        with store.read() as conn:
            conn.execute(text("SELECT 1"))
            latency = (time.perf_counter() - started) * 1000
            if store.is_sqlite:
                path = store.writer.url.database
                size = None
                if path and path != ":memory:":  # with its write-ahead log, where the newest pages are
                    size = sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))
            else:
                size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
            B = schema.backups
            last = conn.execute(
                select(B.c.at, B.c.file).where(B.c.branch == engine.branch).order_by(B.c.at.desc()).limit(1)
            ).first()
    except Exception as e:
        return DatabaseHealth(kind, None, None, None, None, " ".join(str(getattr(e, "orig", None) or e).split())[:200])
    return DatabaseHealth(
        kind,
        round(latency, 1),
        int(size) if size is not None else None,
        last.at if last else None,
        last.file if last else None,
        store.disk_short() or None,
    )


def day_start(engine: Engine, now: float) -> float:
    local: datetime = engine.local(now)
    return datetime.combine(local.date(), clock_time(0), local.tzinfo).timestamp()


def read_health(engine: Engine) -> HallHealth:
    now = engine.clock.now()
    start = day_start(engine, now)
    alerts = engine.latest_events("device_alert", ALERTS_READ)  # newest first
    return HallHealth(
        now,
        printers(engine, alerts),
        sensors(engine, alerts, start),
        devices(engine, now),
        database(engine),
        [ev for ev in alerts if ev.at >= start],
    )


def as_dict(h: HallHealth) -> dict[str, Any]:
    """For the JSON API and the tests."""
    return {
        "at": h.at,
        "problems": h.problems,
        "printers": [asdict(d) for d in h.printers],
        "sensors": [asdict(d) for d in h.sensors],
        "devices": [asdict(d) for d in h.devices],
        "database": asdict(h.database),
        "alerts": [{"seq": e.seq, "at": e.at, **e.data} for e in h.alerts],
    }
