"""/openapi.json is the contract the README points clients at: every route says what it answers,
and what it says is what a client really gets (checked by reading real answers with the very
models the document is made from)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kiosk.engine import Engine
from kiosk.server.api import CounterOut, FollowUpOut, HallStateOut, Health, Me, ServiceOut, TicketAnswer
from kiosk.server.app import create_app
from kiosk.server.appointment_routes import AppointmentChanged, AppointmentsAdded, AppointmentsOfDay
from kiosk.store import Store, sqlite_url
from kiosk.testing import STAFF, make_config

UNDESCRIBED = {
    ("get", "/api/v1/config"): "the configuration itself",
    ("get", "/t/{token}"): "an HTML page",
    ("get", "/t/{token}/live"): "server-sent events",
}


def client(tmp_path):
    config = make_config(staff=STAFF)
    engine = Engine(config, Store(sqlite_url(tmp_path / "q.sqlite3")))
    engine.setup()
    tokens = {t.role: t.token for t in reversed(config.tokens)}  # counter 1's, not counter 3's
    return TestClient(create_app(engine, tell_systemd=False)), tokens


def test_every_route_says_what_it_answers(tmp_path):
    c, _ = client(tmp_path)
    spec = c.get("/openapi.json").json()
    vague = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if (method, path) in UNDESCRIBED:
                continue
            for status, answer in op["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                named = schema.get("$ref") or schema.get("items", {}).get("$ref")
                if not named:
                    vague.append(f"{method.upper()} {path} {status}")
    assert vague == []


def test_the_documented_shapes_are_what_clients_get(tmp_path):
    c, tokens = client(tmp_path)

    def h(role):
        return {"Authorization": f"Bearer {tokens[role]}"}

    Health.model_validate(c.get("/healthz").json())
    Me.model_validate(c.get("/api/v1/me", headers=h("counter")).json())
    [ServiceOut.model_validate(s) for s in c.get("/api/v1/services", headers=h("kiosk")).json()]
    issued = c.post("/api/v1/tickets", json={"service": "general"}, headers=h("kiosk"))
    TicketAnswer.model_validate(issued.json())
    CounterOut.model_validate(
        c.post("/api/v1/counters/1/sign-in", json={"staff": "lin", "pin": "271828"}, headers=h("counter")).json()
    )
    TicketAnswer.model_validate(c.post("/api/v1/counters/1/call-next", headers=h("counter")).json())
    HallStateOut.model_validate(c.get("/api/v1/state", headers=h("display")).json())
    finished = c.post(
        "/api/v1/counters/1/finish", json={"outcome": "follow_up", "note": "call back"}, headers=h("counter")
    )
    TicketAnswer.model_validate(finished.json())
    [FollowUpOut.model_validate(f) for f in c.get("/api/v1/follow-ups", headers=h("manager")).json()]
    booking = {"service": "general", "at": "2026-11-25T09:30:00+08:00", "ref": "REF123", "name": "Chan"}
    added = c.post("/api/v1/appointments/add", json={"bookings": [booking]}, headers=h("manager"))
    AppointmentsAdded.model_validate(added.json())
    day = c.get("/api/v1/appointments?day=2026-11-25", headers=h("counter")).json()
    assert AppointmentsOfDay.model_validate(day).appointments[0].name == "Chan"
    moved = c.post(
        f"/api/v1/appointments/{day['appointments'][0]['id']}/change", json={"cancel": True}, headers=h("manager")
    )
    assert AppointmentChanged.model_validate(moved.json()).appointment.state == "cancelled"
