"""The touch kiosk at the entrance: pick a service, get a number.

Start page: welcome, one large button per service (a closed one says when it opens), the
priority option, the language switch. After a tap: the number at once, "printing…", then
"please take your ticket". If the printer fails, the ticket is shown on screen with its QR
code and an apology; staff are alerted by the print service. After closing time: a polite
closed message with the opening hours. Every page returns to the start after idle time.
Locked down: full screen, no way out without the staff PIN (five taps on the top-left corner).

"I have an appointment" (config [appointments] at_kiosk): the booking's reference on a large
keypad, or read by a USB barcode/QR scanner, which types like a keyboard and ends with Enter (a
scan on the start page opens the check-in by itself). Checked in, the customer gets a ticket that
says the appointment's time; too early, they are told when to come back; too late, they are
offered a normal ticket for the booked service.
"""

from __future__ import annotations

import io
import math
from datetime import datetime

import qrcode
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.devices import PrintOutcome
from kiosk.domain import IssueResult
from kiosk.engine import HallState
from kiosk.engine.appointments import CheckIn
from kiosk.phrases import phrase, when_words
from kiosk.ticket_doc import mark_line, quoted_range, status_url, wait_line
from ui.fit import FitButton, FitLabel
from ui.i18n import LANGUAGE_LABELS
from ui.pin_pad import PinDialog, PinGuard
from ui.screen_backend import ScreenBackend
from ui.theme import GOLD, NAVY, WHITE, min_touch_px

IDLE_START_S = 45  # the priority choice is forgotten after this long untouched
IDLE_RESULT_S = 20  # a shown number goes back to the start after this long
IDLE_PROBLEM_S = 60  # longer when the ticket is only on screen: time to note it or scan
IDLE_CHECK_IN_S = 60  # a half-typed reference is forgotten after this long untouched
MAX_REFERENCE = 16
IDLE_SLEEP_S = 300  # nobody around this long: a calm screen; it wakes when someone approaches


