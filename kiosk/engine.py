"""The queue engine: what happens when a customer takes a ticket and a counter presses a button.

Every operation is one write transaction on the store (holding the branch lock) and emits its
events, numbered in the same transaction; the bus hands them to screens after the commit.
Every mutating operation takes an optional idempotency key: a repeat with the same key returns
the first answer and changes nothing (a counter that retries after a lost reply must not skip
a customer).

Staff operations act on the counter's *current* ticket, so a button press means the same
thing whatever screen or device it came from.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from kiosk import schema
from kiosk import statements as sql
from kiosk.bus import EventBus
from kiosk.clock import Clock, SystemClock
from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, CounterState, CounterStatus, Event, IssueResult, Service, Ticket, TicketState
from kiosk.estimate import estimate_wait, mean_service_time
from kiosk.fairness import choose_next
from kiosk.line import LineReader, services_with_mixed_targets
from kiosk.store import Store

T = schema.tickets
C = schema.counters
NOTIFY_CHANNEL = "kiosk_events"


class QueueError(Exception):
    """An operation that cannot be done, with a reason a person can act on.
    `code`: not_found | conflict | refused | invalid (the server maps these to 404/409/422/400).
    `why` names the reason and `params` fill it in, so a screen can say it in its own language
    (ui/refusals.py); `message` is the English for logs and API clients."""

    def __init__(self, code: str, message: str, why: str = "", **params: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.why = why
        self.params = params


@dataclass(frozen=True)
class ServiceStatus:
    code: str
    prefix: str
    names: dict[str, str]
    open_now: bool
    waiting: int
    estimated_wait_s: float | None
    next_open: float | None
    target_wait_s: float


MAX_BATCH = 64  # operations in one group commit: bounds how long one transaction holds the branch


@dataclass(eq=False)
class _Job:
    """One operation waiting for, or in, a group commit."""

    scope: str
    key: str | None
    op: Callable[[Connection, float], tuple[dict, list]]
    taken: bool = False
    response: Any = None
    events: list[Event] = field(default_factory=list)
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


def _ticket(row: Any) -> Ticket:
    m = row._mapping
    return Ticket(
        id=m["id"],
        number=m["number"],
        service=m["service"],
        priority=bool(m["priority"]),
        state=TicketState(m["state"]),
        business_day=m["business_day"],
        queue_time=m["queue_time"],
        issued_at=m["issued_at"],
        first_called_at=m["first_called_at"],
        called_at=m["called_at"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        counter_id=m["counter_id"],
        owner_counter_id=m["owner_counter_id"],
        original_service=m["original_service"],
        transfers=m["transfers"],
        recalls=m["recalls"],
        overtaken=m["overtaken"],
        estimated_wait_s=m["estimated_wait_s"],
        ahead_at_issue=m["ahead_at_issue"],
        status_token=m["status_token"],
        call_reason=m["call_reason"],
        issued_by=m["issued_by"],
        language=m["language"],
        reprints=m["reprints"],
    )


def _ticket_from_dict(d: dict[str, Any]) -> Ticket:
    d = dict(d)
    d["state"] = TicketState(d["state"])
    return Ticket(**d)


class Engine:
    def __init__(self, config: KioskConfig, store: Store, clock: Clock | None = None, bus: EventBus | None = None):
        self.config = config
        self.store = store
        self.clock = clock or SystemClock()
        self.bus = bus or EventBus()
        self.branch = config.site.branch
        self.tz = config.tz()
        self.services: dict[str, Service] = config.domain_services()
        self.counter_info: dict[int, CounterInfo] = config.domain_counters()
        self._fallback_service_s = config.mean_service_s()
        self._max_run = config.queue.max_priority_in_a_row
        self._recent = config.queue.estimate_recent_tickets
        self._recent_times = sql.recent_service_times(self._recent)
        self._lines: dict[tuple[str, ...], LineReader] = {}
        self._day_checked = ""  # the business day the clock guard last let through
        self._mixed_targets: frozenset[str] = frozenset()  # see kiosk/line.py; found by setup()
        self._writer_lock = threading.Lock()  # one batch of this branch at a time
        self._pending_lock = threading.Lock()
        self._pending: list[_Job] = []
        self._serving = {
            code: [cid for cid, info in self.counter_info.items() if code in info.services] for code in self.services
        }

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        """Migrate the schema and make sure every configured counter has a state row."""
        self.store.upgrade()
        for attempt in range(5):
            try:  # several server processes may start at once and race to create these rows
                with self.store.write(self.branch) as conn:
                    known = {r.id for r in conn.execute(select(C.c.id).where(C.c.branch == self.branch))}
                    now = self.clock.now()
                    for cid in self.counter_info:
                        if cid not in known:
                            conn.execute(
                                C.insert().values(
                                    branch=self.branch, id=cid, state=CounterState.OPEN.value, updated_at=now
                                )
                            )
                    self._mixed_targets = services_with_mixed_targets(
                        conn, self.branch, {code: s.target_wait_s for code, s in self.services.items()}
                    )
                self._lines.clear()
                return
            except IntegrityError:
                if attempt == 4:
                    raise

    # ------------------------------------------------------------------ plumbing
    def local(self, t: float) -> datetime:
        return datetime.fromtimestamp(t, self.tz)

    def _mutate(self, scope: str, key: str | None, op: Callable[[Connection, float], tuple[dict, list]]) -> dict:
        """Run `op` in a write transaction, record its events, honour the idempotency key.

        Group commit: operations that arrive while another transaction of this branch is being
        written wait for it, then go together in the next one (each in its own savepoint, so
        one refusal undoes only itself) and share its one fsync. Each caller still gets its own
        answer and its own events, in sequence order; alone, an operation runs as before."""
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
        return job.response

    def _write_batch(self, batch: list[_Job]) -> None:
        for attempt in range(5):
            for j in batch:
                j.response, j.events, j.error = None, [], None
            try:
                with self.store.write(self.branch) as conn:
                    if len(batch) == 1:
                        self._apply(conn, batch[0])  # a refusal rolls the whole transaction back
                    else:
                        for j in batch:
                            self._apply_in_savepoint(conn, j)
                return
            except QueueError as e:
                batch[0].error = e  # only a batch of one lets a refusal out
                return
            except (IntegrityError, OperationalError):
                # Two processes creating the branch row at once, or a serialisation hiccup: the
                # transaction rolled back whole, so trying again is safe, after a short pause
                # (the same error at once, five times, only adds load to a database in trouble)
                if attempt == 4:
                    raise
                time.sleep(0.02 * 2**attempt)

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
            prior = conn.execute(sql.prior_answer, {"branch": self.branch, "key": job.key}).first()
            if prior is not None:
                if prior.scope != job.scope:
                    raise QueueError("conflict", f"idempotency key already used for {prior.scope}, not {job.scope}")
                job.response = prior.response
                return
        now = self.clock.now()
        response, new_events = job.op(conn, now)
        job.events = self._append_events(conn, now, new_events)
        if job.key is not None:
            conn.execute(
                sql.remember_answer,
                {"branch": self.branch, "key": job.key, "scope": job.scope, "response": response, "created_at": now},
            )
        job.response = response

    def _append_events(self, conn: Connection, now: float, new_events: list[tuple[str, dict]]) -> list[Event]:
        if not new_events:
            return []
        n = len(new_events)
        last = conn.execute(sql.bump_seq, {"b_branch": self.branch, "b_n": n}).scalar()
        if last is None:  # the branch's first event ever
            conn.execute(schema.branches.insert().values(id=self.branch, last_event_seq=n))
            last = n
        out = [Event(last - n + i + 1, now, kind, data) for i, (kind, data) in enumerate(new_events)]
        conn.execute(
            sql.event_rows,
            [{"branch": self.branch, "seq": e.seq, "at": e.at, "kind": e.kind, "data": e.data} for e in out],
        )
        if not self.store.is_sqlite:
            # other server processes on this database hear it at commit (kiosk/event_hub.py)
            conn.execute(select(func.pg_notify(NOTIFY_CHANNEL, self.branch)))
        return out

    def _service(self, code: str) -> Service:
        try:
            return self.services[code]
        except KeyError:
            raise QueueError("not_found", f"no service {code!r} (known: {', '.join(self.services)})") from None

    def _counter(self, counter_id: int) -> CounterInfo:
        try:
            return self.counter_info[counter_id]
        except KeyError:
            raise QueueError(
                "not_found", f"no counter {counter_id} (known: {', '.join(map(str, self.counter_info))})"
            ) from None

    def _counter_row(self, conn: Connection, counter_id: int) -> Any:
        self._counter(counter_id)
        row = conn.execute(sql.counter_row, {"branch": self.branch, "counter": counter_id}).first()
        if row is None:  # configured after setup(): it begins open
            conn.execute(
                C.insert().values(
                    branch=self.branch, id=counter_id, state=CounterState.OPEN.value, updated_at=self.clock.now()
                )
            )
            row = conn.execute(sql.counter_row, {"branch": self.branch, "counter": counter_id}).first()
        return row

    def _current(self, conn: Connection, counter_id: int, allowed: tuple[TicketState, ...], action: str) -> Ticket:
        row = self._counter_row(conn, counter_id)
        if row.current_ticket_id is None:
            raise QueueError("conflict", f"counter {counter_id} has no current ticket to {action}", "no_current_ticket")
        ticket = _ticket(conn.execute(select(T).where(T.c.id == row.current_ticket_id)).one())
        if ticket.state not in allowed:
            raise QueueError(
                "conflict",
                f"ticket {ticket.number} is {ticket.state.value}; cannot {action} it",
                "wrong_state",
                number=ticket.number,
                state=ticket.state.value,
            )
        return ticket

    def _counter_status(self, row: Any) -> CounterStatus:
        info = self.counter_info.get(row.id) or CounterInfo(row.id, str(row.id), ())
        return CounterStatus(
            id=row.id,
            name=info.name,
            services=info.services,
            state=CounterState(row.state),
            current_ticket_id=row.current_ticket_id,
            pause_reason=row.pause_reason,
            pause_until=row.pause_until,
        )

    def _called_event(self, t: Ticket, kind: str) -> tuple[str, dict]:
        info = self.counter_info.get(t.counter_id or 0)
        waited = (t.first_called_at or t.called_at or 0) - t.issued_at
        return kind, {
            "ticket": t.to_dict(),
            "counter_id": t.counter_id,
            "counter_name": info.name if info else str(t.counter_id),
            # seed 000 #3: "對不起，讓您久等了" when the wait was long
            "apology": waited > self._service(t.service).target_wait_s,
        }

    # ------------------------------------------------------------------ customer
    def issue(
        self,
        service: str,
        priority: bool = False,
        key: str | None = None,
        *,
        kiosk: str | None = None,
        language: str | None = None,
        per_minute: int | None = None,
    ) -> IssueResult:
        """A new ticket. `kiosk`: the kiosk whose printer prints it (reprints go there too).
        `per_minute`: at most this many tickets a minute from that kiosk, counted in the store
        so every server process shares the count (a retry with a known key is answered first)."""
        svc = self._service(service)

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            local = self.local(now)
            if not svc.calendar.is_open(local):
                nxt = svc.calendar.next_opening(local)
                when = f"; it opens again {nxt:%Y-%m-%d %H:%M}" if nxt else ""
                return IssueResult(
                    None,
                    refused="closed",
                    message=f"{svc.name('en')} is closed now{when}",
                    next_open=nxt.timestamp() if nxt else None,
                ).to_dict(), []
            day = local.date().isoformat()
            newest = (
                None if day == self._day_checked else conn.execute(sql.newest_day, {"branch": self.branch}).scalar()
            )
            if newest is not None and day < newest:
                # a Pi without a battery-backed clock that booted without network: numbering
                # an earlier day would hand out numbers that already exist
                raise QueueError(
                    "refused",
                    f"this machine's clock says {day}, but tickets exist for {newest}: the clock is not synchronised",
                    "clock_behind",
                    day=day,
                    newest=newest,
                )
            self._day_checked = day  # once a day is known good, it stays good
            if per_minute is not None and kiosk is not None:
                recent = conn.execute(
                    sql.kiosk_recent, {"branch": self.branch, "day": day, "kiosk": kiosk, "since": now - 60}
                ).one()
                if recent[0] >= per_minute:
                    wait = max(1, int(60 - (now - recent[1])) + 1)
                    raise QueueError(
                        "refused",
                        f"at most {per_minute} tickets a minute from one kiosk; try again in {wait} s",
                        "rate_limited",
                        retry_after=wait,
                    )
            n = self._next_number(conn, day, svc.prefix)
            ahead, est = self._estimate(conn, svc.code, priority)
            values = dict(
                branch=self.branch,
                business_day=day,
                issued_hour=local.hour,
                number=f"{svc.prefix}{n:03d}",
                service=svc.code,
                original_service=svc.code,
                priority=priority,
                state=TicketState.WAITING.value,
                queue_time=now,
                issued_at=now,
                transfers=0,
                recalls=0,
                priority_run=0,
                overtaken=0,
                target_wait_s=svc.target_wait_s,
                estimated_wait_s=est,
                ahead_at_issue=ahead,
                status_token=secrets.token_urlsafe(16),
                issued_by=kiosk,
                language=language,
                reprints=0,
            )
            ticket = _ticket(conn.execute(sql.new_ticket, values).one())
            result = IssueResult(ticket, ahead=ahead, estimated_wait_s=est)
            return result.to_dict(), [
                ("ticket_issued", {"ticket": ticket.to_dict(), "ahead": ahead, "estimated_wait_s": est})
            ]

        # the key is bound to what was asked: the same key for another service is a conflict
        d = self._mutate(f"issue:{service}:{int(priority)}", key, op)
        return IssueResult(
            _ticket_from_dict(d["ticket"]) if d["ticket"] else None,
            ahead=d["ahead"],
            estimated_wait_s=d["estimated_wait_s"],
            refused=d["refused"],
            message=d["message"],
            next_open=d["next_open"],
        )

    def _next_number(self, conn: Connection, day: str, prefix: str) -> int:
        params = {"b_branch": self.branch, "b_day": day, "b_prefix": prefix}
        bumped = conn.execute(sql.bump_number, params).scalar()
        if bumped is None:  # the day's first ticket with this prefix
            conn.execute(sql.first_number, params)
            return 1
        return bumped

    def _estimate(self, conn: Connection, service: str, priority: bool) -> tuple[int, float | None]:
        params = {"branch": self.branch, "service": service}
        ahead = conn.execute(sql.ahead_priority if priority else sql.ahead_all, params).scalar_one()
        rows = conn.execute(sql.serving_counters, {"branch": self.branch, "ids": self._serving[service]}).all()
        open_rows = [r for r in rows if r.state == CounterState.OPEN.value]
        busy = sum(1 for r in open_rows if r.current_ticket_id is not None)
        recent = conn.execute(self._recent_times, params).scalars().all()
        mean = mean_service_time(recent, self._fallback_service_s[service])
        return ahead, estimate_wait(ahead, len(open_rows), busy, mean)

    # ------------------------------------------------------------------ counter
    def call_next(self, counter_id: int, key: str | None = None) -> Ticket | None:
        """Close the counter's current customer (if any) and call the next one, fairly. A
        customer being served is finished; one called but never started did not come: a
        no-show (their service time would otherwise count as a visit that never happened)."""
        info = self._counter(counter_id)

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = self._counter_row(conn, counter_id)
            if row.state == CounterState.PAUSED.value:
                raise QueueError(
                    "conflict", f"counter {counter_id} is paused; resume it before calling", "counter_paused"
                )
            evs: list[tuple[str, dict]] = []
            if row.state == CounterState.CLOSED.value:
                evs.append(("counter_opened", {"counter_id": counter_id}))
            if row.current_ticket_id is not None:
                evs.extend(self._close_current(conn, row.current_ticket_id, counter_id, now))
            line = self._line(info.services)
            candidates = line.candidates(conn, self.branch)
            choice = choose_next(candidates, now, self._max_run)
            serving = {"b_branch": self.branch, "b_counter": counter_id, "b_ticket": None, "b_now": now}
            if choice is None:
                conn.execute(sql.counter_now_serving, serving)
                return {"ticket": None}, evs
            if choice.overtaken:  # every normal ticket older than it, not only those read
                line.overtaken_by(conn, self.branch, next(c for c in candidates if c.id == choice.ticket_id))
            if choice.reset_runs:
                line.reset_runs(conn, self.branch)
            row = conn.execute(
                sql.call_ticket,
                {"b_id": choice.ticket_id, "b_now": now, "b_counter": counter_id, "b_reason": choice.reason},
            ).first()
            if row is None:  # cannot happen under the branch lock; never hand out a ticket twice
                raise QueueError("conflict", "the ticket was taken by another counter; press again", "press_again")
            conn.execute(sql.counter_now_serving, {**serving, "b_ticket": choice.ticket_id})
            ticket = _ticket(row)
            evs.append(self._called_event(ticket, "ticket_called"))
            return {"ticket": ticket.to_dict()}, evs

        d = self._mutate(f"call-next:{counter_id}", key, op)
        return _ticket_from_dict(d["ticket"]) if d["ticket"] else None

    def _line(self, services: tuple[str, ...]) -> LineReader:
        reader = self._lines.get(services)
        if reader is None:
            reader = self._lines[services] = LineReader(services, self._max_run, self._mixed_targets)
        return reader

    def _close_current(self, conn: Connection, ticket_id: int, counter_id: int, now: float) -> list[tuple[str, dict]]:
        gone = conn.execute(sql.called_became_no_show, {"b_id": ticket_id, "b_now": now}).first()
        if gone is not None:
            return [("ticket_no_show", {"ticket_id": ticket_id, "number": gone.number, "counter_id": counter_id})]
        return self._finish_current(conn, ticket_id, now)

    def _finish_current(self, conn: Connection, ticket_id: int, now: float) -> list[tuple[str, dict]]:
        row = conn.execute(sql.finish_ticket, {"b_id": ticket_id, "b_now": now}).first()
        if row is None:  # already finished, a no-show, or transferred away
            return []
        t = _ticket(row)
        return [("ticket_finished", {"ticket": t.to_dict(), "counter_id": t.counter_id})]

    def _staff_op(
        self,
        name: str,
        counter_id: int,
        key: str | None,
        allowed: tuple[TicketState, ...],
        apply: Callable[[Connection, Ticket, float], list],
    ) -> Ticket:
        def op(conn: Connection, now: float) -> tuple[dict, list]:
            t = self._current(conn, counter_id, allowed, name.split(":")[0])  # "transfer:payment" -> transfer
            evs = apply(conn, t, now)
            t = _ticket(conn.execute(select(T).where(T.c.id == t.id)).one())
            return {"ticket": t.to_dict()}, evs

        return _ticket_from_dict(self._mutate(f"{name}:{counter_id}", key, op)["ticket"])

    def _release_counter(self, conn: Connection, counter_id: int, now: float) -> None:
        conn.execute(
            update(C)
            .where(C.c.branch == self.branch, C.c.id == counter_id)
            .values(current_ticket_id=None, updated_at=now)
        )

    def recall(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float) -> list:
            conn.execute(update(T).where(T.c.id == t.id).values(recalls=T.c.recalls + 1))
            t.recalls += 1
            return [self._called_event(t, "ticket_recalled")]

        return self._staff_op("recall", counter_id, key, (TicketState.CALLED,), apply)

    def start(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float) -> list:
            conn.execute(update(T).where(T.c.id == t.id).values(state=TicketState.SERVING.value, started_at=now))
            return [("ticket_started", {"ticket_id": t.id, "number": t.number, "counter_id": counter_id})]

        return self._staff_op("start", counter_id, key, (TicketState.CALLED,), apply)

    def finish(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float) -> list:
            evs = self._finish_current(conn, t.id, now)
            self._release_counter(conn, counter_id, now)
            return evs

        return self._staff_op("finish", counter_id, key, (TicketState.CALLED, TicketState.SERVING), apply)

    def no_show(self, counter_id: int, key: str | None = None) -> Ticket:
        def apply(conn: Connection, t: Ticket, now: float) -> list:
            conn.execute(update(T).where(T.c.id == t.id).values(state=TicketState.NO_SHOW.value, finished_at=now))
            self._release_counter(conn, counter_id, now)
            return [("ticket_no_show", {"ticket_id": t.id, "number": t.number, "counter_id": counter_id})]

        return self._staff_op("no-show", counter_id, key, (TicketState.CALLED,), apply)

    def transfer(self, counter_id: int, service: str, key: str | None = None) -> Ticket:
        """Send the current customer to another service. Same ticket, same place in line
        (its queue time is kept), and this counter stays its first-contact owner."""
        svc = self._service(service)

        def apply(conn: Connection, t: Ticket, now: float) -> list:
            if t.service == svc.code:
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is already in {svc.code}",
                    "already_in_service",
                    number=t.number,
                    service=svc.code,
                )
            conn.execute(
                update(T)
                .where(T.c.id == t.id)
                .values(
                    state=TicketState.WAITING.value,
                    service=svc.code,
                    counter_id=None,
                    transfers=T.c.transfers + 1,
                    target_wait_s=svc.target_wait_s,
                    called_at=None,
                    started_at=None,
                )
            )
            self._release_counter(conn, counter_id, now)
            return [
                (
                    "ticket_transferred",
                    {
                        "ticket_id": t.id,
                        "number": t.number,
                        "from_service": t.service,
                        "to_service": svc.code,
                        "counter_id": counter_id,
                    },
                )
            ]

        return self._staff_op(f"transfer:{service}", counter_id, key, (TicketState.CALLED, TicketState.SERVING), apply)

    def pause(self, counter_id: int, reason: str, until: float | None = None, key: str | None = None) -> CounterStatus:
        """Leave the post with a sign (seed 001/002). Waiting customers flow to other counters;
        a customer at the counter must be finished or transferred first, not left behind."""
        reason = (reason or "").strip()
        if not reason or len(reason) > 200:
            raise QueueError(
                "invalid", "a pause needs a reason of 1 to 200 characters (it is shown on the display)", "pause_reason"
            )

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = self._counter_row(conn, counter_id)
            if row.current_ticket_id is not None:
                t = _ticket(conn.execute(select(T).where(T.c.id == row.current_ticket_id)).one())
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is still at counter {counter_id}; finish or transfer it first",
                    "still_at_counter",
                    number=t.number,
                )
            if until is not None and until <= now:
                raise QueueError("invalid", "the expected return time is in the past", "return_in_past")
            limit = self.config.queue.max_pause_hours
            if until is not None and not until - now <= limit * 3600:  # NaN and 9999-12-31 too
                raise QueueError(
                    "invalid",
                    f"the expected return is more than {limit:g} h away; pause without a "
                    "return time, or close the counter",
                    "return_too_far",
                    hours=limit,
                )
            conn.execute(
                update(C)
                .where(C.c.branch == self.branch, C.c.id == counter_id)
                .values(state=CounterState.PAUSED.value, pause_reason=reason, pause_until=until, updated_at=now)
            )
            status = self._counter_status(self._counter_row(conn, counter_id))
            return _status_dict(status), [("counter_paused", _status_dict(status))]

        asked = hashlib.sha1(f"{reason}|{until}".encode()).hexdigest()[:12]
        return _status_from_dict(self._mutate(f"pause:{counter_id}:{asked}", key, op))

    def resume(self, counter_id: int, key: str | None = None) -> CounterStatus:
        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = self._counter_row(conn, counter_id)
            if row.state != CounterState.PAUSED.value:
                raise QueueError("conflict", f"counter {counter_id} is not paused", "not_paused")
            conn.execute(
                update(C)
                .where(C.c.branch == self.branch, C.c.id == counter_id)
                .values(state=CounterState.OPEN.value, pause_reason=None, pause_until=None, updated_at=now)
            )
            status = self._counter_status(self._counter_row(conn, counter_id))
            return _status_dict(status), [("counter_resumed", _status_dict(status))]

        return _status_from_dict(self._mutate(f"resume:{counter_id}", key, op))

    def close_day(self, key: str | None = None) -> dict:
        """End the business day: every counter closes. Refused while any ticket is still open,
        because nobody already issued a ticket is sent away (seed 001 第三篇 四 13)."""

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            open_rows = (
                conn.execute(
                    select(T.c.number)
                    .where(T.c.branch == self.branch, T.c.state.in_([s.value for s in TicketState if s.is_open]))
                    .order_by(T.c.queue_time)
                )
                .scalars()
                .all()
            )
            if open_rows:
                shown = ", ".join(open_rows[:10]) + (" ..." if len(open_rows) > 10 else "")
                raise QueueError(
                    "conflict",
                    f"{len(open_rows)} ticket(s) still open ({shown}); serve them or mark them no-show first",
                )
            conn.execute(
                update(C)
                .where(C.c.branch == self.branch)
                .values(
                    state=CounterState.CLOSED.value,
                    current_ticket_id=None,
                    pause_reason=None,
                    pause_until=None,
                    updated_at=now,
                )
            )
            day = self.local(now).date().isoformat()
            return {"business_day": day, "closed_at": now}, [("day_closed", {"business_day": day})]

        return self._mutate("close-day", key, op)

    # ------------------------------------------------------------------ greeting
    def greet_arrival(self, at: float, sources: tuple[str, ...], distance_m: float | None, alerted: bool) -> int:
        """Log an arrival in the zone; if `alerted`, raise the stand-and-greet alert to the open
        counters (the Greeter decides; see kiosk/greeting.py)."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            gid = conn.execute(
                G.insert().values(
                    branch=self.branch,
                    business_day=self.local(at).date().isoformat(),
                    arrival_at=at,
                    alerted=alerted,
                    sources=",".join(sources),
                    distance_m=distance_m,
                    repeats=0,
                )
            ).inserted_primary_key[0]
            if not alerted:
                return {"id": gid}, []
            open_counters = (
                conn.execute(select(C.c.id).where(C.c.branch == self.branch, C.c.state == CounterState.OPEN.value))
                .scalars()
                .all()
            )
            return {"id": gid}, [
                (
                    "greet_alert",
                    {
                        "alert_id": gid,
                        "arrival_at": at,
                        "sources": list(sources),
                        "distance_m": distance_m,
                        "counters": sorted(open_counters),
                    },
                )
            ]

        return self._mutate("greet-arrival", None, op)["id"]

    def greet_join(self, alert_id: int, source: str) -> None:
        """Another sensor saw the same arrival (or the rest of the group): same alert."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = conn.execute(select(G.c.sources).where(G.c.id == alert_id)).first()
            if row is not None and source not in row.sources.split(","):
                conn.execute(update(G).where(G.c.id == alert_id).values(sources=f"{row.sources},{source}"))
            return {}, []

        self._mutate("greet-join", None, op)

    def greet_repeat(self, alert_id: int, repeat: int) -> None:
        G = schema.greetings

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            conn.execute(update(G).where(G.c.id == alert_id).values(repeats=repeat))
            return {}, [("greet_repeat", {"alert_id": alert_id, "repeat": repeat})]

        self._mutate("greet-repeat", None, op)

    def greet_escalate(self, alert_id: int) -> None:
        """Nobody confirmed after the repeats: every counter, paused ones too, and the manager."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            conn.execute(update(G).where(G.c.id == alert_id).values(escalated_at=now))
            return {}, [
                ("greet_escalated", {"alert_id": alert_id, "counters": sorted(self.counter_info), "manager": True})
            ]

        self._mutate("greet-escalate", None, op)

    def confirm_greeting(self, alert_id: int, counter_id: int, key: str | None = None) -> dict:
        """A counter pressed "greeted". The first confirmation counts; a later one gets its answer."""
        self._counter(counter_id)
        G = schema.greetings

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = conn.execute(select(G).where(G.c.id == alert_id, G.c.branch == self.branch)).first()
            if row is None or not row.alerted:
                raise QueueError("not_found", f"no greeting alert {alert_id}")
            if row.confirmed_at is not None:
                return {
                    "alert_id": alert_id,
                    "confirmed_by": row.confirmed_by,
                    "confirmed_at": row.confirmed_at,
                    "latency_s": row.confirmed_at - row.arrival_at,
                }, []
            conn.execute(update(G).where(G.c.id == alert_id).values(confirmed_at=now, confirmed_by=counter_id))
            data = {
                "alert_id": alert_id,
                "confirmed_by": counter_id,
                "confirmed_at": now,
                "latency_s": now - row.arrival_at,
            }
            return data, [("greet_confirmed", data)]

        return self._mutate(f"greet-confirm:{alert_id}", key, op)

    def open_greetings(self, max_age_s: float = 600) -> list[dict]:
        """Alerts nobody has confirmed yet (newest first), for a panel that starts mid-alert."""
        G = schema.greetings
        since = self.clock.now() - max_age_s
        with self.store.read() as conn:
            rows = (
                conn.execute(
                    select(G)
                    .where(
                        G.c.branch == self.branch,
                        G.c.alerted.is_(True),
                        G.c.confirmed_at.is_(None),
                        G.c.arrival_at >= since,
                    )
                    .order_by(G.c.arrival_at.desc())
                )
                .mappings()
                .all()
            )
        return [
            {
                "alert_id": r["id"],
                "arrival_at": r["arrival_at"],
                "repeats": r["repeats"],
                "escalated": r["escalated_at"] is not None,
            }
            for r in rows
        ]

    def device_alert(
        self, device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device"
    ) -> None:
        """Tell staff a device needs them (printer out of paper, sensor silent), or that it works
        again (state "ready"). Logged as an event like any other, so every counter panel and the
        manager view see it. `kind` "printer" and `ticket` let a screen say it in its language."""

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            data = {"device": device, "kind": kind, "state": state, "message": message, "ticket": ticket}
            return data, [("device_alert", data)]

        self._mutate("device-alert", None, op)

    def reprint(self, ticket_id: int, by: str, kiosk: str | None = None, key: str | None = None) -> Ticket:
        """Ask the kiosk that issued a ticket (or `kiosk`) to print it again. The ticket keeps
        its place in line; the reprint is an event and is counted in the log."""

        def op(conn: Connection, now: float) -> tuple[dict, list]:
            row = conn.execute(select(T).where(T.c.id == ticket_id, T.c.branch == self.branch)).first()
            if row is None:
                raise QueueError("not_found", f"no ticket {ticket_id}")
            t = _ticket(row)
            if t.state not in (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING):
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} is {t.state.value}; only a ticket still in line or at a counter is reprinted",
                    "not_reprintable",
                    number=t.number,
                )
            printer = kiosk or t.issued_by
            if not printer:
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} was not issued at a kiosk; say which kiosk should print it",
                    "no_kiosk",
                    number=t.number,
                )
            conn.execute(update(T).where(T.c.id == t.id).values(reprints=T.c.reprints + 1))
            t = _ticket(conn.execute(select(T).where(T.c.id == t.id)).one())
            ahead, est = 0, None
            if t.state == TicketState.WAITING:  # the line as it is now, not at issue
                everyone, est_all = self._estimate(conn, t.service, t.priority)
                ahead = self._ahead_of(conn, t)
                est = est_all * ahead / everyone if est_all is not None and everyone else est_all
            return {"ticket": t.to_dict()}, [
                (
                    "ticket_reprint",
                    {"ticket": t.to_dict(), "printer": printer, "by": by, "ahead": ahead, "estimated_wait_s": est},
                )
            ]

        return _ticket_from_dict(self._mutate(f"reprint:{ticket_id}", key, op)["ticket"])

    def ticket_by_number(self, number: str, day: str | None = None) -> Ticket:
        """Today's (or `day`'s) ticket with this number, e.g. "A012"."""
        day = day or self.local(self.clock.now()).date().isoformat()
        with self.store.read() as conn:
            row = conn.execute(
                select(T).where(
                    T.c.branch == self.branch, T.c.business_day == day, T.c.number == number.strip().upper()
                )
            ).first()
        if row is None:
            raise QueueError(
                "not_found",
                f"no ticket {number.strip().upper()} on {day}",
                "no_such_number",
                number=number.strip().upper(),
            )
        return _ticket(row)

    # ------------------------------------------------------------------ reading
    def ticket(self, ticket_id: int) -> Ticket:
        with self.store.read() as conn:
            row = conn.execute(select(T).where(T.c.id == ticket_id, T.c.branch == self.branch)).first()
        if row is None:
            raise QueueError("not_found", f"no ticket {ticket_id}")
        return _ticket(row)

    def ticket_by_token(self, token: str) -> Ticket:
        with self.store.read() as conn:
            row = conn.execute(select(T).where(T.c.status_token == token, T.c.branch == self.branch)).first()
        if row is None:
            raise QueueError("not_found", "no such ticket")
        return _ticket(row)

    def position(self, ticket: Ticket) -> int:
        """People ahead of a waiting ticket in its service (0 once it has been called)."""
        if ticket.state != TicketState.WAITING:
            return 0
        with self.store.read() as conn:
            return self._ahead_of(conn, ticket)

    def _ahead_of(self, conn: Connection, ticket: Ticket) -> int:
        q = (
            select(func.count())
            .select_from(T)
            .where(
                T.c.branch == self.branch,
                T.c.state == TicketState.WAITING.value,
                T.c.service == ticket.service,
                T.c.queue_time < ticket.queue_time,
            )
        )
        if ticket.priority:
            q = q.where(T.c.priority.is_(True))
        return conn.execute(q).scalar_one()

    def counters(self) -> list[CounterStatus]:
        with self.store.read() as conn:
            rows = conn.execute(select(C).where(C.c.branch == self.branch).order_by(C.c.id)).all()
        return [self._counter_status(r) for r in rows]

    def waiting_counts(self) -> dict[str, int]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(T.c.service, func.count())
                .where(T.c.branch == self.branch, T.c.state == TicketState.WAITING.value)
                .group_by(T.c.service)
            ).all()
        counts = {code: 0 for code in self.services}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    def services_status(self) -> list[ServiceStatus]:
        now = self.clock.now()
        local = self.local(now)
        out = []
        with self.store.read() as conn:
            for svc in self.services.values():
                is_open = svc.calendar.is_open(local)
                ahead, est = self._estimate(conn, svc.code, False)
                nxt = None if is_open else svc.calendar.next_opening(local)
                out.append(
                    ServiceStatus(
                        svc.code,
                        svc.prefix,
                        svc.names,
                        is_open,
                        ahead,
                        est,
                        nxt.timestamp() if nxt else None,
                        svc.target_wait_s,
                    )
                )
        return out

    def recent_calls(self, limit: int = 10) -> list[Ticket]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(T)
                .where(T.c.branch == self.branch, T.c.called_at.is_not(None))
                .order_by(T.c.called_at.desc())
                .limit(limit)
            ).all()
        return [_ticket(r) for r in rows]

    def prune(self, older_than_s: float) -> tuple[int, int]:
        """Delete events and idempotency answers older than `older_than_s` (the tickets, the
        waiting-time log and the greeting log stay). Returns (events, answers) deleted. The
        event numbering goes on from the branch row, so no screen sees a number reused."""
        cutoff = self.clock.now() - older_than_s
        E, I = schema.events, schema.idempotency
        with self.store.write(self.branch) as conn:
            events = conn.execute(E.delete().where(E.c.branch == self.branch, E.c.at < cutoff)).rowcount
            answers = conn.execute(I.delete().where(I.c.branch == self.branch, I.c.created_at < cutoff)).rowcount
        return events, answers

    def check_writable(self) -> None:
        """Raise unless the store takes a write now (a full disk, a read-only or vanished
        database): takes the branch lock and rewrites one value, then commits."""
        with self.store.write(self.branch) as conn:
            conn.execute(
                update(schema.branches)
                .where(schema.branches.c.id == self.branch)
                .values(last_event_seq=schema.branches.c.last_event_seq)
            )

    def last_event_seq(self) -> int:
        with self.store.read() as conn:
            return (
                conn.execute(
                    select(schema.branches.c.last_event_seq).where(schema.branches.c.id == self.branch)
                ).scalar()
                or 0
            )

    def latest_events(self, kind: str, limit: int = 5) -> list[Event]:
        """The newest events of one kind, newest first (e.g. device alerts for a panel)."""
        E = schema.events
        with self.store.read() as conn:
            rows = conn.execute(
                select(E).where(E.c.branch == self.branch, E.c.kind == kind).order_by(E.c.seq.desc()).limit(limit)
            ).all()
        return [Event(r.seq, r.at, r.kind, r.data) for r in rows]

    def events_after(self, seq: int, limit: int = 1000) -> list[Event]:
        E = schema.events
        with self.store.read() as conn:
            rows = conn.execute(
                select(E).where(E.c.branch == self.branch, E.c.seq > seq).order_by(E.c.seq).limit(limit)
            ).all()
        return [Event(r.seq, r.at, r.kind, r.data) for r in rows]


def _status_dict(s: CounterStatus) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "services": list(s.services),
        "state": s.state.value,
        "current_ticket_id": s.current_ticket_id,
        "pause_reason": s.pause_reason,
        "pause_until": s.pause_until,
    }


def _status_from_dict(d: dict) -> CounterStatus:
    return CounterStatus(
        id=d["id"],
        name=d["name"],
        services=tuple(d["services"]),
        state=CounterState(d["state"]),
        current_ticket_id=d["current_ticket_id"],
        pause_reason=d["pause_reason"],
        pause_until=d["pause_until"],
    )
