"""The counter panel: what a clerk sees and presses all day.

The current customer and how long they waited; how many wait per service; call next (button,
F1 or Space, or the wired button), recall, start, finish, no-show, transfer, pause with a reason
and expected return, resume. Device problems (printer out of paper) show as a banner. If the
engine cannot be reached the panel says so in red and keeps working as soon as it is back;
a press is never lost silently: it either shows its result or why it failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import LOCAL_KIOSK
from kiosk.domain import CounterState, Event, Ticket, TicketState, number_as_shown
from kiosk.engine import HallState
from kiosk.phrases import phrase
from ui.fit import FitButton, FitLabel
from ui.i18n import t
from ui.refusals import refusal_text
from ui.screen_backend import ScreenBackend
from ui.theme import AMBER, GREEN, NAVY, RED, WHITE, font, min_touch_px
from ui.touch_dialogs import (
    BookingDialog,
    ContactDialog,
    FollowUpDialog,
    NumberDialog,
    PauseDialog,
    SignInDialog,
    TouchDialog,
)


class CounterPanel(QWidget):
    def __init__(self, backend: ScreenBackend, counter_id: int, lang: str | None = None):
        super().__init__()
        self.backend = backend
        self.config = backend.config
        self.counter_id = counter_id
        self.info = backend.counter_info[counter_id]
        self.lang = lang or self.config.site.language
        self.state: HallState | None = None
        self.current: Ticket | None = None
        self.pending = 0  # presses on their way
        self.setWindowTitle(self.config.counter_name(counter_id, self.lang))
        self._build()
        self.refresh_timer = QTimer(self, singleShot=True, interval=150, timeout=self.refresh)
        self.tick = QTimer(self, interval=1000, timeout=self._update_waited)
        self.tick.start()
        backend.event.connect(self._on_event)
        backend.online.connect(self._online)
        self.refresh()
        QTimer.singleShot(800, self._prepare_chime)

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        """Banners across the top; the customer and the queue on the left, the buttons on the
        right, so a 1366x768 laptop shows everything at once with every banner up."""
        lang = self.lang
        touch = min_touch_px(self)
        col = QVBoxLayout(self)
        col.setSpacing(6)
        head = QHBoxLayout()
        self.title = FitLabel(lang, 30, bold=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.title.setText(self.config.counter_name(self.counter_id, lang))
        self.state_label = FitLabel(lang, 22, bold=True)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.title, 2)
        head.addWidget(self.state_label, 3)
        # who is at the counter (with staff configured, nobody calls without signing in)
        self.staff_button = FitButton(t("Sign in…"), lang, 18, min_px=touch)
        self.staff_button.clicked.connect(self.sign_in_or_out)
        self.staff_button.setVisible(bool(self.config.staff))
        head.addWidget(self.staff_button, 2)
        col.addLayout(head, 5)

        self.offline = QLabel(t("Cannot reach the queue. Your presses are not lost: try again in a moment."))
        self.offline.setStyleSheet(f"background: {RED}; color: {WHITE}; padding: 8px;")
        self.offline.setWordWrap(True)
        self.offline.hide()
        self._build_device_banner()
        col.addWidget(self.offline)
        col.addWidget(self.device_banner)
        col.addWidget(self._build_greet_banner())

        body = QHBoxLayout()
        left = QVBoxLayout()
        box = QWidget(objectName="current")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box.setStyleSheet(
            f"QWidget#current {{ background: {NAVY}; border-radius: 12px; }} QLabel {{ color: {WHITE}; }}"
        )
        cur = QVBoxLayout(box)
        self.current_caption = FitLabel(lang, 20)
        self.current_caption.setText(t("Current customer"))
        self.number = FitLabel("en", 110, bold=True)
        self.number.setText("—")
        self.detail = FitLabel(lang, 22, wrap=True)
        self.waited = FitLabel(lang, 22, bold=True, wrap=True)
        for w, stretch in ((self.current_caption, 3), (self.number, 10), (self.detail, 4), (self.waited, 4)):
            cur.addWidget(w, stretch)
        # what the visit is about, with the customer: the service's default preselected, so
        # Finish stays one tap; another category is one choice before it
        self.category = QComboBox()
        self.category.setFont(font(lang, 18))
        self.category.setMinimumHeight(touch)
        for cat in self.config.categories:
            self.category.addItem(f"{t('Category')}: {cat.names[lang]}", cat.code)

        left.addWidget(box, 5)
        left.addWidget(self.category)
        self.message = FitLabel(lang, 20, wrap=True)
        self.message.setStyleSheet("color: #7a0010;")
        left.addWidget(self.message, 1)
        self.waiting_label = FitLabel(lang, 20, bold=True)
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.waiting_label.setText(t("Waiting"))
        left.addWidget(self.waiting_label, 1)
        self.waiting_rows: dict[str, QLabel] = {}
        self.waiting_names: dict[str, QLabel] = {}
        waiting = QGridLayout()
        for i, svc in enumerate(self.config.services):
            name = FitLabel(lang, 20)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.waiting_names[svc.code] = name
            self._name_waiting_row(svc.code, self.info.services)
            count = FitLabel(lang, 22, bold=True)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setText("–")
            waiting.addWidget(name, i, 0)
            waiting.addWidget(count, i, 1)
            waiting.setColumnStretch(0, 5)
            waiting.setColumnStretch(1, 1)
            self.waiting_rows[svc.code] = count
        left.addLayout(waiting, len(self.config.services))
        body.addLayout(left, 1)

        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        specs = [
            ("call_next", t("Call next") + "  (F1)", 0, 0, 1, 2),
            ("recall", t("Recall") + "  (F2)", 1, 0, 1, 1),
            ("start", t("Start") + "  (F3)", 1, 1, 1, 1),
            ("finish", t("Finish") + "  (F4)", 2, 0, 1, 1),
            ("no_show", t("No-show") + "  (F5)", 2, 1, 1, 1),
            ("transfer", t("Transfer…"), 3, 0, 1, 1),
            ("pause", t("Pause…"), 3, 1, 1, 1),
            ("more", t("More…"), 4, 0, 1, 1),
            ("resume", t("Resume"), 4, 1, 1, 1),
            ("follow_up", t("Follow-up…"), 4, 1, 1, 1),  # the same place as Resume: never both at once
        ]
        for key, label, r, c, rs, cs in specs:
            b = FitButton(label, lang, 30 if key == "call_next" else 22, min_px=touch)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus if key != "call_next" else Qt.FocusPolicy.StrongFocus)
            self.buttons[key] = b
            grid.addWidget(b, r, c, rs, cs)
        for r, stretch in enumerate((3, 2, 2, 2, 2)):
            grid.setRowStretch(r, stretch)
        self.buttons["call_next"].setStyleSheet(
            f"QPushButton {{ background: {GREEN}; color: {WHITE}; }}QPushButton:disabled {{ background: #9bb8a4; }}"
        )
        self.buttons["call_next"].clicked.connect(lambda: self.press("call_next"))
        for key in ("recall", "start", "no_show", "resume"):
            self.buttons[key].clicked.connect(lambda _=False, k=key: self.press(k))
        self.buttons["finish"].clicked.connect(self.finish)
        self.buttons["follow_up"].clicked.connect(lambda: self.ask_follow_up())
        self.transfer_menu = QMenu(self)
        for svc in self.config.services:
            action = self.transfer_menu.addAction(svc.names[lang])
            action.triggered.connect(lambda _=False, code=svc.code: self.press("transfer", code))
        self.buttons["transfer"].setMenu(self.transfer_menu)
        self.buttons["pause"].clicked.connect(self.ask_pause)
        self.more_menu = QMenu(self)
        self.more_menu.addAction(t("Reprint…")).triggered.connect(self.ask_reprint)
        self.more_menu.addAction(t("Call a number…")).triggered.connect(self.ask_call_number)
        self.more_menu.addAction(t("Bring back a no-show…")).triggered.connect(self.ask_return)
        self.more_menu.addAction(t("Log a call or letter…")).triggered.connect(self.ask_log_contact)
        self.more_menu.addAction(t("Check in a booking…")).triggered.connect(self.ask_check_in)
        self.buttons["more"].setMenu(self.more_menu)
        body.addLayout(grid, 1)
        col.addLayout(body, 40)

        for seq, key in (
            (QKeySequence(Qt.Key.Key_F1), "call_next"),
            (QKeySequence(Qt.Key.Key_Space), "call_next"),
            (QKeySequence(Qt.Key.Key_F2), "recall"),
            (QKeySequence(Qt.Key.Key_F3), "start"),
            (QKeySequence(Qt.Key.Key_F4), "finish"),  # with the chosen category
            (QKeySequence(Qt.Key.Key_F5), "no_show"),
        ):
            QShortcut(seq, self, activated=lambda k=key, s=seq: self._shortcut(k, s))
        self._render()

    def _name_waiting_row(self, code: str, served: tuple[str, ...]) -> None:
        svc = next(s for s in self.config.services if s.code == code)
        note = "" if code in served else "  " + t("(not at this counter)")
        self.waiting_names[code].setText(svc.names[self.lang] + note)

    def _shortcut(self, key: str, seq: QKeySequence) -> None:
        # Space is also "press the focused button": on another button it must not call someone
        focused = self.focusWidget()
        if (
            seq == QKeySequence(Qt.Key.Key_Space)
            and isinstance(focused, QPushButton)
            and focused is not self.buttons["call_next"]
        ):
            focused.click()
            return
        if self.buttons[key].isEnabled():
            self.finish() if key == "finish" else self.press(key)

    def _build_device_banner(self) -> None:
        """Devices that need staff (the ticket printer above all): until the device works again
        or the clerk dismisses it; a newer problem shows again."""
        self.device_banner = QWidget(objectName="devices")
        self.device_banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.device_banner.setStyleSheet(
            f"QWidget#devices {{ background: {AMBER}; border-radius: 8px; }}QLabel {{ color: #000; }}"
        )
        row = QHBoxLayout(self.device_banner)
        self.alert = QLabel()
        self.alert.setWordWrap(True)
        self.alert.setFont(font(self.lang, 18, True))
        self.alert_dismiss = QPushButton(t("Dismiss"))
        self.alert_dismiss.setMinimumHeight(min_touch_px(self))
        self.alert_dismiss.clicked.connect(self.dismiss_alerts)
        row.addWidget(self.alert, 1)
        row.addWidget(self.alert_dismiss)
        self.device_banner.hide()
        self.device_alerts: dict[str, Event] = {}  # device -> its newest alert
        self._dismissed_seq = 0

    def _build_greet_banner(self) -> QWidget:
        """有客人到訪，請起立問候 — with the "greeted" button (seeds: stand and greet at 3 m)."""
        self.greet = QWidget(objectName="greet")
        self.greet.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self.greet)
        self.greet_text = QLabel()
        self.greet_text.setWordWrap(True)
        self.greet_text.setFont(font(self.lang, 26, True))
        self.greet_button = QPushButton(t("Greeted"))
        self.greet_button.setFont(font(self.lang, 24, True))
        self.greet_button.setMinimumHeight(max(min_touch_px(self), 80))
        self.greet_button.clicked.connect(self.confirm_greeting)
        row.addWidget(self.greet_text, 1)
        row.addWidget(self.greet_button)
        self.greet_alert_id: int | None = None
        self.chimes = 0  # how many times the alert sounded (for staff and tests)
        self._effect: Any = None  # a QSoundEffect once prepared; False: no sound
        self.greet.hide()
        return self.greet

    def _prepare_chime(self) -> None:
        """Open the audio device after the first frame: probing for a sound server can take a
        second, which must never delay a greeting banner."""
        if self._effect is None:
            from ui.display_board import CHIME, Announcer

            self._effect = Announcer._make_effect(CHIME) or False

    def silence(self) -> None:
        """No sound at all (snapshots): the banner still shows and counts its chimes."""
        self._effect = False

    def _chime(self) -> None:
        """The alert's sound; no audio device is not an error (the banner and buzzer remain)."""
        if self._effect:
            self._effect.play()
        self.chimes += 1

    def _greet_event(self, ev) -> None:
        d = ev.data
        if ev.kind == "greet_alert" and self.counter_id in d["counters"]:
            self.greet_alert_id = d["alert_id"]
            self._show_greet(escalated=False, repeat=0)
            self._chime()
        elif ev.kind == "greet_repeat" and d["alert_id"] == self.greet_alert_id:
            self._show_greet(escalated=False, repeat=d["repeat"])
            self._chime()
        elif ev.kind == "greet_escalated" and self.counter_id in d["counters"]:
            self.greet_alert_id = d["alert_id"]
            self._show_greet(escalated=True, repeat=0)
            self._chime()
        elif ev.kind == "greet_confirmed" and d["alert_id"] == self.greet_alert_id:
            self.greet_alert_id = None
            self.greet.hide()
            if d["confirmed_by"] != self.counter_id:
                self.message.setText(f"{t('Greeted by counter')} {d['confirmed_by']}")

    def _show_greet(self, escalated: bool, repeat: int) -> None:
        text = phrase("greet_alert", self.lang)
        if escalated:
            text += "\n" + t("Nobody has greeted yet: whoever is free, please go")
        elif repeat:
            text += f"  ({repeat}/{self.config.presence.max_repeats})"
        color = RED if escalated else AMBER
        fg = WHITE if escalated else "#000"
        self.greet.setStyleSheet(
            f"QWidget#greet {{ background: {color}; border-radius: 10px; }}QLabel {{ color: {fg}; }}"
        )
        self.greet_text.setText(text)
        self.greet.show()

    def confirm_greeting(self) -> None:
        if self.greet_alert_id is None:
            return
        alert = self.greet_alert_id
        self.greet.hide()  # at once: the clerk is already standing up
        self.backend.confirm_greeting(
            alert,
            self.counter_id,
            lambda r: None,
            lambda e: self.message.setText(refusal_text(e, self.lang, self.config)),
        )

    # ------------------------------------------------------------ actions
    def press(self, action: str, *args, then: Callable[[Any], None] | None = None) -> None:
        """An engine command for this counter; `then(result)` after it succeeded."""
        self.pending += 1
        self.message.setText("")
        self._render()

        def done(result: Any) -> None:
            self._done(result)
            if then is not None:
                then(result)

        self.backend.counter_action(action, self.counter_id, *args, on_done=done, on_error=self._failed)

    def finish(self) -> None:
        """One tap: the visit ends with the category shown. A complaint is always followed up,
        so it asks for the note first."""
        category = self.category.currentData()
        complaint = self.config.category(category)
        if complaint is not None and complaint.complaint:
            self.ask_follow_up(category)
            return
        self.press("finish", category)

    def _ask(self, dialog: TouchDialog, then: Callable[[], None]) -> None:
        """Open a staff dialog over the panel without stopping it (`open`, not `exec`)."""
        self.dialog: TouchDialog | None = dialog
        dialog.accepted.connect(then)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))  # never a deleted one
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def ask_follow_up(self, category: str | None = None) -> None:
        dialog = FollowUpDialog(self, self.lang, self.config.categories, category or self.category.currentData())
        self._ask(dialog, lambda: self.finish_with_follow_up(*dialog.values(), slip=dialog.slip.isChecked()))

    def finish_with_follow_up(
        self, category: str, note: str, contact: str = "", due_hours: float | None = None, slip: bool = False
    ) -> None:
        """End the visit with a reply promised; with `slip`, the customer gets the reply time on
        paper (seed 000 篇3 六: tell the customer when the reply will come)."""
        then = (lambda ticket: self.print_slip(ticket_id=ticket.id)) if slip else None
        if due_hours is None:
            self.press("finish", category, "follow_up", note, contact, then=then)
        else:
            self.press("finish", category, "follow_up", note, contact, due_hours, then=then)

    def ask_log_contact(self) -> None:
        dialog = ContactDialog(self, self.lang, self.config.categories)

        def logged(entry: dict) -> None:
            if entry.get("follow_up_id"):
                self.print_slip(follow_up_id=entry["follow_up_id"])

        def log() -> None:
            self.press("log_contact", *dialog.values(), then=logged if dialog.slip_wanted() else None)

        self._ask(dialog, log)

    def print_slip(self, *, ticket_id: int | None = None, follow_up_id: int | None = None) -> None:
        def asked(answer: dict) -> None:
            where = t("the kiosk") if answer["printer"] == LOCAL_KIOSK else answer["printer"]
            self.message.setText(t("The slip with the reply time is printing at {p}").replace("{p}", where))

        self.backend.print_slip(
            self.config.counter_name(self.counter_id, "en"),
            asked,
            lambda e: self.message.setText(refusal_text(e, self.lang, self.config)),
            ticket_id=ticket_id,
            follow_up_id=follow_up_id,
        )

    def _prefixes(self) -> list[str]:
        return [s.prefix for s in self.config.services if s.code in self.info.services] or [
            s.prefix for s in self.config.services
        ]

    def ask_call_number(self) -> None:
        reasons = [t("Appointment"), t("Sent back from another counter"), t("Needs this counter's staff")]
        dialog = NumberDialog(self, self.lang, t("Call a number…"), t("Call"), self._prefixes(), reasons=reasons)
        self._ask(dialog, lambda: self.call_number(*dialog.values()))

    def call_number(self, number: str, reason: str) -> None:
        self.press("call_number", number, reason)

    def ask_return(self) -> None:
        today = self._today()
        choices = [
            (number_as_shown(tk.number, tk.business_day, today), _clock(tk.called_at, self.backend.tz))
            for tk in (self.state.no_shows if self.state is not None else [])
        ]
        dialog = NumberDialog(
            self, self.lang, t("Bring back a no-show…"), t("Back in line"), self._prefixes(), choices=choices
        )
        self._ask(dialog, lambda: self.bring_back(dialog.values()[0]))

    def bring_back(self, number: str) -> None:
        """A customer who missed their call is here after all: back into line, not sent away."""
        self.message.setText("")
        self.backend.return_ticket(
            number,
            self.config.counter_name(self.counter_id, "en"),
            lambda tk: self.message.setText(t("{n} is back in line").replace("{n}", tk.number)),
            lambda e: self.message.setText(refusal_text(e, self.lang, self.config)),
        )

    def ask_check_in(self) -> None:
        """A customer with a booking at the counter: found by name, checked in (in line at the
        booked time, like a check-in at the kiosk)."""
        self.message.setText("")

        def listed(bookings: list[dict[str, Any]]) -> None:
            waiting = [
                {**b, "time": _clock(b["at"], self.backend.tz)} for b in bookings if b["state"] in ("booked", "late")
            ]
            names = {s.code: s.names[self.lang] for s in self.config.services}
            dialog = BookingDialog(self, self.lang, waiting, names)
            self._ask(dialog, lambda: self.check_in(dialog.chosen))

        self.backend.bookings_today(listed, lambda e: self.message.setText(refusal_text(e, self.lang, self.config)))

    def check_in(self, appointment_id: int | None) -> None:
        if appointment_id is None:
            return

        def done(checked: Any) -> None:
            r = checked.result
            if r.ticket is None:
                self.message.setText(r.message or r.refused or "")
                return
            self.message.setText(t("Checked in: {n}").replace("{n}", r.ticket.number))

        self.backend.check_in_booking(
            appointment_id, done, lambda e: self.message.setText(refusal_text(e, self.lang, self.config))
        )

    def sign_in_or_out(self) -> None:
        me = getattr(self, "me", None)
        if me is not None and me.staff_id:
            self.press("sign_out")
            return
        dialog = SignInDialog(self, self.lang, self.config.staff)
        self._ask(dialog, lambda: self.sign_in(dialog.person.currentData(), dialog.pin.text()))

    def sign_in(self, staff_id: str, pin: str) -> None:
        self.press("sign_in", staff_id, pin)

    def ask_reprint(self) -> None:
        number = self.current.number if self.current else ""
        dialog = NumberDialog(self, self.lang, t("Reprint a ticket"), t("Reprint"), self._prefixes(), number)
        self._ask(dialog, lambda: self.reprint(dialog.values()[0]))

    def reprint(self, number: str) -> None:
        """Print today's ticket `number` again on the kiosk that issued it; its place stays."""
        self.message.setText("")
        self.backend.reprint(
            number,
            self.config.counter_name(self.counter_id, "en"),
            lambda tk: self.message.setText(t("Ticket {n} is printing again at the kiosk").replace("{n}", tk.number)),
            lambda e: self.message.setText(refusal_text(e, self.lang, self.config)),
        )

    def ask_pause(self) -> None:
        dialog = PauseDialog(self, self.lang, self.config.pause_reasons)

        def paused() -> None:
            reason, minutes = dialog.values()
            until = (self.backend.now() + minutes * 60) if minutes else None  # the queue's clock, not this PC's
            self.pause(reason, until)

        self._ask(dialog, paused)

    def pause(self, reason: str, until: float | None) -> None:
        self.press("pause", reason, until)

    def _done(self, result) -> None:
        self.pending -= 1
        if result is None:
            self.message.setText(t("Nobody is waiting for this counter."))
        elif isinstance(result, dict) and "follow_up_id" in result:  # a call or letter logged
            self.message.setText(t("Logged.") + (" " + t("On the follow-up board.") if result["follow_up_id"] else ""))
        self._render()  # buttons usable again at once, whatever the refresh brings
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.pending -= 1
        self.message.setText(refusal_text(error, self.lang, self.config))
        self._render()
        self.refresh()

    # ------------------------------------------------------------ state
    def _on_event(self, ev) -> None:
        if ev.kind == "device_alert":
            self.device_alerts[ev.data.get("device", "")] = ev
            self._show_alerts()
        elif ev.kind.startswith("greet_"):
            self._greet_event(ev)
            return
        elif ev.kind == "follow_up_overdue" and ev.data.get("counter_id") == self.counter_id:
            # first-contact responsibility: the counter that took the matter hears it is late
            self.message.setText(
                t("The reply to {n} is overdue: answer the customer today").replace(
                    "{n}", ev.data["follow_up"]["number"]
                )
            )
            return
        elif ev.kind == "ticket_no_show" and ev.data.get("auto") and ev.data.get("counter_id") == self.counter_id:
            self.message.setText(t("{n} did not come and is now a no-show").replace("{n}", ev.data["ticket"]["number"]))
        self.refresh_timer.start()

    def _online(self, ok: bool, reason: str) -> None:
        self.offline.setVisible(not ok)

    def refresh(self) -> None:
        self.backend.hall_state(self._apply, lambda e: None)

    def _apply(self, state: HallState) -> None:
        self.state = state
        me = next((c for c in state.counters if c.id == self.counter_id), None)
        self.me = me
        previous = self.current.id if self.current else None
        self.current = state.current.get(self.counter_id)
        if self.current is not None and self.current.id != previous:  # a new customer: their service's default
            self.category.setCurrentIndex(
                max(0, self.category.findData(self.config.default_category(self.current.service)))
            )
        for s in state.services:
            if s.code in self.waiting_rows:
                self.waiting_rows[s.code].setText(str(s.waiting))
        if me is not None:  # a manager may change what this counter serves during the day
            for code in self.waiting_names:
                self._name_waiting_row(code, me.services)
        latest: dict[str, Event] = {}
        for ev in state.alerts:  # newest first
            latest.setdefault(ev.data.get("device", ""), ev)
        for device, ev in latest.items():
            if device not in self.device_alerts or self.device_alerts[device].seq < ev.seq:
                self.device_alerts[device] = ev
        self._show_alerts()
        open_alerts = state.greetings
        if open_alerts and self.greet_alert_id is None:  # started (or restarted) mid-alert
            newest = open_alerts[0]
            paused = self.me is not None and self.me.state == CounterState.PAUSED
            if newest["escalated"] or not paused:
                self.greet_alert_id = newest["alert_id"]
                self._show_greet(newest["escalated"], newest["repeats"])
        elif self.greet_alert_id is not None and all(g["alert_id"] != self.greet_alert_id for g in open_alerts):
            self.greet_alert_id = None  # confirmed while we were away
            self.greet.hide()
        self._render()

    def _show_alerts(self) -> None:
        now = self.backend.now()
        active = [
            ev
            for ev in self.device_alerts.values()
            if ev.data.get("state") not in ("ready", "recovered")
            and ev.seq > self._dismissed_seq
            and now - ev.at < ALERT_MAX_AGE_S
        ]
        active.sort(key=lambda ev: ev.seq, reverse=True)
        self.alert.setText("\n".join("⚠ " + device_alert_text(ev.data) for ev in active[:3]))
        self.device_banner.setVisible(bool(active))

    def dismiss_alerts(self) -> None:
        self._dismissed_seq = max((ev.seq for ev in self.device_alerts.values()), default=0)
        self.device_banner.hide()

    def _render(self) -> None:
        me = getattr(self, "me", None)
        paused = me is not None and me.state == CounterState.PAUSED
        cur = self.current
        if me is not None and paused:
            back = (
                f" · {t('back at')} {datetime.fromtimestamp(me.pause_until, self.backend.tz):%H:%M}"
                if me.pause_until
                else ""
            )
            reason = self.config.pause_reason_text(me.pause_reason, self.lang, staff=True)
            self.state_label.setText(f"{t('Paused')}: {reason}{back}")
            self.state_label.setStyleSheet(f"color: {RED};")
        elif self.config.staff and (me is None or not me.staff_id):
            self.state_label.setText(t("Nobody signed in"))
            self.state_label.setStyleSheet(f"color: {RED};")
        else:
            self.state_label.setText(t("Open"))
            self.state_label.setStyleSheet(f"color: {GREEN};")
        signed_in = me is not None and bool(me.staff_id)
        self.staff_button.setText(f"{me.staff_name} · {t('Sign out')}" if signed_in and me else t("Sign in…"))
        if cur is None:
            self.number.setText("—")
            self.detail.setText(t("No customer at the counter"))
        else:
            svc = next(s for s in self.config.services if s.code == cur.service)
            state = {
                TicketState.CALLED: t("called, walking to the counter"),
                TicketState.SERVING: t("being served"),
            }.get(cur.state, cur.state.value)
            extra = f" · {t('priority')}" if cur.priority else ""
            extra += f" · {t('recalled')} ×{cur.recalls}" if cur.recalls else ""
            if cur.state == TicketState.CALLED and cur.recalls >= self.config.queue.max_recalls:
                extra += f" · {t('no more recalls: mark a no-show if they do not come')}"
            extra += f" · {t('transferred')}" if cur.transfers else ""
            extra += f" · {t('came back after a no-show')}" if cur.returns else ""
            self.number.setText(number_as_shown(cur.number, cur.business_day, self._today()))
            self.detail.setText(f"{svc.names[self.lang]} · {state}{extra}")
        self._update_waited()
        has, busy = cur is not None, self.pending > 0
        may_call = not paused and (signed_in or not self.config.staff)
        enable = {
            "call_next": may_call,
            "more": True,
            "follow_up": has,
            # after the last recall allowed, the next step is a no-show, not a refused press
            "recall": cur is not None
            and cur.state == TicketState.CALLED
            and cur.recalls < self.config.queue.max_recalls,
            "start": cur is not None and cur.state == TicketState.CALLED,
            "finish": has,
            "no_show": cur is not None and cur.state == TicketState.CALLED,
            "transfer": has,
            "pause": not paused and not has,
            "resume": paused,
        }
        for key, b in self.buttons.items():
            b.setEnabled(enable[key] and not busy)
        self.staff_button.setEnabled(not busy and not (signed_in and has))  # not with a customer at the counter
        self.buttons["resume"].setVisible(paused)
        self.buttons["follow_up"].setVisible(not paused)
        self.category.setVisible(has)

    def _today(self) -> str:
        return datetime.fromtimestamp(self.backend.now(), self.backend.tz).date().isoformat()

    def _update_waited(self) -> None:
        cur = self.current
        if cur is None or cur.first_called_at is None:
            self.waited.setText("")
            return
        waited = timedelta(seconds=int(cur.first_called_at - cur.issued_at))
        svc = next(s for s in self.config.services if s.code == cur.original_service)
        over = waited.total_seconds() > svc.target_wait_minutes * 60
        self.waited.setText(
            f"{t('Waited')} {_minutes(waited)}" + (f"  — {t('longer than the target: apologise')}" if over else "")
        )


