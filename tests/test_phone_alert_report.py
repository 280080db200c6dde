"""The report answers the question a manager asks of the phone alerts: how many customers asked
their phone to alert them, and did they miss their call less often than the others?"""

from __future__ import annotations

from kiosk.report import read_report
from kiosk.reports import LogFilter


def test_the_report_counts_phone_alerts_and_no_shows_with_and_without_them(engine, clock):
    tickets = [engine.issue("general").ticket for _ in range(6)]
    for t in tickets[:2]:
        assert engine.ask_alerts(t.status_token) is True
    assert engine.ask_alerts(tickets[0].status_token) is True  # asked twice: one customer
    missed = {tickets[1].id, tickets[3].id}  # one of the 2 alerted, one of the 4 others
    for _ in tickets:
        called = engine.call_next(1)
        assert called is not None
        if called.id in missed:
            engine.no_show(1)
        else:
            engine.finish(1, "enquiry", "resolved", "", "")
        clock.advance(60)
    phones = read_report(engine.store, engine.config, LogFilter(), clock.now()).phones
    assert phones["alerted"] == 2
    assert (phones["no_shows_alerted"], phones["no_show_pct_alerted"]) == (1, 50.0)
    assert (phones["no_shows_not_alerted"], phones["no_show_pct_not_alerted"]) == (1, 25.0)


def test_a_ticket_no_longer_in_line_cannot_be_counted_as_asking_for_alerts(engine):
    t = engine.issue("general").ticket
    engine.call_next(1)
    engine.finish(1, "enquiry", "resolved", "", "")
    assert engine.ask_alerts(t.status_token) is False
    assert read_report(engine.store, engine.config, LogFilter(), engine.clock.now()).phones["alerted"] == 0
