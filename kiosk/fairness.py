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

Properties (tests/test_fairness.py checks them with hypothesis):
- a counter with at least one candidate always gets one (nobody is skipped by saying "empty");
- no normal ticket's run ever exceeds `max_priority_in_a_row`;
- with no priority tickets and nobody overdue the pick is the oldest (first come, first served);
- if some normal ticket is overdue, the pick is overdue too.
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

    def overdue(self, now: float) -> bool:
        return now - self.queue_time > self.target_wait_s


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    overtaken: tuple[int, ...]  # normal tickets this call went ahead of (their run grows by 1)
    reset_runs: bool  # a normal call: every normal candidate's run drops to 0
    reason: str  # "oldest" | "priority" | "overdue" | "bound"


def _order(c: Candidate) -> tuple[float, int]:
    return (c.queue_time, c.id)


def choose_next(candidates: Sequence[Candidate], now: float, max_priority_in_a_row: int) -> Choice | None:
    """Pick the ticket to call from `candidates` (the waiting tickets this counter may serve)."""
    if not candidates:
        return None
    overdue = [c for c in candidates if c.overdue(now)]
    pool = overdue or list(candidates)
    oldest = min(pool, key=_order)

    priorities = [c for c in pool if c.priority]
    if priorities:
        first_priority = min(priorities, key=_order)
        jumped = [c for c in candidates if not c.priority and _order(c) < _order(first_priority)]
        if all(c.run < max_priority_in_a_row for c in jumped):  # true when nobody is jumped
            reason = "priority" if jumped else ("overdue" if overdue else "oldest")
            return Choice(first_priority.id, tuple(c.id for c in jumped), False, reason)
        # The bound is the promise: a normal ticket goes now. The oldest overdue normal one if
        # there is one (overdue first), else the oldest of those held back long enough.
        normals = [c for c in pool if not c.priority]
        held = [c for c in jumped if c.run >= max_priority_in_a_row]
        pick = min(normals or held, key=_order)
        return Choice(pick.id, (), True, "oldest" if pick is oldest else "bound")
    return Choice(oldest.id, (), True, "overdue" if overdue else "oldest")
