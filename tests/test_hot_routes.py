"""Taking a ticket and calling next are answered by lean routes (kiosk/server/hot_routes.py)
that skip FastAPI's machinery in the common case and hand everything else to the app. A customer
or a clerk must not be able to tell: the same requests, good and bad, sent to a server with the
lean routes and to one with FastAPI alone get the same status and the same answer."""

from __future__ import annotations

import httpx
import pytest

from kiosk.testing import ServerProcess, write_config

VOLATILE = ("status_token", "status_url", "queue_time", "issued_hour")  # differ between any two servers


def same_shape(value):
    """An answer with what differs between two servers by nature (times, random tokens) taken out."""
    if isinstance(value, dict):
        return {k: same_shape(v) for k, v in value.items() if k not in VOLATILE and not k.endswith("_at")}
    if isinstance(value, list):
        return [same_shape(v) for v in value]
    return value


@pytest.fixture
def servers(tmp_path):
    started = []
    for name, env in (("lean", {}), ("framework", {"KIOSK_FRAMEWORK_ONLY": "1"})):
        folder = tmp_path / name
        folder.mkdir()
        cfg, tokens = write_config(folder, f"sqlite:///{folder / 'q.sqlite3'}", server={"kiosk_tickets_per_minute": 3})
        started.append(ServerProcess(cfg, tokens, env=env))
    yield started
    for s in started:
        s.stop()


def test_the_lean_routes_answer_every_request_as_the_framework_does(servers):
    def ask(s: ServerProcess, who: str | None, path: str, body=None, raw=None, headers=None) -> tuple[int, object]:
        h = {**(s.headers(who) if who else {}), **(headers or {})}
        with httpx.Client(base_url=s.url, timeout=10) as c:
            if raw is not None:
                r = c.post(path, content=raw, headers={"Content-Type": "application/json", **h})
            else:
                r = c.post(path, json=body, headers=h) if body is not None else c.post(path, headers=h)
        return r.status_code, same_shape(r.json()) if r.content else None

    requests = [
        ("manager", "/api/v1/tickets", {"service": "general"}, None, None),
        ("kiosk", "/api/v1/tickets", {"service": "payment", "priority": True, "language": "en"}, None, None),
        ("kiosk", "/api/v1/tickets", {"service": "general"}, None, {"Idempotency-Key": "press-1"}),
        ("kiosk", "/api/v1/tickets", {"service": "general"}, None, {"Idempotency-Key": "press-1"}),  # a retry
        ("kiosk", "/api/v1/tickets", {"service": "general"}, None, None),
        ("kiosk", "/api/v1/tickets", {"service": "general"}, None, None),  # past 3 a minute: 429
        (None, "/api/v1/tickets", {"service": "general"}, None, None),  # no token: 401
        ("display", "/api/v1/tickets", {"service": "general"}, None, None),  # a display may not: 403
        ("manager", "/api/v1/tickets", {"service": "nope"}, None, None),  # 404 naming the services
        ("manager", "/api/v1/tickets", {"service": ""}, None, None),  # 422
        ("manager", "/api/v1/tickets", {"service": "general", "extra": 1}, None, None),
        ("manager", "/api/v1/tickets", {"service": "general", "language": "fr"}, None, None),
        ("manager", "/api/v1/tickets", None, b"{not json", None),  # 4xx, not a 500
        ("manager", "/api/v1/tickets", None, b"[]", None),
        ("manager", "/api/v1/tickets", {"service": "general"}, None, {"Idempotency-Key": "k" * 101}),
        ("counter", "/api/v1/counters/1/call-next", None, None, None),
        ("counter", "/api/v1/counters/1/call-next", None, None, {"Idempotency-Key": "call-1"}),
        ("counter", "/api/v1/counters/1/call-next", None, None, {"Idempotency-Key": "call-1"}),  # a retry
        ("counter", "/api/v1/counters/2/call-next", None, None, None),  # another counter's: 403
        ("manager", "/api/v1/counters/3/call-next", None, None, None),
        ("manager", "/api/v1/counters/998/call-next", None, None, None),  # no such counter: 404
        ("manager", "/api/v1/counters/1000/call-next", None, None, None),  # out of range: 422
        ("manager", "/api/v1/counters/01/call-next", None, None, None),
        ("manager", "/api/v1/counters/2/call-next", None, None, None),
        ("manager", "/api/v1/counters/2/call-next", None, None, None),  # nobody left: 204
    ]
    lean, framework = servers
    answers = [[ask(s, *r) for r in requests] for s in (lean, framework)]
    for asked, a, b in zip(requests, *answers):
        assert a == b, f"{asked[1]} {asked[2] or asked[3]}: lean {a} != framework {b}"
    statuses = [status for status, _ in answers[0]]
    assert statuses[:10] == [201, 201, 201, 201, 201, 429, 401, 403, 404, 422]  # the sequence did what it says
    assert statuses[-1] == 204 and 200 in statuses[15:]
