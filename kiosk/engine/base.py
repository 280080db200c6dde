"""What every part of the engine may use: the state `Engine.__init__` sets up, and the few
methods one part calls on another (declared here for the type checker only; each is defined
once, in the module named beside it)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Select

from kiosk.bus import EventBus
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, CounterStatus, Service, Ticket
from kiosk.events import EventKind
from kiosk.store import Store

if TYPE_CHECKING:
    from kiosk.engine.ledger import _Job
    from kiosk.line import LineReader


Events = list[tuple[EventKind, Mapping[str, Any]]]  # what a command emits, in order (kiosk/events.py)
OpResult = tuple[dict[str, Any], Events]  # a command's answer and its events


class EngineBase:
    config: KioskConfig
    store: Store
    clock: Clock
    bus: EventBus
    branch: str
    origin: str
    tz: ZoneInfo
    services: dict[str, Service]
    counter_info: dict[int, CounterInfo]
    _fallback_service_s: dict[str, float]
    _max_run: int
    _estimate_all: Select[Any]
    _estimate_priority: Select[Any]
    _lines: dict[tuple[str, ...], LineReader]
    _day_checked: str
    _mixed_targets: frozenset[str]
    _writer_lock: threading.Lock
    _pending_lock: threading.Lock
    _pending: list[_Job]
    _finish_ticket: Any

    @staticmethod
    def _services_of(row: Any, info: CounterInfo) -> tuple[str, ...]:
        """What a counter serves now: a manager's change of the day (kept in its row, so every
        server process and a restart see it), else the configuration."""
        return tuple(row.services.split(",")) if row.services else info.services

    if TYPE_CHECKING:

        def local(self, t: float) -> datetime: ...  # __init__.py

        def _service(self, code: str) -> Service: ...  # __init__.py

        def _counter(self, counter_id: int) -> CounterInfo: ...  # __init__.py

        def _mutate(  # ledger.py
            self,
            scope: str,
            key: str | None,
            op: Callable[[Connection, float], OpResult],
        ) -> dict[str, Any]: ...

        def _estimate(
            self, conn: Connection, service: str, priority: bool, day: str
        ) -> tuple[int, float | None]: ...  # customer.py

        def _counter_status(self, row: Any) -> CounterStatus: ...  # counter.py

        def _ahead_of(self, conn: Connection, ticket: Ticket) -> int: ...  # queries.py

        def open_greetings(self, max_age_s: float = 600) -> list[dict[str, Any]]: ...  # greeting.py
