"""The follow-up board in the manager view: every matter promised a reply, overdue ones first
in red, then those still within their time, then the replied ones (seed 001: 限時回覆, 回覆率
100 %). A manager selects one and records the reply: by whom (the manager signed in), how,
and a note. The board reloads itself when any follow-up changes, from any counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import KioskConfig
from kiosk.report_text import REPLY_METHODS
from ui.i18n import t
from ui.refusals import refusal_text
from ui.screen_backend import ScreenBackend
from ui.theme import RED

COLUMNS = ("Number", "Category", "Counter", "Due", "State", "Note", "Contact", "Replied")
METHODS = REPLY_METHODS  # how a customer was answered (kiosk/report_text.py: every view offers the same)


class FollowUpBoard(QWidget):
    def __init__(self, backend: ScreenBackend, lang: str, replied_by: Callable[[], str]):
        super().__init__()
        self.backend = backend
        self.config: KioskConfig = backend.config
        self.lang = lang
        self.replied_by = replied_by  # () -> the name of the manager who opened the view
        self.items: list[dict[str, Any]] = []
        col = QVBoxLayout(self)
        self.summary = QLabel()
        col.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # the note takes the width left and wraps: the board never scrolls sideways
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Note"), QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        col.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.method = QComboBox()
        for code, words in METHODS:
            self.method.addItem(t(words), code)
        self.note = QLineEdit(maxLength=500, placeholderText=t("What the customer was told"))
        self.reply_button = QPushButton(t("Mark replied"))
        self.reply_button.clicked.connect(self.reply_selected)
        # the reply did not settle it: open again, due anew from now
        self.reopen_button = QPushButton(t("Reopen"))
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.message = QLabel()
        row.addWidget(QLabel(t("Reply")))
        row.addWidget(self.method)
        row.addWidget(self.note, 2)
        row.addWidget(self.reply_button)
        row.addWidget(self.reopen_button)
        row.addWidget(self.message, 1)
        col.addLayout(row)

    def reload(self) -> None:
        self.backend.follow_ups(self._loaded, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.setText(refusal_text(error, self.lang, self.config))

    def _loaded(self, items: list[dict[str, Any]]) -> None:
        now = self.backend.now()
        self.items = sorted(items, key=lambda f: (_rank(f, now), f["due_at"]))
        tz = self.backend.tz
        self.table.setRowCount(len(self.items))
        overdue = 0
        for r, f in enumerate(self.items):
            late = _rank(f, now) == 0
            overdue += late
            state = t("overdue") if late else t("open") if f["state"] == "open" else t("replied")
            if f["state"] == "replied" and f.get("replied_at") and f["replied_at"] > f["due_at"]:
                state += " " + t("(late)")
            replied = ""
            if f["state"] == "replied":
                how = dict(METHODS).get(f.get("reply_method") or "", "")
                replied = f"{f.get('replied_by') or ''} {t(how) if how else ''} {_when(f.get('replied_at'), tz)}"
            cells = (
                f["number"] + (" ⚑" if f["complaint"] else ""),
                self.config.category_name(f["category"], self.lang),
                self.config.counter_name(f["owner_counter_id"], self.lang),
                _when(f["due_at"], tz),
                state,
                f["note"],
                f.get("contact") or "",
                replied.strip(),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if late:
                    item.setForeground(QColor(RED))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        open_now = sum(f["state"] == "open" for f in self.items)
        self.summary.setText(
            f"{t('Awaiting a reply')}: {open_now}   {t('Overdue')}: {overdue}   "
            f"{t('Replied')}: {len(self.items) - open_now}"
        )

    def reply_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items) or self.items[row]["state"] != "open":
            self.message.setText(t("Select an open follow-up first"))
            return
        if not self.note.text().strip():  # the queue refuses an empty reply: say so before asking it
            self.message.setText(t("Say in the note what the customer was told."))
            return
        self.reply(self.items[row]["id"], self.method.currentData(), self.note.text().strip())

    def reopen_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items) or self.items[row]["state"] != "replied":
            self.message.setText(t("Select a replied follow-up first"))
            return
        reason = self.note.text().strip()
        if not reason:
            self.message.setText(t("Say in the note why it is opened again"))
            return
        self.reopen(self.items[row]["id"], reason)

    def reopen(self, follow_up_id: int, reason: str) -> None:
        def done(_result: Any) -> None:
            self.message.setText(t("Opened again"))
            self.note.clear()
            self.reload()

        self.backend.reopen_follow_up(follow_up_id, reason, done, self._failed)

    def reply(self, follow_up_id: int, method: str, note: str) -> None:
        def done(_result: Any) -> None:
            self.message.setText(t("Reply recorded"))
            self.note.clear()
            self.reload()

        self.backend.reply_follow_up(follow_up_id, self.replied_by(), method, note, done, self._failed)


def _rank(f: dict[str, Any], now: float) -> int:
    """0 overdue, 1 open within its time, 2 replied."""
    if f["state"] != "open":
        return 2
    return 0 if f["due_at"] < now else 1


def _when(ts: float | None, tz: Any) -> str:
    return "" if ts is None else f"{datetime.fromtimestamp(ts, tz):%m-%d %H:%M}"
