"""The screens' windows: `kiosk run`, `kiosk screen`, `kiosk snapshot` put them up here, on a
hall that kiosk/compose.py built (with its printer and devices)."""

from __future__ import annotations

import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kiosk.clock import SimulatedClock
from kiosk.config import KioskConfig

if TYPE_CHECKING:
    from kiosk.hall import Hall
    from ui.screen_backend import ScreenBackend

log = logging.getLogger(__name__)
SCREENS = ("kiosk", "counter", "display", "manager")
DEFAULT_SIZES = {"kiosk": (1080, 1920), "counter": (720, 1000), "display": (1920, 1080), "manager": (1600, 1000)}
SNAPSHOT_DAY = date(2026, 11, 25)


def collect_garbage_on_the_ui_thread(app) -> None:
    """Python's garbage collector runs in whichever thread happens to allocate; if it frees a Qt
    object caught in a reference cycle from a worker thread, Qt deletes it from the wrong
    thread and the process can crash. So automatic collection is off, and the UI thread
    collects, as often as Python would have, from a timer."""
    import gc

    from PySide6.QtCore import QTimer

    gc.disable()

    def collect() -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    app._gc_timer = QTimer(app, interval=200, timeout=collect)
    app._gc_timer.start()


def _app(lang: str):
    from PySide6.QtWidgets import QApplication

    from ui.i18n import install_language
    from ui.theme import apply_base_style

    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    if not hasattr(app, "_gc_timer"):
        collect_garbage_on_the_ui_thread(app)
    apply_base_style(app, lang)
    if not install_language(lang):
        log.warning("no staff translation for %s; staff screens stay in English", lang)
    return app


