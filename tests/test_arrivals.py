"""Every arrival, every time, whatever a sensor does (seeds: greet each customer who comes in;
a customer sitting at the desk is inside the zone and must not silence the next one)."""

from __future__ import annotations

import time

import httpx
from sqlalchemy.exc import OperationalError

from hardware.presence.ld2410 import LD2410Sensor, RadarReport, encode
from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.greeter import Greeter
from kiosk.greeting import GreetingMachine, GreetingPolicy
from kiosk.reports import greeting_figures, greeting_rows
from kiosk.testing import wait_until
from tests.test_server import Server, write_config

P = GreetingPolicy(group_window_s=8, repeat_s=10, max_repeats=3, rearm_after_s=5, stuck_after_s=1800, flap_limit=20)
KINDS = {"door": "door", "radar": "radar", "pir": "pir", "camera": "camera"}


def kinds(actions):
    """What the actions say about arrivals (repeats of earlier alerts left out)."""
    return [a.kind for a in actions if a.kind not in ("repeat", "escalate")]


def machine() -> GreetingMachine:
    return GreetingMachine(P, dict(KINDS))


def test_a_second_person_while_the_first_stays_gets_a_second_alert():
    m = machine()
    assert kinds(m.enter("camera", 0, True, count=1)) == ["alert"]
    assert kinds(m.enter("camera", 20, True, count=2)) == ["alert"]  # 1 -> 2: someone new
    assert m.enter("camera", 25, True, count=2) == []  # the same two, reported again
    assert kinds(m.leave("camera", 30, count=1)) == []  # one leaves: nothing new
    assert kinds(m.enter("camera", 45, True, count=2)) == ["alert"]  # and the next one comes in


def test_a_customer_sitting_at_the_desk_does_not_silence_the_door():
    m = machine()
    m.enter("radar", 0, True)  # the first customer, seated inside the zone
    for t in (60, 120, 180):  # radar still occupied; three more people come in
        assert kinds(m.enter("door", t, True, count=1)) == ["alert"]
        m.leave("door", t + 3, count=0)


def test_a_radar_that_faults_while_occupied_drops_out_and_rejoins():
    m = machine()
    assert kinds(m.enter("radar", 0, True)) == ["alert"]
    m.fault("radar", 30)  # unplugged with someone in front of it
    assert "radar" not in m.occupied_by
    assert kinds(m.enter("door", 30 + P.rearm_after_s + 1, True, count=1)) == ["alert"]
    assert kinds(m.enter("radar", 60, True)) == ["alert"]  # back, and sees someone: a new arrival


def test_a_stuck_pir_is_flagged_ignored_and_trusted_again_once_it_lets_go():
    m = machine()
    m.enter("pir", 0, True)
    flags = [a for a in m.tick(P.stuck_after_s + 1) if a.kind == "flag"]
    assert [(a.sources, a.state) for a in flags] == [(("pir",), "stuck")]
    assert "pir" not in m.occupied_by
    assert m.enter("pir", P.stuck_after_s + 100, True) == []  # still stuck high: ignored
    unflag = m.leave("pir", P.stuck_after_s + 200)
    assert kinds(unflag) == ["unflag"]
    assert kinds(m.enter("pir", P.stuck_after_s + 300, True)) == ["alert"]


def test_a_camera_seeing_a_long_visit_is_not_stuck():
    m = machine()
    m.enter("camera", 0, True, count=1)
    assert [a for a in m.tick(2 * P.stuck_after_s) if a.kind == "flag"] == []


def test_a_flapping_door_is_flagged_and_quiet_again_later():
    m = machine()
    actions = []
    for i in range(25):
        actions += m.enter("door", i * 2.0, True, count=1) + m.leave("door", i * 2.0 + 0.5, count=0)
    flags = [a for a in actions if a.kind == "flag"]
    assert len(flags) == 1 and flags[0].state == "flapping"
    assert kinds(m.tick(49 + 61)) == ["unflag"]


def test_through_the_greeter_every_arrival_has_its_own_log_row(engine, clock, config):
    g = Greeter(engine)
    g.on_presence(PresenceEvent("entrance camera", PresenceKind.ENTER, clock.now(), 2.0, 1))
    for n in (2, 3):
        clock.advance(config.presence.group_window_s + 1)
        g.on_presence(PresenceEvent("entrance camera", PresenceKind.ENTER, clock.now(), 2.5, n))
    rows = greeting_rows(engine.store, config)
    assert len(rows) == 3 and all(r["alerted"] for r in rows)
    figs = greeting_figures(rows, [], config.presence.greet_target_s)
    assert figs["arrivals"] == 3 and figs["unconfirmed"] == 3
    g.stop()


