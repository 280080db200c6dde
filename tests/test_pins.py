"""Staff PINs at rest: salted hashes in the config file, written by `kiosk staff`, a clear PIN
in an old config still accepted and flagged at start, and the hashed PIN working where people
type it (signing in at a counter, the kiosk's exit)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from kiosk.config import parse_config
from kiosk.engine import Engine
from kiosk.pins import hash_pin, is_hashed, verify_pin
from kiosk.store import Store
from kiosk.testing import STAFF, run_kiosk, write_config


def test_a_hash_verifies_its_pin_only_and_two_hashes_of_one_pin_differ():
    h = hash_pin("271828")
    assert is_hashed(h) and "271828" not in h
    assert verify_pin(h, "271828") and not verify_pin(h, "271829") and not verify_pin(h, "")
    assert hash_pin("271828") != h  # salted: equal PINs do not show as equal hashes


def staff_config(tmp_path: Path) -> Path:
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}", staff=STAFF)
    return cfg


def set_pin(cfg: Path, who: str, pin: str) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "staff", "set-pin", who, "--config", str(cfg)],
        input=pin + "\n",
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )


def test_kiosk_staff_set_pin_stores_a_hash_that_signs_the_person_in(tmp_path, clock):
    cfg = staff_config(tmp_path)
    before = cfg.read_text(encoding="utf-8")
    r = set_pin(cfg, "lin", "8642")
    assert r.returncode == 0, r.stderr
    text = cfg.read_text(encoding="utf-8")
    lin = next(p for p in tomllib.loads(text)["staff"] if p["id"] == "lin")
    assert is_hashed(lin["pin"]) and "8642" not in text and "271828" not in text
    assert len(text.splitlines()) == len(before.splitlines())  # every other line kept
    config = parse_config(text)
    engine = Engine(config, Store(f"sqlite:///{tmp_path / 'q.sqlite3'}"), clock)
    engine.setup()
    assert engine.sign_in(1, "lin", "8642").staff_id == "lin"
    assert config.clear_pins() == ["wang"]  # wang's is still in clear


def test_set_pin_refuses_a_bad_pin_or_an_unknown_person_and_changes_nothing(tmp_path):
    cfg = staff_config(tmp_path)
    before = cfg.read_text(encoding="utf-8")
    short = set_pin(cfg, "lin", "12")
    assert short.returncode == 1 and "4 to 8 digits" in short.stderr
    nobody = set_pin(cfg, "zhao", "1234")
    assert nobody.returncode == 1 and "no [[staff]] with id = 'zhao'" in nobody.stderr
    assert cfg.read_text(encoding="utf-8") == before


def test_an_old_config_with_clear_pins_still_works_is_flagged_and_hashed_in_one_command(tmp_path):
    cfg = staff_config(tmp_path)
    flagged = run_kiosk("serve", "--config", str(cfg), "--port", "1", "--host", "256.0.0.1", "--no-sensors")
    assert "the PINs of wang, lin are stored in clear" in flagged.stderr and "kiosk staff hash-pins" in flagged.stderr
    r = run_kiosk("staff", "hash-pins", "--config", str(cfg))
    assert r.returncode == 0 and "2 PIN(s) stored as hashes (wang, lin)" in r.stdout
    config = parse_config(cfg.read_text(encoding="utf-8"))
    assert config.clear_pins() == []
    assert verify_pin(config.staff_member("wang").pin, "314159")  # the same PINs, now hashed


def test_the_kiosk_exit_pin_may_be_a_hash(qtbot, tmp_path, config, clock):
    from kiosk.compose import build_hall
    from ui.backend import LocalBackend
    from ui.kiosk_screen import KioskScreen

    hashed = config.model_copy(update={"site": config.site.model_copy(update={"staff_pin": hash_pin("9753")})})
    hall = build_hall(hashed, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    backend = LocalBackend(hall.engine, hall.printer)
    w = KioskScreen(backend, "en")
    qtbot.addWidget(w)
    assert not w.unlock("1234") and w.unlock("9753")
    backend.close()
    hall.close()
