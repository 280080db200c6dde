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
    with engine.ledger._writer_lock:  # a transaction of this branch is being written
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(engine.ledger._pending) < len(calls) and time.monotonic() < deadline:
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


def test_a_shared_commit_answers_a_known_retry_as_before_and_refuses_a_key_reused_for_something_else(
    engine_any_db,
):
    engine = engine_any_db
    first = engine.issue("general", key="kiosk-1/press-1")
    answers = _all_at_once(
        engine,
        [
            lambda: engine.issue("general", key="kiosk-1/press-1"),  # the kiosk retried: the same ticket
            lambda: engine.issue("payment", key="kiosk-1/press-1"),  # a bug or an attack: refused
            lambda: engine.issue("general", key="kiosk-1/press-2"),
            lambda: engine.issue("general", key="kiosk-1/press-2"),
        ],
    )
    assert answers[0].ticket.number == first.ticket.number == "A001"
    assert isinstance(answers[1], QueueError) and answers[1].code == "conflict"
    assert answers[2].ticket == answers[3].ticket and answers[2].ticket.number == "A002"
    waiting = engine.waiting_counts()
    assert waiting["general"] == 2 and waiting["payment"] == 0
    # and the answers stay: asked once more, alone
    assert engine.issue("general", key="kiosk-1/press-2").ticket.number == "A002"


def test_counters_pressing_together_each_call_a_different_customer_in_order_with_their_events(engine_any_db):
    engine = engine_any_db
    for _ in range(6):
        engine.issue("general")
    heard = []
    engine.bus.subscribe(heard.append)
    commits = _commits(engine)
    answers = _all_at_once(engine, [lambda c=c: engine.call_next(c) for c in (1, 2, 3)])
    assert sorted(a.number for a in answers) == ["A001", "A002", "A003"]
    assert len(commits) == 1
    called = [ev.data["ticket"]["number"] for ev in heard if ev.kind == "ticket_called"]
    assert sorted(called) == ["A001", "A002", "A003"]
    seqs = [ev.seq for ev in heard]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert engine.events_after(seqs[0] - 1) == heard  # the log holds exactly what was heard
