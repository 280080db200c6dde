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
from kiosk.testing import finishes
from tests.qr_reader import read_qr
from tests.test_ticket_printing import URL, doc

EMUPOS = os.environ.get("KIOSK_TEST_EMUPOS") or shutil.which("emupos")
pytestmark = pytest.mark.skipif(
    not EMUPOS,
    reason="emupos is not installed (needs Python >= 3.13; ./run-tests installs it when python3.13 is available)",
)


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
    receipts_dir: {tmp_path / "receipts"}
    job_idle_timeout_ms: 500
""")
    assert EMUPOS is not None
    proc = subprocess.Popen(
        [EMUPOS, "run", "--config", str(tmp_path / "emupos.yaml")],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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
        assert EMUPOS is not None
        return subprocess.run(
            [EMUPOS, "--api", api_url, *args], capture_output=True, text=True, check=True, timeout=30
        ).stdout

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
    assert img is not None, png
    assert read_qr(img) == URL  # the emulator drew our native QR
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
    assert receipts(folder) == []  # nothing half-printed
    cli("fault", "clear", "front", "paper-out")
    again = printer.print_ticket(doc())  # the reprint, once staff changed the roll
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


# ---------------------------------------------------------------- the connection fails mid-ticket
def service_on(port: int, engine, timeout_s: float = 2):
    from kiosk.printing import PrintService

    return PrintService(lan_printer(port, timeout_s=timeout_s), engine.device_alert)


def ticket_for(engine, config):
    from kiosk.ticket_doc import make_ticket_doc

    res = engine.issue("general")
    return res.ticket, make_ticket_doc(res.ticket, config, "zh-Hant", config.site.public_url)


def printer_alerts(engine) -> list[dict]:
    return [e.data for e in engine.events_after(0) if e.kind == "device_alert"]


def reprint_once(emu_port: int, engine, config, ticket) -> None:
    from kiosk.reprints import Reprints

    service = service_on(emu_port, engine)
    engine.reprint(ticket.id, by="counter 1", kiosk="kiosk")
    outcome = (
        Reprints("kiosk", service, config, now=engine.clock.now)
        .on_event(engine.latest_events("ticket_reprint", 1)[0])
        .result()
    )
    service.close()
    assert outcome.printed, outcome.message


@pytest.mark.parametrize("mode", ["cut", "stall"])
def test_a_lan_connection_cut_or_stalled_mid_ticket_is_not_printed_one_alert_one_reprint(
    emulator, engine, config, mode
):
    from hardware.printer.fakes import CuttingProxy

    port, cli, folder = emulator
    proxy = CuttingProxy(port, mode, after=400)
    service = service_on(proxy.port, engine, timeout_s=1.5)
    ticket, d = ticket_for(engine, config)
    out = finishes(lambda: service.print(d), 10, "the print to give up when the connection is cut")
    assert not out.printed
    assert [a["ticket"] for a in printer_alerts(engine)] == ["A001"]
    service.close()
    proxy.close()
    time.sleep(1.0)
    assert receipts(folder) == []  # half a ticket is no ticket
    reprint_once(port, engine, config, ticket)
    assert len(wait_for_receipts(folder, 1)) == 1
    time.sleep(1.0)
    assert len(receipts(folder)) == 1  # exactly one, not the first one as well


def test_the_printer_going_offline_mid_ticket_is_not_printed_one_alert_one_reprint(emulator, engine, config):
    from hardware.printer.fakes import CuttingProxy

    port, cli, folder = emulator
    proxy = CuttingProxy(port, "hook", after=400, on_after=lambda: cli("fault", "set", "front", "offline"))
    service = service_on(proxy.port, engine)
    ticket, d = ticket_for(engine, config)
    out = service.print(d)
    assert not out.printed and out.state == PrinterState.OFFLINE
    assert [a["ticket"] for a in printer_alerts(engine)] == ["A001"]
    service.close()
    proxy.close()
    cli("fault", "clear", "front", "offline")
    time.sleep(1.0)
    # Like a real printer, emupos prints what it held once it is back online (it ignores the
    # DLE DC4 8 "clear buffers" we send Epson printers): the same ticket, same number and
    # place. The reprint staff then ask for adds exactly one receipt.
    held = len(receipts(folder))
    assert held <= 1
    reprint_once(port, engine, config, ticket)
    assert len(wait_for_receipts(folder, held + 1)) == held + 1
    time.sleep(1.0)
    assert len(receipts(folder)) == held + 1
