"""The stand-and-greet rules (seeds 001, 002, 003) as a state machine, then through the engine."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices import PresenceEvent, PresenceKind
from kiosk.greeter import Greeter
from kiosk.greeting import GreetingMachine, GreetingPolicy
from kiosk.reports import greeting_figures, greeting_rows
from tests.conftest import local_ts

P = GreetingPolicy(group_window_s=8, repeat_s=10, max_repeats=3, rearm_after_s=5)


def kinds(actions):
    return [a.kind for a in actions]


def test_one_person_one_alert_then_three_repeats_then_escalation():
    m = GreetingMachine(P)
    assert kinds(m.enter("door", 0, True)) == ["alert"]
    assert m.tick(9.9) == []
    assert [(a.kind, a.repeat) for a in m.tick(10)] == [("repeat", 1)]
    assert [(a.kind, a.repeat) for a in m.tick(20)] == [("repeat", 2)]
    assert [(a.kind, a.repeat) for a in m.tick(30)] == [("repeat", 3)]  # the third ring
    assert kinds(m.tick(40)) == ["escalate"]
    assert m.tick(80) == []  # escalated once, not again


def test_confirming_stops_the_repeats():
    m = GreetingMachine(P)
    (alert,) = m.enter("door", 0, True)
    assert alert.alert is not None
    m.tick(10)
    assert m.confirm(alert.alert)
    assert m.tick(20) == [] and m.tick(60) == []
    assert not m.confirm(alert.alert)  # a second press changes nothing


def test_a_family_walking_in_together_is_one_alert():
    m = GreetingMachine(P)
    assert kinds(m.enter("door", 0, True)) == ["alert"]
    assert m.enter("door", 1.5, True) == []  # the door again: same group
    assert kinds(m.enter("radar", 2.0, True)) == ["join"]  # the radar sees them too
    assert m.enter("radar", 6.0, True) == []


def test_two_sensors_reporting_the_same_person_raise_one_alert():
    m = GreetingMachine(P)
    first = m.enter("camera", 100.0, True)
    second = m.enter("radar", 100.3, True)
    assert kinds(first) == ["alert"] and kinds(second) == ["join"]
    assert second[0].alert == first[0].alert


def test_each_person_a_counting_camera_sees_in_a_group_gets_a_row_of_the_one_alert():
    m = GreetingMachine(P)
    assert kinds(m.enter("camera", 0, True, count=1)) == ["alert"]
    # a second and a third customer walk in 3 s and 5 s later, the first still at the desk
    joined = m.enter("camera", 3, True, count=2) + m.enter("camera", 5, True, count=3)
    assert kinds(joined) == ["joined", "joined"] and {a.alert for a in joined} == {1}
    # the door counted the same three people: not more people
    assert kinds(m.enter("door", 5.5, True, count=3)) == ["join"]


def test_the_zone_rearms_only_after_it_was_empty_for_a_while():
    m = GreetingMachine(P)
    m.enter("radar", 0, True)
    m.leave("radar", 12)
    assert m.enter("radar", 14, True) == []  # back before the zone was empty 5 s: same person
    m.leave("radar", 20)
    m.tick(24.9)
    assert m.enter("radar", 24.95, True) == []  # 4.95 s empty: not yet re-armed
    m.leave("radar", 25)
    m.tick(30.1)
    assert kinds(m.enter("radar", 31, True)) == ["alert"]


def test_no_alerts_outside_opening_hours_but_the_arrival_is_counted():
    m = GreetingMachine(P)
    assert kinds(m.enter("door", 0, False)) == ["arrival_quiet"]
    assert m.tick(100) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["enter", "leave", "tick"]), st.sampled_from(["door", "radar", "cam"]), st.floats(0, 30)
        ),
        max_size=60,
    )
)
def test_never_more_than_three_repeats_and_one_escalation_per_alert(steps):
    m = GreetingMachine(P)
    now, repeats, escalations = 0.0, {}, {}
    for kind, source, dt in steps:
        now += dt
        acts = (
            m.enter(source, now, True) if kind == "enter" else m.leave(source, now) if kind == "leave" else m.tick(now)
        )
        for a in acts:
            if a.kind == "repeat":
                repeats[a.alert] = repeats.get(a.alert, 0) + 1
            if a.kind == "escalate":
                escalations[a.alert] = escalations.get(a.alert, 0) + 1
                assert repeats.get(a.alert, 0) == 3
    assert all(n <= 3 for n in repeats.values()) and all(n == 1 for n in escalations.values())


# ---------------------------------------------------------------- through the engine
def test_presence_to_alert_to_confirmation_is_logged(engine, clock, config):
    greeter = Greeter(engine)
    heard = []
    engine.bus.subscribe(lambda ev: heard.append(ev) if ev.kind.startswith("greet_") else None)
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.ENTER, clock.now(), 2.4))
    (alert,) = heard
    assert alert.kind == "greet_alert" and alert.data["counters"] == [1, 2, 3]
    assert alert.data["distance_m"] == 2.4
    clock.advance(4.2)
    engine.confirm_greeting(alert.data["alert_id"], 2)
    assert heard[-1].kind == "greet_confirmed" and abs(heard[-1].data["latency_s"] - 4.2) < 1e-3
    clock.advance(30)
    greeter.tick()
    assert [e.kind for e in heard] == ["greet_alert", "greet_confirmed"]  # no repeats after "greeted"
    again = engine.confirm_greeting(alert.data["alert_id"], 3)  # a second clerk presses too
    assert again["confirmed_by"] == 2
    rows = greeting_rows(engine.store, config)
    assert len(rows) == 1 and rows[0]["confirmed_by"] == 2 and rows[0]["latency_s"] == 4.2  # rounded to 0.01 s
    greeter.stop()


def test_unconfirmed_alert_escalates_to_every_counter_and_the_manager(engine, clock, config):
    greeter = Greeter(engine)
    engine.pause(3, "break")
    heard = []
    engine.bus.subscribe(lambda ev: heard.append(ev) if ev.kind.startswith("greet_") else None)
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
    assert heard[0].data["counters"] == [1, 2]  # the paused counter is not asked
    for _ in range(5):
        clock.advance(10)
        greeter.tick()
    assert [e.kind for e in heard] == ["greet_alert", "greet_repeat", "greet_repeat", "greet_repeat", "greet_escalated"]
    assert heard[-1].data["counters"] == [1, 2, 3] and heard[-1].data["manager"]
    figs = greeting_figures(greeting_rows(engine.store, config), [], config.presence.greet_target_s)
    assert figs["arrivals"] == 1 and figs["unconfirmed"] == 1 and figs["escalated"] == 1
    greeter.stop()


def test_every_customer_of_a_group_is_in_the_greeting_log_and_greeted_with_it(engine, clock, config):
    greeter = Greeter(engine)
    greeter.on_presence(PresenceEvent("camera", PresenceKind.ENTER, clock.now(), 2.5, count=1))
    aid = engine.latest_events("greet_alert", 1)[0].data["alert_id"]
    clock.advance(3)
    greeter.on_presence(PresenceEvent("camera", PresenceKind.ENTER, clock.now(), 2.8, count=2))
    clock.advance(2)
    engine.confirm_greeting(aid, 1)
    clock.advance(1)  # one more of the group, after staff stood up: greeted with the group
    greeter.on_presence(PresenceEvent("camera", PresenceKind.ENTER, clock.now(), 2.9, count=3))
    rows = greeting_rows(engine.store, config)
    assert len(rows) == 3 and [r["confirmed_by"] for r in rows] == [1, 1, 1]
    assert [r["latency_s"] for r in rows] == [5.0, 2.0, 0.0]
    assert len(engine.latest_events("greet_alert", 10)) == 1  # one alert for the group
    figs = greeting_figures(rows, [], config.presence.greet_target_s)
    assert figs["arrivals"] == 3 and figs["confirmed"] == 3 and figs["within_target_pct"] == 100.0
    greeter.stop()


def test_a_silent_sensor_is_reported_to_staff(engine, clock):
    greeter = Greeter(engine)
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.FAULT, clock.now(), detail="no report for 12 s"))
    alert = engine.latest_events("device_alert", 1)[0]
    assert alert.data == {
        "device": "entrance radar",
        "kind": "sensor",
        "state": "fault",
        "message": "no report for 12 s",
        "ticket": None,
    }
    greeter.stop()


def test_greeting_figures(engine, clock, config):
    greeter = Greeter(engine)
    latencies = [3.0, 6.0, 14.0]
    for lat in latencies:
        greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
        aid = engine.latest_events("greet_alert", 1)[0].data["alert_id"]
        clock.advance(lat)
        engine.confirm_greeting(aid, 1)
        greeter.on_presence(PresenceEvent("door", PresenceKind.LEAVE, clock.now()))
        clock.advance(60)
        greeter.tick()
    engine.issue("general")  # the last one took a ticket
    clock.set(local_ts(2026, 11, 25, 20, 0))
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))  # after hours: counted, no alert
    from kiosk.reports import log_rows

    figs = greeting_figures(
        greeting_rows(engine.store, config), log_rows(engine.store, config), config.presence.greet_target_s
    )
    assert figs["arrivals"] == 4 and figs["alerted"] == 3 and figs["confirmed"] == 3
    assert figs["median_greet_s"] == 6.0 and figs["within_target_pct"] == 66.7
    assert figs["arrivals_without_ticket"] == 2
    greeter.stop()


def test_kiosk_report_shows_greeting_figures(engine, clock, config, tmp_path, capsys):
    import json

    from kiosk.cli import main

    greeter = Greeter(engine)
    greeter.on_presence(PresenceEvent("door", PresenceKind.ENTER, clock.now()))
    aid = engine.latest_events("greet_alert", 1)[0].data["alert_id"]
    clock.advance(8)
    engine.confirm_greeting(aid, 3)
    cfg = tmp_path / "kiosk.toml"
    from kiosk.config import example_config_text

    cfg.write_text(example_config_text().replace('database = ""', f'database = "{engine.store.url}"'), encoding="utf-8")
    assert main(["report", "--config", str(cfg), "--greetings", "--format", "json"]) == 0
    (figs,) = json.loads(capsys.readouterr().out)
    assert figs["arrivals"] == 1 and figs["median_greet_s"] == 8.0 and figs["within_target_pct"] == 100.0
    assert main(["report", "--config", str(cfg), "--greetings", "--log"]) == 0
    table = capsys.readouterr().out
    assert "door" in table and "8.0" in table
    greeter.stop()
