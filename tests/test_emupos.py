"""Against a real ESC/POS emulator nobody on the team wrote: emupos (PyPI, Python >= 3.13).
It listens like a LAN printer, renders each receipt to PNG, answers status queries and can
fake paper-out. ./run-tests installs it in its own venv and sets KIOSK_TEST_EMUPOS."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import cv2
import pytest

from hardware.factory import build_printer
from kiosk.config import PrinterModel
from kiosk.devices import PrinterState
from tests.test_ticket_printing import URL, doc

EMUPOS = os.environ.get("KIOSK_TEST_EMUPOS") or shutil.which("emupos")
pytestmark = pytest.mark.skipif(not EMUPOS, reason="emupos is not installed (needs Python >= 3.13; "
                                                   "./run-tests installs it when python3.13 is available)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def emulator(tmp_path):
    port, api = free_port(), free_port()
    (tmp_path / "emupos.yaml").write_text(f"""schema: 1
api: {{ host: 127.0.0.1, port: {api} }}
devices:
  - id: front
    type: printer
    profile: epson-tm-t20iii
    connections:
      - tcp: {{ port: {port} }}
    receipts_dir: {tmp_path / 'receipts'}
    job_idle_timeout_ms: 500
""")
    proc = subprocess.Popen([EMUPOS, "run", "--config", str(tmp_path / "emupos.yaml")], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert proc.poll() is None, f"emupos did not start: {proc.stderr.read()}"
            time.sleep(0.2)
    api_url = f"http://127.0.0.1:{api}"

    def cli(*args: str) -> str:
        return subprocess.run([EMUPOS, "--api", api_url, *args], capture_output=True, text=True, check=True,
                              timeout=30).stdout
    yield port, cli, tmp_path / "receipts"
    proc.terminate()
    proc.wait(timeout=10)


def lan_printer(port: int, timeout_s: float = 3, **kw):
    return build_printer(PrinterModel(kind="network", host="127.0.0.1", port=port, timeout_s=timeout_s, **kw))


def receipts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png")) if folder.exists() else []


def wait_for_receipts(folder: Path, n: int, timeout: float = 10) -> list[Path]:
    deadline = time.monotonic() + timeout
    while len(receipts(folder)) < n and time.monotonic() < deadline:
        time.sleep(0.1)
    return receipts(folder)


def test_a_ticket_printed_over_the_lan_is_rendered_with_a_readable_qr(emulator):
    port, cli, folder = emulator
    printer = lan_printer(port)
    assert printer.health().state == PrinterState.READY
    out = printer.print_ticket(doc())
    assert out.printed, out.message
    (png,) = wait_for_receipts(folder, 1)
    img = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    value, _, _ = cv2.QRCodeDetector().detectAndDecode(img)
    assert value == URL                                  # the emulator drew our native QR
    assert img.shape[1] == 576 and img.shape[0] > 600
    text = cli("receipt", "show")
    assert "A012" in text


def test_paper_out_is_detected_before_printing_and_nothing_is_lost(emulator):
    port, cli, folder = emulator
    printer = lan_printer(port)
    cli("fault", "set", "front", "paper-out")
    assert printer.health().state == PrinterState.PAPER_OUT
    out = printer.print_ticket(doc())
    assert not out.printed and out.state == PrinterState.PAPER_OUT
    time.sleep(1.0)
    assert receipts(folder) == []                        # nothing half-printed
    cli("fault", "clear", "front", "paper-out")
    again = printer.print_ticket(doc())                  # the reprint, once staff changed the roll
    assert again.printed
    assert len(wait_for_receipts(folder, 1)) == 1


def test_paper_near_end_prints_and_says_so(emulator):
    port, cli, folder = emulator
    printer = lan_printer(port)
    cli("fault", "set", "front", "paper-near-end")
    out = printer.print_ticket(doc())
    assert out.printed and out.state == PrinterState.PAPER_NEAR_END
    assert len(wait_for_receipts(folder, 1)) == 1
    devices = cli("devices")
    assert "paper-near-end" in devices or "near" in devices.lower()