def qr_pixmap(url: str, size: int) -> QPixmap:
    """The code drawn with whole pixels per module, centred on white: a scaled image has
    modules of uneven width, which phone cameras (and OpenCV) misread about 1 time in 100."""
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules_count + 2 * code.border
    code.box_size = max(1, size // modules)
    buf = io.BytesIO()
    code.make_image().save(buf, format="PNG")
    drawn = QPixmap()
    drawn.loadFromData(buf.getvalue(), "PNG")
    if drawn.width() > size:  # too small a label for one pixel a module: shrink (rare, tiny screens)
        return drawn.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.white)
    painter = QPainter(pm)
    painter.drawPixmap((size - drawn.width()) // 2, (size - drawn.height()) // 2, drawn)
    painter.end()
    return pm


class ServiceButton(FitButton):
    def __init__(self, code: str):
        super().__init__()
        self.code = code


class KioskScreen(QWidget):
    def __init__(self, backend: ScreenBackend, lang: str | None = None):
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
        self.pin_guard = PinGuard(self.config.site.staff_pin)
        self.setWindowTitle("Ticket kiosk")
        self.setStyleSheet(f"KioskScreen {{ background: {WHITE}; }}")

        self.pages = QStackedWidget()
        self.start_page, self.result_page, self.closed_page = QWidget(), QWidget(), QWidget()
        self.sleep_page = QWidget(objectName="sleep")
        self.check_in_page = QWidget()
        self.reference = ""  # typed or scanned so far
        self.late_service: str | None = None  # too late: the normal ticket offered is for this service
        for p in (self.start_page, self.result_page, self.closed_page, self.sleep_page, self.check_in_page):
            self.pages.addWidget(p)
        self._build_header()
        self._build_start()
        self._build_result()
        self._build_closed()
        self._build_sleep()
        self._build_check_in()
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
            f"QPushButton:checked {{ background: {GOLD}; color: {NAVY}; border-color: {GOLD}; }}"
        )
        row = QHBoxLayout(self.header)
        row.setContentsMargins(0, 4, 8, 4)
        self.corner = QLabel()  # staff exit: five taps here, then the PIN
        self.corner.setFixedWidth(56)
        self.corner.installEventFilter(self)
        self.site_label = FitLabel(bold=True)
        self.site_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.site_label.setStyleSheet(f"color: {WHITE};")
        row.addWidget(self.corner)
        row.addWidget(self.site_label, 3)
        self.lang_buttons: dict[str, FitButton] = {}
        for code, label in LANGUAGE_LABELS.items():
            b = FitButton(label, code)
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, c=code: self.set_language(c))
            self.lang_buttons[code] = b
            row.addWidget(b, 1)

    def _build_start(self) -> None:
        self.start_col = col = QVBoxLayout(self.start_page)
        self.welcome = FitLabel(bold=True)
        self.choose = FitLabel()
        self.grid = QGridLayout()
        self.service_buttons: dict[str, ServiceButton] = {}
        for svc in self.config.services:
            b = ServiceButton(svc.code)
            b.clicked.connect(lambda _=False, c=svc.code: self.take_ticket(c))
            self.service_buttons[svc.code] = b
        self._columns = 0
        self.priority = FitButton()
        self.priority.setCheckable(True)
        self.priority.toggled.connect(self._priority_toggled)
        self.offline = FitLabel(wrap=True)
        self.offline.setStyleSheet("background: #fff3cd; color: #7a4b00;")
        self.offline.hide()
        self.appointment = FitButton()  # "I have an appointment": beside the priority option
        self.appointment.clicked.connect(lambda: self.open_check_in())
        self.appointment.setVisible(self.config.appointments.at_kiosk)
        col.addWidget(self.welcome, 10)
        # above the services: a customer who needs help chooses it before tapping a service
        options = QHBoxLayout()
        options.addWidget(self.priority, 1)
        options.addWidget(self.appointment, 1)
        col.addLayout(options, 12)
        col.addWidget(self.choose, 10)
        col.addLayout(self.grid, 60)
        col.addWidget(self.offline, 10)

    def _place_services(self, columns: int) -> None:
        """Service buttons in a grid that reflows: side by side on a wide screen, stacked on a tall one."""
        if columns == self._columns:
            return
        self._columns = columns
        for b in self.service_buttons.values():
            self.grid.removeWidget(b)
        for i, b in enumerate(self.service_buttons.values()):
            self.grid.addWidget(b, i // columns, i % columns)

    def _build_result(self) -> None:
        self.result_col = col = QVBoxLayout(self.result_page)
        self.your_number = FitLabel()
        self.number = FitLabel("en", bold=True)
        self.number.setStyleSheet(f"color: {NAVY};")
        self.service_line = FitLabel(bold=True)
        self.ahead = FitLabel(bold=True)
        self.wait = FitLabel()
        self.status = FitLabel(wrap=True)
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.hide()
        info = QVBoxLayout()
        info.setSpacing(0)
        for w, stretch in (
            (self.your_number, 6),
            (self.number, 18),
            (self.service_line, 8),
            (self.ahead, 8),
            (self.wait, 8),
            (self.status, 16),
        ):
            info.addWidget(w, stretch)
        # the ticket beside its QR code on a wide screen, above it on a tall one
        self.result_body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.result_body.addLayout(info, 3)
        self.result_body.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        col.addLayout(self.result_body, 1)
        self.done = FitButton()
        self.done.clicked.connect(self.back_to_start)
        self.print_again = FitButton()  # offered when the ticket did not come out
        self.print_again.clicked.connect(self.retry_print)
        self.print_again.hide()
        self.result_buttons = QHBoxLayout()
        self.result_buttons.addWidget(self.print_again)
        self.result_buttons.addWidget(self.done)
        col.addLayout(self.result_buttons)

    def _build_closed(self) -> None:
        self.closed_col = col = QVBoxLayout(self.closed_page)
        self.closed_title = FitLabel(bold=True, wrap=True)
        self.closed_detail = FitLabel(wrap=True)
        self.closed_thanks = FitLabel(wrap=True)
        self.closed_back = FitButton()
        self.closed_back.clicked.connect(self.back_to_start)
        col.addWidget(self.closed_title, 3)
        col.addWidget(self.closed_detail, 3)
        col.addWidget(self.closed_thanks, 2)
        col.addWidget(self.closed_back)

    def _build_check_in(self) -> None:
        self.check_in_col = col = QVBoxLayout(self.check_in_page)
        self.ref_prompt = FitLabel(wrap=True)
        self.ref_entry = FitLabel("en", bold=True)
        self.ref_entry.setStyleSheet(f"color: {NAVY}; background: #eef2f8; border: 3px solid {NAVY};")
        self.ref_message = FitLabel(wrap=True)
        self.keypad = QGridLayout()
        self.keys: dict[str, FitButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"]):
            b = FitButton()
            b.clicked.connect(lambda _=False, k=key: self._key(k))
            self.keys[key] = b
            self.keypad.addWidget(b, i // 3, i % 3)
        self.keys["ok"].setStyleSheet(f"QPushButton {{ background: {NAVY}; color: {WHITE}; }}")
        self.ref_back = FitButton()
        self.ref_back.clicked.connect(self.back_to_start)
        self.walk_in = FitButton()  # too late: a normal ticket for the booked service
        self.walk_in.clicked.connect(self._take_walk_in)
        self.walk_in.setStyleSheet(f"QPushButton {{ background: {NAVY}; color: {WHITE}; }}")
        self.walk_in.hide()
        bottom = QVBoxLayout()  # one above the other: a service's name is long in English
        bottom.addWidget(self.walk_in)
        bottom.addWidget(self.ref_back)
        said = QVBoxLayout()
        said.addWidget(self.ref_prompt, 3)
        said.addWidget(self.ref_entry, 3)
        said.addWidget(self.ref_message, 4)
        said.addLayout(bottom)
        # what was typed beside the keypad on a wide screen (a 7-inch panel has no height to
        # spare), above it on a tall one
        self.check_in_body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.check_in_body.addLayout(said, 1)
        self.check_in_body.addLayout(self.keypad, 1)
        col.addLayout(self.check_in_body, 1)

    def _build_sleep(self) -> None:
        self.sleep_page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.sleep_page.setStyleSheet(f"QWidget#sleep {{ background: {NAVY}; }} QLabel {{ color: {WHITE}; }}")
        col = QVBoxLayout(self.sleep_page)
        self.sleep_welcome = FitLabel(bold=True)
        self.sleep_touch = FitLabel()
        col.addStretch(2)
        col.addWidget(self.sleep_welcome, 3)
        col.addWidget(self.sleep_touch, 2)
        col.addStretch(2)
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
        for code, b in self.lang_buttons.items():
            b.setChecked(code == lang)
        self.site_label.setText(self.config.site.name[lang])
        self.welcome.setText(phrase("welcome", lang))
        self.choose.setText(phrase("choose_service", lang))
        self.priority.setText(("✓  " if self.priority.isChecked() else "♿  ") + phrase("priority_option", lang))
        self.done.setText(phrase("back", lang))
        self.closed_back.setText(phrase("back", lang))
        self.print_again.setText(phrase("print_again", lang))
        self.sleep_welcome.setText(phrase("welcome", lang))
        self.sleep_touch.setText(phrase("touch_to_start", lang))
        self.your_number.setText(phrase("your_number", lang))
        self.appointment.setText(phrase("have_appointment", lang))  # (no emoji: the kiosk fonts have none)
        self.ref_prompt.setText(phrase("enter_reference", lang))
        self.ref_back.setText(phrase("back", lang))
        for k, b in self.keys.items():
            b.setText({"del": "⌫ " + phrase("delete_digit", lang), "ok": phrase("check_in", lang)}.get(k, k))
        self._fit()
        self._render_services()
        if self.pages.currentWidget() is self.result_page and self.last_result:
            self._show_result(self.last_result, self.last_print)
        elif self.pages.currentWidget() is self.closed_page:
            self._show_closed(self.last_result)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Sizes from the screen: the reference designs are 1600x900 and 1080x1920; a 7-inch
        800x480 panel gets the same page at half the type, with finger-sized buttons. The
        layout's stretch factors share out the height; each text then fits its share."""
        w, h = self.width(), self.height()
        wide = w > h
        s = min(w / 1600, h / 900) if wide else min(w / 1080, h / 1920)
        touch = min_touch_px(self)
        lang = self.lang

        def px(base: float) -> int:
            return max(14, round(base * s))

        self.header.setFixedHeight(max(touch + 8, px(110)))
        self.site_label.configure(lang, px(44), True)
        for code, b in self.lang_buttons.items():
            b.configure(code, px(32), touch)
        margin, gap = max(8, px(40)), max(8, px(24))
        for col in (self.start_col, self.result_col, self.closed_col, self.check_in_col):
            col.setContentsMargins(margin, gap, margin, gap)
            col.setSpacing(gap)
        self.grid.setSpacing(gap)
        self._place_services(
            (2 if len(self.service_buttons) <= 4 else 3) if wide else (1 if len(self.service_buttons) <= 4 else 2)
        )
        self.welcome.configure(lang, px(84), True)
        self.choose.configure(lang, px(44))
        for b in self.service_buttons.values():
            b.configure(lang, px(56), max(touch, px(120)))
        self.priority.configure(lang, px(40), max(touch, px(100)))
        self.appointment.configure(lang, px(40), max(touch, px(100)))
        self.ref_prompt.configure(lang, px(44))
        self.ref_entry.configure("en", px(90), True)
        self.ref_message.configure(lang, px(40))
        self.keypad.setSpacing(gap)
        self.check_in_body.setSpacing(gap)
        self.check_in_body.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        self.ref_entry.setMinimumHeight(max(touch, px(120)))
        for k, b in self.keys.items():
            b.configure("en" if k.isdigit() else lang, px(64 if k.isdigit() else 40), max(touch, px(96)))
        for b in (self.ref_back, self.walk_in):
            b.configure(lang, px(40), max(touch, px(100)))
        self.offline.configure(lang, px(36))
        # result page: the ticket and its QR code side by side on a wide screen
        self.result_body.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        # big enough to scan from the screen: 41 % of the short side (where the page has room)
        room = h - self.header.height() - max(touch, px(100)) - 4 * gap
        self.qr_side = max(1, min(round(0.41 * min(w, h)), room if wide else round(0.45 * room)))
        self.qr.setFixedSize(self.qr_side, self.qr_side)
        self.your_number.configure(lang, px(48))
        self.number.configure("en", px(260), True)
        for label, base in ((self.service_line, 48), (self.ahead, 56), (self.wait, 50), (self.status, 44)):
            label.configure(lang, px(base))
        for b in (self.done, self.print_again, self.closed_back):
            b.configure(lang, px(40), max(touch, px(100)))
        for label, base in ((self.closed_title, 64), (self.closed_detail, 44), (self.closed_thanks, 44)):
            label.configure(lang, px(base))
        self.sleep_welcome.configure(lang, px(96), True)
        self.sleep_touch.configure(lang, px(52))

    # ------------------------------------------------------------ state
    def _on_event(self, ev) -> None:
        if ev.kind == "greet_alert":
            self.wake()
        if ev.kind in (
            "ticket_issued",
            "ticket_called",
            "ticket_finished",
            "ticket_no_show",
            "ticket_transferred",
            "counter_paused",
            "counter_resumed",
            "counter_opened",
            "day_closed",
            "reset",
        ):
            self.refresh_timer.start()  # coalesce bursts into one read

    def refresh(self) -> None:
        self.backend.hall_state(self._apply_state, self._offline)

    def _apply_state(self, state: HallState) -> None:
        self.state = state
        self.offline.hide()
        self._render_services()
        closed_page_up = self.pages.currentWidget() is self.closed_page and self.last_result is None
        if not state.site_open and (self.pages.currentWidget() is self.start_page and not self.busy or closed_page_up):
            # drawn again at every refresh: a kiosk left on overnight greets the 08:30 customer
            # with "Good morning, we open at 09:00", not last night's "closed for today"
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
                now = datetime.fromtimestamp(self.backend.now(), self.backend.tz)
                detail = phrase("service_closed", lang) + (
                    "\n" + phrase("opens_at", lang, when=when_words(when, now, lang)) if when else ""
                )
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
            b.setEnabled(enabled and not self.busy)
            b.setStyleSheet(
                f"QPushButton {{ background: {NAVY}; color: {WHITE}; border: 4px solid {GOLD}; }}" if enabled else ""
            )

    # ------------------------------------------------------------ taking a ticket
    def take_ticket(self, service: str) -> None:
        if self.busy:
            return  # one tap, one ticket: a second tap while issuing is ignored
        self.busy = True
        self._render_services()
        self.last_result, self.last_print = None, None
        self.number.setText("")
        self.status.setText(phrase("please_wait", self.lang))
        self.done.setEnabled(False)  # until the ticket is out (see _show_result)
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
        """No number could be given (the queue is unreachable, the disk is full): say so in the
        customer's language and send them to a person; staff hear of it."""
        self.busy = False
        self.last_result = None
        for w in (self.number, self.service_line, self.ahead, self.wait):
            w.setText("")
        self.your_number.setText("")
        self.status.setText(phrase("issue_failed", self.lang))
        self.status.setStyleSheet("background: #fde2e2; color: #7a0010;")
        self.qr.hide()
        self.print_again.hide()
        self.done.setEnabled(True)
        self.pages.setCurrentWidget(self.result_page)
        self.idle.start(IDLE_RESULT_S * 1000)
        self._offline(error)
        self._render_services()
        self.backend.report_problem("kiosk", "error", f"could not issue a ticket: {' '.join(str(error).split())}"[:300])

    def retry_print(self) -> None:
        """The customer (or staff beside them) asks for the ticket again once the printer works."""
        r = self.last_result
        if self.busy or r is None or r.ticket is None:
            return
        self.busy = True
        self.idle.stop()
        self._show_result(r, None)
        self.backend.print_again(r.ticket, self.lang, r.ahead, r.estimated_wait_s, self._printed)

    def _printed(self, outcome: PrintOutcome | None) -> None:
        self.busy = False
        self.last_print = outcome
        self._render_services()
        if self.last_result is not None:
            self._show_result(self.last_result, outcome)

    def _show_result(self, result: IssueResult, outcome: PrintOutcome | None) -> None:
        lang, t = self.lang, result.ticket
        assert t is not None  # only an issued ticket is shown
        self.pages.setCurrentWidget(self.result_page)
        self.your_number.setText(phrase("your_number", lang))
        self.number.setText(t.number)
        svc = next(s for s in self.config.services if s.code == t.service)
        mark = mark_line(t, lang, self.backend.tz)  # priority, or the appointment's time
        self.service_line.setText(svc.names[lang] + (f" · {mark}" if mark else ""))
        self.ahead.setText(phrase("ahead", lang, n=result.ahead))
        self.wait.setText(wait_line(result.estimated_wait_s, lang, *quoted_range(t, result.estimated_wait_s)))
        printing = self.busy
        problem = outcome is not None and not outcome.printed
        if printing:
            self.status.setText(phrase("printing", lang))
            self.status.setStyleSheet("")
        elif problem:
            self.status.setText(phrase("printer_problem", lang))
            self.status.setStyleSheet("background: #fff3cd; color: #7a4b00;")
        else:
            self.status.setText(phrase("take_ticket", lang) + "\n" + phrase("please_watch", lang))
            self.status.setStyleSheet("")
        self.print_again.setVisible(problem)
        # greyed while the ticket prints: a tap there did nothing, so a customer tapped again
        # and again; it comes back with the outcome (a problem needs the customer to see it)
        self.done.setEnabled(not printing)
        self.qr.setVisible(problem or outcome is None and not printing)
        if self.qr.isVisible():
            self.qr.setPixmap(qr_pixmap(status_url(self.config.site.public_url, t), self.qr_side))
        if not printing:
            self.idle.start((IDLE_PROBLEM_S if problem else IDLE_RESULT_S) * 1000)

    # ------------------------------------------------------------ an appointment
    def open_check_in(self) -> None:
        if self.busy:
            return
        self.reference, self.late_service = "", None
        self.walk_in.hide()
        self._show_reference("")
        self.pages.setCurrentWidget(self.check_in_page)
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)
        self.idle.start(IDLE_CHECK_IN_S * 1000)

    def _type(self, text: str) -> None:
        """A scanner may send a confirmation's whole QR text ("APPT:123456"): the engine keeps
        what follows its last ':' or '='; the screen shows it as it comes."""
        if len(self.reference) < 40:
            self.reference += text
        self._show_reference("")
        self.idle.start(IDLE_CHECK_IN_S * 1000)

    def _key(self, key: str) -> None:
        if self.busy:
            return
        self.idle.start(IDLE_CHECK_IN_S * 1000)
        if key == "del":
            self.reference = self.reference[:-1]
        elif key == "ok":
            if self.reference.strip():
                self._check_in()
            return
        elif len(self.reference) < MAX_REFERENCE:
            self.reference += key
        self.walk_in.hide()
        self._show_reference("")

    def _show_reference(self, message: str, problem: bool = False) -> None:
        shown = self.reference.rsplit(":", 1)[-1].rsplit("=", 1)[-1]
        self.ref_entry.setText(shown or " ")
        self.ref_message.setText(message)
        self.ref_message.setStyleSheet("background: #fff3cd; color: #7a4b00;" if problem else "")
        self.keys["ok"].setEnabled(bool(shown.strip()) and not self.busy)

    def _check_in(self) -> None:
        self.busy = True
        self.keys["ok"].setEnabled(False)
        self.ref_message.setText(phrase("please_wait", self.lang))
        self.backend.check_in(self.reference, self._checked_in, self._check_in_failed, lang=self.lang)

    def _checked_in(self, done: CheckIn) -> None:
        self.busy = False
        result, lang = done.result, self.lang
        if result.ticket is not None:
            self.reference = ""
            self.last_result = result
            if done.again:  # checked in before: the same number, shown, not printed twice
                self._show_result(result, None)
                self.status.setText(phrase("already_checked_in", lang))
                self.idle.start(IDLE_RESULT_S * 1000)
                return
            self.busy = True
            self._show_result(result, None)
            self.backend.print_ticket(result.ticket, lang, result.ahead, result.estimated_wait_s, self._printed)
            return
        booked = done.appointment or {}
        when = datetime.fromtimestamp(booked["at"], self.backend.tz) if booked.get("at") else None
        at = f"{when:%H:%M}" if when else ""
        if result.refused == "too_early" and result.next_open:
            opens = datetime.fromtimestamp(result.next_open, self.backend.tz)
            message = phrase("appointment_too_early", lang, time=at, opens=f"{opens:%H:%M}")
        elif result.refused == "too_late":
            message = phrase("appointment_too_late", lang, time=at)
            svc = next((s for s in self.config.services if s.code == booked.get("service")), None)
            if svc is not None:
                self.late_service = svc.code
                self.walk_in.setText(phrase("take_normal_ticket", lang, service=svc.names[lang]))
                self.walk_in.show()
        elif result.refused == "cancelled":
            message = phrase("appointment_cancelled", lang)
        elif result.refused == "other_day" and when is not None:
            now = datetime.fromtimestamp(self.backend.now(), self.backend.tz)
            message = phrase("appointment_other_day", lang, date=when_words(when, now, lang))
        else:
            message = phrase("reference_not_found", lang)
        self.reference = ""
        self._show_reference(message, problem=True)
        self.idle.start(IDLE_CHECK_IN_S * 1000)

    def _check_in_failed(self, error: Exception) -> None:
        self.busy = False
        self._show_reference(phrase("issue_failed", self.lang), problem=True)
        self._offline(error)

    def _take_walk_in(self) -> None:
        if self.late_service is not None:
            self.take_ticket(self.late_service)

    def _show_closed(self, result: IssueResult | None) -> None:
        """Closed: before opening on a business day, "we open at 09:00" (nobody is sent away);
        otherwise closed today with the next opening in words. A service that is closed while
        the hall is open says when that service opens."""
        lang = self.lang
        self.pages.setCurrentWidget(self.closed_page)
        now = datetime.fromtimestamp(self.backend.now(), self.backend.tz)
        site_closed = self.state is not None and not self.state.site_open
        nxt_ts = (result.next_open if result else None) or (self.state.next_open if self.state else None)
        nxt = datetime.fromtimestamp(nxt_ts, self.backend.tz) if nxt_ts else None
        hours = self.config.site.hours
        hours_line = phrase("hours_line", lang, hours=", ".join(f"{a}-{b}" for a, b in hours.hours))
        if result is not None and not site_closed:
            title = phrase("service_closed", lang)
            detail = [phrase("opens_at", lang, when=when_words(nxt, now, lang))] if nxt else []
            closing = phrase("thanks", lang)
        elif nxt is not None and nxt.date() == now.date():
            title = phrase("opens_today", lang, time=f"{nxt:%H:%M}")
            detail, closing = [hours_line], phrase("come_back_then", lang)
        else:
            title = phrase("closed" if self._opened_today(now) else "closed_today", lang)
            detail = [hours_line] + ([phrase("opens_at", lang, when=when_words(nxt, now, lang))] if nxt else [])
            closing = phrase("thanks", lang) + ("，" if lang != "en" else ". ") + phrase("goodbye", lang)
        self.closed_title.setText(title)
        self.closed_detail.setText("\n".join(detail))
        self.closed_thanks.setText(closing)
        if result is not None:
            self.idle.start(IDLE_RESULT_S * 1000)

    def _opened_today(self, now: datetime) -> bool:
        """Did the hall open earlier today (so "closed for today" is true)?"""
        cal = self.config.site.hours.calendar()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        first = cal.next_opening(midnight) if not cal.is_open(midnight) else midnight
        return first is not None and first.date() == now.date() and first <= now

    def back_to_start(self) -> None:
        if self.busy:
            return
        self.last_result, self.last_print = None, None
        self.priority.setChecked(False)
        self.reference, self.late_service = "", None
        if self.lang != self.config.site.language:
            self.set_language(self.config.site.language)
        if self.state is not None and not self.state.site_open:
            self._show_closed(None)
        else:
            self.pages.setCurrentWidget(self.start_page)
        self.sleep_timer.start(IDLE_SLEEP_S * 1000)

    def _priority_toggled(self, on: bool) -> None:
        self.priority.setStyleSheet(f"background: {GOLD}; border: 4px solid {NAVY};" if on else "")
        mark = "✓" if on else "♿"  # chosen or not, in a glance and without colour
        self.priority.setText(f"{mark}  {phrase('priority_option', self.lang)}")
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
            event.ignore()  # Alt+F4 and friends: the kiosk stays
        else:
            event.accept()

    def keyPressEvent(self, event) -> None:
        # a scanner types the reference and Enter: on the start page it opens the check-in
        if self._reference_key(event):
            return
        if self._locked:
            return  # no keyboard shortcuts out of the kiosk
        super().keyPressEvent(event)

    def _reference_key(self, event) -> bool:
        if not self.config.appointments.at_kiosk or self.busy:
            return False
        page = self.pages.currentWidget()
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if page is self.check_in_page:
                self._key("ok")
                return True
            return False
        if event.key() == Qt.Key.Key_Backspace and page is self.check_in_page:
            self._key("del")
            return True
        if len(text) != 1 or not text.isprintable() or text.isspace():
            return False
        if page in (self.start_page, self.sleep_page):
            self.open_check_in()
        if self.pages.currentWidget() is not self.check_in_page:
            return False
        self._type(text)
        return True

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
        """The staff PIN on a large keypad (no keyboard at a kiosk); leaving closes the kiosk."""
        self.pin_dialog = PinDialog(self, self.pin_guard, self.config.site.language)
        self.pin_dialog.accepted.connect(self._staff_leaves)
        self.pin_dialog.open()

    def _staff_leaves(self) -> None:
        self._locked = False
        self.close()

    def unlock(self, pin: str) -> bool:
        if self.pin_guard.check(pin):
            self._locked = False
            return True
        return False
