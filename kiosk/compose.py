"""The composition root: the one module that builds a hall from a config, with its devices
(printer, sensors, call buttons, buzzers and lights), its server and its screens. The CLI asks
it for everything that needs a device, Qt or the web server; ui/ keeps windows and
presentation, hardware/ the devices, and the rest of the core imports neither
(tests/test_layers.py holds every module to that). Device and screen imports are lazy: a
command that needs no screen never loads Qt."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.clock import Clock
from kiosk.config import KioskConfig, PrinterModel, SensorModel
from kiosk.devices import DeviceStatus
from kiosk.domain import Event
from kiosk.engine import Engine
from kiosk.greeter import Greeter
from kiosk.hall import Hall
from kiosk.printing import AlertSink, PrintService
from kiosk.report import Report
from kiosk.store import Store, default_sqlite_path, sqlite_url
from kiosk.text_sender import TextSender
from kiosk.timekeeper import Timekeeper

if TYPE_CHECKING:
    import threading

    import uvicorn

log = logging.getLogger(__name__)


def warn_if_clock_unsynchronised(engine: Engine, synchronised: Callable[[], bool | None] | None = None) -> bool:
    """Tell staff when the clock is not synchronised (the queue refuses tickets for an earlier
    day than the newest it has; see Engine.issue). True if a warning went out."""
    from kiosk.clock import system_clock_synchronised

    state = (synchronised or system_clock_synchronised)()
    if state is False:
        engine.device_alert(
            "clock", "unsynchronised", "the clock is not synchronised (no network time yet)", kind="clock"
        )
        return True
    return False


def start_print_service(
    config: KioskConfig, alert: AlertSink, printer_cfg: PrinterModel | None = None, poll: bool = True
) -> PrintService | None:
    """The configured printer behind its print service (None for kind "none"). `alert`: where
    staff alerts go (the engine's device_alert, or a remote kiosk's post to the server).
    `poll`: watch the idle printer (a screen does; a one-off command only prints)."""
    from hardware.factory import build_printer

    cfg = printer_cfg or config.printer
    printer = build_printer(cfg, config.site.language)
    return PrintService(printer, alert, poll_s=cfg.poll_s if poll else 0) if printer else None


def build_hall(
    config: KioskConfig,
    db_url: str | None = None,
    clock: Clock | None = None,
    ticket_dir: Path | None = None,
    with_printer: bool = True,
) -> Hall:
    """Engine on the configured (or given) database, with the configured printer, which
    prints the reprints staff ask for (kiosk/reprints.py)."""
    from kiosk.config import LOCAL_KIOSK
    from kiosk.reprints import Reprints

    store = Store(db_url or config.site.database or sqlite_url(default_sqlite_path()))
    engine = Engine(config, store, clock)
    engine.setup()
    printer_cfg = config.printer
    if ticket_dir is not None and printer_cfg.kind == "simulated":
        printer_cfg = printer_cfg.model_copy(update={"out_dir": str(ticket_dir)})
    service = start_print_service(config, engine.device_alert, printer_cfg) if with_printer else None
    if service is not None:
        engine.bus.subscribe(Reprints(LOCAL_KIOSK, service, config, now=engine.clock.now).on_event)
    return Hall(engine, service)


@dataclass
class Presence:
    greeter: Greeter
    sensors: list[Any]  # hardware's sensors: the core names no device class
    outputs: list[Any]

    def stop(self) -> None:
        for s in self.sensors:
            s.stop()
        for o in self.outputs:
            o.close()
        self.greeter.stop()


def start_presence(config: KioskConfig, engine: Engine) -> Presence:
    """Start the configured sensors feeding the greeter, and the counters' buzzers and lights
    following its alerts. A sensor that cannot start is reported to staff, not fatal."""
    from hardware.counter_io import AlertOutputs
    from hardware.factory import build_sensor
    from kiosk.greeter import Greeter

    greeter = Greeter(engine)
    greeter.start()
    sensors = []
    for s in config.sensors:
        try:
            sensor = build_sensor(s)
            sensor.start(greeter.on_presence)
            sensors.append(sensor)
        except Exception as e:
            engine.device_alert(s.name, "missing", f"cannot start: {type(e).__name__}: {e}")
    outputs = {}
    for d in config.counter_devices:
        if d.buzzer_pin is not None or d.light_pin is not None:
            try:
                outputs[d.counter] = AlertOutputs(d.counter, d.buzzer_pin, d.light_pin)
            except Exception as e:
                engine.device_alert(f"counter {d.counter} buzzer/light", "missing", str(e))

    def follow(ev: Event) -> None:
        if ev.kind in ("greet_alert", "greet_escalated"):
            for cid in ev.data["counters"]:
                if cid in outputs:
                    outputs[cid].alert()
        elif ev.kind == "greet_confirmed":
            for out in outputs.values():
                out.clear()

    engine.bus.subscribe(follow)
    return Presence(greeter, sensors, list(outputs.values()))


def wire_call_buttons(config: KioskConfig, engine: Engine) -> list[Any]:
    """Wired call-next buttons press the same engine operation as the panel's button."""
    from hardware.counter_io import CallButton

    buttons = []
    for d in config.counter_devices:
        if d.call_button_pin is None:
            continue
        try:
            buttons.append(
                CallButton(
                    d.counter, d.call_button_pin, lambda c: engine.call_next(c, key=f"button-{c}-{uuid.uuid4()}")
                )
            )
        except Exception as e:  # no GPIO here: the panels still work
            log.warning("call button of counter %d unavailable: %s", d.counter, e)
    return buttons


