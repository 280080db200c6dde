"""The statements on the hot paths (take a ticket, call the next one), built once.

Building a SQLAlchemy statement and computing its cache key cost more than running it on SQLite
(about 0.1 ms each, a dozen a ticket). A statement built once at import keeps its cache key, so
each execution goes straight to the compiled form; values come in as bound parameters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, case, func, literal, select, update

from kiosk import schema

T = schema.tickets
C = schema.counters
DN = schema.day_numbers
I = schema.idempotency
B = schema.branches
A = schema.appointments
WAITING, FINISHED = "waiting", "finished"

# numbers a transaction's events: under the branch lock, so in commit order and without gaps
bump_seq = (
    update(B)
    .where(B.c.id == bindparam("b_branch"))
    .values(last_event_seq=B.c.last_event_seq + bindparam("b_n"))
    .returning(B.c.last_event_seq)
)
# PostgreSQL: the same, telling the other server processes at commit in the same round trip
# (kiosk/event_hub.py listens); a notification is transactional, so an undone one is never sent
_notify = func.pg_notify(bindparam("b_channel"), bindparam("b_payload"))
bump_seq_notify = bump_seq.returning(_notify)
event_rows = schema.events.insert()
# a shared transaction (kiosk/engine/ledger.py) numbers its operations' events itself
last_seq = select(B.c.last_event_seq).where(B.c.id == bindparam("branch"))
set_seq = update(B).where(B.c.id == bindparam("b_branch")).values(last_event_seq=bindparam("b_seq"))
set_seq_notify = set_seq.returning(_notify)

prior_answer = select(I.c.scope, I.c.response).where(I.c.branch == bindparam("branch"), I.c.key == bindparam("key"))
prior_answers = select(I.c.key, I.c.scope, I.c.response).where(
    I.c.branch == bindparam("branch"), I.c.key.in_(bindparam("keys", expanding=True))
)
remember_answer = I.insert()

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


def estimate_inputs(recent: int) -> tuple[Select[Any], Select[Any]]:
    """What a wait estimate needs, in one round trip (for everyone / for a priority ticket):
    every counter of the branch (which serve the service now, open, busy; the engine filters by
    its services, a manager may have changed them in any process), each row carrying the count
    waiting ahead and the mean of the service's last `recent` service times (NULL: none yet)."""
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
    return (
        select(*counters, _ahead_all.scalar_subquery().label("ahead"), mean, booked).where(where),
        select(*counters, _ahead_priority.scalar_subquery().label("ahead"), mean, booked).where(where),
    )


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


def finish_ticket(default_category: dict[str, str], fallback: str) -> Any:
    """Finish a called or served ticket; a visit nobody categorised gets its service's default
    category and the outcome "resolved" (call-next closing a routine visit is one tap). Built
    once per engine: the defaults come from the configuration."""
    category = case(default_category, value=T.c.service, else_=literal(fallback)) if default_category else fallback
    return (
        update(T)
        .where(T.c.id == bindparam("b_id"), T.c.state.in_(["called", "serving"]))
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
