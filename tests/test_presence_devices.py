"""Entrance sensors and counter buttons, driven through the libraries' own test doubles:
gpiozero's MockFactory pins and pyserial's loop:// port."""

from __future__ import annotations

import random
import threading
import time

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory, MockTriggerPin
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.counter_io import AlertOutputs, CallButton
from hardware.presence.gpio_sensors import DoorSwitch, PirSensor, UltrasonicSensor
from hardware.presence.ld2410 import LD2410Parser, LD2410Sensor, RadarReport, encode
from hardware.presence.zone import ZoneTracker
from kiosk.devices import PresenceKind
from kiosk.testing import wait_until

EXAMPLE = bytes.fromhex("F4F3F2F1 0D00 02 AA 02 5100 00 0000 3B 0000 55 00 F8F7F6F5".replace(" ", ""))


@pytest.fixture
def mock_pins():
    """gpiozero's own test double for the pins, and the factory that was there before put back."""
    previous = Device.pin_factory
    Device.pin_factory = MockFactory()
    yield Device.pin_factory
    Device.pin_factory.reset()
    Device.pin_factory = previous


class Sink:
    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def __call__(self, ev):
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def kinds(self):
        return [e.kind for e in self.events]

    def wait_for(self, kind, timeout=3.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not any(e.kind == kind for e in self.events):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {kind.value} event within {timeout} s; got {self.kinds()}")
                self.cond.wait(left)
        return next(e for e in self.events if e.kind == kind)


# ---------------------------------------------------------------- LD2410 frames
def test_the_example_frame_from_the_manual_decodes():
    (r,) = LD2410Parser().feed(EXAMPLE)
    assert (r.state, r.moving_cm, r.still_energy) == (2, 81, 0x3B)
    assert r.present and r.distance_m == pytest.approx(0.81)  # still target, only the moving distance given


def test_corrupt_and_partial_frames_cost_one_report_not_the_stream():
    p = LD2410Parser()
    good = encode(RadarReport(1, 250, 40, 0, 0, 250))
    bad_tail = good[:-1] + b"\x00"
    bad_length = good[:4] + b"\xff\x00" + good[6:]
    stream = b"\x00\x13garbage" + bad_tail + good + bad_length + good[:10]
    reports = p.feed(stream)
    assert [r.moving_cm for r in reports] == [250]
    assert p.corrupt_frames == 2
    assert [r.moving_cm for r in p.feed(good[10:])] == [250]  # the partial frame completes


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 600), st.integers(0, 600)), min_size=1, max_size=20),
    st.randoms(),
)
def test_any_split_of_the_byte_stream_gives_the_same_reports(frames, rnd):
    reports = [RadarReport(s, m, 10, still, 20, max(m, still)) for s, m, still in frames]
    data = b"".join(encode(r) for r in reports)
    p = LD2410Parser()
    got, i = [], 0
    while i < len(data):
        n = rnd.randint(1, 40)
        got += p.feed(data[i : i + n])
        i += n
    assert got == reports


def test_zone_hysteresis():
    z = ZoneTracker(3.0, leave_after_s=2.0)
    assert z.observe(0.0, 5.0) == []
    assert z.observe(1.0, 2.9) == [(PresenceKind.ENTER, 2.9)]
    assert z.observe(1.5, 3.2) == []  # jitter at the edge is not a new arrival
    assert z.observe(2.0, 2.8) == []
    assert z.observe(3.9, None) == []
    assert z.observe(4.0, None) == [(PresenceKind.LEAVE, None)]
    assert z.observe(4.5, 1.0) == [(PresenceKind.ENTER, 1.0)]


def test_radar_on_a_serial_port_reports_arrival_leaving_silence_and_recovery():
    sink = Sink()
    radar = LD2410Sensor("entrance radar", "loop://", zone_m=3.0, leave_after_s=0.3, stale_after_s=0.6)
    radar.start(sink)
    deadline = time.monotonic() + 3
    while radar.port is None and time.monotonic() < deadline:
        time.sleep(0.01)
    far = encode(RadarReport(1, 520, 30, 0, 0, 520))
    near = encode(RadarReport(1, 240, 60, 0, 0, 240))
    nobody = encode(RadarReport(0, 0, 0, 0, 0, 0))
    radar.port.write(far + far)
    time.sleep(0.2)
    assert sink.kinds() == []  # someone walking past outside the zone
    radar.port.write(near)
    enter = sink.wait_for(PresenceKind.ENTER)
    assert enter.distance_m == pytest.approx(2.4) and enter.source == "entrance radar"
    for _ in range(6):
        radar.port.write(nobody)
        time.sleep(0.08)
    sink.wait_for(PresenceKind.LEAVE)
    fault = sink.wait_for(PresenceKind.FAULT, timeout=3)  # then nothing at all: unplugged?
    assert "no report" in fault.detail
    assert not radar.status().ok and radar.status().state == "fault"
    radar.port.write(nobody)
    sink.wait_for(PresenceKind.RECOVERED)
    radar.stop()


def test_an_absent_radar_is_a_fault_and_is_retried_with_backoff():
    sink = Sink()
    radar = LD2410Sensor("radar", "/dev/does-not-exist-ttyUSB9", stale_after_s=5)
    radar.start(sink)
    fault = sink.wait_for(PresenceKind.FAULT)
    assert "cannot open /dev/does-not-exist-ttyUSB9" in fault.detail
    wait_until(lambda: radar.reconnects >= 2, 15, "two retries (after 0.5 s, then 1 s, ...)")
    assert radar.status().state == "fault"
    radar.stop()