def build_printer(printer_cfg: PrinterModel, site_language: str) -> Any:
    """The configured printer itself, without a print service (`kiosk print-test`)."""
    from hardware.factory import build_printer as build

    return build(printer_cfg, site_language)


def check_hardware(config: KioskConfig, listen_s: float) -> list[DeviceStatus]:
    from hardware.check import check_all

    return check_all(config, listen_s)


# ---------------------------------------------------------------- the server
def _uvicorn_config(
    app: Any, config: KioskConfig, host: str | None, port: int | None, log_level: str
) -> uvicorn.Config:
    import uvicorn

    from kiosk.server.logs import uvicorn_log_config
    from kiosk.server.protocol import HeaderDeadlineProtocol

    HeaderDeadlineProtocol.timeout_s = config.server.header_timeout_s
    HeaderDeadlineProtocol.per_client = config.server.max_connections_per_client
    HeaderDeadlineProtocol.pressure_at = config.server.max_connections // 2
    # keep-alive and concurrency bounded, WebSocket messages small (a screen sends nothing but
    # pings) and uncompressed (compressing each small frame once per display cost more CPU than
    # it saved on a LAN, bench/load.py), logs without query strings; deploy/ raises the
    # open-file limit for the connections
    return uvicorn.Config(
        app,
        host=host or config.server.host,
        port=port or config.server.port,
        log_level=log_level,
        timeout_graceful_shutdown=5,
        ws_per_message_deflate=False,
        ws_max_size=4096,
        timeout_keep_alive=10,
        limit_concurrency=config.server.max_connections,
        http=HeaderDeadlineProtocol,
        log_config=uvicorn_log_config(),
        ssl_certfile=os.path.expanduser(config.server.tls_cert) if config.server.tls_cert else None,
        ssl_keyfile=os.path.expanduser(config.server.tls_key) if config.server.tls_key else None,
    )


