"""What a customer does: take a ticket (numbered, estimated, rate-limited per kiosk), have it printed again."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk import statements as sql
from kiosk.domain import IssueResult, Service, Ticket, TicketState
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Ledger, OpResult
from kiosk.engine.rows import _ticket, _ticket_from_dict
from kiosk.engine.waiting import Waiting
from kiosk.events import EventKind, TicketIssued, TicketReprint
from kiosk.precompiled import run

T = schema.tickets
C = schema.counters
REPRINT_MERGE_S = 3.0  # a reprint asked again this soon is the same reprint (a double tap): one receipt


@dataclass(frozen=True)
class Reprint:
    ticket: Ticket
    ahead: int  # people ahead now
    estimated_wait_s: float | None
    merged: bool  # the same request as one a moment ago: nothing new to print


def _too_soon(what: str, wait_s: float) -> QueueError:
    wait = max(1, int(wait_s) + 1)
    return QueueError("refused", f"{what}; try again in {wait} s or ask staff", "rate_limited", retry_after=wait)


class CustomerCommands:
    """What a customer does: take a ticket (numbered, estimated, rate-limited per kiosk), have it printed again."""

    def __init__(self, ledger: Ledger, waiting: Waiting):
        self.ledger = ledger
        self.waiting = waiting
        self._day_checked = ""  # the business day the clock guard last let through

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
        ledger = self.ledger
        branch = ledger.branch
        svc = ledger.service(service)
        checked: list[str] = []  # the business day this ticket found good (the clock guard)

        def op(conn: Connection, now: float) -> OpResult:
            local = ledger.local(now)
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
            known_good = day == self._day_checked
            newest = None if known_good else run(conn, sql.newest_day, {"branch": branch}).scalar()
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
            checked.append(day)  # remembered once committed: an op changes only the database
            if per_minute is not None and kiosk is not None:
                recent = run(
                    conn, sql.kiosk_recent, {"branch": branch, "day": day, "kiosk": kiosk, "since": now - 60}
                ).one()
                if recent[0] >= per_minute:
                    wait = max(1, int(60 - (now - recent[1])) + 1)
                    raise QueueError(
                        "refused",
                        f"at most {per_minute} tickets a minute from one kiosk; try again in {wait} s",
                        "rate_limited",
                        retry_after=wait,
                    )
            return self.new_ticket(conn, now, svc, priority=priority, kiosk=kiosk, language=language, local=local)

        # the key is bound to what was asked: the same key for another service, or for a
        # ticket in another language (printed and shown in it), is a conflict
        d = ledger.mutate(f"issue:{service}:{int(priority)}:{language or ''}", key, op)
        if checked:
            self._day_checked = checked[-1]  # once a day is known good, it stays good
        return IssueResult(
            _ticket_from_dict(d["ticket"]) if d["ticket"] else None,
            ahead=d["ahead"],
            estimated_wait_s=d["estimated_wait_s"],
            refused=d["refused"],
            message=d["message"],
            next_open=d["next_open"],
        )

    def new_ticket(
        self,
        conn: Connection,
        now: float,
        svc: Service,
        *,
        priority: bool = False,
        kiosk: str | None = None,
        language: str | None = None,
        appointment_at: float | None = None,
        local: datetime | None = None,
    ) -> OpResult:
        """Number, estimate and write a ticket (a walk-in's, or a checked-in appointment's,
        whose place in line is its booked time), with its event: part of a command's op."""
        local = local or self.ledger.local(now)
        day = local.date().isoformat()
        if appointment_at is None:
            q = self.waiting.quote(conn, svc.code, priority, day, now)
        else:
            q = self.waiting.quote_appointment(conn, svc.code, day, now, appointment_at)
        ahead, est = q.ahead, q.wait_s
        values = dict(
            branch=self.ledger.branch,
            business_day=day,
            issued_hour=local.hour,
            service=svc.code,
            original_service=svc.code,
            priority=priority,
            state=TicketState.WAITING.value,
            queue_time=now if appointment_at is None else appointment_at,
            issued_at=now,
            transfers=0,
            recalls=0,
            priority_run=0,
            overtaken=0,
            target_wait_s=svc.target_wait_s,
            estimated_wait_s=est,
            estimate_low_s=q.low_s,
            estimate_high_s=q.high_s,
            estimate_model_s=q.model_s,
            ahead_at_issue=ahead,
            status_token=secrets.token_urlsafe(16),
            issued_by=kiosk,
            language=language,
            reprints=0,
            appointment_at=appointment_at,
        )
        ticket = _ticket(self._numbered(conn, day, svc.prefix, values))
        result = IssueResult(ticket, ahead=ahead, estimated_wait_s=est)
        return result.to_dict(), [
            (EventKind.TICKET_ISSUED, TicketIssued(ticket=ticket.to_dict(), ahead=ahead, estimated_wait_s=est))
        ]

    def _numbered(self, conn: Connection, day: str, prefix: str, values: dict[str, object]) -> Any:
        """Write the ticket with the day's next number for its prefix, and return its row."""
        if not self.ledger.store.is_sqlite:  # one round trip (kiosk/statements.py)
            given = {f"v_{k}": v for k, v in values.items()}
            params = {"b_branch": self.ledger.branch, "b_day": day, "b_prefix": prefix, **given}
            return run(conn, sql.pg_numbered_ticket(tuple(values)), params).one()
        n = self._next_number(conn, day, prefix)
        return run(conn, sql.new_ticket, {**values, "number": f"{prefix}{n:03d}"}).one()

    def _next_number(self, conn: Connection, day: str, prefix: str) -> int:
        params = {"b_branch": self.ledger.branch, "b_day": day, "b_prefix": prefix}
        bumped = run(conn, sql.bump_number, params).scalar()
        if bumped is None:  # the day's first ticket with this prefix
            run(conn, sql.first_number, params)
            return 1
        return int(bumped)

    def reprint(
        self, ticket_id: int, by: str, kiosk: str | None = None, key: str | None = None, as_kiosk: bool = False
    ) -> Ticket:
        """Ask the kiosk that issued a ticket (or `kiosk`) to print it again. The ticket keeps
        its place in line; the reprint is an event and is counted in the log. Asked again within
        REPRINT_MERGE_S (a double tap, two clerks at once) it is the same reprint: one receipt.
        Limits (config `server`): a kiosk asking (`as_kiosk`: a customer's "Print again", a kiosk
        token) reprints one ticket at most every `kiosk_reprint_every_s` and at most
        `kiosk_reprints_per_minute` in all; staff at most `staff_reprints_per_minute` a kiosk."""
        return self.reprint_here(ticket_id, by, kiosk, key, as_kiosk).ticket

    def reprint_here(
        self, ticket_id: int, by: str, kiosk: str | None = None, key: str | None = None, as_kiosk: bool = False
    ) -> Reprint:
        """`reprint`, with the place in line now, for a kiosk that prints its own request."""
        limits = self.ledger.config.server

        def op(conn: Connection, now: float) -> OpResult:
            row = conn.execute(select(T).where(T.c.id == ticket_id, T.c.branch == self.ledger.branch)).first()
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
            since = now - row.reprinted_at if row.reprinted_at is not None else None
            if since is not None and since < REPRINT_MERGE_S:
                return {"ticket": t.to_dict(), "merged": True}, []  # the same request again: already on its way
            every_s = limits.kiosk_reprint_every_s if as_kiosk else 0
            if every_s and since is not None and since < every_s:
                raise _too_soon(f"ticket {t.number} was reprinted {int(since)} s ago", every_s - since)
            printer = kiosk or t.issued_by
            if not printer:
                raise QueueError(
                    "conflict",
                    f"ticket {t.number} was not issued at a kiosk; say which kiosk should print it",
                    "no_kiosk",
                    number=t.number,
                )
            per_minute = limits.kiosk_reprints_per_minute if as_kiosk else limits.staff_reprints_per_minute
            recent = self._recent_reprints(conn, printer, now)
            if len(recent) >= per_minute:
                raise _too_soon(f"{printer} reprinted {len(recent)} tickets this minute", 60 - (now - min(recent)))
            conn.execute(update(T).where(T.c.id == t.id).values(reprints=T.c.reprints + 1, reprinted_at=now))
            t = _ticket(conn.execute(select(T).where(T.c.id == t.id)).one())
            ahead, est = 0, None
            if t.state == TicketState.WAITING:  # the line as it is now, not at issue
                everyone, est_all = self.waiting.estimate(conn, t.service, t.priority, t.business_day)
                ahead = self.waiting.ahead_of(conn, t)
                est = est_all * ahead / everyone if est_all is not None and everyone else est_all
            answer = {"ticket": t.to_dict(), "ahead": ahead, "estimated_wait_s": est, "merged": False}
            return answer, [
                (
                    EventKind.TICKET_REPRINT,
                    TicketReprint(ticket=t.to_dict(), printer=printer, by=by, ahead=ahead, estimated_wait_s=est),
                )
            ]

        d = self.ledger.mutate(f"reprint:{ticket_id}", key, op)
        return Reprint(_ticket_from_dict(d["ticket"]), d.get("ahead", 0), d.get("estimated_wait_s"), d["merged"])

    def _recent_reprints(self, conn: Connection, printer: str, now: float) -> list[float]:
        """When the reprints addressed to `printer` in the last minute were asked (every
        process's: the events are in the store)."""
        E = schema.events
        rows = conn.execute(
            select(E.c.at, E.c.data).where(
                E.c.branch == self.ledger.branch, E.c.kind == EventKind.TICKET_REPRINT.value, E.c.at > now - 60
            )
        ).all()
        return [r.at for r in rows if r.data.get("printer") == printer]

    def ask_alerts(self, token: str) -> bool:
        """The customer asked their phone (the status page) to alert them: noted once, for the
        report's alerted-vs-not no-show figures. False for a ticket no longer in line."""

        def op(conn: Connection, now: float) -> OpResult:
            row = conn.execute(
                select(T.c.id, T.c.state, T.c.alerts_at).where(
                    T.c.status_token == token, T.c.branch == self.ledger.branch
                )
            ).first()
            if row is None:
                raise QueueError("not_found", "no such ticket")
            if not TicketState(row.state).is_open:
                return {"alerts": False}, []
            if row.alerts_at is None:
                conn.execute(update(T).where(T.c.id == row.id).values(alerts_at=now))
            return {"alerts": True}, []

        return bool(self.ledger.mutate("phone", None, op)["alerts"])
