"""The hall's health as the manager's page reads it (kiosk/hall_health.py): what each printer,
sensor and device last said and since when, a sensor that keeps failing is "flapping" even
when it says it is well, a device not heard from or with a clock that is off needs someone,
and the last backup is known."""

from __future__ import annotations

from kiosk.backup import backup_sqlite
from kiosk.engine.sessions import DeviceSeen
from kiosk.hall_health import QUIET_AFTER_S, read_health
from tests.conftest import config_with

DOOR = '\n[[sensors]]\nkind = "door"\nname = "front door"\npin = 17\n'


def test_a_printer_says_what_it_last_said_and_since_when(engine):
    engine.device_alert("ticket printer", "paper_near_end", "paper is running out", kind="printer")
    engine.clock.advance(600)
    out_at = engine.clock.now()
    engine.device_alert("ticket printer", "paper_out", "the roll is empty", ticket="A004", kind="printer")
    engine.clock.advance(30)
    engine.device_alert("ticket printer", "paper_out", "the roll is still empty", kind="printer")
    h = read_health(engine)
    (printer,) = h.printers
    assert (printer.state, printer.good, printer.since) == ("paper_out", False, out_at)
    assert printer.detail == "the roll is still empty" and h.problems == 1
    engine.device_alert("ticket printer", "ready", "the printer works again", kind="printer")
    assert read_health(engine).printers[0].good and read_health(engine).problems == 0


def test_a_quiet_sensor_is_well_and_one_that_keeps_failing_is_flapping(make_engine, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}", config_with(extra=DOOR))
    assert [(s.name, s.state, s.good) for s in read_health(engine).sensors] == [("front door", "ok", True)]
    for _ in range(4):
        engine.device_alert("front door", "fault", "no signal", kind="sensor")
        engine.clock.advance(60)
        engine.device_alert("front door", "recovered", "recovered", kind="sensor")
        engine.clock.advance(60)
    (door,) = read_health(engine).sensors
    assert (door.state, door.good) == ("flapping", False)


def test_a_device_not_heard_from_or_with_its_clock_off_needs_someone(engine):
    now = engine.clock.now()
    engine.record_seen(
        [
            DeviceSeen("waiting-room TV", "display", "10.0.0.5", now, "1.4.0", 0.3),
            DeviceSeen("entrance kiosk", "kiosk", "10.0.0.6", now, "1.4.0", -42.0),
            DeviceSeen("counter 2 panel", "counter", "10.0.0.7", now - QUIET_AFTER_S - 1, "1.3.9", None),
        ]
    )
    states = {d.name: (d.state, d.good) for d in read_health(engine).devices}
    assert states == {
        "waiting-room TV": ("ok", True),
        "entrance kiosk": ("clock_off", False),
        "counter 2 panel": ("quiet", False),
    }
    # another server process that heard the panel earlier does not move its last call back
    engine.record_seen([DeviceSeen("counter 2 panel", "counter", "10.0.0.7", now - 999, "1.3.9", None)])
    engine.record_seen([DeviceSeen("counter 2 panel", "counter", "10.0.0.7", now, "1.4.0", 0.0)])
    panel = next(d for d in read_health(engine).devices if d.name == "counter 2 panel")
    assert (panel.state, panel.version) == ("ok", "1.4.0")


def test_the_last_backup_is_known_to_the_health_page(engine, tmp_path):
    assert read_health(engine).database.last_backup_at is None
    engine.issue("general")
    backup_sqlite(engine.store, tmp_path / "copy.sqlite3", engine.branch)
    db = read_health(engine).database
    assert db.last_backup_file == str((tmp_path / "copy.sqlite3").resolve())
    assert db.latency_ms is not None and db.size_bytes and db.problem is None