# ---------------------------------------------------------------- GPIO sensors
def test_door_switch_opening_is_an_arrival(mock_pins):
    sink = Sink()
    door = DoorSwitch("front door", 17, debounce_s=0.01)
    pin = mock_pins.pin(17)
    pin.drive_low()  # reed closed: door shut
    door.start(sink)
    assert door.status().state == "door closed"
    pin.drive_high()  # door opens
    assert sink.wait_for(PresenceKind.ENTER).detail == "door opened"
    assert door.status().state == "door open"
    pin.drive_low()
    sink.wait_for(PresenceKind.LEAVE)
    door.stop()


def test_a_device_given_its_own_pin_factory_uses_it_and_leaves_the_global_one_alone():
    from hardware.counter_io import CallButton

    own = MockFactory()
    before = Device.pin_factory
    sink, pressed = Sink(), []
    door = DoorSwitch("side door", 22, debounce_s=0.01, pin_factory=own)
    button = CallButton(3, 5, pressed.append, debounce_s=0, pin_factory=own)
    own.pin(22).drive_low()
    door.start(sink)
    own.pin(22).drive_high()
    assert sink.wait_for(PresenceKind.ENTER).detail == "door opened"
    own.pin(5).drive_low()  # the call button, wired to ground
    deadline = time.monotonic() + 2
    while not pressed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pressed == [3] and Device.pin_factory is before
    door.stop()
    button.close()


def test_pir_motion(mock_pins):
    sink = Sink()
    pir = PirSensor("hall PIR", 4)
    pir.start(sink)
    time.sleep(0.3)  # the sensor's first samples (a PIR warms up too)
    mock_pins.pin(4).drive_high()
    sink.wait_for(PresenceKind.ENTER)
    mock_pins.pin(4).drive_low()
    sink.wait_for(PresenceKind.LEAVE)
    pir.stop()


def test_ultrasonic_sees_a_person_at_two_metres_and_not_at_three_and_a_half(mock_pins):
    sink = Sink()
    echo = mock_pins.pin(24)
    trigger = mock_pins.pin(23, pin_class=MockTriggerPin, echo_pin=echo, echo_time=3.5 * 2 / 343)
    sensor = UltrasonicSensor("entrance sonar", 23, 24, zone_m=3.0, leave_after_s=0.3, poll_s=0.05)
    sensor.start(sink)
    time.sleep(0.6)
    assert PresenceKind.ENTER not in sink.kinds()
    trigger.echo_time = 2.0 * 2 / 343
    ev = sink.wait_for(PresenceKind.ENTER)
    assert ev.distance_m == pytest.approx(2.0, abs=0.5)
    sensor.stop()


def test_ultrasonic_without_echo_is_flagged(mock_pins):
    sink = Sink()
    mock_pins.pin(24)
    mock_pins.pin(23)  # a trigger nobody answers: unplugged sensor
    sensor = UltrasonicSensor("entrance sonar", 23, 24, stale_after_s=0.5, poll_s=0.05)
    sensor.start(sink)
    ev = sink.wait_for(PresenceKind.FAULT, timeout=4)
    assert "no echo" in ev.detail
    assert not sensor.status().ok
    sensor.stop()


# ---------------------------------------------------------------- counter devices
def test_the_physical_call_button_calls_the_next_customer(mock_pins, engine):
    engine.issue("general")
    engine.issue("general")
    called = []
    button = CallButton(2, 5, lambda c: called.append(engine.call_next(c)), debounce_s=0)
    pin = mock_pins.pin(5)
    pin.drive_low()  # pressed (pull-up)
    pin.drive_high()
    deadline = time.monotonic() + 2
    while not called and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [t.number for t in called] == ["A001"]
    assert engine.counters()[1].current_ticket_id == called[0].id
    button.close()


def test_a_button_press_on_a_paused_counter_does_not_kill_the_button(mock_pins, engine):
    engine.pause(1, "break")
    engine.issue("general")
    presses = []

    def press(c):
        presses.append(c)
        engine.call_next(c)  # refused: paused

    button = CallButton(1, 5, press, debounce_s=0)
    pin = mock_pins.pin(5)
    for _ in range(2):
        pin.drive_low()
        pin.drive_high()
    time.sleep(0.1)
    assert presses == [1, 1]
    assert engine.waiting_counts()["general"] == 1
    button.close()


def test_alert_buzzer_and_light_until_confirmed(mock_pins):
    out = AlertOutputs(1, buzzer_pin=6, light_pin=13)
    light = mock_pins.pin(13)
    out.alert()
    seen = set()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and len(seen) < 2:
        seen.add(light.state)
        time.sleep(0.05)
    assert seen == {0, 1} and out.alerting  # flashing
    out.clear()
    time.sleep(0.1)
    assert light.state == 0 and mock_pins.pin(6).state == 0 and not out.alerting
    out.close()


def test_random_door_chatter_is_debounced(mock_pins):
    sink = Sink()
    door = DoorSwitch("front door", 17, debounce_s=0.2)
    pin = mock_pins.pin(17)
    pin.drive_low()
    door.start(sink)
    rnd = random.Random(1)
    for _ in range(20):  # a bouncing contact within 40 ms
        pin.drive_high() if rnd.random() < 0.5 else pin.drive_low()
        time.sleep(0.002)
    pin.drive_high()
    time.sleep(0.4)
    assert sink.kinds() == [PresenceKind.ENTER]  # one door opening, one arrival
    door.stop()
