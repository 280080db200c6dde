"""Every screen at every size it runs on, in every language: drawn at exactly that size, no
text cut off, no control outside the window or under another (design.md lists the sizes)."""

from __future__ import annotations

import os
from datetime import datetime
from datetime import time as dtime

import pytest

from kiosk.clock import SimulatedClock
from kiosk.compose import build_hall
from kiosk.devices import PrinterState
from kiosk.domain import IssueResult
from kiosk.engine.appointments import CheckIn
from kiosk.testing import make_config
from tests.conftest import TZ, config_with
from tests.layout_check import layout_problems

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.app import SNAPSHOT_DAY, populate_morning  # noqa: E402
from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.display_board import DisplayBoard  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402

LANGS = ("zh-Hant", "zh-Hans", "en")
KIOSK_SIZES = [(800, 480), (1024, 600), (1280, 800), (1920, 1080), (720, 1280), (1080, 1920)]
DISPLAY_SIZES = [(1280, 720), (1920, 1080)]
COUNTER_SIZES = [(1366, 768), (1280, 800)]
MANAGER_SIZES = [(1600, 1000), (1366, 768)]


@pytest.fixture
def morning(qapp, tmp_path, config):
    clock = SimulatedClock(datetime.combine(SNAPSHOT_DAY, dtime(9, 30), tzinfo=config.tz()).timestamp())
    hall = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    populate_morning(hall, clock)
    backend = LocalBackend(hall.engine, hall.printer)
    yield hall, backend
    backend.close()
    hall.close()
    install_language("en")


def shown(qtbot, w, size):
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.wait(50)
    return w


def check(w, size, what: str) -> None:
    assert (w.width(), w.height()) == size, f"{what}: drawn at {w.width()}x{w.height()}, not {size[0]}x{size[1]}"
    problems = layout_problems(w)
    assert problems == [], f"{what} at {size[0]}x{size[1]}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_kiosk_fits(qtbot, morning, size, lang):
    hall, backend = morning
    install_language(lang)
    w = shown(qtbot, KioskScreen(backend, lang), size)
    qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
    check(w, size, "start page")
    w.priority.setChecked(True)
    w.take_ticket("general")
    qtbot.waitUntil(lambda: not w.busy, timeout=10000)
    check(w, size, "ticket printed")
    w.back_to_start()
    hall.printer.printer.state = PrinterState.PAPER_OUT
    w.take_ticket("manager")
    qtbot.waitUntil(lambda: w.qr.isVisible() and not w.busy, timeout=10000)
    check(w, size, "printer failed: number, apology and QR code")
    assert w.qr.pixmap().width() >= 0.4 * min(size), "the QR code must be big enough to scan from the screen"
    w.back_to_start()
    w.open_check_in()
    for key in "12345":
        w._key(key)
    check(w, size, "appointment check-in keypad")
    w._checked_in(CheckIn(IssueResult(None, refused="too_late"), {"service": "payment", "at": w.backend.now()}))
    check(w, size, "appointment too late: the message and the normal ticket offered")
    w.back_to_start()
    w._show_closed(None)
    check(w, size, "closed")


