"""The candidates call-next needs, read from indexes, so its cost does not grow with the line.

kiosk/fairness.py's `choose_next` decides from these tickets exactly as it would from the whole
line (tests/test_line.py checks it against the whole line with hypothesis):
- per service, its oldest normal walk-in ticket: the oldest of the pool whether or not anyone is
  overdue, because within one service every ticket has the same target, so if any normal ticket
  is overdue the oldest one is;
- every priority ticket (few: they are called first);
- every checked-in appointment (few: they are booked);
- every normal ticket already overtaken `max_priority_in_a_row` times (the ones the bound
  protects; a normal call resets them, so they are few too);
- the ticket overtaken most often: a normal call resets the runs only when its run is not 0
  (most calls: no UPDATE at all).
The normal tickets a priority call overtakes are updated with one ranged UPDATE instead of by id.

A service whose waiting tickets carry different targets (the target was changed in the config
and the server restarted while people waited) is read whole, as before, until the next start.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)

from kiosk import schema
from kiosk.fairness import Candidate
from kiosk.precompiled import run

T = schema.tickets
C = schema.counters
WAITING = "waiting"
_CODE = re.compile(r"[a-z0-9_-]{1,32}")
_COLS = (T.c.id, T.c.queue_time, T.c.priority, T.c.target_wait_s, T.c.priority_run, T.c.appointment_at)


def _in_line(service: str, *more: ColumnElement[bool]) -> ColumnElement[bool]:
    return and_(T.c.branch == bindparam("branch"), T.c.state == WAITING, T.c.service == literal(service), *more)


def _in_lines(services: tuple[str, ...], *more: ColumnElement[bool]) -> ColumnElement[bool]:
    # the codes written into the statement (IN ('a', 'b')): a list of parameters would be
    # expanded again at every execution; a code is [a-z0-9_-] (kiosk/config.py), checked here too
    if not all(_CODE.fullmatch(s) for s in services):
        raise ValueError(f"not service codes: {services!r}")
    listed = T.c.service.in_([literal_column(f"'{s}'") for s in services])
    return and_(T.c.branch == bindparam("branch"), T.c.state == WAITING, listed, *more)


class LineReader:
    """Built once per set of services (a counter's): one statement, one round trip."""

    def __init__(self, services: tuple[str, ...], max_run: int, whole: frozenset[str] = frozenset()):
        parts = [select(*_COLS).where(_in_line(s)) for s in services if s in whole]
        kept = tuple(s for s in services if s not in whole)  # read from their indexes
        for s in kept:
            walk_in = (T.c.priority.is_(False), T.c.appointment_at.is_(None))
            head = select(*_COLS).where(_in_line(s, *walk_in)).order_by(T.c.queue_time, T.c.id).limit(1)
            parts.append(select(*head.subquery().c))
            # the ticket with the longest run (the runs index read backwards, one row, whatever
            # PostgreSQL's generic plan guesses): a normal call resets the runs only if it is > 0
            held = select(*_COLS).where(_in_line(s)).order_by(T.c.priority_run.desc()).limit(1)
            parts.append(select(*held.subquery().c))
        if kept:  # one part each for all services: the statement stays short enough to be cached
            parts.append(select(*_COLS).where(_in_lines(kept, T.c.priority.is_(True))))
            parts.append(select(*_COLS).where(_in_lines(kept, T.c.appointment_at.is_not(None))))
            if max_run > 0:  # with 0, any overtaken normal ticket stops a priority call; the head says so
                parts.append(
                    select(*_COLS).where(_in_lines(kept, T.c.priority.is_(False), T.c.priority_run >= max_run))
                )
        self.statement = union_all(*parts) if len(parts) > 1 else parts[0]
        self.services = services
        # PostgreSQL: the counter's row with its line in one round trip (call-next reads both):
        # the line as a JSON list of [id, queue_time, priority, target_wait_s, priority_run,
        # appointment_at] on the row (NULL: nobody waits)
        line = self.statement.subquery("line")
        listed = select(func.json_agg(func.json_build_array(*line.c), type_=JSON)).scalar_subquery()
        self.with_counter = select(*C.c, listed.label("line")).where(
            C.c.branch == bindparam("branch"), C.c.id == bindparam("counter")
        )
        self.overtake = (
            update(T)
            .where(
                T.c.branch == bindparam("b_branch"),
                T.c.state == WAITING,
                T.c.service.in_(services),
                T.c.priority.is_(False),
                or_(
                    T.c.queue_time < bindparam("b_queue_time"),
                    and_(T.c.queue_time == bindparam("b_queue_time"), T.c.id < bindparam("b_id")),
                ),
            )
            .values(priority_run=T.c.priority_run + 1, overtaken=T.c.overtaken + 1)
        )
        self.reset = (
            update(T)
            .where(
                T.c.branch == bindparam("b_branch"),
                T.c.state == WAITING,
                T.c.service.in_(services),
                T.c.priority_run > 0,
            )
            .values(priority_run=0)
        )

    def candidates(self, conn: Connection, branch: str) -> list[Candidate]:
        seen: dict[int, Candidate] = {}
        for i, q, p, tw, streak, appointment_at in run(conn, self.statement, {"branch": branch}):
            seen.setdefault(i, Candidate(i, q, bool(p), tw, streak, appointment_at is not None))
        return list(seen.values())

    @staticmethod
    def listed(line: list[list[Any]] | None) -> list[Candidate]:
        """The candidates from the JSON list `with_counter` reads (a whole number in JSON comes
        back an int: the times are made floats again, as the statement's own rows give them)."""
        seen: dict[int, Candidate] = {}
        for i, q, p, tw, streak, appointment_at in line or ():
            seen.setdefault(i, Candidate(i, float(q), bool(p), float(tw), streak, appointment_at is not None))
        return list(seen.values())

    def overtaken_by(self, conn: Connection, branch: str, chosen: Candidate) -> None:
        """Every normal ticket older than the priority ticket just called was overtaken once more."""
        conn.execute(self.overtake, {"b_branch": branch, "b_queue_time": chosen.queue_time, "b_id": chosen.id})

    def reset_runs(self, conn: Connection, branch: str, candidates: list[Candidate]) -> None:
        """A normal call: every normal ticket's run drops to 0 (none to drop: no statement)."""
        if any(c.run > 0 for c in candidates):
            conn.execute(self.reset, {"b_branch": branch})


def services_with_mixed_targets(conn: Connection, branch: str, targets: dict[str, float]) -> frozenset[str]:
    """Services with a waiting ticket whose target is not the configured one (see the docstring)."""
    rows = conn.execute(
        select(T.c.service, T.c.target_wait_s).distinct().where(T.c.branch == branch, T.c.state == WAITING)
    ).all()
    return frozenset(s for s, tw in rows if s in targets and tw != targets[s])
