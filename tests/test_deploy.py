"""deploy/ is what an installer runs on a Raspberry Pi: the units must be valid systemd units,
the script valid bash, and the README must describe what is there."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (./install.sh --test installs systemd)",
)
def test_systemd_analyze_verify_passes(tmp_path):
    # The units name files that exist only on an installed Pi; point them at stand-ins here.
    fake_kiosk, fake_cage = tmp_path / "kiosk", tmp_path / "cage"
    for f in (fake_kiosk, fake_cage):
        f.write_text("#!/bin/sh\nexit 0\n")
        f.chmod(0o755)
    for env in ("screen.env", "display.env"):
        (tmp_path / env).write_text("KIOSK_TOKEN=x\nKIOSK_SERVER=http://127.0.0.1:8000\n")
    copies = []
    for unit in UNITS:
        text = unit.read_text()
        text = text.replace("/opt/front-desk-kiosk/.venv/bin/kiosk", str(fake_kiosk)).replace(
            "/usr/bin/cage", str(fake_cage)
        )
        text = text.replace("/etc/front-desk-kiosk/", f"{tmp_path}/")
        copy = tmp_path / unit.name
        copy.write_text(text)
        copies.append(str(copy))
    res = subprocess.run(["systemd-analyze", "verify", "--man=no", *copies], capture_output=True, text=True)
    problems = [
        line
        for line in (res.stdout + res.stderr).splitlines()
        if "front-desk" in line or any(u.name in line for u in UNITS)
    ]
    assert res.returncode == 0 and problems == [], res.stdout + res.stderr


def test_units_run_as_the_service_user_and_restart_on_failure():
    assert {u.name for u in UNITS} == {"kiosk-server.service", "kiosk-screen.service", "kiosk-display.service"}
    for unit in UNITS:
        text = unit.read_text()
        assert "User=kiosk" in text and "Restart=always" in text and "StandardOutput=journal" in text
    screen = (DEPLOY / "systemd" / "kiosk-screen.service").read_text()
    assert "TTYPath=/dev/tty1" in screen and "/usr/bin/cage" in screen and "--fullscreen" in screen
    for name in ("kiosk-screen.service", "kiosk-display.service"):  # the screen never blanks
        assert "systemd-inhibit --what=idle" in (DEPLOY / "systemd" / name).read_text()


def test_install_script_is_valid_bash_and_pins_pyside6_on_bookworm():
    script = DEPLOY / "install-pi.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text()
    assert "PySide6-Essentials==6.8.0.2" in text and "bookworm" in text
    assert "fonts-noto-cjk" in text and "consoleblank=0" in text and "99-front-desk-kiosk.rules" in text


def test_readme_describes_the_deployment_that_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for unit in UNITS:
        assert unit.name in readme
    assert "deploy/install-pi.sh" in readme and "99-front-desk-kiosk.rules" in readme
    from kiosk.cli import COMMANDS

    mentioned = set(re.findall(r"`(?:\.venv/bin/)?kiosk ([a-z][a-z-]+)", readme))  # `kiosk report …`
    mentioned |= set(re.findall(r"^(?:\$ )?(?:\.venv/bin/)?kiosk ([a-z][a-z-]+)", readme, re.M))  # code blocks
    assert {"serve", "screen", "backup", "demo"} <= mentioned
    unknown = sorted(c for c in mentioned if c not in COMMANDS)
    assert unknown == [], f"README mentions commands that do not exist: {unknown}"
