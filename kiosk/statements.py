"""The statements on the hot paths (take a ticket, call the next one), built once.

Building a SQLAlchemy statement and computing its cache key cost more than running it on SQLite
(about 0.1 ms each, a dozen a ticket). A statement built once at import keeps its cache key, so
each execution goes straight to the compiled form; values come in as bound parameters.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    JSON,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from kiosk import schema

T = schema.tickets
C = schema.counters
DN = schema.day_numbers
I = schema.idempotency
B = schema.branches
A = schema.appointments
WAITING, FINISHED = "waiting", "finished"


# What a command's transaction reads first, under the branch lock (kiosk/store.py): the branch's
# last event number (the ledger numbers the events itself, in commit order and without gaps) and
# the answers already given for the idempotency keys of its operations, one row per key found.
# PostgreSQL takes the branch's row lock with it (the rest of the transaction is planned generic:
# see store._BRANCH_LOCK), so this costs no round trip of its own; SQLite's BEGIN IMMEDIATE has
# taken the database's one write lock already. On PostgreSQL the answers are as they were when
# the statement began: one that waited for the lock re-reads the branch's row but not them, so a
# key answered by another server process meanwhile is caught by the answer's primary key when this
# transaction writes its own, and the ledger tries the transaction again (tests/
# test_idempotency_and_closing.py: the same key at two server processes at once).
def branch_opening(postgres: bool, with_keys: bool) -> Select[Any]:
    cols: list[Any] = [B.c.last_event_seq]
    if postgres:
        cols.append(func.set_config("plan_cache_mode", "force_generic_plan", literal(True)))
    if not with_keys:
        q = select(*cols).where(B.c.id == bindparam("branch"))
    else:
        answered = and_(I.c.branch == B.c.id, I.c.key.in_(bindparam("keys", expanding=True)))
        q = select(*cols, I.c.key, I.c.scope, I.c.response).select_from(B.outerjoin(I, answered))
        q = q.where(B.c.id == bindparam("branch"))
    return q.with_for_update(of=B) if postgres else q


remember_answer = I.insert()
event_rows = schema.events.insert()
set_seq = update(B).where(B.c.id == bindparam("b_branch")).values(last_event_seq=bindparam("b_seq"))

# PostgreSQL: what a command's transaction writes last, in one statement (one round trip where
# it was three): the new event number, telling the other server processes at commit (kiosk/
# event_hub.py listens; a notification is transactional, so an undone one is never sent), the
# events, and the answers for their keys. The events and answers come as one JSON list each, so
# one statement (prepared once) serves any number of them.
_notify = func.pg_notify(bindparam("b_channel"), bindparam("b_payload"))
_numbered = (
    update(B)
    .where(B.c.id == bindparam("b_branch"), B.c.last_event_seq != bindparam("b_seq"))  # no events: no notice
    .values(last_event_seq=bindparam("b_seq"))
    .returning(_notify)
    .cte("numbered")
)


def _rows_from_json(table: Any, param: str, alias: str) -> Any:
    """INSERT INTO `table` the rows of the JSON list `param` (objects keyed by column name, with
    the table's types; other keys are ignored), each in the branch b_branch."""
    cols = [c for c in table.c if c.key != "branch"]
    rows = (
        func.json_to_recordset(bindparam(param, type_=JSON))
        .table_valued(*(column(c.key, c.type) for c in cols))
        .render_derived(name=alias, with_types=True)
    )
    chosen = select(bindparam("b_branch"), *(rows.c[c.key] for c in cols))
    return insert(table).from_select(["branch", *(c.key for c in cols)], chosen)


pg_closing = (
    _rows_from_json(I, "b_answers", "an")
    .add_cte(_numbered)
    .add_cte(_rows_from_json(schema.events, "b_events", "ev").cte("logged"))
)

newest_day = select(func.max(DN.c.business_day)).where(DN.c.branch == bindparam("branch"))
kiosk_recent = select(func.count(), func.min(T.c.issued_at)).where(
    T.c.branch == bindparam("branch"),
    T.c.business_day == bindparam("day"),
    T.c.issued_by == bindparam("kiosk"),
    T.c.issued_at > bindparam("since"),
)
# (an UPDATE's or INSERT's parameters may not share a column's name: b_ for these)
_day_number = (
    DN.c.branch == bindparam("b_branch"),
    DN.c.business_day == bindparam("b_day"),
    DN.c.prefix == bindparam("b_prefix"),
)
bump_number = update(DN).where(*_day_number).values(last_number=DN.c.last_number + 1).returning(DN.c.last_number)
first_number = DN.insert().values(
    branch=bindparam("b_branch"), business_day=bindparam("b_day"), prefix=bindparam("b_prefix"), last_number=1
)

# today's line only: a ticket left over from an earlier day (not closed) is not counted ahead of
# today's customers nor in their estimate; screens show it with its date
_waiting_in = (
    T.c.branch == bindparam("branch"),
    T.c.state == WAITING,
    T.c.service == bindparam("service"),
    T.c.business_day == bindparam("day"),
)
# a service's bookings of the day not yet checked in
_booked_today = (
    A.c.branch == bindparam("branch"),
    A.c.business_day == bindparam("day"),
    A.c.service == bindparam("service"),
    A.c.state == "booked",
)
_ahead_all = select(func.count()).select_from(T).where(*_waiting_in)
_ahead_priority = select(func.count()).select_from(T).where(*_waiting_in, T.c.priority.is_(True))


def estimate_inputs(recent: int, errors: int, *, priority: bool, postgres: bool, shared: bool = False) -> Select[Any]:
    """What a wait estimate needs, in one round trip (for everyone or for a priority ticket):
    every counter of the branch (which serve the service now, open, busy; the engine filters by
    its services, a manager may have changed them in any process), each row carrying the count
    waiting ahead and the mean of the service's last `recent` service times (NULL: none yet).
    On PostgreSQL the first row also carries the service's last `errors` estimates with the waits
    they became (recent_errors, as a JSON list of [estimate, waited] pairs; NULL for none) and,
    with `shared`, the day's waiting count of each of the services listed in `services` (as
    waiting_by_service, as a JSON object; NULL for none): SQLite asks these apart, having no round
    trip to save, and its JSON functions cost more than a statement."""
    last = (
        # from the call, not the start: the walk to the counter takes the counter's time too
        select((T.c.finished_at - T.c.called_at).label("d"))
        .where(T.c.branch == bindparam("branch"), T.c.service == bindparam("service"), T.c.state == FINISHED)
        .order_by(T.c.finished_at.desc())
        .limit(recent)
        .subquery()
    )
    mean = select(func.avg(last.c.d)).where(last.c.d > 0).scalar_subquery().label("mean_s")
    counters = (C.c.id, C.c.state, C.c.current_ticket_id, C.c.services)
    where = C.c.branch == bindparam("branch")
    # whether the service has bookings today at all: only then is booked_due asked (one round trip fewer)
    booked = select(func.count()).select_from(A).where(*_booked_today).scalar_subquery().label("booked")
    ahead = (_ahead_priority if priority else _ahead_all).scalar_subquery().label("ahead")
    q = select(*counters, ahead, mean, booked).where(where)
    if not postgres:
        return q
    # on the first row only: a list on each of 50 counters' rows was 50 lists to send and decode
    first = C.c.id == select(func.min(C.c.id)).where(where).scalar_subquery()
    past = recent_errors(errors).subquery()
    missed = select(func.json_agg(func.json_build_array(past.c.estimate_model_s, past.c.waited), type_=JSON))
    q = q.add_columns(case((first, missed.scalar_subquery()), else_=None).label("errors"))
    if shared:
        counted = waiting_by_service.subquery()
        by_service = select(func.json_object_agg(counted.c.service, counted.c.n, type_=JSON))
        q = q.add_columns(case((first, by_service.scalar_subquery()), else_=None).label("shared"))
    return q.order_by(C.c.id)


# how wrong the service's recent estimates were (kiosk/estimate.py): the latest called, read
# backwards from ix_tickets_called, so the scan stops after `limit` rows whatever the store's size
# (and whether or not anyone has been called yet)
def recent_errors(limit: int) -> Select[Any]:
    return (
        select(T.c.estimate_model_s, (T.c.first_called_at - T.c.issued_at).label("waited"))
        .where(
            T.c.branch == bindparam("branch"),
            T.c.service == bindparam("service"),
            T.c.priority == bindparam("priority"),  # a priority ticket's errors are its own kind's
            T.c.first_called_at.is_not(None),
            T.c.estimate_model_s.is_not(None),
            T.c.appointment_at.is_(None),
        )
        .order_by(T.c.first_called_at.desc())
        .limit(limit)
    )


# the day's line per service, for the work other services put on shared counters (kiosk/estimate.py)
# (only the other services asked about: the service's own line, perhaps long, is not read again)
waiting_by_service = (
    select(T.c.service, func.count().label("n"))
    .where(
        T.c.branch == bindparam("branch"),
        T.c.state == WAITING,
        T.c.service.in_(bindparam("services", expanding=True)),
        T.c.business_day == bindparam("day"),
    )
    .group_by(T.c.service)
)

# booked appointments of a service not yet checked in, due before a new walk-in would be called
booked_due = (
    select(func.count())
    .select_from(A)
    .where(*_booked_today, A.c.at >= bindparam("since"), A.c.at <= bindparam("until"))
)

new_ticket = T.insert().returning(*T.c)


@functools.cache
def pg_numbered_ticket(fields: tuple[str, ...]) -> Any:
    """PostgreSQL: the day's next number for a prefix and the ticket that takes it, in one
    statement (one round trip where it was two): `bump_number` (or `first_number`, the day's first
    ticket with the prefix) as an upsert, and `new_ticket` with the number formatted as
    f"{prefix}{n:03d}" does. `fields`: the ticket's columns but its number, each given as v_<name>
    (an INSERT's parameters may not share a column's name); the day and prefix as b_day, b_prefix.
    Built once for each list of columns."""
    bumped = (
        pg_insert(DN)
        .values(
            branch=bindparam("b_branch"), business_day=bindparam("b_day"), prefix=bindparam("b_prefix"), last_number=1
        )
        .on_conflict_do_update(
            index_elements=[DN.c.branch, DN.c.business_day, DN.c.prefix], set_={"last_number": DN.c.last_number + 1}
        )
        .returning(DN.c.last_number)
        .cte("bumped")
    )
    n = cast(bumped.c.last_number, String)
    number = bindparam("b_prefix", type_=String) + case((bumped.c.last_number < 1000, func.lpad(n, 3, "0")), else_=n)
    given = [bindparam(f"v_{f}", type_=T.c[f].type) for f in fields]
    # the columns not given take their defaults, written out (a SELECT's columns get none of their own)
    left = [c for c in T.c if c.key not in fields and c.key != "number" and c.default is not None]
    defaults = [literal(c.default.arg, c.type) for c in left]  # type: ignore[union-attr]
    chosen = select(number, *given, *defaults).select_from(bumped)
    return insert(T).from_select(["number", *fields, *(c.key for c in left)], chosen).returning(*T.c)


counter_row = select(C).where(C.c.branch == bindparam("branch"), C.c.id == bindparam("counter"))
ticket_row = select(T).where(T.c.id == bindparam("id"))

# call-next (an UPDATE's parameters may not share a column's name: b_ for these)
counter_now_serving = (
    update(C)
    .where(C.c.branch == bindparam("b_branch"), C.c.id == bindparam("b_counter"))
    .values(state="open", current_ticket_id=bindparam("b_ticket"), updated_at=bindparam("b_now"))
)
call_ticket = (
    update(T)
    .where(T.c.id == bindparam("b_id"), T.c.state == WAITING)
    .values(
        state="called",
        called_at=bindparam("b_now"),
        counter_id=bindparam("b_counter"),
        first_called_at=func.coalesce(T.c.first_called_at, bindparam("b_now")),
        owner_counter_id=func.coalesce(T.c.owner_counter_id, bindparam("b_counter")),
        call_reason=bindparam("b_reason"),
        called_by=bindparam("b_staff"),
        call_note=bindparam("b_note"),
    )
    .returning(*T.c)
)

# PostgreSQL (pg_finish_and_call): the counter's row made to serve the ticket called, in the
# same statement. A ticket no longer waiting updates no ticket, but the counter's row still
# changes: the engine then refuses, which undoes the transaction.
_serving = (
    update(C)
    .where(C.c.branch == bindparam("b_branch"), C.c.id == bindparam("b_counter"))
    .values(state="open", current_ticket_id=bindparam("b_id"), updated_at=bindparam("b_now"))
    .cte("serving")
)


def pg_finish_and_call(default_category: dict[str, str], fallback: str) -> Any:
    """PostgreSQL: the counter's customer (b_current) finished as `finish_ticket` does, and the
    next one (b_id) called and made the counter's customer, in one statement (one round trip
    where it was three). Its rows: the called ticket's, with step "called", and the finished
    one's (none if it was no longer at the counter, or b_current is NULL), with step "finished"."""
    finished = finish_ticket(default_category, fallback, ticket="b_current").cte("finished")
    called = call_ticket.cte("called")
    return union_all(
        select(literal("called").label("step"), *called.c), select(literal("finished"), *finished.c)
    ).add_cte(_serving)


def finish_ticket(default_category: dict[str, str], fallback: str, ticket: str = "b_id") -> Any:
    """Finish a called or served ticket (its id: the parameter `ticket`); a visit nobody
    categorised gets its service's default category and the outcome "resolved" (call-next
    closing a routine visit is one tap). Built once per engine: the defaults come from the
    configuration."""
    category = case(default_category, value=T.c.service, else_=literal(fallback)) if default_category else fallback
    return (
        update(T)
        .where(T.c.id == bindparam(ticket), T.c.state.in_(["called", "serving"]))
        .values(
            state=FINISHED,
            # served without a "start" press: the service began when they were called
            started_at=func.coalesce(T.c.started_at, T.c.called_at),
            finished_at=bindparam("b_now"),
            finished_by=bindparam("b_staff"),
            category=func.coalesce(T.c.category, category),
            outcome=func.coalesce(T.c.outcome, "resolved"),
        )
        .returning(*T.c)
    )
