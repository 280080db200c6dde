"""The counter panel's dialogs, made for a finger on a touch panel: a large title, controls at
least 15 mm high, a keypad for numbers and PINs (no keyboard at a counter), and every button in
the panel's language (Qt's own OK/Cancel would be English on a Chinese panel).

Each dialog is opened with `open()` (not `exec()`), so the panel keeps drawing and taking
events while it is up; the panel acts on `accepted`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import t
from ui.theme import NAVY, font, min_touch_px

TEXT_PX = 24  # fields, labels and buttons: readable at arm's length
MINUTES = (5, 10, 15, 30, 60, 0)  # the pause's return choices; 0 = no return time
REPLY_HOURS = (0, 4, 24, 72, 168)  # a follow-up's reply time; 0 = the category's own


class KeyPad(QWidget):
    """Large keys that type into `target`: the given letters (the services' prefixes), 0-9, erase."""

    def __init__(self, target: QLineEdit, letters: Iterable[str] = (), columns: int = 5):
        super().__init__()
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        keys = [*dict.fromkeys(letters), *"1234567890", "⌫"]
        for i, key in enumerate(keys):
            b = QPushButton(key)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the cursor
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // columns, i % columns)
            self.keys[key] = b

    def press(self, key: str) -> None:
        if key == "⌫":
            self.target.backspace()
        else:
            self.target.insert(key)


class TouchDialog(QDialog):
    """The frame every staff dialog shares: title, a form, Cancel and the dialog's own action."""

    def __init__(self, parent: QWidget | None, lang: str, title: str, action: str):
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(title)
        self.setModal(True)
        touch = min_touch_px(parent if parent is not None else self)
        col = QVBoxLayout(self)
        col.setSpacing(12)
        self.heading = QLabel(title, objectName="heading")
        col.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(12)
        col.addLayout(self.form, 1)
        row = QHBoxLayout()
        self.cancel = QPushButton(t("Cancel"))
        self.ok = QPushButton(action)
        self.cancel.clicked.connect(self.reject)
        self.ok.clicked.connect(self.accept)
        self.cancel.setAutoDefault(False)  # Enter in a field means the action, never Cancel
        self.ok.setDefault(True)
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        col.addLayout(row)
        self.setFont(font(lang, TEXT_PX))
        # a visible focus ring: Space presses the focused button, so staff must see which one it is
        self.setStyleSheet(
            f"QPushButton, QLineEdit, QComboBox {{ min-height: {touch}px; font-size: {TEXT_PX}px; }}"
            f"QPushButton {{ min-width: {touch}px; padding: 4px 16px; }}"
            f"QPushButton:checked {{ background: {NAVY}; color: white; }}"
            f"QPushButton:focus, QLineEdit:focus, QComboBox:focus {{ border: 3px solid {NAVY}; }}"
            f"QComboBox QAbstractItemView::item {{ min-height: {touch}px; }}"
            f"QLabel {{ font-size: {TEXT_PX}px; }}"
            f"QLabel#heading {{ font-size: 30px; font-weight: bold; }}"
        )
        if parent is not None:  # most of the panel: a finger does not aim at a small box
            self.resize(max(640, round(parent.width() * 0.7)), max(420, round(parent.height() * 0.7)))
            self.setMaximumSize(parent.size())

    def row(self, label: str, field: QWidget) -> None:
        self.form.addRow(QLabel(label), field)


class NumberDialog(TouchDialog):
    """A ticket number typed on a keypad of the services' prefixes and digits; optionally a list of
    numbers to pick with one tap (today's no-shows) and a reason (calling out of turn)."""

    def __init__(
        self,
        parent: QWidget | None,
        lang: str,
        title: str,
        action: str,
        prefixes: Sequence[str],
        number: str = "",
        choices: Sequence[tuple[str, str]] = (),
        reasons: Sequence[str] | None = None,
    ):
        super().__init__(parent, lang, title, action)
        self.number = QLineEdit(number, maxLength=16, placeholderText="A012")
        self.number.setFont(font("en", 32, True))
        self.choices: dict[str, QPushButton] = {}
        if choices:  # (number as shown, what it was): tapping one fills the number
            picks = QGridLayout()
            for i, (shown, about) in enumerate(choices[:12]):
                b = QPushButton(f"{shown}  {about}".strip())
                b.clicked.connect(lambda _=False, n=shown: self.number.setText(n))
                picks.addWidget(b, i // 4, i % 4)
                self.choices[shown] = b
            holder = QWidget()
            holder.setLayout(picks)
            self.row(t("Today's no-shows"), holder)
        self.row(t("Ticket number"), self.number)
        self.pad = KeyPad(self.number, prefixes, columns=7)  # two rows: the dialog fits a 768 px panel
        self.row("", self.pad)
        self.reason: QComboBox | None = None
        if reasons is not None:
            self.reason = QComboBox(editable=True)
            self.reason.addItems(list(reasons))
            self.reason.setCurrentIndex(-1)
            if (typed := self.reason.lineEdit()) is not None:
                typed.setPlaceholderText(t("Why out of turn (kept in the log)"))
            self.row(t("Reason"), self.reason)
        self.number.setFocus()
        self.number.textChanged.connect(self._check)
        if self.reason is not None:
            self.reason.currentTextChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = bool(self.number.text().strip())
        if self.reason is not None:
            ok = ok and bool(self.reason.currentText().strip())
        self.ok.setEnabled(ok)

    def values(self) -> tuple[str, str]:
        reason = self.reason.currentText().strip() if self.reason is not None else ""
        return self.number.text().strip(), reason


class SignInDialog(TouchDialog):
    """Who is at the counter: their name, and their own PIN on a keypad."""

    def __init__(self, parent: QWidget | None, lang: str, staff: Sequence[Any]):
        super().__init__(parent, lang, t("Sign in"), t("Sign in"))
        self.person = QComboBox()
        for p in staff:
            self.person.addItem(p.name, p.id)
        self.pin = QLineEdit(echoMode=QLineEdit.EchoMode.Password, maxLength=8)
        self.pin.setFont(font("en", 32, True))
        self.row(t("Name"), self.person)
        self.row(t("Your PIN"), self.pin)
        self.pad = KeyPad(self.pin, columns=6)
        self.row("", self.pad)
        self.pin.setFocus()


class PauseDialog(TouchDialog):
    """Why the counter closes and for how long: a configured reason (the display shows it in its
    own language) or a reason typed here (shown on staff screens only); the return time is one
    tap on a row of minutes."""

    def __init__(self, parent: QWidget | None, lang: str, reasons: Sequence[Any]):
        super().__init__(parent, lang, t("Pause"), t("Pause"))
        self.reason = QComboBox(editable=True)
        for r in reasons:
            self.reason.addItem(r.names[lang], r.code)
        self.row(t("Reason"), self.reason)
        hint = QLabel(t("A reason from the list is shown on the display; one typed here only on staff screens."))
        hint.setWordWrap(True)
        self.row("", hint)
        self.minutes = QButtonGroup(self)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, m in enumerate(MINUTES):
            b = QPushButton(f"{m} {t('min')}" if m else t("No time"), checkable=True)
            self.minutes.addButton(b, m)
            grid.addWidget(b, i // 3, i % 3)
        self.minutes.button(15).setChecked(True)
        holder = QWidget()
        holder.setLayout(grid)
        self.row(t("Back in"), holder)

    def values(self) -> tuple[str, int]:
        """(a configured reason's code, or the typed text; minutes, 0 for no return time)."""
        text = self.reason.currentText().strip()
        i = self.reason.findText(text)
        return (self.reason.itemData(i) if i >= 0 else text), self.minutes.checkedId()


def reply_time_buttons(parent: QWidget) -> tuple[QButtonGroup, QWidget]:
    """One tap for a reply time: as the category says (checked), 4 h, 1, 3 or 7 days."""
    group = QButtonGroup(parent)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for hours in REPLY_HOURS:
        words = t("As usual") if not hours else f"{hours} h" if hours < 24 else f"{hours // 24} {t('days')}"
        b = QPushButton(words, checkable=True)
        group.addButton(b, hours)
        row.addWidget(b)
    group.button(0).setChecked(True)
    holder = QWidget()
    holder.setLayout(row)
    return group, holder


def slip_button() -> QPushButton:
    """A toggle, on by default: the customer takes the promised reply time home on paper."""
    b = QPushButton(t("Print a slip for the customer"), checkable=True)
    b.setChecked(True)
    return b


class FollowUpDialog(TouchDialog):
    """A matter the counter cannot settle now: what it is about, what was promised, and a
    contact only if the customer agrees. Due by the category's time (the panel says when)."""

    def __init__(self, parent: QWidget | None, lang: str, categories: Sequence[Any], chosen: str):
        super().__init__(parent, lang, t("Follow-up…"), t("Finish"))
        self.category = QComboBox()
        for c in categories:
            self.category.addItem(f"{c.names[lang]} ({c.reply_within_hours:g} h)", c.code)
        self.category.setCurrentIndex(max(0, self.category.findData(chosen)))
        self.note = QLineEdit(maxLength=500, placeholderText=t("What was promised"))
        self.contact = QLineEdit(maxLength=100, placeholderText=t("Only if the customer agrees"))
        self.row(t("Category"), self.category)
        self.row(t("Note"), self.note)
        self.row(t("Contact"), self.contact)
        # a special matter may need its own time (seed 001 第二篇 一 4): one tap, the category's by default
        self.reply_in, holder = reply_time_buttons(self)
        self.row(t("Reply within"), holder)
        self.slip = slip_button()
        self.row("", self.slip)
        self.ok.setEnabled(False)
        self.note.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))

    def values(self) -> tuple[str, str, str, float | None]:
        hours = self.reply_in.checkedId()
        return (
            self.category.currentData(),
            self.note.text().strip(),
            self.contact.text().strip(),
            float(hours) if hours > 0 else None,
        )


CHANNELS = (("phone", "Phone"), ("letter", "Letter"), ("email", "E-mail"), ("visit", "Walk-in"))


class ContactDialog(TouchDialog):
    """A call, letter, e-mail or walk-in without a ticket, for the reception log (seed 003): how
    it came, what it was about (or praise), what was said, and whether a reply was promised (a
    complaint always is)."""

    def __init__(self, parent: QWidget | None, lang: str, categories: Sequence[Any]):
        super().__init__(parent, lang, t("Log a call or letter…"), t("Log"))
        self.channel = QButtonGroup(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for i, (_code, words) in enumerate(CHANNELS):
            b = QPushButton(t(words), checkable=True)
            self.channel.addButton(b, i)
            row.addWidget(b)
        self.channel.button(0).setChecked(True)
        holder = QWidget()
        holder.setLayout(row)
        self.row(t("How"), holder)
        self.kind = QComboBox()
        self.complaints = {c.code for c in categories if c.complaint}
        for c in categories:
            self.kind.addItem(c.names[lang], c.code)
        self.kind.addItem(t("Praise"), "praise")
        self.row(t("Category"), self.kind)
        self.note = QLineEdit(maxLength=500, placeholderText=t("What the customer said"))
        self.row(t("Note"), self.note)
        self.reply = QPushButton(t("Reply promised"), checkable=True)
        self.row("", self.reply)
        self.reply_in, self.times = reply_time_buttons(self)
        self.row(t("Reply within"), self.times)
        self.contact = QLineEdit(maxLength=100, placeholderText=t("Only if the customer agrees"))
        self.row(t("Contact"), self.contact)
        self.slip = slip_button()  # only a walk-in is there to take it
        self.row("", self.slip)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.channel.idToggled.connect(lambda _id, _on: self._kind_changed())
        self.reply.toggled.connect(lambda _on: self._kind_changed())
        self.ok.setEnabled(False)
        self.note.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self._kind_changed()

    def _kind_changed(self) -> None:
        code = self.kind.currentData()
        complaint, praise = code in self.complaints, code == "praise"
        if complaint or praise:
            self.reply.setChecked(complaint)  # a complaint is always followed up; praise never
        self.reply.setEnabled(not (complaint or praise))
        self.times.setEnabled(self.reply.isChecked())
        self.slip.setVisible(self.reply.isChecked() and CHANNELS[self.channel.checkedId()][0] == "visit")

    def slip_wanted(self) -> bool:
        return not self.slip.isHidden() and self.slip.isChecked()

    def values(self) -> tuple[str, str, str, str, bool, float | None]:
        hours = self.reply_in.checkedId()
        follow_up = self.reply.isChecked()
        return (
            CHANNELS[self.channel.checkedId()][0],
            self.kind.currentData(),
            self.note.text().strip(),
            self.contact.text().strip() if follow_up else "",
            follow_up,
            float(hours) if follow_up and hours > 0 else None,
        )


class BookingDialog(TouchDialog):
    """Today's bookings not yet checked in, found by typing part of a name: one tap picks it."""

    SHOWN = 9

    def __init__(self, parent: QWidget | None, lang: str, bookings: Sequence[dict[str, Any]], names: dict[str, str]):
        super().__init__(parent, lang, t("Check in a booking"), t("Check in"))
        self.search = QLineEdit(placeholderText=t("Name"))
        self.row(t("Name"), self.search)
        self.chosen: int | None = None
        self.picks: dict[int, QPushButton] = {}
        grid = QGridLayout()
        for i, b in enumerate(bookings):
            label = f"{b['time']}  {b.get('name') or b['ref']}\n{names.get(b['service'], b['service'])}"
            button = QPushButton(label, checkable=True)
            button.clicked.connect(lambda _=False, i=b["id"]: self._pick(i))
            self.picks[b["id"]] = button
            button.setProperty("who", (b.get("name") or "").casefold() + " " + b["ref"].casefold())
            button.setMinimumHeight(2 * TEXT_PX + 40)  # two lines: who and when, then the service
            grid.addWidget(button, i // 3, i % 3)
        holder = QWidget()
        holder.setLayout(grid)
        self.row(t("Appointments") if bookings else t("No bookings on this day"), holder)
        self.search.textChanged.connect(self._filter)
        self.search.setFocus()
        self._filter("")
        self._pick(None)

    def _filter(self, text: str) -> None:
        """The bookings whose name (or reference) has the text typed, at most SHOWN of them:
        a busy day's list is narrowed by typing, never drawn past the dialog's edge."""
        wanted = text.strip().casefold()
        shown = 0
        for button in self.picks.values():
            match = (not wanted or wanted in str(button.property("who"))) and shown < self.SHOWN
            button.setVisible(match)
            shown += match

    def _pick(self, appointment_id: int | None) -> None:
        self.chosen = appointment_id
        for i, button in self.picks.items():
            button.setChecked(i == appointment_id)
        self.ok.setEnabled(appointment_id is not None)
