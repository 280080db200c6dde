"""What staff and customers see the engine do, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from kiosk import schema
from kiosk.domain import CounterState, TicketState
from kiosk.engine import QueueError
from kiosk.engine.appointments import Booking
from tests.conftest import config_with, local_ts


def test_numbers_count_up_per_prefix_and_restart_the_next_day(engine_any_db, clock):
    e = engine_any_db
    assert [e.issue("general").ticket.number for _ in range(3)] == ["A001", "A002", "A003"]
    assert e.issue("payment").ticket.number == "B001"
    assert e.issue("general").ticket.number == "A004"
    clock.set(local_ts(2026, 11, 26, 9, 0))  # Thursday, a new business day
    first = e.issue("general").ticket
    assert first.number == "A001" and first.business_day == "2026-11-26"
    assert e.issue("payment").ticket.number == "B001"


def test_the_thousandth_ticket_of_a_day_reads_a1000_and_the_others_keep_three_digits(engine_any_db):
    """A busy government hall passes 999 in a day: the number grows a digit, it never wraps."""
    e = engine_any_db
    assert e.issue("general").ticket.number == "A001"
    with e.store.write(e.branch) as conn:  # as if 997 more had been issued today
        conn.execute(update(schema.day_numbers).where(schema.day_numbers.c.prefix == "A").values(last_number=998))
    assert [e.issue("general").ticket.number for _ in range(2)] == ["A999", "A1000"]
    assert e.issue("payment").ticket.number == "B001"


def test_the_business_day_follows_the_site_time_zone(engine, clock):
    # 16:59 in Taipei is 08:59 UTC: the same business day in Taipei whatever the server's zone
    clock.set(local_ts(2026, 11, 25, 16, 59))
    assert engine.issue("general").ticket.business_day == "2026-11-25"


def test_call_next_is_first_come_first_served_across_counters(engine_any_db, clock):
    e = engine_any_db
    numbers = []
    for _ in range(4):
        numbers.append(e.issue("general").ticket.number)
        clock.advance(20)
    called = [e.call_next(c).number for c in (3, 1, 2)]
    assert called == numbers[:3]
    e.start(3)  # A001 came and is being served
    assert e.call_next(3).number == numbers[3]  # finishing A001 implicitly, then the next
    assert e.ticket(1).state == TicketState.FINISHED  # pressing next finished A001
    assert e.ticket(2).state == TicketState.CALLED and e.ticket(2).counter_id == 1


def test_a_clerk_who_works_with_call_next_alone_serves_every_customer_and_logs_no_no_show(engine_any_db, clock):
    engine = engine_any_db
    for _ in range(4):
        engine.issue("general")
    for n in ("A001", "A002", "A003", "A004"):  # never "start": call-next is the whole routine
        assert engine.call_next(1).number == n
        clock.advance(240)
    engine.call_next(1)  # the last one done, nobody waits
    served = [engine.ticket(i) for i in range(1, 5)]
    assert all(t.state == TicketState.FINISHED for t in served)
    assert all(t.started_at == t.called_at and t.finished_at - t.started_at == 240 for t in served)
    kinds = [ev.kind for ev in engine.events_after(0)]
    assert "ticket_no_show" not in kinds and kinds.count("ticket_finished") == 4
    # each press: the customer at the counter finished, then the next one called (screens show it so)
    presses = [k for k in kinds if k in ("ticket_finished", "ticket_called")]
    assert presses == ["ticket_called"] + ["ticket_finished", "ticket_called"] * 3 + ["ticket_finished"]
    assert all(t.category and t.outcome == "resolved" for t in served)  # closed as a routine visit


def test_call_next_says_nobody_waits_only_when_nobody_waits(engine_any_db):
    e = engine_any_db
    assert e.call_next(1) is None
    e.issue("payment")
    assert e.call_next(1).number == "B001"
    assert e.call_next(2) is None


def test_a_counter_only_calls_services_it_serves(engine, config):
    engine.issue("manager")  # only counter 3 serves manager reception
    assert engine.call_next(1) is None
    assert engine.call_next(3).number == "M001"


def test_priority_goes_first_but_normal_tickets_are_not_passed_more_than_twice(engine, clock):
    normal = engine.issue("general").ticket
    for _ in range(4):
        clock.advance(10)
        engine.issue("general", priority=True)
    order = []
    for _ in range(5):
        clock.advance(10)
        order.append(engine.call_next(1).number)
        engine.finish(1)
    assert order[:3] == ["A002", "A003", normal.number]  # P P N: the 2:1 rhythm
    assert engine.ticket(normal.id).overtaken == 2


def test_a_ticket_past_its_target_goes_before_newer_priority(engine, clock):
    old = engine.issue("payment").ticket  # payment target: 10 minutes
    clock.advance(11 * 60)
    engine.issue("payment", priority=True)
    called = engine.call_next(1)
    assert called.id == old.id and called.call_reason == "overdue"


def test_transfer_keeps_the_place_in_line_and_the_first_counter_as_owner(engine_any_db, clock):
    e = engine_any_db
    t = e.issue("general").ticket
    clock.advance(60)
    for _ in range(3):
        e.issue("payment")
        clock.advance(10)
    assert e.call_next(2).id == t.id
    clock.advance(120)
    moved = e.transfer(2, "payment")
    assert moved.number == t.number and moved.service == "payment" and moved.state == TicketState.WAITING
    assert moved.queue_time == t.queue_time and moved.owner_counter_id == 2 and moved.transfers == 1
    assert e.position(moved) == 0  # still ahead of the three payment tickets
    again = e.call_next(1)
    assert again.id == t.id and again.first_called_at < again.called_at
    assert e.ticket(t.id).owner_counter_id == 2


def test_pause_shows_a_sign_and_the_queue_flows_to_the_other_counters(engine_any_db, clock):
    e = engine_any_db
    until = clock.now() + 30 * 60
    status = e.pause(2, "午餐休息", until)
    assert status.state == CounterState.PAUSED and status.pause_reason == "午餐休息" and status.pause_until == until
    e.issue("general")
    with pytest.raises(QueueError, match="paused"):
        e.call_next(2)
    assert e.call_next(1).number == "A001"
    assert e.resume(2).state == CounterState.OPEN
    e.issue("general")
    assert e.call_next(2).number == "A002"


def test_a_counter_cannot_leave_a_customer_behind_when_pausing(engine):
    engine.issue("general")
    engine.call_next(1)
    with pytest.raises(QueueError, match="A001 is still at counter 1"):
        engine.pause(1, "break")
    engine.finish(1)
    assert engine.pause(1, "break").state == CounterState.PAUSED


def test_recall_start_finish_and_no_show(engine, clock):
    engine.issue("general")
    engine.issue("general")
    engine.call_next(1)
    assert engine.recall(1).recalls == 1
    clock.advance(120)
    gone = engine.no_show(1)
    assert gone.state == TicketState.NO_SHOW
    with pytest.raises(QueueError, match="no current ticket"):
        engine.recall(1)
    engine.call_next(1)
    assert engine.start(1).state == TicketState.SERVING
    with pytest.raises(QueueError, match="serving; cannot no-show"):
        engine.no_show(1)
    done = engine.finish(1)
    assert done.state == TicketState.FINISHED and done.finished_at == clock.now()


def test_unknown_service_and_counter_are_clear_errors(engine):
    with pytest.raises(QueueError, match="no service 'loans'") as e1:
        engine.issue("loans")
    assert e1.value.code == "not_found"
    with pytest.raises(QueueError, match="no counter 9"):
        engine.call_next(9)


def test_estimated_wait_grows_with_the_line_and_uses_open_counters(engine, config):
    first = engine.issue("payment")
    assert first.ahead == 0 and first.estimated_wait_s == 0
    for _ in range(5):
        engine.issue("payment")
    sixth = engine.issue("payment")
    # 6 ahead, 3 open counters serve payment, 3 minutes each
    assert sixth.ahead == 6 and sixth.estimated_wait_s == pytest.approx(6 * 180 / 3)
    engine.pause(1, "break")
    engine.pause(2, "break")
    assert engine.issue("payment").estimated_wait_s == pytest.approx(7 * 180 / 1)


def test_the_estimate_follows_how_long_the_last_visits_of_the_service_took(engine, clock):
    # configured: 3 minutes a payment; today the first two took 1 and 3 minutes
    for _ in range(2):
        engine.issue("payment")
    for counter in (1, 2):
        engine.call_next(counter)
        engine.start(counter)
    clock.advance(60)
    engine.finish(1)
    clock.advance(120)
    engine.finish(2)
    tickets = [engine.issue("payment") for _ in range(4)]
    # the fourth has 3 ahead, 3 open counters serve payment, 2 minutes each on average
    assert tickets[3].ahead == 3 and tickets[3].estimated_wait_s == pytest.approx(3 * 120 / 3)


def test_a_counter_a_manager_gave_other_services_counts_in_estimates_in_every_server_process(
    make_engine, db_url, config
):
    # two server processes on one database: the change made through one reaches the other
    here, there = make_engine(db_url, config), make_engine(db_url, config)
    for _ in range(6):
        here.issue("general")
    assert here.issue("general").estimated_wait_s == pytest.approx(6 * 360 / 3)  # counters 1, 2, 3
    there.set_counter_services(3, ["payment", "manager"], by="manager")
    assert here.issue("general").estimated_wait_s == pytest.approx(7 * 360 / 2)  # counters 1 and 2 only
    there.set_counter_services(3, ["payment", "manager", "general"], by="manager")
    assert here.issue("general").estimated_wait_s == pytest.approx(8 * 360 / 3)


def test_other_services_at_shared_counters_lengthen_the_estimate_and_a_managers_change_holds_for_calls(
    make_engine, db_url
):
    """A counter serving two services serves both lines: the people waiting for the other one
    lengthen the wait quoted, also for a service a manager gave the counter only today."""
    visa = """default_category = "payment"

