"""The server's access log: requests that went wrong are kept (without secrets in query
strings); the thousands of tickets and calls that went right are not, the event log has them."""

from __future__ import annotations

import logging

from kiosk.server.logs import NoQueryStrings


def _access(status: int, path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", status),
        None,
    )


def test_requests_that_went_wrong_are_logged_without_their_query_string():
    keep = NoQueryStrings()
    bad = _access(401, "/api/v1/state?token=secret")
    assert keep.filter(bad) and "secret" not in bad.getMessage() and "401" in bad.getMessage()
    assert keep.filter(_access(503, "/api/v1/tickets"))


def test_requests_that_went_right_are_left_to_the_event_log():
    keep = NoQueryStrings()
    assert not keep.filter(_access(201, "/api/v1/tickets"))
    assert not keep.filter(_access(200, "/api/v1/counters/1/call-next"))
    other = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "connection open %s", ("/x?token=s",), None)
    assert keep.filter(other) and "token=s" not in other.getMessage()
