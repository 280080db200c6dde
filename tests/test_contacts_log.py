"""The reception log beyond the ticketed visits (seed 003): a phone call, a letter, an e-mail or a
walk-in without a number is logged at a counter with what it was about; a letter of praise is
registered and counted apart from complaints; a matter promised a reply joins the follow-up
board like a visit's, with its owner and due time."""

from __future__ import annotations

import pytest

from kiosk.engine import QueueError
from kiosk.report import read_report
from kiosk.reports import LogFilter


def test_a_phone_complaint_is_logged_and_always_followed_up_by_the_counter_that_took_it(engine):
    entry = engine.log_contact(2, "phone", "complaint", "lift out of order for two days", contact="0912345678")
    assert entry["follow_up_id"] is not None
    board = {fu["id"]: fu for fu in engine.follow_ups()}
    fu = board[entry["follow_up_id"]]
    assert fu["number"] == f"TEL-{entry['id']:03d}" and fu["ticket_id"] is None
    assert fu["owner_counter_id"] == 2 and fu["complaint"] is True and fu["state"] == "open"


def test_a_letter_of_praise_is_registered_and_counted_apart_from_complaints(engine, clock):
    engine.log_contact(1, "letter", "praise", "thanks Ms Lin for her patience")
    engine.log_contact(1, "email", "enquiry", "asks for the fee table", follow_up=True, due_hours=4)
    engine.log_contact(3, "phone", "complaint", "noise at night")
    engine.log_contact(3, "visit", "enquiry", "asked where to park")
    contacts = read_report(engine.store, engine.config, LogFilter(), clock.now()).contacts
    assert contacts == {
        "contacts": 4,
        "by_channel": {"phone": 1, "letter": 1, "email": 1, "visit": 1},
        "complaints": 1,
        "praise": 1,
        "followed_up": 2,
    }


def test_an_entry_needs_what_was_said_a_known_kind_and_praise_is_not_followed_up(engine):
    with pytest.raises(QueueError, match="what the customer said"):
        engine.log_contact(1, "phone", "enquiry", "   ")
    with pytest.raises(QueueError, match="no category 'gossip'"):
        engine.log_contact(1, "phone", "gossip", "talked about the weather")
    with pytest.raises(QueueError, match="not followed up"):
        engine.log_contact(1, "letter", "praise", "thanks", follow_up=True)
    with pytest.raises(QueueError, match="phone, letter, email, visit"):
        engine.log_contact(1, "fax", "enquiry", "a fax")
    assert read_report(engine.store, engine.config, LogFilter(), engine.clock.now()).contacts["contacts"] == 0


def test_a_followed_up_call_counts_in_the_reply_rate_once_replied(engine, clock):
    entry = engine.log_contact(1, "phone", "enquiry", "wants a call back about the deposit", follow_up=True)
    engine.reply_follow_up(entry["follow_up_id"], "manager", "phone", "called back, explained the deposit")
    follow_ups = read_report(engine.store, engine.config, LogFilter(), clock.now()).follow_ups
    assert follow_ups["follow_ups"] == 1 and follow_ups["replied"] == 1 and follow_ups["reply_rate_pct"] == 100.0