@dataclass
class BackgroundApi:
    """The API and the customer's status page served from a thread of this process."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_api_in_background(
    config: KioskConfig, engine: Engine, greeter: Greeter, port: int | None = None
) -> BackgroundApi | None:
    """`kiosk run` serves what `kiosk serve` does, so the QR code on a ticket leads to its status
    page in a one-machine hall. Not with the example's public tokens (anyone on the LAN would
    hold them); a port in use is a staff alert, never a reason for the screens not to start."""
    import threading
    import time

    import uvicorn

    from kiosk.event_hub import EventHub
    from kiosk.server.app import create_app

    if any(t.token.startswith("change-me-") for t in config.tokens):
        log.warning("status page and API not served: the configuration still has the example's tokens "
                    "(`kiosk init-config --out FILE` writes fresh ones)")  # fmt: skip
        return None
    app = create_app(engine, EventHub(engine), greeter, tell_systemd=False, make_pdf=pdf_maker(config))
    server = uvicorn.Server(_uvicorn_config(app, config, None, port, "warning"))

    def run() -> None:
        try:
            server.run()
        except SystemExit:  # uvicorn exits when it cannot bind; said below, as a staff alert
            pass

    thread = threading.Thread(target=run, name="api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    bound = port or config.server.port
    if not server.started:
        server.should_exit = True
        engine.device_alert(
            "status page", "missing",
            f"the API and the tickets' status page could not start on port {bound} (in use?); "
            "the screens work, the QR codes lead nowhere", kind="device",
        )  # fmt: skip
        return None
    return BackgroundApi(server, thread, f"http://{config.server.host}:{bound}")


def start_texts(config: KioskConfig, engine: Engine) -> TextSender | None:
    """The text messages customers ask for, through the configured GSM modem (none: off)."""
    if not config.sms.modem:
        return None
    from hardware.gsm_modem import GsmModem

    return TextSender(engine, GsmModem(config.sms.modem, config.sms.baudrate)).start()


PDF_TIMEOUT_S = 60.0


def pdf_maker(config: KioskConfig) -> Callable[[Report, str], bytes]:
    """The web manager view's daily PDF, written by the Qt manager view's own writer
    (ui/report_pdf.py) in a process of its own: the server never holds a Qt application (nor
    even looks for Qt until a PDF is asked for), and a PDF that fails or hangs cannot take the
    server with it. On a server installed without the screens it raises, and the page says so."""

    def make(report: Report, lang: str) -> bytes:
        with tempfile.TemporaryDirectory(prefix="kiosk-pdf-") as folder:
            out = Path(folder) / "report.pdf"
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            done = subprocess.run(
                [sys.executable, "-m", "ui.report_pdf", str(out)],
                input=pickle.dumps((report, config, lang)),
                capture_output=True,
                timeout=PDF_TIMEOUT_S,
                env=env,
                check=False,
            )
            if done.returncode != 0 or not out.is_file():
                raise RuntimeError(f"the PDF writer failed: {done.stderr.decode(errors='replace')[-500:]}")
            return out.read_bytes()

    return make


def serve(config: KioskConfig, store: Store, host: str | None, port: int | None, sensors: bool) -> int:
    """`kiosk serve`: the engine, the greeter (with the configured sensors), the API."""
    import uvicorn

    from kiosk.event_hub import EventHub
    from kiosk.greeter import Greeter
    from kiosk.server.app import create_app, settle_garbage

    engine = Engine(config, store)
    engine.setup()
    warn_if_clock_unsynchronised(engine)
    if config.sensors and sensors:
        greeter = start_presence(config, engine).greeter
    else:
        greeter = Greeter(engine)
        greeter.start()
    timekeeper = Timekeeper(engine).start()
    texts = start_texts(config, engine)

    def stopped() -> None:
        timekeeper.stop()
        if texts is not None:
            texts.stop()
        greeter.stop()
        store.dispose()  # a clean stop leaves one self-contained database file (kiosk restore)

    app = create_app(engine, EventHub(engine), greeter, on_stop=stopped, make_pdf=pdf_maker(config))
    server = uvicorn.Server(_uvicorn_config(app, config, host, port, "info"))
    settle_garbage()
    server.run()
    if not server.started:  # uvicorn said why (the port is in use, say)
        print(f"kiosk serve: could not start on port {port or config.server.port}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------- screens
def run_hall(config: KioskConfig, counters: list[int], windowed: bool, lang: str | None) -> int:
    """`kiosk run`: the whole hall on one machine, with its devices."""
    from ui.app import run

    hall = build_hall(config)
    warn_if_clock_unsynchronised(hall.engine)
    buttons = wire_call_buttons(config, hall.engine)
    presence = start_presence(config, hall.engine)
    api = start_api_in_background(config, hall.engine, presence.greeter)
    timekeeper = Timekeeper(hall.engine).start()
    texts = start_texts(config, hall.engine)
    try:
        return run(config, hall, counters, windowed, lang)
    finally:
        timekeeper.stop()
        if texts is not None:
            texts.stop()
        if api is not None:
            api.stop()
        presence.stop()
        for b in buttons:
            b.close()
        hall.close()
        hall.engine.store.dispose()


def open_screen(
    config: KioskConfig,
    which: str,
    counter: int | None,
    lang: str | None,
    size: tuple[int, int] | None,
    fullscreen: bool,
) -> int:
    """`kiosk screen` on the machine that holds the queue: only a kiosk prints."""
    from ui.app import screen

    hall = build_hall(config, with_printer=which == "kiosk")
    try:
        return screen(config, hall, which, counter, lang, size, fullscreen)
    finally:
        hall.close()


def open_remote_screen(
    url: str,
    token: str,
    which: str,
    counter: int | None,
    lang: str | None,
    size: tuple[int, int] | None,
    local_config: KioskConfig | None,
    fullscreen: bool,
) -> int:
    """`kiosk screen --server`: a kiosk prints on its own printer, from this machine's config."""
    from ui.app import remote_screen

    def start_printer(alert: AlertSink) -> PrintService | None:
        return start_print_service(local_config, alert) if local_config is not None else None

    return remote_screen(url, token, which, counter, lang, size, local_config, fullscreen, start_printer)


