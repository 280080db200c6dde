"""`kiosk run` on one machine serves what `kiosk serve` does, so the QR code on a ticket leads to
its status page; a port already in use is a staff alert, never a reason for the screens not to
start; the example's public tokens are never served on the LAN."""

from __future__ import annotations

import socket

import httpx

from kiosk.compose import build_hall, start_api_in_background
from kiosk.greeter import Greeter
from kiosk.testing import free_port, make_config


def test_the_qr_code_of_a_ticket_issued_in_a_one_machine_hall_opens_its_status_page(tmp_path):
    config = make_config(database=f"sqlite:///{tmp_path / 'q.sqlite3'}", server={"host": "127.0.0.1"})
    hall = build_hall(config, with_printer=False)
    greeter = Greeter(hall.engine)
    port = free_port()
    api = start_api_in_background(config, hall.engine, greeter, port=port)
    try:
        assert api is not None
        ticket = hall.engine.issue("general").ticket
        page = httpx.get(f"http://127.0.0.1:{port}/t/{ticket.status_token}", timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        # never framed, loads nothing from elsewhere, never leaks its token-bearing address
        csp = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "connect-src 'self'" in csp
        assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
        assert "https://" not in page.text and "http://" not in page.text  # nothing from elsewhere
        assert '<script src="/t/static/status.js"' in page.text and "script-src 'self'" in csp  # its own, no inline
        assert httpx.get(f"http://127.0.0.1:{port}/t/static/status.js", timeout=5).status_code == 200
        status = httpx.get(f"http://127.0.0.1:{port}/t/{ticket.status_token}.json", timeout=5).json()
        assert status["number"] == "A001" and status["state"] == "near"  # first in line: nearly their turn
    finally:
        if api is not None:
            api.stop()
        greeter.stop()
        hall.close()
    assert not api.thread.is_alive()  # stopped with the screens


def test_a_port_in_use_is_told_to_staff_and_the_hall_goes_on(tmp_path):
    config = make_config(database=f"sqlite:///{tmp_path / 'q.sqlite3'}", server={"host": "127.0.0.1"})
    hall = build_hall(config, with_printer=False)
    greeter = Greeter(hall.engine)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        api = start_api_in_background(config, hall.engine, greeter, port=taken.getsockname()[1])
    assert api is None
    alert = hall.engine.latest_events("device_alert", 1)[0].data
    assert "status page" in alert["device"] and "could not start" in alert["message"]
    assert hall.engine.issue("general").ticket.number == "A001"  # the queue works on
    greeter.stop()
    hall.close()


def test_the_examples_public_tokens_are_never_served(tmp_path):
    from kiosk.config import example_config_text, parse_config

    config = parse_config(example_config_text().replace('database = ""', f'database = "sqlite:///{tmp_path}/q.db"'))
    hall = build_hall(config, with_printer=False)
    greeter = Greeter(hall.engine)
    assert start_api_in_background(config, hall.engine, greeter, port=free_port()) is None
    greeter.stop()
    hall.close()
