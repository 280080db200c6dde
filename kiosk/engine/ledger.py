"""The transaction core: every command runs here, in one write transaction with its events,
honouring its idempotency key, in a group commit with whatever arrives meanwhile. It also holds
what every part of the engine reads: the configuration, the store, the clock, the branch.

The engine's parts (customer.py, counter.py, ...) are each given the ledger; none inherits
from it. An `op` passed to `mutate` reads and writes the database only: it changes no part's
state (tests/test_engine_parts.py watches every command do so)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from kiosk import schema
from kiosk import statements as sql
from kiosk.bus import EventBus
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, CounterState, CounterStatus, Event, Service
from kiosk.engine.errors import QueueError
from kiosk.events import EventKind
from kiosk.precompiled import run
from kiosk.store import Opened, Store

T = schema.tickets
C = schema.counters

NOTIFY_CHANNEL = "kiosk_events"
MAX_BATCH = 64  # operations in one group commit: bounds how long one transaction holds the branch


Events = list[tuple[EventKind, Mapping[str, Any]]]  # what a command emits, in order (kiosk/events.py)
OpResult = tuple[dict[str, Any], Events]  # a command's answer and its events
Op = Callable[[Connection, float], OpResult]  # a command's work in its transaction, at `now`


class _Undo(Exception):
    """An operation of a shared transaction refused (or failed): undo the transaction."""


@dataclass(eq=False)
class _Job:
    """One operation waiting for, or in, a group commit."""

    scope: str
    key: str | None
    op: Op
    taken: bool = False
    response: Any = None
    events: list[Event] = field(default_factory=list)
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Ledger:
    """The transaction core, and what every part reads: the configuration, the store, the
    clock, the branch, the services and counters as configured."""

    def __init__(self, config: KioskConfig, store: Store, clock: Clock, bus: EventBus):
        self.config = config
        self.store = store
        self.clock = clock
        self.bus = bus
        self.branch = config.site.branch
        self.origin = uuid.uuid4().hex[:12]  # names this engine's commits in PostgreSQL notifications
        self.tz = config.tz()
        self.services: dict[str, Service] = config.domain_services()
        self.counter_info: dict[int, CounterInfo] = config.domain_counters()
        self._writer_lock = threading.Lock()  # one batch of this branch at a time
        self._pending_lock = threading.Lock()
        self._pending: list[_Job] = []
        # PostgreSQL: other server processes on this database hear at commit that the branch has
        # new events (kiosk/event_hub.py), told by the statement that numbers them (no round trip
        # of its own). It names this engine, whose own hub has the events from the bus already.
        self._tell_others = not store.is_sqlite
        self._notice = {"b_channel": NOTIFY_CHANNEL, "b_payload": f"{self.branch}:{self.origin}"}

    # ------------------------------------------------------------------ what every part reads
    def local(self, t: float) -> datetime:
        return datetime.fromtimestamp(t, self.tz)

    def service(self, code: str) -> Service:
        try:
            return self.services[code]
        except KeyError:
            raise QueueError("not_found", f"no service {code!r} (known: {', '.join(self.services)})") from None

    def counter(self, counter_id: int) -> CounterInfo:
        try:
            return self.counter_info[counter_id]
        except KeyError:
            raise QueueError(
                "not_found", f"no counter {counter_id} (known: {', '.join(map(str, self.counter_info))})"
            ) from None

    @staticmethod
    def services_of(row: Any, info: CounterInfo) -> tuple[str, ...]:
        """What a counter serves now: a manager's change of the day (kept in its row, so every
        server process and a restart see it), else the configuration."""
        return tuple(row.services.split(",")) if row.services else info.services

    def counter_status(self, row: Any) -> CounterStatus:
        info = self.counter_info.get(row.id) or CounterInfo(row.id, str(row.id), ())
        return CounterStatus(
            id=row.id,
            name=info.name,
            services=self.services_of(row, info),
            state=CounterState(row.state),
            current_ticket_id=row.current_ticket_id,
            pause_reason=row.pause_reason,
            pause_until=row.pause_until,
            staff_id=row.staff_id,
            staff_name=self.config.staff_name(row.staff_id) if row.staff_id else None,
        )

    # ------------------------------------------------------------------ the transaction core
    def mutate(self, scope: str, key: str | None, op: Op) -> dict[str, Any]:
        """Run `op` in a write transaction, record its events, honour the idempotency key.

        Group commit: operations that arrive while another transaction of this branch is being
        written wait for it, then go together in the next one and share its one fsync (a
        refusal among them undoes only itself: see _write_batch). Each caller still gets its
        own answer and its own events, in sequence order; alone, an operation runs as before."""
        if key is not None and not (0 < len(key) <= 128):
            raise QueueError("invalid", "an idempotency key is 1 to 128 characters")
        job = _Job(scope, key, op)
        with self._pending_lock:
            self._pending.append(job)
        with self._writer_lock:
            lead = not job.taken
            if lead:
                with self._pending_lock:
                    batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                for j in batch:
                    j.taken = True
                try:
                    self._write_batch(batch)
                except BaseException as e:  # a failed commit: nobody's answer stands
                    for j in batch:
                        j.events, j.error = [], j.error or e
        if lead:
            self.bus.publish([ev for j in batch for ev in j.events])  # after the commit, in order
            for j in batch:
                j.done.set()
        else:
            job.done.wait()
        if job.error is not None:
            raise job.error
        response: dict[str, Any] = job.response  # the op's own answer, or the first one for this key
        return response

    def _write_batch(self, batch: list[_Job]) -> None:
        # Operations of a shared transaction first go together, their events and answers
        # written once at the end; if one of them refuses, the transaction is undone and they
        # go again each in its own savepoint, so the refusal undoes only itself.
        keys = sorted({j.key for j in batch if j.key is not None})
        mode = "alone" if len(batch) == 1 else "together"
        attempt = 0
        while True:
            for j in batch:
                j.response, j.events, j.error = None, [], None
            try:
                with self.store.open_branch(self.branch, keys) as opened:
                    self._apply(opened, batch, mode)
                return
            except _Undo:
                mode = "savepoints"
            except QueueError as e:
                batch[0].error = e  # only an operation alone lets a refusal out
                return
            except (IntegrityError, OperationalError):
                # Two processes creating the branch row at once, or a serialisation hiccup: the
                # transaction rolled back whole, so trying again is safe, after a short pause
                # (the same error at once, five times, only adds load to a database in trouble)
                attempt += 1
                if attempt == 5:
                    raise
                time.sleep(0.02 * 2 ** (attempt - 1))

    def _apply(self, opened: Opened, batch: list[_Job], mode: str) -> None:
        """Every operation of the transaction, with the answers already given for their keys and
        the event number read as it opened, and one write of the new events, answers and number
        at the end (kiosk/statements.py: one statement on PostgreSQL). `mode`: "alone" (a
        refusal undoes the transaction and is raised), "together" (any refusal raises _Undo),
        "savepoints" (each operation in its own, so a refusal undoes only itself)."""
        conn = opened.conn
        known = opened.answers
        seq = opened.last_seq
        events: list[Event] = []
        answers: list[dict[str, Any]] = []
        for j in batch:
            if j.key is not None and j.key in known:
                try:  # a copy: two retries in one batch each get the answer as it is stored, not one dict
                    self._answer_again(j, known[j.key][0], json.loads(json.dumps(known[j.key][1])))
                except QueueError as e:
                    j.error = e
                continue
            now = self.clock.now()
            if mode == "alone":
                response, new_events = j.op(conn, now)
            else:
                savepoint = conn.begin_nested() if mode == "savepoints" else None
                try:
                    response, new_events = j.op(conn, now)
                except (IntegrityError, OperationalError):
                    raise  # the whole batch is tried again
                except Exception as e:  # a refusal, or a bug
                    if savepoint is None:
                        raise _Undo from e  # undo, then each in its own savepoint
                    savepoint.rollback()  # this operation only
                    j.error = e
                    continue
                if savepoint is not None:
                    savepoint.commit()
            j.events = [Event(seq + i + 1, now, kind, dict(data)) for i, (kind, data) in enumerate(new_events)]
            seq += len(j.events)
            events.extend(j.events)
            if j.key is not None:
                known[j.key] = (j.scope, response)
                answers.append(self._answer_row(j, response, now))
            j.response = response
        if events or answers:
            self._close(conn, seq, events, answers)

    def _close(self, conn: Connection, seq: int, events: list[Event], answers: list[dict[str, Any]]) -> None:
        """Write the transaction's new event number, events and answers."""
        if self._tell_others:  # PostgreSQL: one statement
            run(
                conn,
                sql.pg_closing,
                {
                    "b_branch": self.branch,
                    "b_seq": seq,
                    "b_events": self._event_rows(events),
                    "b_answers": answers,
                    **self._notice,
                },
            )
            return
        if events:
            run(conn, sql.set_seq, {"b_branch": self.branch, "b_seq": seq})
            run(conn, sql.event_rows, self._event_rows(events))
        if answers:
            run(conn, sql.remember_answer, answers)

    @staticmethod
    def _answer_again(job: _Job, scope: str, response: Any) -> None:
        """A key already answered: the same answer, if it was asked for the same thing."""
        if scope != job.scope:
            raise QueueError("conflict", f"idempotency key already used for {scope}, not {job.scope}")
        job.response = response

    def _answer_row(self, job: _Job, response: Any, now: float) -> dict[str, Any]:
        return {"branch": self.branch, "key": job.key, "scope": job.scope, "response": response, "created_at": now}

    def _event_rows(self, events: list[Event]) -> list[dict[str, Any]]:
        return [{"branch": self.branch, "seq": e.seq, "at": e.at, "kind": e.kind, "data": e.data} for e in events]
