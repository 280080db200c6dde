"""The touch kiosk at the entrance: pick a service, get a number.

Start page: welcome, one large button per service (a closed one says when it opens), the
priority option, the language switch. After a tap: the number at once, "printing…", then
"please take your ticket". If the printer fails, the ticket is shown on screen with its QR
code and an apology; staff are alerted by the print service. After closing time: a polite
closed message with the opening hours. Every page returns to the start after idle time.
Locked down: full screen, no way out without the staff PIN (five taps on the top-left corner).
"""
from __future__ import annotations

import io
import math
from datetime import datetime

import qrcode
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton,
                               QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from kiosk.devices import PrintOutcome
from kiosk.domain import IssueResult
from kiosk.phrases import phrase
from kiosk.ticket_doc import status_url, wait_line
from ui.backend import HallState, LocalBackend
from ui.i18n import LANGUAGE_LABELS
from ui.theme import GOLD, NAVY, WHITE, font, min_touch_px

IDLE_START_S = 45        # the priority choice is forgotten after this long untouched
IDLE_RESULT_S = 20       # a shown number goes back to the start after this long
IDLE_PROBLEM_S = 60      # longer when the ticket is only on screen: time to note it or scan
IDLE_SLEEP_S = 300       # nobody around this long: a calm screen; it wakes when someone approaches


def qr_pixmap(url: str, size: int) -> QPixmap:
    img = qrcode.make(url, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pm = QPixmap()
    pm.loadFromData(buf.getvalue(), "PNG")
    return pm.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class ServiceButton(QPushButton):
    def __init__(self, code: str):
        super().__init__()
        self.code = code
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)