ALERT_MAX_AGE_S = 12 * 3600  # a problem from an earlier day is not today's news
PRINTER_STATES = {
    "paper_out": "out of paper",
    "cover_open": "cover open",
    "offline": "not answering",
    "missing": "not found: check its cable and power",
    "error": "reports an error",
    "paper_near_end": "paper running low: change the roll soon",
}


CLOCK_TEXT = (
    "The clock is not synchronised: tickets for an earlier day than the last are refused. Check the network time."
)
SENSOR_STATES = {
    "fault": "not reporting: greetings from it are missed until it works again",
    "missing": "could not start: check its cable and settings",
    "stuck": "reports someone all the time: stuck? It is ignored until it reports empty",
    "flapping": "opens and closes all the time: loose? It is ignored until it is quiet",
}


def device_alert_text(data: dict) -> str:
    """A device alert in the panel's language (the driver's own words stay in the log)."""
    if data.get("kind") == "printer":
        text = f"{t('Ticket printer')}: {t(PRINTER_STATES.get(data.get('state', ''), 'needs attention'))}"
        if data.get("ticket"):
            text += " · " + t("ticket {n} was not printed; it is in line. Reprint it once the printer works.").replace(
                "{n}", data["ticket"]
            )
        return text
    if data.get("kind") == "kiosk":
        return f"{t('Ticket kiosk')}: {t('could not issue a ticket; the customer was asked to come to the counter')}"
    if data.get("kind") == "clock":
        return t(CLOCK_TEXT)
    if data.get("kind") == "sensor" and data.get("state") in SENSOR_STATES:
        # the sensor's name is the installer's; what is wrong is said in the panel's language
        return f"{t('Sensor')} {data.get('device', '')}: {t(SENSOR_STATES[data['state']])}"
    return f"{data.get('device', '')}: {data.get('message', '')}"


def _minutes(d: timedelta) -> str:
    m, s = divmod(int(d.total_seconds()), 60)
    return f"{m} {t('min')} {s:02d} {t('s')}"


def _clock(ts: float | None, tz: ZoneInfo) -> str:
    return "" if ts is None else f"{datetime.fromtimestamp(ts, tz):%H:%M}"
