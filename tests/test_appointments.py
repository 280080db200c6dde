"""Booked appointments, as a manager would state the rules: an appointment on time is called
within its window; a walk-in is never overtaken by more than K appointments in a row; someone
early is told when to come back; someone late beyond the window gets a normal ticket; a file
with one bad row imports nothing and names the row; the name and phone stay with the staff."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.clock import SimulatedClock
from kiosk.config import load_config
from kiosk.engine import Engine, QueueError
from kiosk.engine.appointments import Booking
from kiosk.fairness import Candidate, choose_next
from kiosk.refusal_texts import refusal_text
from kiosk.server.manage.texts import translator
from kiosk.store import Store
from kiosk.testing import run_kiosk, write_config
from tests.conftest import config_with, local_ts


def at(h: int, m: int = 0) -> float:
    return local_ts(2026, 11, 25, h, m)


def walk_ins(e: Engine, clock, n: int) -> list[str]:
    out = []
    for _ in range(n):
        out.append(e.issue("general").ticket.number)
        clock.advance(30)
    return out


def test_an_appointment_on_time_is_called_at_its_time_before_the_walk_ins_already_waiting(engine_any_db, clock):
    e = engine_any_db
    e.book([Booking("general", at(9, 30), "123456", "Chan Tai Man", "0912 345 678")])
    waiting = walk_ins(e, clock, 4)  # 09:00-09:02
    clock.set(at(9, 20))
    checked = e.check_in(ref="123456")
    booked = checked.result.ticket
    assert booked is not None and booked.appointment_at == at(9, 30)
    assert checked.appointment["state"] == "checked_in"
    # before its time it waits its turn like anyone who came at 09:30
    assert e.call_next(1).number == waiting[0]
    clock.set(at(9, 31))  # its time has come: the next call is it, inside its 10-minute window
    called = e.call_next(2)
    assert called.number == booked.number and called.call_reason == "appointment"
    assert called.called_at - at(9, 30) <= 10 * 60
    assert e.call_next(3).number == waiting[1]  # then the walk-ins, in their order


def test_a_walk_in_is_never_overtaken_by_more_than_k_appointments_in_a_row(make_engine, tmp_path, clock):
    config = config_with({"max_in_a_row = 2": "max_in_a_row = 2"})
    e = make_engine(f"sqlite:///{tmp_path / 'q.sqlite3'}", config)
    e.book([Booking("general", at(9, 10), f"10000{i}") for i in range(5)])
    walk_in = e.issue("general").ticket.number  # 09:00
    clock.set(at(9, 5))
    booked = [e.check_in(ref=f"10000{i}").result.ticket.number for i in range(5)]
    clock.set(at(9, 12))
    order = [e.call_next(1).number for _ in range(6)]
    assert order == [booked[0], booked[1], walk_in, booked[2], booked[3], booked[4]]


def test_an_appointment_checked_in_early_waits_behind_walk_ins_who_came_before_its_time(engine, clock):
    engine.book([Booking("general", at(9, 40), "222222")])
    clock.set(at(9, 15))
    early = engine.check_in(ref="222222").result.ticket
    clock.set(at(9, 20))
    later = walk_ins(engine, clock, 2)  # came before 09:40
    assert [engine.call_next(1).number for _ in range(3)] == [*later, early.number]


def test_someone_too_early_is_told_when_check_in_opens_and_nothing_is_issued(engine, clock):
    engine.book([Booking("general", at(11, 0), "333333")])
    clock.set(at(10, 0))  # check-in opens 30 minutes before
    early = engine.check_in(ref="333 333")
    assert early.result.ticket is None and early.result.refused == "too_early"
    assert early.result.next_open == at(10, 30)
    assert engine.appointments_of("2026-11-25")[0]["state"] == "booked"
    clock.set(at(10, 31))
    assert engine.check_in(ref="333333").result.ticket is not None


def test_a_late_appointment_beyond_its_window_becomes_a_walk_in_ticket(engine, clock):
    engine.book([Booking("general", at(9, 30), "444444")])
    clock.set(at(9, 41))  # 11 minutes late: the window is 10
    late = engine.check_in(ref="444444")
    assert late.result.ticket is None and late.result.refused == "too_late"
    assert engine.appointments_of("2026-11-25")[0]["state"] == "late"
    walk_in = engine.issue("general").ticket  # what the kiosk offers next
    assert walk_in.appointment_at is None and walk_in.queue_time == at(9, 41)
    assert engine.check_in(ref="444444").result.refused == "too_late"  # and stays late


def test_checking_in_twice_gives_the_same_ticket_not_a_second_one(engine, clock):
    engine.book([Booking("general", at(9, 20), "555555")])
    first = engine.check_in(ref="555555")
    again = engine.check_in(ref="555555")
    assert again.again and again.result.ticket.number == first.result.ticket.number
    assert len(engine.waiting_tickets()) == 1


def test_a_reference_nobody_booked_or_a_cancelled_one_is_refused_by_name(engine, clock):
    assert engine.check_in(ref="999999").result.refused == "not_found"
    [b] = engine.book([Booking("general", at(9, 20), "666666")])
    engine.change_appointment(b["id"], cancel=True)
    assert engine.check_in(ref="666666").result.refused == "cancelled"


def test_bad_bookings_are_named_by_place_in_english_and_in_each_language(engine, clock):
    sent = [Booking("general", at(9, 20), "AB12"), Booking("loans", at(9, 30), "AB12", phone="call me")]
    with pytest.raises(QueueError) as refused:
        engine.book(sent)
    e = refused.value
    assert e.params["problems"] == [  # what an API client reads
        "Booking 2: There is no service loans (known: general, payment, manager).",
        "Booking 2: call me is not a phone number.",
        "Reference AB12 appears twice.",
    ]
    said = refusal_text(e, "zh-Hans", engine.config, translator("zh-Hans"))
    assert said.startswith("第 2 笔预约：没有“loans”这项业务") and "预约编号 AB12 重复出现。" in said
    day = engine.local(at(9, 20)).date().isoformat()
    assert engine.appointments_of(day) == []  # none of them was booked
    engine.book(sent[:1])
    assert [a["ref"] for a in engine.appointments_of(day)] == ["AB12"]  # (the check above can see one)


def test_the_name_and_phone_never_go_on_the_event_stream_and_are_erased_after_the_day(engine, clock):
    engine.book([Booking("general", at(9, 20), "777777", "Chan Tai Man", "0912 345 678")])
    engine.check_in(ref="777777")
    engine.call_next(1)
    said = json.dumps([ev.data for ev in engine.events_after(0)], ensure_ascii=False)
    assert "Chan" not in said and "0912" not in said
    assert engine.appointments_of("2026-11-25", name="chan")[0]["phone"] == "0912 345 678"
    assert engine.appointments.forget_personal("2026-11-25") == 0  # the day is not over
    assert engine.appointments.forget_personal("2026-11-26") == 1
    kept = engine.appointments_of("2026-11-25")[0]
    assert (kept["name"], kept["phone"], kept["ref"]) == (None, None, "777777")


def test_a_counter_checks_a_booking_in_by_name(engine, clock):
    engine.book([Booking("payment", at(9, 10), "888888", "Lee Siu Ming"), Booking("general", at(9, 15), None, "Ho")])
    [found] = engine.appointments_of("2026-11-25", name="siu ming")
    ticket = engine.check_in(appointment_id=found["id"]).result.ticket
    assert ticket.service == "payment" and ticket.appointment_at == at(9, 10)


# ---------------------------------------------------------------- files


def _hall(tmp_path):
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", counters=2)
    return cfg


def test_an_import_file_with_a_bad_row_names_the_row_and_imports_nothing(tmp_path):
    cfg = _hall(tmp_path)
    bad = tmp_path / "bookings.csv"
    bad.write_text(
        "ref,service,date,time,name,phone\n"
        "100001,general,2030-11-25,10:00,Chan Tai Man,0912 345 678\n"
        "100002,loans,2030-11-25,10:30,Ho,\n"
        "100003,payment,2030-11-25,25:00,Lee,\n",
        encoding="utf-8",
    )
    done = run_kiosk("appointments", "import", str(bad), "--config", str(cfg))
    assert done.returncode == 1
    assert "nothing imported" in done.stderr
    assert "line 3: no service 'loans'" in done.stderr and "line 4: time '2030-11-25 25:00'" in done.stderr
    listed = run_kiosk("appointments", "list", "--date", "2030-11-25", "--config", str(cfg))
    assert listed.returncode == 0 and "0 booking(s)" in listed.stdout


def test_a_spreadsheet_and_a_calendar_import_with_the_service_named_in_any_language(tmp_path):
    cfg = _hall(tmp_path)
    sheet = tmp_path / "bookings.csv"
    sheet.write_bytes("\ufeffService,Date,Time,Name\n一般業務,2030-11-25,10:00,陳大文\n".encode())
    calendar = tmp_path / "bookings.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20301101T000000Z\r\nDTSTART:20301125T110000\r\n"
        "SUMMARY:Appointment: Payments - Lee\r\nX-KIOSK-REF:AB1234\r\n"
        "ATTENDEE;CN=Lee Siu Ming:tel:+886912000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    assert run_kiosk("appointments", "import", str(sheet), "--config", str(cfg)).returncode == 0
    done = run_kiosk("appointments", "import", str(calendar), "--config", str(cfg))
    assert done.returncode == 0, done.stderr
    assert "AB1234  2030-11-25 11:00  payment  Lee Siu Ming" in done.stdout
    config = load_config(str(cfg))[0]
    engine = Engine(config, Store(config.site.database), SimulatedClock(local_ts(2030, 11, 25, 9, 0)))
    engine.setup()
    rows = engine.appointments_of("2030-11-25")
    assert [(r["service"], r["name"], r["phone"]) for r in rows] == [
        ("general", "陳大文", None),
        ("payment", "Lee Siu Ming", "+886912000000"),
    ]
    assert len(rows[0]["ref"]) == 6 and rows[0]["ref"].isdigit()  # one made for the keypad
    again = run_kiosk("appointments", "import", str(calendar), "--config", str(cfg))
    assert again.returncode == 1 and "AB1234" in again.stderr and "already booked" in again.stderr


# ---------------------------------------------------------------- the call order, with hypothesis
day = st.lists(
    st.tuples(st.sampled_from(["walk_in", "walk_in", "priority", "appointment"]), st.integers(0, 2)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(day, st.integers(0, 3), st.integers(0, 3))
def test_the_call_order_keeps_every_bound_with_appointments_priority_and_walk_ins(arrivals, k_priority, k_booked):
    """Whole random days through the policy with the engine's bookkeeping: nobody lost or called
    twice; no walk-in passed by more than k_booked appointments in a row, nor by more than the
    larger bound of both kinds together; an appointment before its time never goes before a
    walk-in who came earlier."""
    waiting: dict[int, Candidate] = {}
    booked_run: dict[int, int] = {}  # appointments that passed each walk-in since its last normal call
    called: list[int] = []
    now = 0.0

    def call() -> None:
        choice = choose_next(list(waiting.values()), now, k_priority, k_booked)
        if choice is None:
            return
        picked = waiting.pop(choice.ticket_id)
        if picked.appointment and now < picked.queue_time:  # early: only as the oldest walk-in would
            assert all(c.appointment or c.priority or c.queue_time >= picked.queue_time for c in waiting.values())
        for tid in choice.overtaken:
            c = waiting[tid]
            waiting[tid] = Candidate(c.id, c.queue_time, c.priority, c.target_wait_s, c.run + 1, c.appointment)
            assert c.run + 1 <= max(k_priority, k_booked)
            if picked.appointment:
                booked_run[tid] = booked_run.get(tid, 0) + 1
                assert booked_run[tid] <= k_booked, "a walk-in passed by too many appointments in a row"
        if choice.reset_runs:
            for tid, c in list(waiting.items()):
                if not c.goes_ahead(now):
                    waiting[tid] = Candidate(c.id, c.queue_time, c.priority, c.target_wait_s, 0, c.appointment)
                    booked_run[tid] = 0
        called.append(picked.id)

    for tid, (kind, calls) in enumerate(arrivals):
        now += 60
        if kind == "appointment":  # checked in up to 10 minutes before or after its time
            booked_at = now + (tid % 21 - 10) * 60
            waiting[tid] = Candidate(tid, booked_at, False, 900.0, 0, True)
        else:
            waiting[tid] = Candidate(tid, now, kind == "priority", 900.0)
        for _ in range(calls):
            call()
    while waiting:
        now += 60
        call()
    assert sorted(called) == list(range(len(arrivals)))


# ---------------------------------------------------------------- the quoted range, where the customer reads it
def test_a_wide_quoted_range_is_shown_as_a_range_on_the_ticket_and_the_status_page(engine, clock):
    import re

    from kiosk.ticket_doc import make_ticket_doc
    from kiosk.ticket_status import snapshot, view

    first = engine.issue("general").ticket  # nobody ahead: one number
    for _ in range(8):
        engine.issue("general")
    last = engine.issue("general").ticket  # nine ahead: a wide range
    assert last.estimate_low_s < last.estimated_wait_s < last.estimate_high_s
    config = engine.config
    assert re.fullmatch(r"About \d+ min wait", make_ticket_doc(first, config, "en", "http://x").wait_line)
    shown = make_ticket_doc(last, config, "en", "http://x").wait_line
    low, high = (int(n) for n in re.fullmatch(r"About (\d+)-(\d+) min wait", shown).groups())
    assert low * 60 <= last.estimated_wait_s <= high * 60
    page = view(engine, last.status_token, "en", snapshot(engine, [last.status_token]))
    assert page is not None
    assert any(re.fullmatch(r"About \d+-\d+ min wait", line) for line in page["lines"]), page["lines"]
