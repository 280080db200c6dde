"""Which waiting ticket a counter calls next. One pure function, no I/O.

The rule, in the words of the seeds: customers are answered in order of arrival and urgency
(000 #2-3, 002 应答), and nobody is treated as less important than another.

1. Order of arrival: a ticket's place is its *queue time*, the time it was first issued; a
   transfer to another service keeps it (first-contact rule, 002 首问负责).
2. Overdue first: if any candidate has waited longer than its service's target, only overdue
   candidates are considered: a ticket still within its target never goes before one past it.
   Among overdue tickets rule 3 still holds, so in a saturated hall priority keeps its
   (bounded) advantage instead of waiting as long as everyone.
3. Urgency, bounded: a priority ticket (elderly, mobility help) may go before older normal
   tickets, but no normal ticket is overtaken by more than `max_priority_in_a_row` priority
   tickets in a row. "In a row" is counted per normal ticket (`run`): it grows each time a
   priority ticket issued after it is called before it, and drops to 0 whenever a counter that
   could serve it calls a normal ticket. With the default 2 this is the 2:1 rhythm users of
   other systems ask for (P P N P P N ...), and with 0 priority only marks the ticket.
4. Appointments, bounded the same way: a checked-in appointment's place is its booked time
   (its queue time). Before that time it is an ordinary ticket of that place (a walk-in who came
   earlier goes first); from that time it may go before older walk-ins like a priority ticket,
   but only while none of them has been overtaken `max_appointments_in_a_row` times in a row.
   One run counts both kinds, so each bound holds for its own kind and for the two together.
   An appointment whose time has come also competes when others are overdue (rule 2): its
   promise is its time, and the bound still protects every walk-in.

Properties (tests/test_fairness.py checks them with hypothesis):
- a counter with at least one candidate always gets one (nobody is skipped by saying "empty");
- no normal ticket's run ever exceeds `max_priority_in_a_row`;
- with no priority tickets and nobody overdue the pick is the oldest (first come, first served);
- if some normal ticket is overdue, the pick is overdue too, or an appointment whose time has come;
- no appointment is called before a walk-in who came before its booked time, unless none
  other waits (an idle counter serves an early appointment rather than nobody).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    id: int
    queue_time: float
    priority: bool
    target_wait_s: float
    run: int = 0  # priority tickets that overtook this one since the last normal call
    appointment: bool = False  # a checked-in appointment; its queue time is its booked time

    def overdue(self, now: float) -> bool:
        return now - self.queue_time > self.target_wait_s

    def goes_ahead(self, now: float) -> bool:
        """May overtake older normal tickets: priority, or an appointment whose time has come."""
        return self.priority or (self.appointment and now >= self.queue_time)


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    overtaken: tuple[int, ...]  # normal tickets this call went ahead of (their run grows by 1)
    reset_runs: bool  # a normal call: every normal candidate's run drops to 0
    reason: str  # "oldest" | "priority" | "appointment" | "overdue" | "bound"


def _order(c: Candidate) -> tuple[float, int]:
    return (c.queue_time, c.id)


def choose_next(
    candidates: Sequence[Candidate],
    now: float,
    max_priority_in_a_row: int,
    max_appointments_in_a_row: int | None = None,
) -> Choice | None:
    """Pick the ticket to call from `candidates` (the waiting tickets this counter may serve)."""
    if not candidates:
        return None
    k_appointments = max_priority_in_a_row if max_appointments_in_a_row is None else max_appointments_in_a_row
    overdue = [c for c in candidates if c.overdue(now)]
    # an appointment whose time has come is at the time it was promised: it competes with the
    # overdue (boundedly, below) rather than waiting out its target behind them
    pool = overdue + [c for c in candidates if c.appointment and c.goes_ahead(now) and c not in overdue]
    pool = pool if overdue else list(candidates)
    oldest = min(pool, key=_order)

    urgent = [c for c in pool if c.goes_ahead(now)]
    if urgent:
        first = min(urgent, key=_order)
        bound = max_priority_in_a_row if first.priority else k_appointments
        jumped = [c for c in candidates if not c.goes_ahead(now) and _order(c) < _order(first)]
        if all(c.run < bound for c in jumped):  # true when nobody is jumped
            kind = "priority" if first.priority else "appointment"
            reason = kind if jumped else ("overdue" if overdue else "oldest")
            return Choice(first.id, tuple(c.id for c in jumped), False, reason)
        # The bound is the promise: a normal ticket goes now. The oldest overdue normal one if
        # there is one (overdue first), else the oldest of those held back long enough.
        normals = [c for c in pool if not c.goes_ahead(now)]
        held = [c for c in jumped if c.run >= bound]
        pick = min(normals or held, key=_order)
        return Choice(pick.id, (), True, "oldest" if pick is oldest else "bound")
    return Choice(oldest.id, (), True, "overdue" if overdue else "oldest")
