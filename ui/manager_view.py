"""The manager view, behind a manager's own PIN (the shared staff PIN only where no staff are
configured): the waiting-time log with filters, the period's figures (visits by category, the
follow-ups' reply rate, per person), mean wait by hour of issue as a chart, CSV export (opens in
Excel with Chinese intact) and a daily PDF report written with Qt's own PDF writer; the
follow-up board (ui/follow_up_board.py); today's counters and closing the day
(ui/hall_today.py). Overdue follow-ups and complaints show as a banner even before the PIN."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QEvent, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.report import Report, report_from
from kiosk.report_text import LOG_COLUMNS, figure_cells, greeting_cells, target_of
from kiosk.reports import Figures, LogFilter, to_csv
from ui.follow_up_board import FollowUpBoard
from ui.hall_today import HallToday
from ui.i18n import t
from ui.pin_pad import PinPad, QueuePinCheck
from ui.report_pdf import draw_hour_chart, write_report_pdf
from ui.screen_backend import ScreenBackend
from ui.theme import RED, font

IDLE_LOCK_S = 300  # untouched this long, the manager view asks for the PIN again


class HourChart(QWidget):
    """Bars of mean wait per hour of issue; a dashed line at the longest service target."""

    def __init__(self):
        super().__init__()
        self.by_hour: list[Figures] = []
        self.target_min: float | None = None
        # the log below is what a manager reads row by row: the chart takes a strip, not half the page
        self.setMinimumHeight(140)
        self.setMaximumHeight(200)

    def set_data(self, by_hour: list[Figures], target_min: float | None) -> None:
        self.by_hour, self.target_min = by_hour, target_min
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        self.draw(p, QRectF(self.rect()))
        p.end()

    def draw(self, p: QPainter, area: QRectF) -> None:
        draw_hour_chart(p, area, self.by_hour, self.target_min)


class ManagerView(QWidget):
    def __init__(self, backend: ScreenBackend, lang: str | None = None):
        super().__init__()
        self.backend = backend
        self.config = backend.config
        self.lang = lang or self.config.site.language
        self.report = report_from([], {}, {}, self.config, LogFilter(), lang=self.lang)  # until the first read
        self.rows: list[dict] = []
        self.by_hour: list[Figures] = []
        self.setWindowTitle(t("Manager view"))
        self.pin_guard = QueuePinCheck(backend.check_manager_pin)
        self.idle_lock = QTimer(self, singleShot=True, interval=IDLE_LOCK_S * 1000, timeout=self.lock)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._pin_page())
        self.pages.addWidget(self._main_page())
        # An unanswered greeting escalates to the manager too: shown even before the PIN.
        self.escalation = QLabel(t("Nobody has greeted the customer at the door yet"))
        self.escalation.setStyleSheet(f"background: {RED}; color: white; padding: 10px;")
        self.escalation.setFont(font(self.config.site.language, 22, True))
        self.escalation.hide()
        self._escalated: set[int] = set()
        # complaints and overdue follow-ups reach the manager (seed 001: 投訴, 限時回覆)
        self.follow_up_alert = QLabel()
        self.follow_up_alert.setStyleSheet("background: #ffbf00; color: black; padding: 10px;")
        self.follow_up_alert.setFont(font(self.config.site.language, 20, True))
        self.follow_up_alert.setWordWrap(True)
        self.follow_up_alert.hide()
        self._follow_up_news: dict[int, str] = {}
        col = QVBoxLayout(self)
        col.addWidget(self.escalation)
        col.addWidget(self.follow_up_alert)
        col.addWidget(self.pages)
        for w in self.findChildren(QWidget):  # any touch or key on this view counts as use
            w.installEventFilter(self)
        backend.event.connect(self._on_event)
        backend.follow_ups(self._overdue_at_start, lambda e: None)

    def _overdue_at_start(self, items: list) -> None:
        """Follow-ups already overdue when the view opens are news too, not only new alerts."""
        now = self.backend.now()
        for fu in items:
            if fu["state"] == "open" and fu["due_at"] < now:
                self._follow_up_news.setdefault(fu["id"], t("Follow-up overdue: {n}").replace("{n}", fu["number"]))
        self.follow_up_alert.setText("  ·  ".join(self._follow_up_news.values()))
        self.follow_up_alert.setVisible(bool(self._follow_up_news))

    def _on_event(self, ev) -> None:
        if ev.kind == "greet_escalated" and ev.data.get("manager"):
            self._escalated.add(ev.data["alert_id"])
        elif ev.kind == "greet_confirmed":
            self._escalated.discard(ev.data["alert_id"])
        elif ev.kind.startswith("follow_up_"):
            self._follow_up_event(ev)
        self.escalation.setVisible(bool(self._escalated))

    def _follow_up_event(self, ev) -> None:
        fu = ev.data["follow_up"]
        if ev.kind == "follow_up_overdue":
            self._follow_up_news[fu["id"]] = t("Follow-up overdue: {n}").replace("{n}", fu["number"])
        elif ev.kind in ("follow_up_opened", "follow_up_reopened") and ev.data.get("manager"):
            self._follow_up_news[fu["id"]] = t("Complaint: {n}").replace("{n}", fu["number"])
        elif ev.kind == "follow_up_replied":
            self._follow_up_news.pop(fu["id"], None)
        self.follow_up_alert.setText("  ·  ".join(self._follow_up_news.values()))
        self.follow_up_alert.setVisible(bool(self._follow_up_news))
        if self.unlocked:
            self.board.reload()

    # ------------------------------------------------------------ PIN
    def _pin_page(self) -> QWidget:
        page = QWidget()
        col = QHBoxLayout(page)
        self.pin_pad = PinPad(self.pin_guard, self.lang, "Manager PIN" if self.config.staff else "Staff PIN")
        self.pin_pad.accepted.connect(self._opened)
        self.pin = self.pin_pad.entry  # typing works too, on a PC with a keyboard
        self.pin_error = self.pin_pad.message
        self.unlock_button = self.pin_pad.keys["ok"]
        col.addStretch(1)
        col.addWidget(self.pin_pad, 2)
        col.addStretch(1)
        return page

    def unlock(self) -> None:
        self.pin_pad.submit()

    def _opened(self) -> None:
        self.pages.setCurrentIndex(1)
        self.idle_lock.start()
        self.reload()
        self.board.reload()
        self.hall.reload()

    def manager_name(self) -> str:
        """Who opened the view: their name with personal PINs, else "manager"."""
        return self.pin_guard.who or "manager"

    def lock(self) -> None:
        """Back to the PIN: a manager who walked away leaves no log open on the screen."""
        self.idle_lock.stop()
        self.pages.setCurrentIndex(0)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel) and self.unlocked:
            self.idle_lock.start()  # in use: the idle time starts again
        return False

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    # ------------------------------------------------------------ main
    def _main_page(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._log_page(), t("Waiting-time log"))
        self.board = FollowUpBoard(self.backend, self.lang, self.manager_name)
        self.tabs.addTab(self.board, t("Follow-ups"))
        self.hall = HallToday(self.backend, self.lang, self.manager_name)
        self.tabs.addTab(self.hall, t("Counters today"))
        self.tabs.currentChanged.connect(self._tab_shown)
        return self.tabs

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.board:
            self.board.reload()
        elif self.tabs.widget(index) is self.hall:
            self.hall.reload()

    def _log_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        filters = QHBoxLayout()
        today = QDate.fromString(self._today().isoformat(), Qt.DateFormat.ISODate)
        self.day_from = QDateEdit(today, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.day_to = QDateEdit(today, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.service = QComboBox()
        self.service.addItem(t("All"), None)
        for s in self.config.services:
            self.service.addItem(s.names[self.config.site.language], s.code)
        self.counter = QComboBox()
        self.counter.addItem(t("All"), None)
        for c in self.config.counters:
            self.counter.addItem(c.name_in(self.lang), c.id)
        self.number = QLineEdit(placeholderText="A012", maxLength=12)
        self.show_button = QPushButton(t("Show"))
        self.show_button.clicked.connect(self.reload)
        for label, w in (
            (t("From"), self.day_from),
            (t("To"), self.day_to),
            (t("Service"), self.service),
            (t("Counter"), self.counter),
            (t("Number"), self.number),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addWidget(self.show_button)
        col.addLayout(filters)

        self.figure_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (key, _) in enumerate(figure_cells(self.report, t)):  # the figures every view shows
            name, value = QLabel(t(key)), QLabel("–")
            name.setWordWrap(True)
            value.setFont(font(self.config.site.language, 22, True))
            grid.addWidget(name, (i // 8) * 2, i % 8)
            grid.addWidget(value, (i // 8) * 2 + 1, i % 8)
            self.figure_labels[key] = value
        col.addLayout(grid)
        self.greet_row = QWidget()
        greet = QGridLayout(self.greet_row)
        greet.setContentsMargins(0, 0, 0, 0)
        self.greet_labels: dict[str, QLabel] = {}
        for i, (key, _) in enumerate(greeting_cells(self.report, t)):
            name, value = QLabel(t(key)), QLabel("–")
            value.setFont(font(self.config.site.language, 22, True))
            greet.addWidget(name, 0, i)
            greet.addWidget(value, 1, i)
            self.greet_labels[key] = value
        self.greet_row.setVisible(bool(self.config.sensors))
        col.addWidget(self.greet_row)
        self.chart = HourChart()
        col.addWidget(self.chart)
        self.table = QTableWidget(0, len(LOG_COLUMNS))
        self.table.setHorizontalHeaderLabels([t(h) for _, h in LOG_COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        col.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.csv_button = QPushButton(t("Export CSV…"))
        self.csv_button.clicked.connect(lambda: self._save_as("csv"))
        self.pdf_button = QPushButton(t("Daily PDF report…"))
        self.pdf_button.clicked.connect(lambda: self._save_as("pdf"))
        self.reprint_button = QPushButton(t("Reprint selected ticket"))
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.saved = QLabel()
        for w in (self.csv_button, self.pdf_button, self.reprint_button, self.saved):
            actions.addWidget(w)
        actions.addStretch(1)
        col.addLayout(actions)
        return page

    def _today(self) -> date:
        return datetime.fromtimestamp(self.backend.now(), self.backend.tz).date()

    def current_filter(self) -> LogFilter:
        return LogFilter(
            self.day_from.date().toString(Qt.DateFormat.ISODate),
            self.day_to.date().toString(Qt.DateFormat.ISODate),
            self.service.currentData(),
            self.counter.currentData(),
            self.number.text().strip() or None,
        )

    def reload(self) -> None:
        self.backend.read_log(self.current_filter(), self._loaded, self._failed, self.lang)

    def _failed(self, error: Exception) -> None:
        self.saved.setText(str(getattr(error, "message", error)))

    def _loaded(self, report: Report) -> None:
        self.report = report
        self.rows, self.by_hour = report.rows, report.by_hour
        if report.greetings["arrivals"]:
            self.greet_row.show()
        for key, text in greeting_cells(report, t):
            self.greet_labels[key].setText(text)
        for key, text in figure_cells(report, t):
            self.figure_labels[key].setText(text)
        self.chart.set_data(self.by_hour, target_of(self.config, self.service.currentData()))
        self._service_names = {s.code: s.names[self.lang] for s in self.config.services}
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, (key, _) in enumerate(LOG_COLUMNS):
                v = row[key]
                if v is None:
                    text = ""
                elif key.endswith("_at"):
                    text = v[11:16]  # HH:MM, local
                elif key == "wait_min":
                    text = f"{v:.1f}"
                elif key == "state":
                    text = t(v)
                elif key == "service_name":
                    text = self._service_names.get(row["service"], v)
                else:
                    text = str(v)
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def reprint_selected(self) -> None:
        """Print the selected ticket again on the kiosk that issued it (today's tickets only)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.saved.setText(t("Select a ticket in the log first"))
            return
        number = self.rows[row]["number"]
        if self.rows[row]["business_day"] != self._today().isoformat():
            self.saved.setText(t("Only today's tickets can be reprinted"))
            return

        def printing(tk) -> None:
            self.saved.setText(t("Ticket {n} is printing again at the kiosk").replace("{n}", tk.number))
            self.reload()

        self.backend.reprint(
            number,
            "manager",
            printing,
            self._failed,
        )

    # ------------------------------------------------------------ export
    def _save_as(self, kind: str) -> None:
        suggested = f"waiting-times-{self.current_filter().day_from}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "", suggested, f"{kind.upper()} (*.{kind})")
        if path:
            (self.export_csv if kind == "csv" else self.export_pdf)(path)

    def export_csv(self, path: str) -> None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(to_csv(self.rows, self.lang))
        self.saved.setText(f"{t('Saved')}: {path}")

    def export_pdf(self, path: str) -> None:
        """A daily report: the figures, the chart, and the tables by service, counter and person."""
        write_report_pdf(self.report, self.config, self.lang, path)
        self.saved.setText(f"{t('Saved')}: {path}")
