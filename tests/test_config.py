"""A broken configuration names the file, the key and the problem, and exits with code 2."""

from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, example_config_text, parse_config
from kiosk.testing import run_kiosk


def _broken(tmp_path, old: str, new: str):
    text = example_config_text()
    assert old in text
    p = tmp_path / "kiosk.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ('prefix = "A"', 'prefix = "AB"', "services[0].prefix: String should match pattern"),
        ('prefix = "B"', 'prefix = "A"', "services[1].prefix: 'A' is already used by 'general'"),
        (
            'services = ["general", "payment"]',
            'services = ["general", "loans"]',
            "counters[0].services[1]: no service with code 'loans' (known: general, payment, manager)",
        ),
        ('timezone = "Asia/Taipei"', 'timezone = "Asia/Taipie"', "site.timezone: unknown time zone 'Asia/Taipie'"),
        (
            "target_wait_minutes = 15",
            'target_wait_minutes = "soon"',
            "services[0].target_wait_minutes: Input should be a valid number",
        ),
        (
            'hours = [["09:00", "17:00"]]',
            'hours = [["17:00", "17:00"]]',
            "site.hours.hours: opening period 17:00-17:00 is empty",
        ),
        (
            "max_priority_in_a_row = 2",
            "max_priorty_in_a_row = 2",
            "queue.max_priorty_in_a_row: unknown key (misspelt?)",
        ),
        ('en = "Payments"', 'en = ""', "services[1].names: a name is needed in every language; missing: en"),
        ('role = "display"', 'role = "tv"', "tokens[2].role: Input should be"),
        ("rotation = 0", "rotation = 45", "screen.rotation: Input should be 0, 90, 180 or 270"),
        (
            '# slip_printer = "kiosk"',
            'slip_printer = "front desk"',
            "counters[0].slip_printer: no kiosk or counter panel named 'front desk', so its slips would never "
            "print (known: counter 1 panel, entrance kiosk, kiosk)",
        ),
    ],
)
def test_broken_config_names_file_key_and_problem(tmp_path, capsys, old, new, expected):
    path = _broken(tmp_path, old, new)
    code = main(["db", "check-config", "--config", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}: {expected}" in err


def test_a_slip_printer_named_after_a_panel_or_a_kiosk_is_taken(tmp_path, capsys):
    for name in ("counter 1 panel", "entrance kiosk", "kiosk"):
        path = _broken(tmp_path, '# slip_printer = "kiosk"', f'slip_printer = "{name}"')
        assert main(["db", "check-config", "--config", str(path)]) == 0, capsys.readouterr().err


def test_invalid_toml_says_where(tmp_path, capsys):
    path = _broken(tmp_path, 'branch = "main"', 'branch = "main')
    assert main(["demo", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: not valid TOML" in err and "line" in err


def test_missing_config_file_says_how_to_make_one(tmp_path, capsys):
    missing = tmp_path / "nope.toml"
    assert main(["report", "--config", str(missing)]) == 2
    assert f"{missing}: no such file (write one with `kiosk init-config --out {missing}`)" in capsys.readouterr().err


def test_a_service_nobody_serves_is_refused():
    text = example_config_text().replace(
        'services = ["payment", "manager", "general"]', 'services = ["payment", "general"]'
    )
    with pytest.raises(ConfigError, match=r"services\[2\]: no counter serves 'manager'"):
        parse_config(text, "site.toml")


def test_init_config_writes_a_valid_file_with_fresh_tokens(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    assert main(["init-config", "--out", str(a)]) == 0
    assert main(["init-config", "--out", str(b)]) == 0
    ca = parse_config(a.read_text(encoding="utf-8"))
    cb = parse_config(b.read_text(encoding="utf-8"))
    assert len(ca.services) >= 2 and len(ca.counters) >= 3
    served = [set(c.services) for c in ca.counters]
    assert any(x & y for i, x in enumerate(served) for y in served[i + 1 :]), "counters should overlap"
    assert {t.role for t in ca.tokens} == {"kiosk", "counter", "display", "sensor", "manager"}
    assert not any("change-me" in t.token for t in ca.tokens)
    assert {t.token for t in ca.tokens}.isdisjoint({t.token for t in cb.tokens})
    assert "10, 25" in a.read_text(encoding="utf-8")  # the manager reception calendar is shown
    assert main(["init-config", "--out", str(a)]) == 1  # never overwrites by accident


def test_python_dash_m_kiosk_works_and_help_lists_the_commands():
    r = run_kiosk("--help")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for cmd in ("demo", "report", "init-config", "db"):
        assert cmd in out


def test_a_round_the_clock_site_and_a_night_shift():
    from datetime import datetime

    from kiosk.config import HoursModel
    from tests.conftest import TZ

    always = HoursModel(weekdays=[1, 2, 3, 4, 5, 6, 7], hours=[("00:00", "24:00")]).calendar()
    assert always.is_open(datetime(2026, 11, 25, 23, 59, 30, tzinfo=TZ))  # was closed 23:59-24:00
    assert always.is_open(datetime(2026, 11, 26, 0, 0, tzinfo=TZ))
    night = HoursModel(weekdays=[5], hours=[("22:00", "06:00")]).calendar()  # Friday night
    assert night.is_open(datetime(2026, 11, 27, 23, 0, tzinfo=TZ))  # Friday 23:00
    assert night.is_open(datetime(2026, 11, 28, 5, 59, tzinfo=TZ))  # Saturday 05:59, still Friday's
    assert not night.is_open(datetime(2026, 11, 28, 6, 0, tzinfo=TZ))
    assert not night.is_open(datetime(2026, 11, 27, 5, 0, tzinfo=TZ))  # Thursday's night is not open
    assert night.next_opening(datetime(2026, 11, 28, 7, 0, tzinfo=TZ)) == datetime(2026, 12, 4, 22, 0, tzinfo=TZ)


def test_impossible_hours_are_refused_naming_the_key():
    import pytest

    from kiosk.config import ConfigError, example_config_text, parse_config

    for bad, why in (('["09:00", "09:00"]', "empty"), ('["09:00", "24:30"]', "00:00 to 24:00")):
        text = example_config_text().replace('hours = [["09:00", "17:00"]]', f"hours = [{bad}]", 1)
        with pytest.raises(ConfigError, match=why) as e:
            parse_config(text)
        assert "site.hours.hours" in str(e.value)


def test_the_log_level_is_chosen_on_the_command_line(capsys):
    import logging

    assert main(["--log-level", "error", "db", "check-config"]) == 0
    assert logging.getLogger().level == logging.ERROR
    assert main(["--log-level", "debug", "db", "check-config"]) == 0
    assert logging.getLogger().level == logging.DEBUG
    with pytest.raises(SystemExit) as bad:
        main(["--log-level", "loud", "db", "check-config"])
    assert bad.value.code == 2 and "invalid choice: 'loud'" in capsys.readouterr().err
    main(["--log-level", "warning", "db", "check-config"])
