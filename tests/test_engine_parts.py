"""The engine is made of parts that are given what they use (kiosk/engine/__init__.py), and a
command's `op` changes only the database: it runs inside a transaction that may be undone or
tried again, so anything it changed in a part would outlive a rollback (a day marked good by
a ticket that was never committed). Every command of a day is watched here, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kiosk.config import parse_config
from kiosk.engine import Engine
from kiosk.engine.ledger import Ledger
from kiosk.testing import _toml, config_data, staff_toml

PLAIN = (int, float, str, bytes, bool, type(None), frozenset, tuple)


def _state(engine: Engine) -> dict[tuple[str, str], Any]:
    """Every part's attributes: plain values and shallow copies of containers, the identity of
    anything else (a lock, a statement); a part's declared caches are left out."""
    out: dict[tuple[str, str], Any] = {}
    for part in engine.parts():
        caches = getattr(type(part), "CACHES", ())
        for name, value in vars(part).items():
            if name in caches:
                continue
            kept = (
                copy.copy(value)
                if isinstance(value, (dict, list, set))
                else value
                if isinstance(value, PLAIN)
                else None
            )
            out[(type(part).__name__, name)] = (id(value), kept)
    return out


def watch_ops(engine: Engine, monkeypatch) -> list[str]:
    """Every op from now on is run between two looks at every part; what changed is listed."""
    changed: list[str] = []
    real = Ledger.mutate

    def mutate(self, scope, key, op):
        def watched(conn, now):
            before = _state(engine)
            answer = op(conn, now)
            after = _state(engine)
            changed.extend(
                f"{scope}: {part}.{name}" for (part, name) in before if before[(part, name)] != after.get((part, name))
            )
            changed.extend(f"{scope}: {part}.{name} (new)" for (part, name) in after if (part, name) not in before)
            return answer

        return real(self, scope, key, watched)

    monkeypatch.setattr(Ledger, "mutate", mutate)
    return changed


@pytest.fixture
def staffed_engine(make_engine, db_url) -> Engine:
    text = _toml(config_data(counters=3)[0]) + staff_toml()
    return make_engine(db_url, parse_config(text))


def test_every_command_of_a_day_changes_only_the_database(staffed_engine, clock, monkeypatch):
    e = staffed_engine
    changed = watch_ops(e, monkeypatch)
    codes = list(e.services)
    e.sign_in(1, "lin", "271828")
    e.sign_in(2, "wang", "314159")
    tickets = [e.issue(codes[i % len(codes)], priority=(i == 3), kiosk="entrance kiosk").ticket for i in range(8)]
    assert all(tickets)
    e.reprint(tickets[5].id, by="customer", as_kiosk=True)
    e.call_next(1)
    e.recall(1)
    e.start(1)
    e.finish(1, category=e.config.categories[0].code, outcome="follow_up", note="call back about the form")
    e.call_next(1)
    e.no_show(1)
    no_show = [t for t in (e.ticket(x.id) for x in tickets) if t.state.value == "no_show"][0]
    e.return_ticket(no_show.number, by="lin")
    e.call_next(2)
    current = [c for c in e.counters() if c.id == 2][0]
    other = next(code for code in codes if code != e.ticket(current.current_ticket_id).service)
    e.transfer(2, other)
    waiting = e.waiting_tickets()
    e.call_number(2, waiting[-1].number, "an appointment at 10:00")
    e.finish(2)
    e.pause(1, "lunch", until=clock.now() + 1800)
    e.resume(1)
    e.set_counter_services(3, codes[:1], by="wang")
    fu = e.follow_ups()[0]
    e.reply_follow_up(fu["id"], by="lin", method="phone", note="told them")
    e.reopen_follow_up(fu["id"], "they called again")
    gid = e.greet_arrival(clock.now(), ("door",), 2.5, alerted=True)
    e.greet_join(gid, "camera")
    e.greet_joined(gid, clock.now(), ("camera",), 2.0)
    e.greet_repeat(gid, 1)
    e.greet_escalate(gid)
    e.confirm_greeting(gid, 1)
    e.device_alert("printer", "paper_out", "out of paper", kind="printer")
    e.call_next(1)
    clock.advance(3 * 3600)
    assert e.expire_calls() >= 1
    clock.advance(7 * 86400)
    assert e.check_follow_ups() >= 1
    for t in e.waiting_tickets():
        e.call_number(1, t.number, "end of the day")
        e.finish(1)
    e.sign_out(1)
    e.sign_out(2)
    e.close_day()
    assert changed == []


def test_the_watch_sees_an_op_that_changes_a_part(engine, monkeypatch):
    """The watch itself: an op that remembers something in a part is caught."""
    changed = watch_ops(engine, monkeypatch)

    def careless(conn, now):
        engine.customers._day_checked = "2099-01-01"
        return {}, []

    engine.ledger.mutate("careless", None, careless)
    assert changed == ["careless: CustomerCommands._day_checked"]


def test_no_part_inherits_from_another_and_each_is_given_what_it_uses(engine):
    for part in engine.parts():
        assert type(part).__mro__[1:] == (object,), f"{type(part).__name__} inherits {type(part).__mro__[1:]}"
    assert all(part.ledger is engine.ledger for part in engine.parts()[1:] if hasattr(part, "ledger"))
    assert engine.counter_commands.rows is engine.missed_calls.rows is engine.staff.rows is engine.counter_rows


def test_a_route_is_given_the_engine_as_a_dependency_a_test_can_override(make_engine, tmp_path):
    """The routers are module-level and ask FastAPI for the engine (kiosk/server/api.py's
    the_engine): overriding that dependency hands every route another engine."""
    from fastapi.testclient import TestClient

    from kiosk.server.api import the_engine
    from kiosk.server.app import create_app

    data, tokens = config_data()
    config = parse_config(_toml(data))
    served = make_engine(f"sqlite:///{tmp_path / 'served.db'}", config)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}", config)
    other.issue("general")
    other.issue("general")
    app = create_app(served, tell_systemd=False)
    kiosk = {"Authorization": f"Bearer {tokens['kiosk']}"}
    with TestClient(app) as c:
        waiting = {s["code"]: s["waiting"] for s in c.get("/api/v1/services", headers=kiosk).json()}
        assert waiting["general"] == 0
        app.dependency_overrides[the_engine] = lambda: other
        waiting = {s["code"]: s["waiting"] for s in c.get("/api/v1/services", headers=kiosk).json()}
        assert waiting["general"] == 2
        issued = c.post("/api/v1/tickets", json={"service": "general"}, headers=kiosk)
        assert issued.status_code == 201 and issued.json()["ticket"]["number"] == "A003"  # other's third
