"""A retried request changes nothing; closing time sends nobody away who already has a ticket."""

from __future__ import annotations

import threading

import pytest

from kiosk.domain import TicketState
from kiosk.engine import QueueError
from tests.conftest import local_ts


def test_a_retried_call_next_returns_the_same_customer_and_skips_nobody(engine_any_db):
    e = engine_any_db
    for _ in range(3):
        e.issue("general")
    first = e.call_next(1, key="panel-1-press-17")
    retry = e.call_next(1, key="panel-1-press-17")  # the reply was lost; the panel retries
    assert retry.id == first.id and retry.number == "A001"
    assert e.ticket(first.id).state == TicketState.CALLED  # not finished by the retry
    assert e.call_next(2).number == "A002"  # A002 was not consumed by the retry
    assert len([ev for ev in e.events_after(0) if ev.kind == "ticket_called"]) == 2


def test_a_retried_issue_prints_one_ticket_not_two(engine_any_db):
    e = engine_any_db
    a = e.issue("general", key="kiosk-tap-1")
    b = e.issue("general", key="kiosk-tap-1")
    assert a.ticket.number == b.ticket.number == "A001"
    assert e.issue("general").ticket.number == "A002"


def test_a_retry_reaching_another_server_process_at_the_same_moment_prints_one_ticket(make_engine, db_url, config):
    """A kiosk whose reply was lost retries through the load balancer, and the retry reaches
    another server process while the first is still writing: one ticket, the same answer."""
    a, b = make_engine(db_url, config), make_engine(db_url, config)
    answers: dict[str, list[str]] = {}
    for i in range(25):
        key = f"kiosk-1-tap-{i}"
        start = threading.Barrier(2)

        def tap(engine, key=key, start=start):
            start.wait()
            got = engine.issue("general", key=key).ticket.number
            answers.setdefault(key, []).append(got)

        both = [threading.Thread(target=tap, args=(e,)) for e in (a, b)]
        for t in both:
            t.start()
        for t in both:
            t.join(30)
    assert all(len(set(got)) == 1 and len(got) == 2 for got in answers.values())  # the same ticket
    numbers = [got[0] for got in answers.values()]
    assert numbers == [f"A{i:03d}" for i in range(1, 26)]  # one ticket a tap, none skipped
    assert len(b.waiting_tickets()) == 25


def test_a_key_reused_for_a_ticket_in_another_language_is_refused_not_answered_in_the_first(engine):
    first = engine.issue("general", key="kiosk-tap-2", language="en")
    assert engine.issue("general", key="kiosk-tap-2", language="en").ticket.number == first.ticket.number
    with pytest.raises(QueueError, match="already used") as err:
        engine.issue("general", key="kiosk-tap-2", language="zh-Hant")
    assert err.value.code == "conflict"
    assert engine.issue("general").ticket.number == "A002"  # nothing was issued by the refused one


def test_a_retried_call_next_on_an_empty_line_stays_empty(engine):
    assert engine.call_next(1, key="k1") is None
    engine.issue("general")
    assert engine.call_next(1, key="k1") is None  # the first answer, as promised
    assert engine.call_next(1, key="k2").number == "A001"


def test_a_key_reused_for_another_operation_is_refused(engine):
    engine.issue("general")
    engine.call_next(1, key="same")
    with pytest.raises(QueueError, match="already used for call-next:1") as err:
        engine.call_next(2, key="same")
    assert err.value.code == "conflict"


def test_retries_of_every_staff_operation_act_once(engine):
    engine.issue("general")
    engine.issue("general")
    engine.call_next(1)
    assert engine.recall(1, key="r").recalls == 1
    assert engine.recall(1, key="r").recalls == 1
    engine.transfer(1, "payment", key="t")
    assert engine.transfer(1, "payment", key="t").transfers == 1
    assert engine.pause(1, "break", key="p").pause_reason == "break"
    assert engine.pause(1, "break", key="p").state.value == "paused"


def test_after_closing_time_no_ticket_is_issued_and_the_reason_is_polite(engine, clock):
    clock.set(local_ts(2026, 11, 25, 17, 0))
    res = engine.issue("general")
    assert res.ticket is None and res.refused == "closed"
    assert res.message == "General enquiries is closed now; it opens again 2026-11-26 09:00"
    assert res.next_open == local_ts(2026, 11, 26, 9, 0)


def test_tickets_issued_before_closing_are_still_served_after_it(engine, clock):
    clock.set(local_ts(2026, 11, 25, 16, 58))
    late = [engine.issue("general").ticket for _ in range(3)]
    clock.set(local_ts(2026, 11, 25, 17, 45))
    assert engine.issue("general").ticket is None
    with pytest.raises(QueueError, match="3 ticket\\(s\\) still open \\(A001, A002, A003\\)"):
        engine.close_day()
    assert all(engine.ticket(t.id).state == TicketState.WAITING for t in late)  # nothing auto-cancelled
    assert [engine.call_next(c).number for c in (1, 2, 3)] == ["A001", "A002", "A003"]
    engine.finish(1)
    engine.finish(2)
    engine.no_show(3)
    closed = engine.close_day()
    assert closed["business_day"] == "2026-11-25"
    assert {c.state.value for c in engine.counters()} == {"closed"}
    # the next morning a counter opens by calling
    clock.set(local_ts(2026, 11, 26, 9, 1))
    engine.issue("general")
    assert engine.call_next(1).number == "A001"
    assert [c.state.value for c in engine.counters()][0] == "open"


def test_a_ticket_left_from_yesterday_is_still_called_first(engine, clock):
    clock.set(local_ts(2026, 11, 25, 16, 59))
    yesterday = engine.issue("general").ticket
    clock.set(local_ts(2026, 11, 26, 9, 0))
    today = engine.issue("general").ticket
    assert today.number == yesterday.number == "A001"
    assert engine.call_next(1).id == yesterday.id
    assert engine.call_next(2).id == today.id
