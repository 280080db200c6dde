"""What an early, a late and a weekend customer read on the kiosk: never "goodbye" to someone
who came before opening, and the next opening in words, not an ambiguous date."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from kiosk.clock import SimulatedClock
from kiosk.compose import build_hall
from kiosk.phrases import when_words
from tests.conftest import TZ, local_ts

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ui.backend import LocalBackend  # noqa: E402
from ui.kiosk_screen import KioskScreen  # noqa: E402


def test_when_words():
    now = datetime(2026, 11, 27, 18, 0, tzinfo=TZ)  # a Friday evening
    assert when_words(datetime(2026, 11, 27, 19, 30, tzinfo=TZ), now, "en") == "19:30"
    assert when_words(datetime(2026, 11, 28, 9, 0, tzinfo=TZ), now, "en") == "tomorrow 09:00"
    assert when_words(datetime(2026, 11, 30, 9, 0, tzinfo=TZ), now, "en") == "Monday 30 November, 09:00"
    assert when_words(datetime(2026, 11, 30, 9, 0, tzinfo=TZ), now, "zh-Hant") == "11月30日（星期一）09:00"
    assert when_words(datetime(2026, 11, 28, 9, 0, tzinfo=TZ), now, "zh-Hans") == "明天 09:00"


@pytest.fixture
def kiosk_at(qapp, qtbot, tmp_path, config):
    made = []

    def make(ts: float, lang: str = "en") -> KioskScreen:
        hall = build_hall(
            config, f"sqlite:///{tmp_path / f'q{len(made)}.sqlite3'}", SimulatedClock(ts), tmp_path / "tickets"
        )
        backend = LocalBackend(hall.engine, hall.printer)
        w = KioskScreen(backend, lang)
        qtbot.addWidget(w)
        w.resize(1080, 1920)
        w.show()
        qtbot.waitUntil(lambda: w.state is not None, timeout=5000)
        made.append((hall, backend))
        return w

    yield make
    for hall, backend in made:
        backend.close()
        hall.close()


def test_before_opening_on_a_business_day_the_kiosk_says_when_it_opens(kiosk_at):
    w = kiosk_at(local_ts(2026, 11, 25, 8, 10))  # Wednesday, 08:10
    assert w.pages.currentWidget() is w.closed_page
    assert w.closed_title.text() == "Good morning! We open at 09:00"
    assert "Goodbye" not in w.closed_thanks.text() and "closed" not in w.closed_title.text().lower()


def test_after_closing_the_kiosk_says_closed_for_today_and_when_it_opens_again(kiosk_at):
    w = kiosk_at(local_ts(2026, 11, 25, 18, 30), "zh-Hant")  # Wednesday evening
    assert w.closed_title.text() == "很抱歉，今天的服務時間已結束"
    assert "下次辦理時間：明天 09:00" in w.closed_detail.text()


def test_on_a_weekend_the_next_opening_is_a_weekday_in_words(kiosk_at):
    w = kiosk_at(local_ts(2026, 11, 28, 10, 0))  # Saturday
    assert w.closed_title.text() == "Sorry, we are closed today"
    assert "Next opening: Monday 30 November, 09:00" in w.closed_detail.text()


def test_a_kiosk_left_on_overnight_says_good_morning_to_the_early_customer(kiosk_at, qtbot):
    w = kiosk_at(local_ts(2026, 11, 25, 17, 0))  # Wednesday, closing time
    qtbot.waitUntil(lambda: w.closed_title.text() == "Sorry, we are closed for today", timeout=5000)
    w.backend.engine.clock.set(local_ts(2026, 11, 26, 8, 30))  # nobody touched it all night
    w.refresh()  # what its clock timer does every 30 s
    qtbot.waitUntil(lambda: w.closed_title.text() == "Good morning! We open at 09:00", timeout=5000)
    assert "Goodbye" not in w.closed_thanks.text()