[[services]]
code = "visa"
prefix = "V"
names = { "zh-Hant" = "簽證", "zh-Hans" = "签证", en = "Visas" }
target_wait_minutes = 20
mean_service_minutes = 10
"""
    config = config_with(
        {
            'default_category = "payment"\n': visa,
            'services = ["payment", "manager", "general"]': 'services = ["payment", "manager", "visa"]',
        }
    )
    e = make_engine(db_url, config)
    for code, n in (("general", 2), ("payment", 3), ("visa", 2)):
        for _ in range(n):
            e.issue(code)
    # counters 1 and 2 serve general; the 3 payments are shared with counter 3: 2/3 of 3 x 3 min
    assert e.issue("general").estimated_wait_s == pytest.approx((2 * 360 + 3 * 180 * 2 / 3) / 2)
    e.set_counter_services(1, ["general", "visa"], by="manager")
    # counter 1 now serves visas (shared with counter 3), counter 2 still payments (with counter 3)
    assert e.issue("general").estimated_wait_s == pytest.approx((3 * 360 + 3 * 180 / 2 + 2 * 600 / 2) / 2)
    e.set_counter_services(1, ["visa"], by="manager")  # and calls from the line it serves now
    assert e.call_next(1).number == "V001"


def test_a_long_wait_is_called_with_an_apology(engine, clock):
    got = []
    engine.bus.subscribe(lambda ev: got.append(ev) if ev.kind == "ticket_called" else None)
    engine.issue("payment")
    clock.advance(11 * 60)
    engine.issue("payment")
    engine.call_next(1)
    engine.call_next(2)
    assert [ev.data["apology"] for ev in got] == [True, False]
    assert got[0].data["counter_name"] == "1號櫃台"


def test_events_are_numbered_without_gaps_and_can_be_resumed(engine_any_db):
    e = engine_any_db
    heard = []
    e.bus.subscribe(heard.append)
    e.issue("general")
    e.call_next(1)
    e.start(1)
    e.finish(1)
    seqs = [ev.seq for ev in heard]
    assert seqs == list(range(1, len(seqs) + 1))
    assert [ev.kind for ev in heard] == ["ticket_issued", "ticket_called", "ticket_started", "ticket_finished"]
    resumed = e.events_after(2)
    assert [ev.seq for ev in resumed] == seqs[2:]
    assert resumed[0].kind == "ticket_started"


def test_a_broken_subscriber_does_not_stop_the_others(engine):
    heard = []

    def broken(ev):
        raise RuntimeError("screen crashed")

    engine.bus.subscribe(broken)
    engine.bus.subscribe(heard.append)
    engine.issue("general")
    assert [ev.kind for ev in heard] == ["ticket_issued"]


def test_status_token_finds_the_ticket_and_is_unguessable(engine):
    a = engine.issue("general").ticket
    b = engine.issue("general").ticket
    assert len(a.status_token) >= 22 and a.status_token != b.status_token
    assert engine.ticket_by_token(a.status_token).id == a.id
    with pytest.raises(QueueError):
        engine.ticket_by_token("A001")


def test_manager_reception_is_offered_only_on_the_10th_and_25th(engine, clock):
    assert engine.issue("manager").ticket.number == "M001"  # Wednesday 25 November
    clock.set(local_ts(2026, 11, 26, 10, 0))
    refused = engine.issue("manager")
    assert refused.ticket is None and refused.refused == "closed"
    assert "opens again 2026-12-10 09:00" in refused.message
    assert refused.next_open == local_ts(2026, 12, 10, 9, 0)


def test_every_kind_of_event_carries_exactly_the_fields_its_kind_documents(make_engine, tmp_path, clock):
    """Screens, the server and the remote backend read events by kiosk/events.py's TypedDicts: a
    field missing or named otherwise is a screen that shows nothing. A whole day of a hall's work,
    and every event it made held to its kind."""
    from kiosk.events import EventKind, payload_problems
    from kiosk.store import sqlite_url
    from kiosk.testing import STAFF, make_config

    e = make_engine(sqlite_url(tmp_path / "q.sqlite3"), make_config(staff=STAFF))
    heard = []
    e.bus.subscribe(heard.append)
    for counter, person in ((1, STAFF[1]), (2, STAFF[0])):
        e.sign_in(counter, person["id"], person["pin"])
    first = e.issue("general", kiosk="entrance kiosk").ticket
    e.issue("general")
    e.issue("payment")
    e.reprint(first.id, by="lin")
    e.call_next(1)
    e.recall(1)
    e.start(1)
    e.transfer(1, "payment")
    gone = e.call_next(2)
    e.no_show(2)
    e.return_ticket(gone.number, by="王小明")
    late = e.issue("general").ticket
    e.call_number(2, late.number, reason="appointment")
    e.start(2)
    e.finish(2, category="complaint", outcome="follow_up", note="refund promised")
    fu = e.follow_ups()[0]
    clock.advance(5 * 86400)
    e.check_follow_ups()  # overdue
    e.reply_follow_up(fu["id"], by="王小明", method="phone", note="已電話回覆")
    e.reopen_follow_up(fu["id"], reason="customer called again")
    e.follow_up_slip("王小明", follow_up_id=fu["id"])  # the reply time on paper for the customer
    e.call_next(1)
    clock.advance(11 * 60)
    e.expire_calls()  # nobody came: a no-show by itself
    e.pause(1, "break")
    e.resume(1)
    e.set_counter_services(3, ["payment", "manager"], by="王小明")
    alert = e.greet_arrival(clock.now(), ("door",), 2.5, alerted=True)
    e.greet_repeat(alert, 1)
    e.greet_escalate(alert)
    e.confirm_greeting(alert, 1)
    e.device_alert("entrance kiosk printer", "paper_out", "out of paper", ticket="A003", kind="printer")
    e.book([Booking("general", clock.now() + 600)])
    for counter in (1, 2):  # serve whoever is left, so the day can close
        while e.call_next(counter) is not None:
            e.start(counter)
    e.sign_out(1)
    e.close_day()
    e.sign_in(1, STAFF[1]["id"], STAFF[1]["pin"])
    e.issue("general")
    e.call_next(1)  # a counter closed by the end of the day opens again with its first call

    made = {ev.kind for ev in heard}
    assert made == set(EventKind) - {EventKind.RESET}, set(EventKind) - made  # (RESET: the server's own)
    assert [p for ev in heard for p in payload_problems(ev.kind, ev.data)] == []
    assert any(ev.kind == "ticket_no_show" and ev.data.get("auto") for ev in heard)
    assert any(ev.kind == "ticket_called" and ev.data.get("manual") for ev in heard)


def test_a_reprint_asked_twice_at_once_is_one_receipt_and_a_kiosk_waits_between_reprints(engine, clock):
    t = engine.issue("general", kiosk="entrance kiosk").ticket
    heard = []
    engine.bus.subscribe(lambda ev: heard.append(ev) if ev.kind == "ticket_reprint" else None)
    engine.reprint(t.id, by="entrance kiosk", as_kiosk=True)
    clock.advance(1)  # a double tap, or a clerk at the same moment: the same reprint
    assert engine.reprint(t.id, by="counter 1").reprints == 1
    clock.advance(5)
    with pytest.raises(QueueError) as again:  # the kiosk again, 6 s later: not yet (every 10 s)
        engine.reprint(t.id, by="entrance kiosk", as_kiosk=True)
    assert again.value.why == "rate_limited" and again.value.params["retry_after"] == 5
    assert engine.reprint(t.id, by="counter 1").reprints == 2  # staff wait less
    clock.advance(11)
    assert engine.reprint(t.id, by="entrance kiosk", as_kiosk=True).reprints == 3
    assert len(heard) == 3  # one event, one receipt, per reprint


def test_a_kiosk_reprints_at_most_six_tickets_a_minute_and_staff_more(engine, clock):
    tickets = [engine.issue("general", kiosk="entrance kiosk").ticket for _ in range(8)]
    for t in tickets[:6]:
        engine.reprint(t.id, by="entrance kiosk", as_kiosk=True)
    with pytest.raises(QueueError) as seventh:
        engine.reprint(tickets[6].id, by="entrance kiosk", as_kiosk=True)
    assert seventh.value.why == "rate_limited" and "6 tickets this minute" in seventh.value.message
    assert engine.reprint(tickets[6].id, by="counter 1").reprints == 1  # staff: up to 30 a minute
    clock.advance(61)
    assert engine.reprint(tickets[7].id, by="entrance kiosk", as_kiosk=True).reprints == 1


def test_a_reprint_carries_the_place_in_line_as_it_is_now(engine, clock):
    first = engine.issue("general", kiosk="kiosk").ticket
    mine = engine.issue("general", kiosk="kiosk")
    assert mine.ahead == 1
    engine.call_next(1)  # the one ahead of me is called
    again = engine.reprint_here(mine.ticket.id, by="kiosk", as_kiosk=True)
    assert again.ahead == 0 and not again.merged and first.number == "A001"
