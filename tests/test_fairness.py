"""The fairness policy's promises, stated as properties and checked with hypothesis.

Two levels: single decisions of the pure function, and whole random days played through the
pure function with the engine's bookkeeping rules (runs grow when passed over by a priority
ticket and drop on a normal call)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.fairness import Candidate, choose_next

NOW = 10_000.0

candidate = st.builds(
    Candidate,
    id=st.integers(0, 10_000),
    queue_time=st.floats(NOW - 3600, NOW, allow_nan=False),
    priority=st.booleans(),
    target_wait_s=st.sampled_from([300.0, 600.0, 900.0, 1800.0]),
    run=st.integers(0, 4),
)
candidates = st.lists(candidate, max_size=30, unique_by=lambda c: c.id)
bound = st.integers(0, 4)


@given(candidates, bound)
def test_someone_is_always_called_when_someone_waits(cands, k):
    choice = choose_next(cands, NOW, k)
    if cands:
        assert choice is not None and choice.ticket_id in {c.id for c in cands}
    else:
        assert choice is None


@given(
    st.lists(
        candidate.map(lambda c: Candidate(c.id, c.queue_time, False, 10**9, 0)),
        min_size=1,
        max_size=30,
        unique_by=lambda c: c.id,
    ),
    bound,
)
def test_without_priority_and_overdue_it_is_first_come_first_served(cands, k):
    choice = choose_next(cands, NOW, k)
    oldest = min(cands, key=lambda c: (c.queue_time, c.id))
    assert choice.ticket_id == oldest.id
    assert choice.overtaken == ()


@given(candidates, bound)
def test_a_priority_call_never_passes_a_ticket_at_its_bound(cands, k):
    choice = choose_next(cands, NOW, k)
    if choice is None:
        return
    by_id = {c.id: c for c in cands}
    picked = by_id[choice.ticket_id]
    passed = [c for c in cands if not c.priority and (c.queue_time, c.id) < (picked.queue_time, picked.id)]
    if picked.priority:
        assert all(c.run < k for c in passed), "a priority ticket went before a normal ticket at its bound"
        assert set(choice.overtaken) == {c.id for c in passed}


@given(candidates, bound)
def test_an_overdue_normal_ticket_is_never_passed_by_one_within_its_target(cands, k):
    choice = choose_next(cands, NOW, k)
    if choice is None:
        return
    if any(not c.priority and c.overdue(NOW) for c in cands):
        picked = next(c for c in cands if c.id == choice.ticket_id)
        assert picked.overdue(NOW)


def test_priority_goes_first_within_the_bound():
    cands = [Candidate(1, NOW - 300, False, 900), Candidate(2, NOW - 60, True, 900)]
    choice = choose_next(cands, NOW, 2)
    assert choice.ticket_id == 2 and choice.overtaken == (1,) and choice.reason == "priority"


def test_zero_bound_means_priority_never_overtakes():
    cands = [Candidate(1, NOW - 300, False, 900), Candidate(2, NOW - 60, True, 900)]
    assert choose_next(cands, NOW, 0).ticket_id == 1


# ---------------------------------------------------------------- whole days
arrival = st.tuples(st.booleans(), st.integers(0, 3))  # (priority, calls made before the next arrival)


@settings(max_examples=300, deadline=None)
@given(st.lists(arrival, min_size=1, max_size=80), st.integers(0, 3), st.floats(60, 3600))
def test_in_a_whole_day_no_normal_ticket_is_passed_more_than_k_times_in_a_row(arrivals, k, target):
    """Arrivals interleaved with calls, every ticket played through to the end: nobody is lost,
    nobody called twice, and no run of priority calls passes a normal ticket more than k times."""
    waiting: dict[int, Candidate] = {}
    called: list[int] = []
    worst_run = 0
    now = 0.0

    def call() -> None:
        nonlocal worst_run
        choice = choose_next(list(waiting.values()), now, k)
        if choice is None:
            return
        for tid in choice.overtaken:
            c = waiting[tid]
            waiting[tid] = Candidate(c.id, c.queue_time, c.priority, c.target_wait_s, c.run + 1)
            worst_run = max(worst_run, c.run + 1)
        if choice.reset_runs:
            for tid, c in waiting.items():
                if not c.priority:
                    waiting[tid] = Candidate(c.id, c.queue_time, c.priority, c.target_wait_s, 0)
        called.append(choice.ticket_id)
        del waiting[choice.ticket_id]

    for tid, (priority, calls) in enumerate(arrivals):
        now += 30
        waiting[tid] = Candidate(tid, now, priority, target)
        for _ in range(calls):
            now += 45
            call()
    while waiting:
        now += 45
        call()

    assert sorted(called) == list(range(len(arrivals)))  # everyone called exactly once
    assert worst_run <= k
    if k == 0 or not any(p for p, _ in arrivals):
        assert called == sorted(called)  # plain first come, first served