def snapshot(config: KioskConfig, which: str, out: Path, lang: str | None, size: tuple[int, int] | None) -> Path:
    """`kiosk snapshot`: a screen rendered offscreen with demo data."""
    import os
    import tempfile
    from datetime import datetime
    from datetime import time as dtime

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.clock import SimulatedClock
    from ui.app import SNAPSHOT_DAY, populate_morning, render_snapshot

    workdir = Path(tempfile.mkdtemp(prefix="kiosk-snapshot-"))
    if which == "manager":
        from kiosk.demo import demo_config, run_demo

        config = demo_config(config)  # its people, as the day was run with them
        run_demo(config, SNAPSHOT_DAY, db_dir=workdir)
        clock = SimulatedClock(datetime.combine(SNAPSHOT_DAY, dtime(18, 0), tzinfo=config.tz()).timestamp())
        hall = build_hall(config, f"sqlite:///{workdir / 'demo.sqlite3'}", clock, workdir / "tickets")
    else:
        clock = SimulatedClock(datetime.combine(SNAPSHOT_DAY, dtime(9, 30), tzinfo=config.tz()).timestamp())
        hall = build_hall(config, f"sqlite:///{workdir / 'snapshot.sqlite3'}", clock, workdir / "tickets")
        populate_morning(hall, clock)
    try:
        return render_snapshot(config, hall, which, out, lang, size)
    finally:
        hall.close()


def calibrate_camera(cam: SensorModel) -> int:
    """`kiosk calibrate-camera`: the live camera with the zone drawn."""
    from PySide6.QtWidgets import QApplication

    from hardware.factory import camera_calibration
    from hardware.presence.calibration_feed import CalibrationFeed
    from ui.app import exec_until_signal
    from ui.calibrate_camera import CalibrationView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    masks = [list(map(tuple, m)) for m in cam.masks]
    view = CalibrationView(CalibrationFeed(cam.camera, camera_calibration(cam), cam.zone_m, masks))
    view.show()
    return exec_until_signal(app)