class KioskScreen(QWidget):
    def __init__(self, backend: LocalBackend, lang: str | None = None):
        super().__init__()
        self.backend = backend
        self.config = backend.config
        self.lang = lang or self.config.site.language
        self.state: HallState | None = None
        self.last_result: IssueResult | None = None
        self.last_print: PrintOutcome | None = None
        self.busy = False
        self._locked = False
        self._corner_taps: list[float] = []
        self.setWindowTitle("Ticket kiosk")
        self.setStyleSheet(f"KioskScreen {{ background: {WHITE}; }}")

        self.pages = QStackedWidget()
        self.start_page, self.result_page, self.closed_page = QWidget(), QWidget(), QWidget()
        self.sleep_page = QWidget(objectName="sleep")
        for p in (self.start_page, self.result_page, self.closed_page, self.sleep_page):
            self.pages.addWidget(p)
        self._build_header()
        self._build_start()
        self._build_result()
        self._build_closed()
        self._build_sleep()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.header)
        outer.addWidget(self.pages, 1)

        self.idle = QTimer(self, singleShot=True, timeout=self.back_to_start)
        self.sleep_timer = QTimer(self, singleShot=True, timeout=self.go_to_sleep)
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)
        self.refresh_timer = QTimer(self, singleShot=True, interval=250, timeout=self.refresh)
        self.clock_timer = QTimer(self, interval=30_000, timeout=self.refresh)
        self.clock_timer.start()
        backend.event.connect(self._on_event)
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------ building
    def _build_header(self) -> None:
        self.header = QWidget(objectName="header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header.setStyleSheet(
            f"QWidget#header {{ background: {NAVY}; }}"
            f"QPushButton {{ background: {WHITE}; color: {NAVY}; border: 3px solid {WHITE}; }}"
            f"QPushButton:checked {{ background: {GOLD}; color: {NAVY}; border-color: {GOLD}; }}")
        row = QHBoxLayout(self.header)
        self.corner = QLabel()                   # staff exit: five taps here, then the PIN
        self.corner.setFixedSize(80, 80)
        self.corner.installEventFilter(self)
        self.site_label = QLabel()
        self.site_label.setStyleSheet(f"color: {WHITE};")
        row.addWidget(self.corner)
        row.addWidget(self.site_label, 1)
        self.lang_buttons: dict[str, QPushButton] = {}
        for code, label in LANGUAGE_LABELS.items():
            b = QPushButton(label)
            b.setCheckable(True)
            b.setMinimumHeight(min_touch_px(self))
            b.setFont(font(code, 22, True))
            b.clicked.connect(lambda _=False, c=code: self.set_language(c))
            self.lang_buttons[code] = b
            row.addWidget(b)

    def _build_start(self) -> None:
        col = QVBoxLayout(self.start_page)
        col.setContentsMargins(40, 24, 40, 24)
        self.welcome = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.choose = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        self.service_buttons: dict[str, ServiceButton] = {}
        for i, svc in enumerate(self.config.services):
            b = ServiceButton(svc.code)
            b.clicked.connect(lambda _=False, c=svc.code: self.take_ticket(c))
            self.service_buttons[svc.code] = b
            columns = 1 if len(self.config.services) <= 4 else 2
            self.grid.addWidget(b, i // columns, i % columns)
        self.priority = QPushButton()
        self.priority.setCheckable(True)
        self.priority.toggled.connect(self._priority_toggled)
        self.offline = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.offline.setStyleSheet("background: #fff3cd; color: #7a4b00; padding: 8px;")
        self.offline.hide()
        col.addWidget(self.welcome)
        col.addWidget(self.choose)
        col.addLayout(self.grid, 1)
        col.addWidget(self.priority)
        col.addWidget(self.offline)

    def _build_result(self) -> None:
        col = QVBoxLayout(self.result_page)
        col.setContentsMargins(40, 24, 40, 24)
        self.your_number = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet(f"color: {NAVY};")
        self.service_line = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.ahead = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.wait = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.hide()
        self.done = QPushButton()
        self.done.clicked.connect(self.back_to_start)
        self.print_again = QPushButton()          # offered when the ticket did not come out
        self.print_again.clicked.connect(self.retry_print)
        self.print_again.hide()
        for w in (self.your_number, self.number, self.service_line, self.ahead, self.wait, self.status, self.qr):
            col.addWidget(w)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_again)
        buttons.addWidget(self.done)
        col.addLayout(buttons)

    def _build_closed(self) -> None:
        col = QVBoxLayout(self.closed_page)
        col.setContentsMargins(40, 60, 40, 40)
        self.closed_title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.closed_title.setWordWrap(True)
        self.closed_detail = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.closed_detail.setWordWrap(True)
        self.closed_thanks = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.closed_back = QPushButton()
        self.closed_back.clicked.connect(self.back_to_start)
        col.addStretch(1)
        for w in (self.closed_title, self.closed_detail, self.closed_thanks):
            col.addWidget(w)
        col.addStretch(1)
        col.addWidget(self.closed_back)

    def _build_sleep(self) -> None:
        self.sleep_page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.sleep_page.setStyleSheet(f"QWidget#sleep {{ background: {NAVY}; }} QLabel {{ color: {WHITE}; }}")
        col = QVBoxLayout(self.sleep_page)
        self.sleep_welcome = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.sleep_touch = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        col.addStretch(1)
        col.addWidget(self.sleep_welcome)
        col.addWidget(self.sleep_touch)
        col.addStretch(1)
        self.sleep_page.installEventFilter(self)

    def go_to_sleep(self) -> None:
        if self.pages.currentWidget() is self.start_page and not self.busy:
            self.pages.setCurrentWidget(self.sleep_page)

    def wake(self) -> None:
        """Someone approaches (a greet alert) or touches the screen: the start page, ready."""
        if self.pages.currentWidget() is self.sleep_page:
            self.pages.setCurrentWidget(self.start_page)
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)

    @property
    def asleep(self) -> bool:
        return self.pages.currentWidget() is self.sleep_page

    # ------------------------------------------------------------ language
    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self._touch()

    def retranslate(self) -> None:
        lang = self.lang
        touch = min_touch_px(self)
        for code, b in self.lang_buttons.items():
            b.setChecked(code == lang)
        self.site_label.setText(self.config.site.name[lang])
        self.site_label.setFont(font(lang, 30, True))
        self.welcome.setText(phrase("welcome", lang))
        self.welcome.setFont(font(lang, 56, True))
        self.choose.setText(phrase("choose_service", lang))
        self.choose.setFont(font(lang, 30))
        self.priority.setText("♿  " + phrase("priority_option", lang))
        self.priority.setFont(font(lang, 28, True))
        self.priority.setMinimumHeight(max(touch, 90))
        for b in (self.done, self.closed_back, self.print_again):
            b.setText(phrase("print_again" if b is self.print_again else "back", lang))
            b.setFont(font(lang, 28, True))
            b.setMinimumHeight(max(touch, 80))
        self.sleep_welcome.setText(phrase("welcome", lang))
        self.sleep_welcome.setFont(font(lang, 64, True))
        self.sleep_touch.setText(phrase("touch_to_start", lang))
        self.sleep_touch.setFont(font(lang, 34))
        self.your_number.setText(phrase("your_number", lang))
        self.your_number.setFont(font(lang, 36))
        self.number.setFont(font("en", 200, True))
        for w, size in ((self.service_line, 34), (self.ahead, 40), (self.wait, 40), (self.status, 32)):
            w.setFont(font(lang, size, w is not self.wait))
        for w, size in ((self.closed_title, 48), (self.closed_detail, 34), (self.closed_thanks, 34)):
            w.setFont(font(lang, size, w is self.closed_title))
        self._render_services()
        if self.pages.currentWidget() is self.result_page and self.last_result:
            self._show_result(self.last_result, self.last_print)
        elif self.pages.currentWidget() is self.closed_page:
            self._show_closed(self.last_result)

    # ------------------------------------------------------------ state
    def _on_event(self, ev) -> None:
        if ev.kind == "greet_alert":
            self.wake()
        if ev.kind in ("ticket_issued", "ticket_called", "ticket_finished", "ticket_no_show", "ticket_transferred",
                       "counter_paused", "counter_resumed", "counter_opened", "day_closed"):
            self.refresh_timer.start()          # coalesce bursts into one read

    def refresh(self) -> None:
        self.backend.hall_state(self._apply_state, self._offline)

    def _apply_state(self, state: HallState) -> None:
        self.state = state
        self.offline.hide()
        self._render_services()
        if not state.site_open and self.pages.currentWidget() is self.start_page and not self.busy:
            self._show_closed(None)
        elif state.site_open and self.pages.currentWidget() is self.closed_page and self.last_result is None:
            self.pages.setCurrentWidget(self.start_page)

    def _offline(self, error: Exception) -> None:
        self.offline.setText(phrase("please_wait", self.lang))
        self.offline.show()

    def _render_services(self) -> None:
        status = {s.code: s for s in self.state.services} if self.state else {}
        lang = self.lang
        for svc in self.config.services:
            b = self.service_buttons[svc.code]
            s = status.get(svc.code)
            name = svc.names[lang]
            if s is None:
                detail, enabled = "", False
            elif not s.open_now:
                when = datetime.fromtimestamp(s.next_open, self.backend.tz) if s.next_open else None
                detail = phrase("service_closed", lang) + (
                    "\n" + phrase("opens_at", lang, when=f"{when:%m-%d %H:%M}") if when else "")
                enabled = False
            else:
                minutes = None if s.estimated_wait_s is None else max(1, math.ceil(s.estimated_wait_s / 60))
                if s.waiting == 0 and s.estimated_wait_s is not None and s.estimated_wait_s < 60:
                    detail = phrase("no_wait", lang)
                elif minutes is not None:
                    detail = phrase("queue_line", lang, n=s.waiting, minutes=minutes)
                else:
                    detail = phrase("queue_line_unknown", lang, n=s.waiting)
                enabled = True
            b.setText(f"{name}\n{detail}")
            b.setFont(font(lang, 40 if enabled else 30, True))
            b.setEnabled(enabled and not self.busy)
            b.setMinimumHeight(max(min_touch_px(self), 150))
            b.setStyleSheet(f"QPushButton {{ background: {NAVY}; color: {WHITE}; border: 4px solid {GOLD}; }}"
                            if enabled else "")

    # ------------------------------------------------------------ taking a ticket
    def take_ticket(self, service: str) -> None:
        if self.busy:
            return                     # one tap, one ticket: a second tap while issuing is ignored
        self.busy = True
        self._render_services()
        self.last_result, self.last_print = None, None
        self.number.setText("")
        self.status.setText(phrase("please_wait", self.lang))
        self.pages.setCurrentWidget(self.result_page)
        self.backend.issue(service, self.priority.isChecked(), self._issued, self._issue_failed, lang=self.lang)

    def _issued(self, result: IssueResult) -> None:
        self.last_result = result
        if result.ticket is None:
            self.busy = False
            self._show_closed(result)
            return
        self._show_result(result, None)
        self.backend.print_ticket(result.ticket, self.lang, result.ahead, result.estimated_wait_s, self._printed)

    def _issue_failed(self, error: Exception) -> None:
        self.busy = False
        self.status.setText(phrase("please_wait", self.lang))
        self.pages.setCurrentWidget(self.start_page)
        self._offline(error)
        self._render_services()

    def retry_print(self) -> None:
        """The customer (or staff beside them) asks for the ticket again once the printer works."""
        r = self.last_result
        if self.busy or r is None or r.ticket is None:
            return
        self.busy = True
        self.idle.stop()
        self._show_result(r, None)
        self.backend.print_ticket(r.ticket, self.lang, r.ahead, r.estimated_wait_s, self._printed, reprint=True)

    def _printed(self, outcome: PrintOutcome | None) -> None:
        self.busy = False
        self.last_print = outcome
        self._render_services()
        if self.last_result is not None:
            self._show_result(self.last_result, outcome)

    def _show_result(self, result: IssueResult, outcome: PrintOutcome | None) -> None:
        lang, t = self.lang, result.ticket
        self.pages.setCurrentWidget(self.result_page)
        self.number.setText(t.number)
        svc = next(s for s in self.config.services if s.code == t.service)
        self.service_line.setText(svc.names[lang] + (f" · {phrase('priority_mark', lang)}" if t.priority else ""))
        self.ahead.setText(phrase("ahead", lang, n=result.ahead))
        self.wait.setText(wait_line(result.estimated_wait_s, lang))
        printing = self.busy
        problem = outcome is not None and not outcome.printed
        if printing:
            self.status.setText(phrase("printing", lang))
            self.status.setStyleSheet("")
        elif problem:
            self.status.setText(phrase("printer_problem", lang))
            self.status.setStyleSheet("background: #fff3cd; color: #7a4b00; padding: 12px;")
        else:
            self.status.setText(phrase("take_ticket", lang) + "\n" + phrase("please_watch", lang))
            self.status.setStyleSheet("")
        self.print_again.setVisible(problem)
        self.qr.setVisible(problem or outcome is None and not printing)
        if self.qr.isVisible():
            self.qr.setPixmap(qr_pixmap(status_url(self.config.site.public_url, t), 260))
        if not printing:
            self.idle.start((IDLE_PROBLEM_S if problem else IDLE_RESULT_S) * 1000)

    def _show_closed(self, result: IssueResult | None) -> None:
        lang = self.lang
        self.pages.setCurrentWidget(self.closed_page)
        site_closed = self.state is not None and not self.state.site_open
        self.closed_title.setText(phrase("closed" if site_closed or result is None else "service_closed", lang))
        hours = self.config.site.hours
        hours_text = ", ".join(f"{a}-{b}" for a, b in hours.hours)
        nxt = (result.next_open if result else None) or (self.state.next_open if self.state else None)
        lines = [phrase("hours_line", lang, hours=hours_text)]
        if nxt:
            lines.append(phrase("opens_at", lang, when=f"{datetime.fromtimestamp(nxt, self.backend.tz):%Y-%m-%d %H:%M}"))
        self.closed_detail.setText("\n".join(lines))
        self.closed_thanks.setText(phrase("thanks", lang) + "，" + phrase("goodbye", lang) if lang != "en"
                                   else phrase("thanks", lang) + ". " + phrase("goodbye", lang))
        if result is not None:
            self.idle.start(IDLE_RESULT_S * 1000)

    def back_to_start(self) -> None:
        if self.busy:
            return
        self.last_result, self.last_print = None, None
        self.priority.setChecked(False)
        if self.lang != self.config.site.language:
            self.set_language(self.config.site.language)
        if self.state is not None and not self.state.site_open:
            self._show_closed(None)
        else:
            self.pages.setCurrentWidget(self.start_page)
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)

    def _priority_toggled(self, on: bool) -> None:
        self.priority.setStyleSheet(f"background: {GOLD}; border: 4px solid {NAVY};" if on else "")
        self._touch()

    def _touch(self) -> None:
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)
        if self.pages.currentWidget() is self.start_page:
            self.idle.start(IDLE_START_S * 1000)

    # ------------------------------------------------------------ locked down
    def lock_down(self) -> None:
        self._locked = True
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._locked:
            event.ignore()             # Alt+F4 and friends: the kiosk stays
        else:
            event.accept()

    def keyPressEvent(self, event) -> None:
        if self._locked:
            return                     # no keyboard shortcuts out of the kiosk
        super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.sleep_page and event.type() == QEvent.Type.MouseButtonPress:
            self.wake()
            return True
        if obj is self.corner and event.type() == QEvent.Type.MouseButtonPress:
            now = datetime.now().timestamp()
            self._corner_taps = [t for t in self._corner_taps if now - t < 3] + [now]
            if len(self._corner_taps) >= 5:
                self._corner_taps.clear()
                self.ask_pin()
            return True
        return super().eventFilter(obj, event)

    def ask_pin(self) -> None:
        pin, ok = QInputDialog.getText(self, "Staff", "PIN", QLineEdit.EchoMode.Password)
        if ok and self.unlock(pin):
            self.close()

    def unlock(self, pin: str) -> bool:
        if pin == self.config.site.staff_pin:
            self._locked = False
            return True
        return False
