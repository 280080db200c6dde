"""One language per screen: what the queue refuses, the manager's log, its CSV and the panel's
pause dialog all speak the screen's language."""

from __future__ import annotations

import csv
import io
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.compose import build_hall
from kiosk.reports import log_rows, to_csv

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import pytest  # noqa: E402

from ui.backend import LocalBackend  # noqa: E402
from ui.counter_panel import CounterPanel  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.manager_view import ManagerView  # noqa: E402
from ui.touch_dialogs import PauseDialog  # noqa: E402


@pytest.fixture
def hall(qapp, tmp_path, config, clock):
    h = build_hall(config, f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, tmp_path / "tickets")
    yield h
    h.close()
    install_language("en")


@pytest.fixture
def backend(hall):
    b = LocalBackend(hall.engine, hall.printer)
    yield b
    b.close()


def test_a_refusal_reaches_a_chinese_panel_in_chinese_with_the_service_name(qtbot, backend, hall):
    install_language("zh-Hant")
    hall.engine.issue("general")
    p = CounterPanel(backend, 1, "zh-Hant")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    hall.engine.call_next(1)
    p.press("transfer", "general")  # already there
    qtbot.waitUntil(lambda: p.message.text() != "", timeout=5000)
    assert p.message.text() == "號碼 A001 已在「一般業務」。"
    assert "general" not in p.message.text()


def test_the_english_manager_view_shows_english_service_names(qtbot, backend, hall):
    hall.engine.issue("payment")
    m = ManagerView(backend, "en")
    qtbot.addWidget(m)
    m.show()
    m.pin.setText(hall.engine.config.site.staff_pin)
    m.unlock()
    qtbot.waitUntil(lambda: m.table.rowCount() == 1, timeout=5000)
    assert m.table.item(0, 1).text() == "Payments"


def test_the_csv_speaks_the_managers_language(hall):
    hall.engine.issue("payment", priority=True)
    for lang, heading, service, yes in (("zh-Hant", "號碼", "繳費", "是"), ("en", "Number", "Payments", "yes")):
        text = to_csv(log_rows(hall.engine.store, hall.engine.config, lang=lang), lang)
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert heading in rows[0] and rows[0]["業務" if lang != "en" else "Service"] == service
        assert rows[0]["優先" if lang != "en" else "Priority"] == yes
        assert "True" not in text and "False" not in text


def test_the_pause_dialog_is_in_the_panels_language_and_gives_the_reasons_code(qtbot, hall):
    install_language("zh-Hans")
    d = PauseDialog(None, "zh-Hans", hall.engine.config.pause_reasons)
    qtbot.addWidget(d)
    assert d.reason.itemText(0) == "午餐休息" and d.minutes.checkedButton().text() == "15 分钟"
    texts = {b.text() for b in d.findChildren(QPushButton)}
    assert "暂停" in texts and "取消" in texts and not texts & {"OK", "Cancel"}  # never Qt's English
    assert d.values() == ("lunch", 15)
    d.reason.setEditText("看牙医")
    assert d.values() == ("看牙医", 15)


def test_space_on_the_focused_no_show_button_marks_the_no_show_and_calls_nobody(qtbot, backend, hall):
    for _ in range(2):
        hall.engine.issue("general")
    p = CounterPanel(backend, 1, "en")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    p.press("call_next")
    qtbot.waitUntil(lambda: p.number.text() == "A001" and p.buttons["no_show"].isEnabled(), timeout=5000)
    p.buttons["no_show"].setFocus()
    qtbot.keyClick(p, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: hall.engine.ticket(1).state.value == "no_show", timeout=5000)
    qtbot.wait(300)
    assert hall.engine.ticket(2).state.value == "waiting"  # nobody else was called


def test_a_sensor_fault_reaches_a_chinese_panel_in_chinese(qtbot, backend, hall):
    install_language("zh-Hant")
    p = CounterPanel(backend, 1, "zh-Hant")
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.state is not None, timeout=5000)
    hall.engine.device_alert("entrance radar", "fault", "no report for 12 s", kind="sensor")
    qtbot.waitUntil(lambda: p.device_banner.isVisible(), timeout=5000)
    assert "感應器 entrance radar" in p.alert.text() and "沒有回報" in p.alert.text()
    assert "no report" not in p.alert.text()
    hall.engine.device_alert("entrance radar", "recovered", "reports arrive again", kind="sensor")
    qtbot.waitUntil(lambda: not p.device_banner.isVisible(), timeout=5000)
