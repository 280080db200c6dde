"""The reception log the house rules ask for (seed 001 第三篇 四: 登記, 分類, 限時回覆, 回覆率, 投訴,
首問負責), written as the rules a manager would read. On the engine, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from kiosk.audit import audit
from kiosk.engine import QueueError
from kiosk.testing import staff_toml
from tests.conftest import config_with, local_ts

NOTE = "checks the meter reading and calls back"


def events(engine, kind=None):
    evs = engine.events_after(0, 100_000)
    return [e for e in evs if kind is None or e.kind == kind]


def fairness(engine):
    return audit(
        engine.events_after(0, 100_000),
        {cid: i.services for cid, i in engine.counter_info.items()},
        {c: s.target_wait_s for c, s in engine.services.items()},
        engine.config.queue.max_priority_in_a_row,
    )


# ------------------------------------------------------------------ the visit's outcome
def test_a_routine_visit_ends_in_one_tap_with_its_services_category(engine_any_db):
    e = engine_any_db
    e.issue("payment")
    e.call_next(1)
    t = e.finish(1)
    assert (t.category, t.outcome) == ("payment", "resolved")
    e.issue("general")
    e.call_next(1)
    e.start(1)
    t = e.call_next(1)  # the next press closes the visit too
    assert t is None
    assert e.ticket_by_number("A001").category == "enquiry"
    assert e.follow_ups() == []


def test_a_complaint_is_always_followed_up_and_always_reaches_the_manager(engine_any_db):
    e = engine_any_db
    e.issue("general")
    e.call_next(2)
    t = e.finish(2, category="complaint", outcome="resolved", note="queue was too long; asks for a reply")
    assert (t.category, t.outcome) == ("complaint", "follow_up")
    [fu] = e.follow_ups()
    assert fu["complaint"] and fu["state"] == "open" and fu["owner_counter_id"] == 2
    [opened] = events(e, "follow_up_opened")
    assert opened.data["manager"] is True


def test_a_complaint_without_a_note_is_refused_and_the_customer_stays_at_the_counter(engine):
    engine.issue("general")
    engine.call_next(1)
    with pytest.raises(QueueError) as refused:
        engine.finish(1, category="complaint")
    assert refused.value.why == "follow_up_note"
    assert engine.counters()[0].current_ticket_id == engine.ticket_by_number("A001").id


def test_an_unknown_category_is_refused_with_the_known_ones(engine):
    engine.issue("general")
    engine.call_next(1)
    with pytest.raises(QueueError) as refused:
        engine.finish(1, category="gossip")
    assert refused.value.code == "not_found" and "enquiry" in refused.value.message


def test_a_follow_up_is_due_within_its_categorys_time_counted_in_working_days(engine, clock):
    e = engine  # the example site works Monday to Friday
    clock.set(local_ts(2026, 11, 27, 16, 0))  # a Friday afternoon
    e.issue("general")
    e.call_next(1)
    e.finish(1, outcome="follow_up", note=NOTE, contact="0912-345-678")
    [fu] = e.follow_ups()
    assert fu["due_at"] == local_ts(2026, 11, 30, 16, 0)  # enquiry: 24 h, Monday 16:00, not Saturday
    assert fu["contact"] == "0912-345-678"


def test_a_special_matter_gets_its_own_reply_time_within_an_hour_and_thirty_days(engine, clock):
    e = engine
    clock.set(local_ts(2026, 11, 27, 16, 0))  # a Friday afternoon
    for _ in range(3):
        e.issue("general")
    e.call_next(1)
    e.finish(1, outcome="follow_up", note="the lift is stuck: the manager calls back today", due_hours=1)
    e.call_next(1)
    e.finish(1, outcome="follow_up", note="needs the owners' meeting", due_hours=120)
    urgent, slow = e.follow_ups()
    assert urgent["due_at"] == local_ts(2026, 11, 27, 17, 0)  # one hour, not the enquiry's 24
    assert slow["due_at"] == local_ts(2026, 12, 4, 16, 0)  # five working days: the week after
    e.call_next(1)
    for hours in (0.5, 721):
        with pytest.raises(QueueError) as refused:
            e.finish(1, outcome="follow_up", note=NOTE, due_hours=hours)
        assert refused.value.why == "due_hours"
    assert e.ticket_by_number("A003").state.value == "called"  # refused: nothing was written


def test_a_follow_up_not_replied_in_time_is_overdue_and_alerts_the_manager_and_the_counter_once(engine_any_db, clock):
    e = engine_any_db
    e.issue("general")
    e.call_next(3)
    e.finish(3, outcome="follow_up", note=NOTE)
    [fu] = e.follow_ups()
    assert e.check_follow_ups() == 0
    clock.set(fu["due_at"] + 60)
    assert e.check_follow_ups() == 1
    [alert] = events(e, "follow_up_overdue")
    assert alert.data["counter_id"] == 3 and alert.data["follow_up"]["number"] == "A001"
    assert e.check_follow_ups() == 0  # once, not every minute
    assert [f["number"] for f in e.follow_ups("overdue")] == ["A001"]


def test_the_counter_that_took_the_matter_owns_it_after_a_transfer(engine):
    engine.issue("general")
    engine.call_next(1)
    engine.transfer(1, "payment")
    engine.call_next(2)
    engine.finish(2, category="problem", outcome="follow_up", note=NOTE)
    [fu] = engine.follow_ups()
    assert fu["owner_counter_id"] == 1


def test_a_reply_says_who_when_and_how_a_late_one_counts_as_late_and_a_reopened_one_is_due_again(engine, clock):
    engine.issue("general")
    engine.call_next(1)
    engine.finish(1, outcome="follow_up", note=NOTE)
    [fu] = engine.follow_ups()
    clock.set(fu["due_at"] + 3600)
    replied = engine.reply_follow_up(fu["id"], by="wang", method="phone", note="meter was fine")
    assert (replied["state"], replied["replied_by"], replied["reply_method"]) == ("replied", "wang", "phone")
    assert events(engine, "follow_up_replied")[0].data["late"] is True
    with pytest.raises(QueueError) as twice:
        engine.reply_follow_up(fu["id"], by="wang", method="phone", note="told again")
    assert twice.value.why == "already_replied"
    reopened = engine.reopen_follow_up(fu["id"], "customer called again: still wrong")
    assert reopened["state"] == "open" and reopened["due_at"] > clock.now() and reopened["reopened"] == 1


def test_a_customers_contact_is_kept_only_until_the_reply_plus_the_retention_time(engine, clock):
    engine.issue("general")
    engine.call_next(1)
    engine.finish(1, outcome="follow_up", note=NOTE, contact="0912-345-678")
    [fu] = engine.follow_ups()
    engine.reply_follow_up(fu["id"], by="wang", method="phone", note="meter read again: fine")
    clock.advance(engine.config.follow_ups.retention_days * 86400 - 60)
    engine.check_follow_ups()
    assert engine.follow_ups()[0]["contact"] == "0912-345-678"
    clock.advance(120)
    engine.check_follow_ups()
    assert engine.follow_ups()[0]["contact"] is None
    assert all("contact" not in e.data.get("follow_up", {}) for e in events(engine))  # never on the stream


# ------------------------------------------------------------------ missed calls
def test_a_customer_is_called_again_at_most_max_recalls_times(engine):
    engine.issue("general")
    engine.call_next(1)
    for _ in range(engine.config.queue.max_recalls):
        engine.recall(1)
    with pytest.raises(QueueError) as refused:
        engine.recall(1)
    assert refused.value.why == "recall_limit"


def test_a_called_customer_who_does_not_come_becomes_a_no_show_and_frees_the_counter(engine_any_db, clock):
    e = engine_any_db
    e.issue("general")
    e.call_next(1)
    clock.advance(e.config.queue.no_show_after_minutes * 60 - 30)
    e.recall(1)  # the wait counts from the last call
    clock.advance(60)
    assert e.expire_calls() == 0
    clock.advance(e.config.queue.no_show_after_minutes * 60)
    assert e.expire_calls() == 1
    assert e.ticket_by_number("A001").state.value == "no_show"
    assert e.counters()[0].current_ticket_id is None
    assert events(e, "ticket_no_show")[-1].data["auto"] is True


def test_a_customer_who_comes_back_after_a_no_show_keeps_their_place(engine_any_db, clock):
    e = engine_any_db
    e.issue("general")  # A001
    clock.advance(60)
    e.issue("general")  # A002
    e.call_next(1)
    e.no_show(1)
    clock.advance(60)
    e.issue("general")  # A003
    back = e.return_ticket("A001", by="counter 1")
    assert back.state.value == "waiting" and back.returns == 1
    assert e.call_next(2).number == "A001"  # before A002, who came after them
    assert fairness(e).violations == [] and fairness(e).returns == 1


def test_with_returns_to_the_front_a_returning_customer_is_next(make_engine, tmp_path, clock):
    config = config_with({'no_show_returns_to = "original_place"': 'no_show_returns_to = "front"'})
    e = make_engine(f"sqlite:///{tmp_path / 'q.sqlite3'}", config)
    e.issue("general")
    clock.advance(60)
    e.issue("general")
    e.call_next(1)  # A001
    e.no_show(1)  # A001 did not come
    e.call_next(1)  # A002 called
    clock.advance(60)
    e.issue("general")  # A003
    e.issue("general")  # A004
    e.return_ticket("A001")
    assert e.call_next(2).number == "A001"
    assert fairness(e).violations == []


def test_only_a_no_show_of_today_can_be_brought_back(engine, clock):
    engine.issue("general")
    with pytest.raises(QueueError) as waiting:
        engine.return_ticket("A001")
    assert waiting.value.why == "not_no_show"
    engine.call_next(1)
    engine.no_show(1)
    clock.advance(86400)
    with pytest.raises(QueueError) as yesterday:
        engine.return_ticket("A001")
    assert yesterday.value.why == "no_such_number"


def test_a_counter_can_call_a_specific_number_with_a_reason_shown_by_the_audit_as_a_manual_call(engine_any_db, clock):
    e = engine_any_db
    for _ in range(3):
        e.issue("general")
        clock.advance(60)
    t = e.call_number(2, "a003", "appointment booked by phone")
    assert (t.number, t.call_reason, t.call_note) == ("A003", "manual", "appointment booked by phone")
    assert e.call_next(1).number == "A001"
    result = fairness(e)
    assert result.violations == []
    assert result.manual_calls == ["A003 at counter 2: appointment booked by phone"]


def test_calling_a_number_needs_a_reason_and_a_number_that_waits_for_this_counter(engine):
    engine.issue("manager")
    with pytest.raises(QueueError) as no_reason:
        engine.call_number(1, "M001", " ")
    assert no_reason.value.why == "manual_reason"
    with pytest.raises(QueueError) as elsewhere:
        engine.call_number(1, "M001", "asked for it")  # counter 1 serves general and payment
    assert elsewhere.value.why == "not_served_here"
    with pytest.raises(QueueError) as nobody:
        engine.call_number(3, "M009", "asked for it")
    assert nobody.value.why == "not_waiting"


# ------------------------------------------------------------------ staff
STAFF = staff_toml()  # wang (a manager, PIN 314159) and lin (a clerk, PIN 271828)


@pytest.fixture
def staffed(make_engine, db_url):
    return make_engine(db_url, config_with(extra=STAFF))


def test_with_staff_configured_nobody_calls_without_signing_in_with_their_own_pin(staffed):
    staffed.issue("general")
    with pytest.raises(QueueError) as nobody:
        staffed.call_next(1)
    assert nobody.value.why == "not_signed_in"
    with pytest.raises(QueueError) as wrong:
        staffed.sign_in(1, "lin", "314159")  # the manager's PIN is not hers
    assert wrong.value.code == "forbidden"
    status = staffed.sign_in(1, "lin", "271828")
    assert (status.staff_id, status.staff_name) == ("lin", "林美華")
    t = staffed.call_next(1)
    assert t.called_by == "lin"
    assert staffed.finish(1).finished_by == "lin"


def test_a_person_is_signed_in_at_one_counter_and_everyone_signs_out_when_the_day_closes(staffed):
    staffed.sign_in(1, "lin", "271828")
    staffed.sign_in(2, "lin", "271828")
    assert [c.staff_id for c in staffed.counters()] == [None, "lin", None]
    staffed.close_day()
    assert [c.staff_id for c in staffed.counters()] == [None, None, None]


def test_nobody_signs_out_leaving_a_customer_at_the_counter(staffed):
    staffed.sign_in(1, "lin", "271828")
    staffed.issue("general")
    staffed.call_next(1)
    with pytest.raises(QueueError) as refused:
        staffed.sign_out(1)
    assert refused.value.why == "still_at_counter"
    staffed.finish(1)
    assert staffed.sign_out(1).staff_id is None


def test_a_clerk_with_a_customer_at_one_counter_cannot_sign_in_at_another_and_strand_them(staffed):
    staffed.sign_in(1, "lin", "271828")
    staffed.issue("general")
    staffed.call_next(1)
    with pytest.raises(QueueError) as refused:
        staffed.sign_in(2, "lin", "271828")
    assert refused.value.why == "serving_elsewhere" and refused.value.params == {"number": "A001", "counter": 1}
    assert [c.staff_id for c in staffed.counters()] == ["lin", None, None]  # nothing moved
    assert staffed.finish(1).finished_by == "lin"  # the customer is served where they are
    staffed.sign_in(2, "lin", "271828")  # then she may move
    assert [c.staff_id for c in staffed.counters()] == [None, "lin", None]


def test_a_reply_with_nothing_said_is_refused_so_the_reply_rate_means_something(engine):
    engine.issue("general")
    engine.call_next(1)
    engine.finish(1, outcome="follow_up", note=NOTE)
    [fu] = engine.follow_ups()
    for empty in ("", "   "):
        with pytest.raises(QueueError) as refused:
            engine.reply_follow_up(fu["id"], by="wang", method="phone", note=empty)
        assert refused.value.why == "reply_note"
    assert engine.follow_ups()[0]["state"] == "open"
    assert (
        engine.reply_follow_up(fu["id"], by="wang", method="phone", note="read the meter again")["state"] == "replied"
    )


# ------------------------------------------------------------------ services during the day
def test_a_manager_changes_a_counters_services_from_its_next_call_and_it_survives_a_restart(
    make_engine, db_url, config
):
    e = make_engine(db_url, config)
    e.issue("manager")
    assert e.call_next(1) is None  # counter 1 serves general and payment
    e.set_counter_services(1, ["manager", "general"], by="wang")
    [changed] = events(e, "counter_services_changed")
    assert changed.data == {
        "counter_id": 1,
        "services": ["manager", "general"],
        "before": ["general", "payment"],
        "by": "wang",
    }
    again = make_engine(db_url, config)  # a restart
    assert again.counters()[0].services == ("manager", "general")
    assert again.call_next(1).number == "M001"
    assert fairness(again).violations == []


def test_a_change_that_would_leave_a_service_without_a_counter_is_refused(engine):
    engine.set_counter_services(1, ["general"])  # payment is still served at counters 2 and 3
    engine.set_counter_services(2, ["general"])
    with pytest.raises(QueueError) as refused:
        engine.set_counter_services(3, ["general"])  # nobody would serve payment or manager
    assert refused.value.why == "service_unserved"
    assert refused.value.params["services"] == ["payment", "manager"]
    assert engine.counters()[2].services == ("payment", "manager", "general")


# ------------------------------------------------------------------ earlier days
def test_tickets_left_from_an_earlier_day_do_not_count_ahead_of_todays_customers(engine, clock):
    engine.issue("general")
    engine.issue("general")
    clock.advance(86400)  # the day was not closed
    today = engine.issue("general")
    assert today.ticket.number == "A001" and today.ahead == 0
    assert today.ticket.business_day != engine.ticket_by_number("A001", day="2026-11-25").business_day


def test_guessing_a_pin_locks_that_persons_sign_in_for_a_minute(staffed):
    for _ in range(5):
        with pytest.raises(QueueError):
            staffed.sign_in(1, "lin", "000000")
    with pytest.raises(QueueError) as locked:
        staffed.sign_in(1, "lin", "271828")  # even the right one, for now
    assert locked.value.why == "pin_locked"
    assert staffed.sign_in(2, "wang", "314159").staff_id == "wang"  # others are not locked out


def test_a_retried_press_acts_once_for_every_new_command(engine_any_db, clock):
    """A counter that retries after a lost reply (same idempotency key) must not open a second
    follow-up, bring a customer back twice, or call a second number."""
    e = engine_any_db
    for _ in range(3):
        e.issue("general")
    first = e.call_number(1, "A002", "appointment", key="k-call")
    assert e.call_number(1, "A002", "appointment", key="k-call").id == first.id
    assert e.counters()[0].current_ticket_id == first.id and e.call_next(2).number == "A001"
    e.start(1)
    e.finish(1, "problem", "follow_up", NOTE, key="k-finish")
    e.finish(1, "problem", "follow_up", NOTE, key="k-finish")
    assert len(e.follow_ups()) == 1
    e.no_show(2)
    e.return_ticket("A001", key="k-back")
    assert e.return_ticket("A001", key="k-back").returns == 1
    fu = e.follow_ups()[0]
    e.reply_follow_up(fu["id"], "wang", "phone", "told them", key="k-reply")
    assert e.reply_follow_up(fu["id"], "wang", "phone", "told them", key="k-reply")["state"] == "replied"
    assert len(events(e, "follow_up_replied")) == 1 and len(events(e, "ticket_returned")) == 1