def exec_until_signal(app) -> int:
    """Run the Qt event loop; SIGINT (Ctrl+C) and SIGTERM (systemd stopping the unit) end it
    cleanly, so the caller's clean-up runs. Qt's loop does not return to Python by itself, so
    the signal is written to a socket Qt watches (signal.set_wakeup_fd)."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def wake() -> None:
        try:
            reader.recv(64)
        except OSError:
            pass

    notifier.activated.connect(wake)

    def stop(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping", signum)
        app.quit()

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    app._watchdog_timer = start_watchdog_pings()  # kept on the app: it lives as long as the loop
    try:
        return app.exec()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def start_watchdog_pings():
    """Tell systemd this screen is alive, from the UI thread's own event loop: if the loop is
    stuck, the pings stop and systemd restarts the screen (WatchdogSec in deploy/systemd)."""
    from PySide6.QtCore import QTimer

    from kiosk.watchdog import notify, ping_interval_s

    notify("READY=1")
    interval = ping_interval_s()
    if interval is None:
        return None
    timer = QTimer(interval=max(100, int(interval * 1000)), timeout=lambda: notify("WATCHDOG=1"))
    timer.start()
    notify("WATCHDOG=1")
    return timer


def close_windows(app, windows) -> None:
    """Windows go before the backends they listen to, in the UI thread, and are really deleted
    (a window left to the interpreter's exit can be torn down after Qt is gone)."""
    for w in windows:
        w.hide()
        w.deleteLater()
    app.processEvents()


def make_screen(
    which: str, backend: ScreenBackend, counter: int | None = None, lang: str | None = None
) -> Any:  # the screen asked for, with its own attributes
    if which == "kiosk":
        from ui.kiosk_screen import KioskScreen

        return KioskScreen(backend, lang)
    if which == "counter":
        from ui.counter_panel import CounterPanel

        return CounterPanel(backend, counter or next(iter(backend.counter_info)), lang)
    if which == "display":
        from ui.display_board import DisplayBoard

        return DisplayBoard(backend, lang)
    from ui.manager_view import ManagerView

    return ManagerView(backend, lang)


def run(config: KioskConfig, hall: Hall, counters: list[int], windowed: bool, lang: str | None) -> int:
    """Everything on one machine: the kiosk on the primary screen, the display on the second
    screen if there is one, and any counter panels asked for."""
    from PySide6.QtGui import QGuiApplication

    from ui.backend import LocalBackend

    lang = lang or config.site.language
    app = _app(lang)
    backend = LocalBackend(hall.engine, hall.printer)
    screens = QGuiApplication.screens()
    kiosk = make_screen("kiosk", backend, lang=lang)
    if windowed:
        kiosk.resize(900, 1200)
        kiosk.show()
    else:
        from ui.rotation import rotate_outputs

        rotate_outputs(config.screen.rotation)
        kiosk.setScreen(screens[0])
        kiosk.lock_down()
    windows = [kiosk]
    if len(screens) > 1:
        display = make_screen("display", backend, lang=lang)
        display.setScreen(screens[1])
        display.move(screens[1].geometry().topLeft())
        display.showFullScreen()
        windows.append(display)
    for c in counters:
        panel = make_screen("counter", backend, counter=c, lang=lang)
        panel.resize(*DEFAULT_SIZES["counter"])
        panel.show()
        windows.append(panel)
    code = exec_until_signal(app)
    close_windows(app, windows)
    backend.close()
    return code


def _present(w, which: str, size: tuple[int, int] | None, fullscreen: bool, rotation: int = 0) -> None:
    if fullscreen:
        from ui.rotation import rotate_outputs

        rotate_outputs(rotation)  # before showing: the screen lays out once, for the turned size
    if fullscreen and which == "kiosk":
        w.lock_down()
    elif fullscreen:
        w.showFullScreen()
    else:
        w.resize(*(size or DEFAULT_SIZES[which]))
        w.show()


def screen(
    config: KioskConfig,
    hall: Hall,
    which: str,
    counter: int | None,
    lang: str | None,
    size: tuple[int, int] | None,
    fullscreen: bool = False,
) -> int:
    from ui.backend import LocalBackend

    lang = lang or config.site.language
    app = _app(lang)
    backend = LocalBackend(hall.engine, hall.printer)
    w = make_screen(which, backend, counter, lang)
    _present(w, which, size, fullscreen, config.screen.rotation)
    code = exec_until_signal(app)
    close_windows(app, [w])
    backend.close()
    return code


def remote_screen(
    url: str,
    token: str,
    which: str,
    counter: int | None,
    lang: str | None,
    size: tuple[int, int] | None,
    local_config: KioskConfig | None = None,
    fullscreen: bool = False,
    start_printer=None,
) -> int:
    """A screen on another machine than the queue. A kiosk prints on its own printer:
    `start_printer(alert)` builds it (kiosk/compose.py, from this machine's config)."""
    from ui.remote_backend import RemoteBackend, fetch_config

    try:
        config = fetch_config(url, token)
    except Exception as e:
        print(f"kiosk screen: cannot get the site configuration from {url}: {e}", file=sys.stderr)
        return 1
    if local_config is not None:  # a kiosk's exit PIN is this machine's own: the server never sends it
        config = config.model_copy(
            update={"site": config.site.model_copy(update={"staff_pin": local_config.site.staff_pin})}
        )
    lang = lang or config.site.language
    app = _app(lang)
    backend = RemoteBackend(url, token, config)
    if which in ("kiosk", "counter") and start_printer is not None:  # a counter may have its own slip printer
        _remote_kiosk_printer(backend, start_printer)
    w = make_screen(which, backend, counter, lang)
    # the site's config describes the server's own screen: this machine turns only by its own
    _present(w, which, size, fullscreen, local_config.screen.rotation if local_config else 0)
    code = exec_until_signal(app)
    close_windows(app, [w])
    backend.close()
    if backend.printer is not None:
        backend.printer.close()
    return code


def _remote_kiosk_printer(backend, start_printer) -> None:
    """A remote kiosk prints on its own printer, tells the server when the printer needs staff,
    and prints the reprints and follow-up slips staff address to it (by its token's name). A
    counter panel with a printer in its own configuration prints the slips addressed to it."""
    from kiosk.reprints import Reprints

    backend.printer = start_printer(backend.post_alert)
    if backend.printer is None:
        return
    printer = backend.printer

    def listen(me: dict) -> None:
        backend.stream_listeners.append(Reprints(me["name"], printer, backend.config).on_event)

    def ask_again(e: Exception) -> None:  # the server is not up yet: ask until it answers
        log.warning("cannot learn this kiosk's name from the server yet (%s)", e)
        QTimer.singleShot(10_000, lambda: backend.run(backend.whoami, listen, ask_again))

    from PySide6.QtCore import QTimer

    backend.run(backend.whoami, listen, ask_again)


# ---------------------------------------------------------------- snapshots
def populate_morning(hall: Hall, clock: SimulatedClock) -> None:
    """A believable mid-morning: people waiting, counters busy, one on a break."""
    e = hall.engine
    for i in range(26):
        clock.advance(150)
        e.issue(("general", "payment", "general", "manager")[i % 4], priority=(i % 9 == 4))
        if i in (3, 6, 9, 12, 15, 18):
            for c in (1, 2, 3):
                if e.counters()[c - 1].state.value != "paused":
                    e.call_next(c)
        if i == 14:
            e.finish(2)
            e.pause(2, "lunch", clock.now() + 45 * 60)
    e.start(1)
    e.call_next(3)
    from kiosk.devices import PresenceEvent, PresenceKind
    from kiosk.greeter import Greeter

    greeter = Greeter(e)  # someone is walking in right now
    greeter.on_presence(PresenceEvent("entrance radar", PresenceKind.ENTER, clock.now(), 2.6))
    greeter.stop()


def render_snapshot(
    config: KioskConfig, hall: Hall, which: str, out: Path, lang: str | None, size: tuple[int, int] | None
) -> Path:
    """Render a screen of `hall` offscreen to a PNG."""
    from ui.backend import LocalBackend

    lang = lang or config.site.language
    app = _app(lang)
    backend = LocalBackend(hall.engine, hall.printer)
    w = make_screen(which, backend, counter=1, lang=lang)
    if which == "display":
        w.announcer.silence()  # a snapshot makes no sound, nor opens an audio device
    elif which == "counter":
        w.silence()
    if which == "manager":
        w._opened()  # a picture of the view behind the PIN (the PINs here may be hashes)
    w.resize(*(size or DEFAULT_SIZES[which]))
    w.show()
    _settle(app, 1.5)
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = w.grab().save(str(out))
    close_windows(app, [w])
    backend.close()
    if not saved:
        raise OSError(f"could not write {out}")
    return out


def _settle(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
