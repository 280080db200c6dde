"""Closing the business day: refused, with the numbers, while anyone who took a ticket is still
waiting or at a counter (the last customer is always served); then every counter closes. From
the command line on the queue's own machine, and over the API with a manager's token."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from kiosk.config import load_config
from kiosk.domain import number_asked
from kiosk.engine import Engine, QueueError
from kiosk.store import Store
from kiosk.testing import run_kiosk, write_config
from tests.conftest import TZ
from tests.test_server import server  # noqa: F401  (fixture)

kiosk = run_kiosk


def test_close_day_on_the_command_line_waits_for_the_last_customer(tmp_path):
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    config = load_config(str(cfg))[0]
    engine = Engine(config, Store(config.site.database))
    engine.setup()
    engine.issue("general")
    engine.issue("payment")
    engine.call_next(1)

    refused = kiosk("close-day", "--config", str(cfg))
    assert refused.returncode == 1
    assert "2 ticket(s) still open (A001, B001)" in refused.stderr and "no-show" in refused.stderr

    engine.finish(1)
    engine.call_next(1)
    engine.no_show(1)
    closed = kiosk("close-day", "--config", str(cfg))
    assert closed.returncode == 0, closed.stderr
    assert "closed: every counter is closed" in closed.stdout
    assert {c.state.value for c in engine.counters()} == {"closed"}


def test_a_ticket_left_from_an_earlier_day_is_named_with_its_date_when_closing_is_refused(engine_any_db, clock):
    e = engine_any_db
    e.issue("general")
    clock.advance(86400)  # yesterday was never closed
    e.issue("general")  # today's A001
    with pytest.raises(QueueError) as refused:
        e.close_day()
    yesterday = datetime.fromtimestamp(clock.now() - 86400, TZ)
    assert refused.value.params["numbers"] == [f"A001 {yesterday:%m/%d}", "A001"]


def test_an_earlier_days_number_is_called_and_brought_back_by_the_name_the_screens_give_it(engine_any_db, clock):
    e = engine_any_db
    e.issue("general")
    e.issue("general")  # yesterday's A001 and A002, never served
    clock.advance(86400)
    e.issue("general")
    e.issue("general")  # today's A001 and A002
    yesterday = f"{datetime.fromtimestamp(clock.now() - 86400, TZ):%m/%d}"
    called = e.call_number(1, f"a002 {yesterday}", "waited since yesterday")
    assert (called.number, called.id) == ("A002", 2)
    assert e.call_number(2, "A002", "appointment").id == 4  # a bare number is today's
    e.no_show(1)
    assert e.return_ticket(f"A002 {yesterday}").id == 2
    with pytest.raises(QueueError) as refused:
        e.return_ticket("A002 13/45")  # not a date: looked up as typed, and not found
    assert refused.value.why == "no_such_number"


@pytest.mark.parametrize(
    "typed,today,asked",
    [
        ("a002", "2026-12-04", ("A002", None)),
        ("A002 12/02", "2026-12-04", ("A002", "2026-12-02")),
        ("A002 12/31", "2027-01-02", ("A002", "2026-12-31")),  # typed in January: last December
        ("A002 2026-11-30", "2026-12-04", ("A002", "2026-11-30")),
    ],
)
def test_a_number_is_read_back_as_staff_type_it_from_a_screen(typed, today, asked):
    assert number_asked(typed, today) == asked


def test_close_day_over_the_api_is_the_managers_and_lists_who_is_still_open(server):  # noqa: F811
    s = server
    c = httpx.Client(base_url=s.url, timeout=10)
    assert c.post("/api/v1/day/close", headers=s.headers("counter")).status_code == 403
    c.post("/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk"))
    refused = c.post("/api/v1/day/close", headers=s.headers("manager"))
    assert refused.status_code == 409
    assert refused.json()["why"] == "tickets_open" and refused.json()["params"]["numbers"] == ["A001"]

    c.post("/api/v1/counters/1/call-next", headers=s.headers("counter"))
    c.post("/api/v1/counters/1/finish", headers=s.headers("counter"))
    done = c.post("/api/v1/day/close", headers=s.headers("manager"))
    assert done.status_code == 200 and done.json()["closed_at"].endswith("+08:00")
    state = c.get("/api/v1/state", headers=s.headers("manager")).json()
    assert {x["state"] for x in state["counters"]} == {"closed"}
    remote = kiosk("close-day", "--server", s.url, "--token", s.tokens["manager"])
    assert remote.returncode == 0 and "closed" in remote.stdout  # closing again is harmless


def test_a_proxy_error_page_instead_of_the_server_is_a_one_line_reason(tmp_path):
    """A reverse proxy answering 502 with HTML (the server is down behind it): said in one line."""
    import http.server
    import threading

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    proxy = http.server.HTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        r = kiosk("close-day", "--server", f"http://127.0.0.1:{proxy.server_port}", "--token", "t")
    finally:
        proxy.shutdown()
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "not closed: <html><body><h1>502 Bad Gateway</h1></body></html>" in r.stderr
    missing = kiosk("close-day", "--server", "http://127.0.0.1:9")
    assert missing.returncode == 2 and "a manager token, or $KIOSK_TOKEN" in missing.stderr