def test_the_greeting_figures_count_greeted_late_and_never_greeted_per_sensor(engine, clock, config):
    g = Greeter(engine)
    ids = []
    for source in ("front door", "front door", "entrance camera"):
        g.on_presence(PresenceEvent(source, PresenceKind.ENTER, clock.now(), None, 1))
        ids.append(engine.latest_events("greet_alert", 1)[0].data["alert_id"])
        g.on_presence(PresenceEvent(source, PresenceKind.LEAVE, clock.now(), None, 0))
        clock.advance(config.presence.group_window_s + 1)
    engine.confirm_greeting(ids[0], 1)  # 27 s after its arrival: greeted, but late
    clock.advance(1)
    engine.confirm_greeting(ids[2], 2)  # 10 s after its arrival: within the target
    figs = greeting_figures(greeting_rows(engine.store, config), [], config.presence.greet_target_s)
    assert (figs["arrivals"], figs["confirmed"], figs["greeted_late"], figs["unconfirmed"]) == (3, 2, 1, 1)
    by = {s["source"]: s for s in figs["by_sensor"]}
    assert by["front door"]["arrivals"] == 2 and by["front door"]["unconfirmed"] == 1
    assert by["entrance camera"]["arrivals"] == 1 and by["entrance camera"]["within_target"] == 1
    g.stop()


def test_the_radar_thread_survives_a_database_outage_and_reports_again(engine, config, clock, monkeypatch):
    g = Greeter(engine)
    radar = LD2410Sensor("entrance radar", "loop://", zone_m=3.0, leave_after_s=0.2, stale_after_s=0.5)
    down = {"on": True}

    def broken(real):
        def call(*a, **kw):
            if down["on"]:
                raise OperationalError("INSERT", {}, Exception("database restarting"))
            return real(*a, **kw)

        return call

    for name in ("greet_arrival", "device_alert", "greet_join", "greet_repeat", "greet_escalate"):
        monkeypatch.setattr(engine, name, broken(getattr(engine, name)))
    radar.start(g.on_presence)
    deadline = time.monotonic() + 3
    while radar.port is None and time.monotonic() < deadline:
        time.sleep(0.01)
    near, nobody = encode(RadarReport(1, 240, 60, 0, 0, 240)), encode(RadarReport(0, 0, 0, 0, 0, 0))
    radar.port.write(near)
    # then silence: a fault, while the database is down; the arrival and the fault wait, in order
    wait_until(lambda: radar.status().state == "fault" and g.pending >= 2, 10, "the silent radar's fault to wait")
    assert radar.reader_alive
    down["on"] = False  # the database is back
    radar.port.write(nobody)
    time.sleep(0.3)
    clock.advance(60)
    for _ in range(10):
        radar.port.write(near)  # someone new, later
        time.sleep(0.05)
    deadline = time.monotonic() + 5  # the outbox is tried again every couple of seconds
    while g.pending and time.monotonic() < deadline:
        time.sleep(0.2)
        g.tick()
    assert g.pending == 0 and radar.reader_alive
    rows = greeting_rows(engine.store, config)
    assert len(rows) == 2  # the arrival during the outage and the one after
    alerts = [e.data["state"] for e in engine.events_after(0) if e.kind == "device_alert"]
    assert alerts[:2] == ["fault", "recovered"]
    radar.stop()
    g.stop()


def test_a_sensor_whose_consumer_fails_keeps_running():
    radar = LD2410Sensor("entrance radar", "loop://", zone_m=3.0, leave_after_s=0.2, stale_after_s=5)
    calls = []

    def consumer(ev):
        calls.append(ev.kind)
        raise RuntimeError("greeter bug")

    radar.start(consumer)
    deadline = time.monotonic() + 3
    while radar.port is None and time.monotonic() < deadline:
        time.sleep(0.01)
    radar.port.write(encode(RadarReport(1, 240, 60, 0, 0, 240)))
    wait_until(lambda: calls[:2] == [PresenceKind.ENTER, PresenceKind.LEAVE], 10, "an arrival and a leave")
    assert radar.reader_alive
    radar.stop()


def test_counts_over_the_api_a_rise_is_a_new_arrival(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", presence={"group_window_s": 0.5})
    s = Server(cfg, tokens)
    try:

        def post(**body):
            r = httpx.post(
                s.url + "/api/v1/presence", json={"source": "people counter", **body}, headers=s.headers("sensor")
            )
            assert r.status_code == 202, r.text

        def alerts():
            rows = httpx.get(s.url + "/api/v1/report", headers=s.headers("manager")).json()["greetings"]
            return rows["arrivals"]

        post(kind="enter", count=1)
        time.sleep(0.8)
        post(kind="enter", count=1)  # the same person, reported again
        post(kind="enter", count=2)  # a second person while the first stays
        time.sleep(0.8)
        post(kind="leave", count=1)
        post(kind="enter", count=2)  # someone new again
        assert alerts() == 3
        bad = httpx.post(
            s.url + "/api/v1/presence", json={"source": "x", "kind": "enter", "count": -1}, headers=s.headers("sensor")
        )
        assert bad.status_code == 422
    finally:
        s.stop()
