"""Group commit: operations that arrive while another is being written go together in the next
transaction and share its fsync, yet every caller gets its own answer, a refusal undoes only
itself, and the events stay numbered in order without gaps."""

from __future__ import annotations

import threading
import time

from sqlalchemy import event

from kiosk.engine import QueueError


def _commits(engine) -> list[int]:
    commits: list[int] = []
    event.listen(engine.store.writer, "commit", lambda conn: commits.append(1))
    return commits


def _all_at_once(engine, calls):
    """Every call queued behind one held transaction, then let go together."""
    answers: list = [None] * len(calls)

    def run(i, fn):
        try:
            answers[i] = fn()
        except QueueError as e:
            answers[i] = e

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    with engine._writer_lock:  # a transaction of this branch is being written
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(engine._pending) < len(calls) and time.monotonic() < deadline:
            time.sleep(0.005)
    for t in threads:
        t.join(timeout=30)
    return answers


def test_tickets_taken_at_the_same_moment_share_one_commit_and_each_gets_its_own_number(engine_any_db):
    engine = engine_any_db
    commits = _commits(engine)
    heard = []
    engine.bus.subscribe(heard.append)
    answers = _all_at_once(engine, [lambda: engine.issue("general") for _ in range(20)])
    numbers = sorted(a.ticket.number for a in answers)
    assert numbers == [f"A{i:03d}" for i in range(1, 21)]
    assert len(commits) == 1  # one transaction, one fsync
    assert sorted(a.ahead for a in answers) == list(range(20))
    seqs = [ev.seq for ev in heard]
    assert seqs == list(range(seqs[0], seqs[0] + 20))  # in order, no gap
    assert engine.waiting_counts()["general"] == 20


def test_a_refusal_in_a_shared_commit_undoes_only_itself(engine_any_db):
    engine = engine_any_db
    engine.issue("general")
    calls = [
        lambda: engine.issue("general"),
        lambda: engine.finish(2),  # counter 2 has nobody to finish
        lambda: engine.call_next(1),
        lambda: engine.issue("no-such-service"),
        lambda: engine.issue("general"),
    ]
    answers = _all_at_once(engine, calls)
    assert isinstance(answers[1], QueueError) and answers[1].why == "no_current_ticket"
    assert isinstance(answers[3], QueueError) and answers[3].code == "not_found"
    assert answers[2].number == "A001"  # called, and it stays called
    assert {answers[0].ticket.number, answers[4].ticket.number} == {"A002", "A003"}
    assert engine.waiting_counts()["general"] == 2
    assert engine.ticket(answers[2].id).state.value == "called"


def test_the_same_retry_twice_in_one_commit_is_answered_once(engine_any_db):
    engine = engine_any_db
    answers = _all_at_once(engine, [lambda: engine.issue("general", key="kiosk-1/press-7") for _ in range(3)])
    assert {a.ticket.number for a in answers} == {"A001"}
    assert engine.waiting_counts()["general"] == 1
