"""A machine installs only what its role needs (pyproject.toml's extras, install.sh --role,
deploy/install-pi.sh): a queue server alone has no Qt, no OpenCV and no device library, and
still serves a whole day; a command that needs a missing part says which and how to add it."""

from __future__ import annotations

import re
from importlib.metadata import requires

import httpx
import pytest

from kiosk.testing import ServerProcess, run_kiosk, write_config
from tests.conftest import ROOT

OPTIONAL = ("PySide6", "cv2", "numpy", "escpos", "gpiozero", "serial", "usb", "PIL", "qrcode")
WITHOUT = {
    "PYTHONPATH": str(ROOT / "tests" / "without_parts"),
    "KIOSK_TEST_WITHOUT": ",".join(OPTIONAL),
}


def _names(extra: str | None) -> set[str]:
    """The distributions the package requires, for one extra (None: every install)."""
    out = set()
    for req in requires("front-desk-kiosk") or []:
        marker = re.search(r'extra == "([^"]+)"', req)
        if (marker.group(1) if marker else None) == extra:
            out.add(re.split(r"[\s\[<>=;!~]", req, maxsplit=1)[0].lower())
    return out


def test_a_server_only_install_pulls_no_qt_opencv_or_device_library():
    core = _names(None)
    assert {"sqlalchemy", "fastapi", "uvicorn"} <= core
    assert not core & {"pyside6-essentials", "pyside6-addons", "opencv-python-headless", "numpy", "python-escpos",
                       "gpiozero", "pyserial", "pillow", "qrcode"}  # fmt: skip
    assert "pyside6-essentials" in _names("screens")
    assert "opencv-python-headless" in _names("camera")
    assert {"python-escpos", "gpiozero", "pyserial"} <= _names("devices")
    assert _names("hall") == {"front-desk-kiosk"}  # = devices + screens + camera


@pytest.fixture
def server_without_parts(tmp_path):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.db'}")
    log = tmp_path / "imports.log"
    s = ServerProcess(cfg, tokens, env={**WITHOUT, "KIOSK_TEST_WITHOUT_LOG": str(log)})
    yield s, log
    s.stop()


def test_kiosk_serve_runs_a_day_without_qt_opencv_or_devices_and_never_tries_to_load_them(server_without_parts):
    server, log = server_without_parts
    c = httpx.Client(base_url=server.url, timeout=10)
    issued = c.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk"))
    assert issued.status_code == 201, issued.text
    number = issued.json()["ticket"]["number"]
    called = c.post("/api/v1/counters/1/call-next", headers=server.headers("counter"))
    assert called.status_code == 200 and number in called.text, called.text
    assert c.post("/api/v1/counters/1/finish", json={}, headers=server.headers("counter")).status_code == 200
    page = issued.json()["ticket"]["status_url"].split("/t/")[-1]
    assert c.get("/t/" + page).status_code == 200  # the phone's status page
    report = c.get("/api/v1/report", headers=server.headers("manager"))
    assert report.status_code == 200, report.text
    assert c.post("/manage/sign-in", data={"pin": "2580"}, follow_redirects=True).status_code == 200  # a browser
    assert "A001" in c.get("/manage/log?lang=en").text
    tried = log.read_text().split() if log.exists() else []
    assert tried == [], f"kiosk serve tried to import {sorted(set(tried))}"
    # the daily PDF needs Qt: asked for on such a server, it is refused with the reason
    pdf = c.get("/manage/report.pdf")
    assert pdf.status_code == 503 and "PDF could not be written" in pdf.json()["detail"]


def test_a_screen_on_a_server_only_install_says_which_part_is_missing_and_how_to_add_it(tmp_path):
    cfg, _ = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.db'}")
    r = run_kiosk("snapshot", "kiosk", "--config", str(cfg), "--out", str(tmp_path / "k.png"), env=WITHOUT)
    assert r.returncode == 2, r.stderr
    said = re.search(r"installed without the (\w+) \((\w+)[.\w]* is missing\)", r.stderr)
    assert said and said.group(2) in OPTIONAL, r.stderr
    assert f"pip install 'front-desk-kiosk[{said.group(1)}]'" in r.stderr
    assert "Traceback" not in r.stderr
