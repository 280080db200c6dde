"""Text messages without a gateway: a customer gives a phone number on the status page, and the
hall's own USB GSM modem (here a fake one on a pseudo-terminal, answering AT commands as a real
one does) texts them twice: at a few ahead and at the call. The number is kept only while the
ticket is in line, and an unplugged modem is one staff alert with nothing lost."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from hardware.gsm_modem import GsmModem
from kiosk.testing import ServerProcess, config_data, wait_until
from kiosk.text_sender import TextSender
from tests.fake_modem import FakeModem


@pytest.fixture
def modem(tmp_path):
    fake = FakeModem(tmp_path / "ttyModem")
    yield fake
    fake.unplug()


def serve_next(engine, counter: int = 1) -> None:
    engine.call_next(counter)
    engine.finish(counter, "enquiry", "resolved", "", "")


def test_a_customer_is_texted_at_three_ahead_and_at_the_call_and_never_after(engine, clock, modem):
    for _ in range(5):
        engine.issue("general")
        clock.advance(30)
    mine = engine.issue("general").ticket  # 5 ahead
    assert engine.ask_text(mine.status_token, "0912-345 678") == "•••••••678"
    sender = TextSender(engine, GsmModem(str(modem.link), answer_s=2))
    assert sender.send_due() == 0  # 5 ahead: not yet
    serve_next(engine)
    serve_next(engine)
    assert sender.send_due() == 1
    assert modem.texts() == [("0912345678", f"{mine.number}：前面還有 3 位，請回到大廳")]  # Chinese, as UCS2
    serve_next(engine)
    assert sender.send_due() == 0  # 2 ahead: no second "ahead" message
    serve_next(engine)
    serve_next(engine)
    engine.call_next(1)
    assert sender.send_due() == 1
    assert modem.texts()[-1] == ("0912345678", f"{mine.number}：輪到您了，請到 1號櫃台")
    engine.recall(1)
    assert sender.send_due() == 0  # called again: the customer already has their text
    engine.finish(1, "enquiry", "resolved", "", "")
    assert sender.send_due() == 0 and len(modem.texts()) == 2
    assert engine.text_requests() == 0  # the number is gone with the ticket


def test_an_english_ticket_gets_plain_gsm_texts_and_a_corrected_number_is_used(engine, modem):
    mine = engine.issue("general", language="en").ticket
    engine.ask_text(mine.status_token, "+44 7700 900123")
    assert engine.ask_text(mine.status_token, "+44 7700 900124") == "••••••••••124"
    sender = TextSender(engine, GsmModem(str(modem.link), answer_s=2))
    assert sender.send_due() == 1
    engine.call_next(1)
    assert sender.send_due() == 1
    assert modem.texts() == [
        ("+447700900124", f"{mine.number}: you are next, please come back to the hall"),
        ("+447700900124", f"{mine.number}: your turn, please go to Counter 1"),
    ]


def test_an_unplugged_modem_is_one_staff_alert_and_the_text_goes_when_it_is_back(engine, modem):
    mine = engine.issue("general").ticket
    gone = engine.issue("general").ticket
    engine.ask_text(mine.status_token, "0912345678")
    engine.ask_text(gone.status_token, "0987654321")
    sender = TextSender(engine, GsmModem(str(modem.link), answer_s=2))
    modem.unplug()
    engine.call_next(1)  # mine: called while the modem is out
    assert sender.send_due() == 0
    assert sender.send_due() == 0  # tried again: still out, no second alert
    alerts = [e.data for e in engine.latest_events("device_alert", 10)]
    assert [(a["device"], a["state"]) for a in alerts] == [("SMS modem", "offline")]
    assert "cannot" in alerts[0]["message"] and "0912345678" not in alerts[0]["message"]
    engine.start(1)
    engine.finish(1, "enquiry", "resolved", "", "")
    engine.call_next(2)  # `gone`: called and missed while the modem is out
    engine.no_show(2)
    modem.plug()
    assert sender.send_due() == 0  # both tickets ended: no text about a visit that is over
    assert modem.texts() == []
    third = engine.issue("general").ticket
    engine.ask_text(third.status_token, "0911222333")
    assert sender.send_due() == 1  # the modem works again
    assert [(a["device"], a["state"]) for a in (e.data for e in engine.latest_events("device_alert", 10))][0] == (
        "SMS modem",
        "ready",
    )


def test_a_modem_that_stops_answering_is_a_staff_alert_not_a_frozen_sender(engine, modem):
    mine = engine.issue("general").ticket
    engine.ask_text(mine.status_token, "0912345678")
    modem.answering = False
    sender = TextSender(engine, GsmModem(str(modem.link), answer_s=0.5))
    assert sender.send_due() == 0
    assert engine.latest_events("device_alert", 1)[0].data["state"] == "offline"
    modem.answering = True
    assert sender.send_due() == 1


def test_over_the_network_the_number_is_asked_checked_texted_and_never_shown_logged_or_streamed(tmp_path, modem):
    data, tokens = config_data(database=f"sqlite:///{tmp_path / 'q.sqlite3'}", sms={"modem": str(modem.link)})
    cfg = tmp_path / "kiosk.toml"
    import tomli_w

    cfg.write_text(tomli_w.dumps(data), encoding="utf-8")
    server = ServerProcess(cfg, tokens)
    try:
        http = httpx.Client(base_url=server.url, timeout=10)
        t = http.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk")).json()["ticket"]
        page = http.get(f"/t/{t['status_token']}.json").json()
        assert page["texts"] is True and page["texting"] == ""
        bad = http.post(f"/t/{t['status_token']}/texts", json={"phone": "call me"})
        assert bad.status_code == 422 and "6 to 15 digits" in bad.json()["detail"]
        ok = http.post(f"/t/{t['status_token']}/texts", json={"phone": "0912 345 678"})
        assert ok.status_code == 200 and ok.json() == {"to": "•••••••678"}
        assert http.get(f"/t/{t['status_token']}.json").json()["texting"] == "•••••••678"
        wait_until(lambda: len(modem.texts()) == 1, 15, "the text at nearly your turn")
        counter = server.headers("counter")
        http.post("/api/v1/counters/1/call-next", headers=counter)
        wait_until(lambda: len(modem.texts()) == 2, 15, "the text at the call")
        http.post("/api/v1/counters/1/start", headers=counter)
        http.post("/api/v1/counters/1/finish", headers=counter)
        db = sqlite3.connect(tmp_path / "q.sqlite3")
        wait_until(lambda: db.execute("select count(*) from text_requests").fetchone()[0] == 0, 15, "the number erased")
        events = " ".join(row[0] for row in db.execute("select data from events"))
        log = http.get("/api/v1/log", headers=server.headers("manager")).text
    finally:
        server.stop()
    for where, text in (("the event stream", events), ("the log", log), ("the server's log", server.log())):
        assert "345678" not in text and "345 678" not in text, f"the phone number is in {where}"


def test_without_a_modem_the_page_offers_no_texts_and_a_request_is_refused(tmp_path):
    from kiosk.testing import write_config

    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    server = ServerProcess(cfg, tokens)
    try:
        http = httpx.Client(base_url=server.url, timeout=10)
        t = http.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk")).json()["ticket"]
        assert http.get(f"/t/{t['status_token']}.json").json()["texts"] is False
        refused = http.post(f"/t/{t['status_token']}/texts", json={"phone": "0912345678"})
        assert refused.status_code == 409 and "not offered" in refused.json()["detail"]
    finally:
        server.stop()
