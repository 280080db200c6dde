"""Every runtime dependency installs on a Raspberry Pi: resolved by pip for aarch64 wheels only,
for Raspberry Pi OS 12 (Bookworm: glibc 2.36, Python 3.11, with the PySide6 pins that
deploy/install-pi.sh uses there) and 13 (Trixie: glibc 2.41, Python 3.13). Newer PySide6 wheels
need a newer glibc than Bookworm has: this is what catches a dependency that would not install.
Asks the package index for metadata only (no wheels are downloaded); skipped, with the reason
printed, when the index cannot be reached."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

RELEASES = {"bookworm": ((2, 36), "3.11"), "trixie": ((2, 41), "3.13")}


def _pip(*args: str) -> subprocess.CompletedProcess:
    # --isolated: this machine's pip configuration (extra indexes, constraints) is not the Pi's
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return subprocess.run(
        [sys.executable, "-m", "pip", "--isolated", *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def index_reachable() -> None:
    probe = _pip("index", "versions", "lgpio")
    if probe.returncode != 0:
        pytest.skip(f"the package index cannot be reached from here: {probe.stderr.strip()[-200:]}")


def _wheels_for(release: str) -> list[str]:
    """pip's options for the wheels a Pi with this release can install: aarch64, its glibc and
    every older manylinux, its CPython."""
    (major, minor), python = RELEASES[release]
    platforms = [a for m in range(17, minor + 1) for a in ("--platform", f"manylinux_{major}_{m}_aarch64")]
    return ["--only-binary=:all:", *platforms, "--platform", "manylinux2014_aarch64",
            "--python-version", python, "--implementation", "cp"]  # fmt: skip


def _install_pi_pins(release: str) -> list[str]:
    """What deploy/install-pi.sh installs beside the project on this release, from the script."""
    script = (ROOT / "deploy" / "install-pi.sh").read_text()
    return re.findall(r'"((?:PySide6-Essentials|PySide6-Addons)==[0-9.]+)"', script) if release == "bookworm" else []


def _lgpio_requirement() -> str:
    return re.findall(r'--only-binary=lgpio "(lgpio[^"]*)"', (ROOT / "deploy" / "install-pi.sh").read_text())[0]


@pytest.mark.parametrize("release", list(RELEASES))
def test_every_runtime_dependency_has_aarch64_wheels_for_raspberry_pi_os(release, index_reachable, tmp_path):
    report = tmp_path / "report.json"
    res = _pip(
        "install",
        "--dry-run",
        "--ignore-installed",
        *_wheels_for(release),
        "--target",
        str(tmp_path / "t"),
        "--quiet",
        "--report",
        str(report),
        f"{ROOT}[hall]",  # what install-pi.sh installs for the kiosk role
        *_install_pi_pins(release),
    )
    assert res.returncode == 0, f"{release}: {res.stderr[-3000:]}"
    got = {
        i["metadata"]["name"].lower().replace("_", "-"): i["metadata"]["version"]
        for i in json.loads(report.read_text())["install"]
    }
    for needed in (
        "pyside6-essentials",
        "pyside6-addons",
        "opencv-python-headless",
        "gpiozero",
        "sqlalchemy",
        "fastapi",
        "python-escpos",
    ):
        assert needed in got, f"{release}: {needed} not resolved"
    if release == "bookworm":
        assert got["pyside6-essentials"] == "6.8.0.2"


@pytest.mark.parametrize("release", list(RELEASES))
def test_the_gpio_pin_factory_installs_from_a_wheel_or_its_source(release, index_reachable, tmp_path):
    """install-pi.sh takes lgpio's aarch64 wheel where there is one (Python <= 3.12) and builds
    it from its source distribution otherwise (Trixie's Python 3.13): one of the two must exist."""
    (major, minor), python = RELEASES[release]
    wheel = _pip(
        "download",
        "--no-deps",
        *_wheels_for(release),
        "-d",
        str(tmp_path),
        _lgpio_requirement(),
    )
    if wheel.returncode != 0:
        source = _pip("download", "--no-deps", "--no-binary=:all:", "-d", str(tmp_path), _lgpio_requirement())
        assert source.returncode == 0, f"{release}: lgpio has neither a wheel nor a source distribution"
        assert any(f.name.endswith(".tar.gz") for f in tmp_path.iterdir())