LONG_NAMES = {
    'en = "Payments"': 'en = "Deposits and refunds of management fees"',
    '"zh-Hant" = "繳費"': '"zh-Hant" = "繳費、押金及管理費與停車費退款"',
    '"zh-Hans" = "缴费"': '"zh-Hans" = "缴费、押金及管理费与停车费退款"',
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", KIOSK_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_service_name_is_broken_into_lines_not_shrunk_to_fine_print(qtbot, qapp, tmp_path, size, lang):
    clock = SimulatedClock(datetime.combine(SNAPSHOT_DAY, dtime(9, 30), tzinfo=TZ).timestamp())
    hall = build_hall(config_with(LONG_NAMES), f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "t")
    backend = LocalBackend(hall.engine, hall.printer)
    try:
        install_language(lang)
        w = shown(qtbot, KioskScreen(backend, lang), size)
        qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
        check(w, size, "start page with a long service name")
        long = w.service_buttons["payment"]
        assert long.font().pixelSize() >= 16, f"{long.text()!r} drawn at {long.font().pixelSize()} px"
        assert hall.engine.config.services[1].names[lang] in long.full_text  # all of it, nothing dropped
    finally:
        backend.close()
        hall.close()
        install_language("en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", DISPLAY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_display_fits(qtbot, morning, size, lang):
    hall, backend = morning
    install_language(lang)
    d = DisplayBoard(backend, lang, voice=False)
    d.announcer.silence()
    shown(qtbot, d, size)
    qtbot.waitUntil(lambda: d.state is not None, timeout=5000)
    hall.engine.call_next(3)
    qtbot.waitUntil(lambda: "3" in d.call.text(), timeout=5000)
    qtbot.wait(400)
    check(d, size, "display with a call")


@pytest.mark.parametrize("lang", LANGS)
def test_eight_counters_on_a_720p_display_are_rows_a_waiting_room_can_read(qtbot, qapp, tmp_path, lang):
    clock = SimulatedClock(datetime.combine(SNAPSHOT_DAY, dtime(9, 30), tzinfo=TZ).timestamp())
    config = make_config(counters=8)
    long_name = {  # a hall names its counters for what they do
        "zh-Hant": "4號櫃台（房屋買賣及租賃登記）",
        "zh-Hans": "4号柜台（房屋买卖及租赁登记）",
        "en": "Counter 4 (property sales and leases)",
    }
    config = config.model_copy(
        update={"counters": [c.model_copy(update={"name": long_name}) if c.id == 4 else c for c in config.counters]}
    )
    hall = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "t")
    backend = LocalBackend(hall.engine, hall.printer)
    try:
        for _ in range(8):
            hall.engine.issue("general")
        for c in (1, 2, 3, 5, 6, 7, 8, 4):
            hall.engine.call_next(c)
        install_language(lang)
        d = DisplayBoard(backend, lang, voice=False)
        d.announcer.silence()
        shown(qtbot, d, (1280, 720))
        qtbot.waitUntil(lambda: "A008" in d.counter_labels[4][1].text(), timeout=5000)
        assert long_name[lang] in d.call.text()  # the call names the counter as the hall does
        assert d.counter_labels[4][0].text() == long_name[lang]
        qtbot.wait(200)
        check(d, (1280, 720), "display with eight counters")
        sizes = [label.font().pixelSize() for pair in d.counter_labels.values() for label in pair]
        assert min(sizes) >= 20, f"counter rows drawn at {min(sizes)} px"  # was 17 px: unreadable across a hall
    finally:
        backend.close()
        hall.close()
        install_language("en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", COUNTER_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_counter_panel_fits_with_every_banner_showing(qtbot, morning, size, lang):
    hall, backend = morning
    install_language(lang)
    p = shown(qtbot, CounterPanel(backend, 1, lang), size)
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    hall.engine.device_alert("simulated printer", "paper_out", "x", ticket="A009", kind="printer")
    qtbot.waitUntil(lambda: p.device_banner.isVisible() and p.greet.isVisible(), timeout=5000)
    p.message.setText("ticket A001 is already in general")
    qtbot.wait(100)
    check(p, size, "counter panel, printer and greeting banners")
    for b in p.buttons.values():
        if b.isVisible():
            assert b.height() >= 56, f"{b.text()!r} is {b.height()} px high: too small for a finger"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", MANAGER_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_manager_view_fits(qtbot, morning, size, lang):
    hall, backend = morning
    install_language(lang)
    m = shown(qtbot, ManagerView(backend), size)
    m.pin.setText(hall.engine.config.site.staff_pin)
    m.unlock()
    qtbot.waitUntil(lambda: m.table.rowCount() > 0, timeout=5000)
    check(m, size, "manager view")
