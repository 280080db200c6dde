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

from sqlalchemy import Connection, func, select
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
from kiosk.store import Store

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
        self._bump_seq, self._set_seq = (
            (sql.bump_seq_notify, sql.set_seq_notify) if self._tell_others else (sql.bump_seq, sql.set_seq)
        )
        self._seq_extra = self._notice if self._tell_others else {}

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
        together = len(batch) > 1
        attempt = 0
        while True:
            for j in batch:
                j.response, j.events, j.error = None, [], None
            try:
                with self.store.write(self.branch) as conn:
                    if len(batch) == 1:
                        self._apply(conn, batch[0])  # a refusal rolls the whole transaction back
                    elif together:
                        self._apply_together(conn, batch)
                    else:
                        for j in batch:
                            self._apply_in_savepoint(conn, j)
                return
            except _Undo:
                together = False
            except QueueError as e:
                batch[0].error = e  # only a batch of one lets a refusal out
                return
            except (IntegrityError, OperationalError):
                # Two processes creating the branch row at once, or a serialisation hiccup: the
                # transaction rolled back whole, so trying again is safe, after a short pause
                # (the same error at once, five times, only adds load to a database in trouble)
                attempt += 1
                if attempt == 5:
                    raise
                time.sleep(0.02 * 2 ** (attempt - 1))

    def _apply_together(self, conn: Connection, batch: list[_Job]) -> None:
        """Every operation of a shared transaction with one read of the answers already given
        for their keys and of the event number, and one write each of the new events, answers
        and number at the end: about half the statements of one savepoint each (bench/
        throughput.py, 50 counters pressing at once). Any refusal raises _Undo."""
        keys = [j.key for j in batch if j.key is not None]
        known: dict[str, tuple[str, Any]] = {}
        if keys:
            for r in conn.execute(sql.prior_answers, {"branch": self.branch, "keys": keys}):
                known[r.key] = (r.scope, r.response)
        last = run(conn, sql.last_seq, {"branch": self.branch}).scalar()
        seq = last or 0
        events: list[Event] = []
        answers: list[dict[str, Any]] = []
        for j in batch:
            if j.key is not None and j.key in known:
                try:  # a copy: a retry in this batch gets the answer as it is stored, not the same dict
                    self._answer_again(j, known[j.key][0], json.loads(json.dumps(known[j.key][1])))
                except QueueError as e:
                    j.error = e
                continue
            now = self.clock.now()
            try:
                response, new_events = j.op(conn, now)
            except (IntegrityError, OperationalError):
                raise  # the whole batch is tried again
            except Exception as e:  # a refusal, or a bug: undo, then each in its own savepoint
                raise _Undo from e
            j.events = [Event(seq + i + 1, now, kind, dict(data)) for i, (kind, data) in enumerate(new_events)]
            seq += len(j.events)
            events.extend(j.events)
            if j.key is not None:
                known[j.key] = (j.scope, response)
                answers.append(self._answer_row(j, response, now))
            j.response = response
        if events:
            if last is None:  # the branch's first event ever
                conn.execute(schema.branches.insert().values(id=self.branch, last_event_seq=seq))
                self._notify(conn)
            else:
                run(conn, self._set_seq, {"b_branch": self.branch, "b_seq": seq, **self._seq_extra})
            run(conn, sql.event_rows, self._event_rows(events))
        if answers:
            run(conn, sql.remember_answer, answers)

    def _apply_in_savepoint(self, conn: Connection, job: _Job) -> None:
        savepoint = conn.begin_nested()
        try:
            self._apply(conn, job)
        except (IntegrityError, OperationalError):
            raise  # the whole batch is tried again
        except Exception as e:  # a refusal, or a bug: this operation only
            savepoint.rollback()  # its event numbers too
            job.response, job.events, job.error = None, [], e
            return
        savepoint.commit()

    def _apply(self, conn: Connection, job: _Job) -> None:
        if job.key is not None:
            prior = run(conn, sql.prior_answer, {"branch": self.branch, "key": job.key}).first()
            if prior is not None:
                self._answer_again(job, prior.scope, prior.response)
                return
        now = self.clock.now()
        response, new_events = job.op(conn, now)
        job.events = self._append_events(conn, now, new_events)
        if job.key is not None:
            run(conn, sql.remember_answer, self._answer_row(job, response, now))
        job.response = response

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

    def _append_events(self, conn: Connection, now: float, new_events: Events) -> list[Event]:
        if not new_events:
            return []
        n = len(new_events)
        last = run(conn, self._bump_seq, {"b_branch": self.branch, "b_n": n, **self._seq_extra}).scalar()
        if last is None:  # the branch's first event ever
            conn.execute(schema.branches.insert().values(id=self.branch, last_event_seq=n))
            self._notify(conn)
            last = n
        out = [Event(last - n + i + 1, now, kind, dict(data)) for i, (kind, data) in enumerate(new_events)]
        run(conn, sql.event_rows, self._event_rows(out))
        return out

    def _notify(self, conn: Connection) -> None:
        """The branch's first events, with no row yet to number them from: tell the others apart."""
        if self._tell_others:
            conn.execute(select(func.pg_notify(NOTIFY_CHANNEL, self._notice["b_payload"])))
