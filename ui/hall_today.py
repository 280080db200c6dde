"""The manager's hall for today: which services each counter serves (changed at peak times, from
the counter's next call, kept across restarts), who is signed in where, and closing the day,
which asks first and which the queue refuses with the numbers still open: the last customer is
always served."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.config import KioskConfig
from ui.i18n import t
from ui.refusals import refusal_text
from ui.screen_backend import ScreenBackend
from ui.theme import min_touch_px


class HallToday(QWidget):
    def __init__(self, backend: ScreenBackend, lang: str, changed_by: Callable[[], str]):
        super().__init__()
        self.backend = backend
        self.config: KioskConfig = backend.config
        self.lang = lang
        self.changed_by = changed_by  # () -> the manager's name, for the event
        col = QVBoxLayout(self)
        grid = QGridLayout()
        grid.addWidget(QLabel(t("Counter")), 0, 0)
        grid.addWidget(QLabel(t("Signed in")), 0, 1)
        for j, s in enumerate(self.config.services):
            grid.addWidget(QLabel(s.names[lang]), 0, 2 + j)
        self.boxes: dict[int, dict[str, QCheckBox]] = {}
        self.people: dict[int, QLabel] = {}
        self.apply_buttons: dict[int, QPushButton] = {}
        for i, c in enumerate(self.config.counters, start=1):
            grid.addWidget(QLabel(c.name_in(lang)), i, 0)
            self.people[c.id] = QLabel("–")
            grid.addWidget(self.people[c.id], i, 1)
            self.boxes[c.id] = {}
            for j, s in enumerate(self.config.services):
                box = QCheckBox()
                box.setChecked(s.code in c.services)
                grid.addWidget(box, i, 2 + j)
                self.boxes[c.id][s.code] = box
            button = QPushButton(t("Apply"))
            button.clicked.connect(lambda _=False, cid=c.id: self.apply(cid))
            grid.addWidget(button, i, 2 + len(self.config.services))
            self.apply_buttons[c.id] = button
        col.addLayout(grid)
        row = QHBoxLayout()
        self.close_button = QPushButton(t("Close the day"))
        self.close_button.clicked.connect(self.ask_close_day)
        row.addWidget(self.close_button)
        row.addStretch(1)
        col.addLayout(row)
        # one tap on "Close the day" at 11:00 would sign every clerk out: it asks first, in the page
        # (a touch-sized question, not a mouse-sized dialog)
        self.confirm = QWidget()
        ask = QHBoxLayout(self.confirm)
        ask.setContentsMargins(0, 0, 0, 0)
        self.confirm_text = QLabel(
            t("Close the day now? Every counter closes and everyone signed in is signed out."), wordWrap=True
        )
        self.confirm_yes = QPushButton(t("Yes, close the day"))
        self.confirm_yes.clicked.connect(self.close_day)
        self.confirm_no = QPushButton(t("Keep the day open"))
        self.confirm_no.clicked.connect(self.confirm.hide)
        ask.addWidget(self.confirm_text, 1)
        ask.addWidget(self.confirm_yes)
        ask.addWidget(self.confirm_no)
        self.confirm.hide()
        col.addWidget(self.confirm)
        # a finger, not a mouse: every button and box at least 15 mm
        touch = min_touch_px(self)
        for button in (*self.apply_buttons.values(), self.close_button, self.confirm_yes, self.confirm_no):
            button.setMinimumHeight(touch)
        self.setStyleSheet(f"QCheckBox::indicator {{ width: {touch * 2 // 3}px; height: {touch * 2 // 3}px; }}")
        self.message = QLabel(wordWrap=True)
        col.addWidget(self.message)
        col.addStretch(1)

    def reload(self) -> None:
        self.backend.hall_state(self._loaded, self._failed)

    def _loaded(self, state: Any) -> None:
        for c in state.counters:
            if c.id in self.boxes:
                for code, box in self.boxes[c.id].items():
                    box.setChecked(code in c.services)
                self.people[c.id].setText(c.staff_name or "–")

    def _failed(self, error: Exception) -> None:
        self.message.setText(refusal_text(error, self.lang, self.config))

    def apply(self, counter_id: int) -> None:
        services = [code for code, box in self.boxes[counter_id].items() if box.isChecked()]

        def done(status: Any) -> None:
            names = ", ".join(s.names[self.lang] for s in self.config.services if s.code in status.services)
            self.message.setText(
                f"{self.config.counter_name(counter_id, self.lang)}: {names} ({t('from its next call')})"
            )
            self.reload()

        def refused(error: Exception) -> None:
            self._failed(error)
            self.reload()  # the boxes show what the counter really serves

        self.backend.set_counter_services(counter_id, services, self.changed_by(), done, refused)

    def ask_close_day(self) -> None:
        self.message.clear()
        self.confirm.show()

    def close_day(self) -> None:
        self.confirm.hide()
        self.backend.close_day(
            lambda d: self.message.setText(f"{t('The day is closed')}: {d['business_day']}"), self._failed
        )
