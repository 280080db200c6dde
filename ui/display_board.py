"""The waiting-room display (a TV, 1920x1080 or 1280x720).

The newest call very large ("請 A012 號到 3 號櫃台"), in the site language with English under
it; the apology when that customer waited past the target; the last calls; what each counter is
doing, and the sign of a paused counter with its expected return; the clock. Each call is
announced with a chime and, if enabled, a spoken sentence. Announcements are queued: one never
cuts off another (a complaint users of other systems raise). No audio device is not an error.
The display shows numbers only, never names.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain import CounterState, Event, number_as_shown
from kiosk.engine import HallState
from kiosk.phrases import phrase
from ui.fit import FitLabel
from ui.i18n import ASSETS
from ui.screen_backend import ScreenBackend
from ui.theme import GOLD, NAVY, WHITE

log = logging.getLogger(__name__)
CHIME = ASSETS / "sounds" / "chime.wav"
CHIME_MS = 1300  # the chime's length; speech starts after it
GAP_MS = 1200  # pause between two announcements


class Announcer(QObject):
    """Plays announcements one after another: chime, then speech, then the next."""

    started = Signal(str)
    finished = Signal(str)

    def __init__(self, voice: bool = True, language: str = "zh-Hant", chime: Path = CHIME):
        super().__init__()
        self.queue: deque[str] = deque()
        self.playing: str | None = None
        self.history: list[tuple[str, str]] = []  # ("start"|"end", text), for staff and tests
        self._chime, self._voice, self._language = chime, voice, language
        self._prepared = False
        self._effect: Any = None  # a QSoundEffect once prepared
        self._tts: Any = None  # a QTextToSpeech once prepared
        self._timer = QTimer(self, singleShot=True, timeout=self._after_chime)
        self._gap = QTimer(self, singleShot=True, timeout=self._next)

    def prepare(self) -> None:
        """Open the audio devices. Slow where there is no sound server (PulseAudio probing takes
        a second or more), so the display calls it after its first frame, not before."""
        if self._prepared:
            return
        self._prepared = True
        self._effect = self._make_effect(self._chime)
        self._tts = self._make_tts(self._language) if self._voice else None

    def silence(self) -> None:
        """No sound at all (snapshots, tests): announcements still queue and pace."""
        self._prepared = True
        self._effect = self._tts = None

    @staticmethod
    def _make_effect(chime: Path):
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError as e:  # no libpulse etc.: silent, not broken
            log.info("no sound: %s", e)
            return None
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(str(chime)))
        return effect

    @staticmethod
    def _make_tts(language: str):
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as e:
            log.info("no speech: %s", e)
            return None
        tts = QTextToSpeech()
        want = {
            "zh-Hant": QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan),
            "zh-Hans": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
        }.get(language)
        if want is not None:
            voices = [v for v in tts.availableVoices() if v.locale().language() == QLocale.Language.Chinese]
            if voices:
                tts.setVoice(voices[0])
            else:
                tts.setLocale(want)
        return tts

    def announce(self, text: str) -> None:
        self.queue.append(text)
        if self.playing is None and not self._gap.isActive():
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.playing = None
            return
        self.prepare()
        self.playing = self.queue.popleft()
        self.history.append(("start", self.playing))
        self.started.emit(self.playing)
        if self._effect is not None:
            self._effect.play()
        self._timer.start(CHIME_MS)

    def _after_chime(self) -> None:
        text = self.playing
        if self._tts is not None and text:
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech

                if self._tts.state() != QTextToSpeech.State.Error:
                    self._tts.stateChanged.connect(self._speech_state)
                    self._tts.say(text)
                    return
            except Exception:  # speech-dispatcher missing: keep the chime
                log.info("speech failed", exc_info=True)
        self._end()

    def _speech_state(self, state) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            self._tts.stateChanged.disconnect(self._speech_state)
            self._end()

    def _end(self) -> None:
        text = self.playing or ""
        self.history.append(("end", text))
        self.finished.emit(text)
        self.playing = None
        self._gap.start(GAP_MS)


class DisplayBoard(QWidget):
    def __init__(self, backend: ScreenBackend, lang: str | None = None, voice: bool = True):
        super().__init__()
        self.backend = backend
        self.config = backend.config
        self.lang = lang or self.config.site.language
        self.state: HallState | None = None
        self.latest: dict | None = None  # the newest call event's data
        self.announcer = Announcer(voice, self.lang)
        self.setWindowTitle("Display")
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#board {{ background: {NAVY}; }} QLabel {{ color: {WHITE}; }}")
        self._build()
        self.refresh_timer = QTimer(self, singleShot=True, interval=200, timeout=self.refresh)
        self._past_returns: set[int] = set()  # paused counters whose return time has passed
        self.clock_timer = QTimer(self, interval=1000, timeout=self._tick)
        self.clock_timer.start()
        backend.event.connect(self._on_event)
        self.refresh()
        QTimer.singleShot(500, self.announcer.prepare)  # after the first frame is on the TV

    def _build(self) -> None:
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.site = FitLabel(bold=True)
        self.site.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.site.setText(self.config.site.name[self.lang])
        self.clock = FitLabel("en", bold=True)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.site, 4)
        top.addWidget(self.clock, 1)
        col.addLayout(top, 6)
        self.caption = FitLabel()
        self.call = FitLabel(bold=True, wrap=True)  # shrinks, and wraps a long sentence, to fit
        self.call.setStyleSheet(f"color: {GOLD};")
        self.call_en = FitLabel("en", wrap=True)
        self.apology = FitLabel(wrap=True)
        # many counters: their rows get room from the call above (still the largest type on the TV)
        extra = max(0, len(self.config.counters) - 5)
        call_room = ((self.caption, 5), (self.call, 18), (self.call_en, 7), (self.apology, 5))
        if extra:
            call_room = ((self.caption, 4), (self.call, 14), (self.call_en, 5), (self.apology, 4))
        for w, stretch in call_room:
            col.addWidget(w, stretch)
        bottom = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        self.recent_title = FitLabel(bold=True)
        self.recent = QGridLayout()
        self.recent_labels: list[tuple[FitLabel, FitLabel]] = []
        for i in range(5):
            a, b = FitLabel("en", bold=True), FitLabel()
            self.recent.addWidget(a, i, 0)
            self.recent.addWidget(b, i, 1)
            self.recent.setRowStretch(i, 1)
            self.recent_labels.append((a, b))
        left.addWidget(self.recent_title, 1)
        left.addLayout(self.recent, 5)
        self.counters_title = FitLabel(bold=True)
        self.counter_grid = QGridLayout()
        # many counters: a long name ("4號櫃台（房屋買賣及租賃登記）") gets more of the row
        self.counter_grid.setColumnStretch(0, 1 if extra else 2)
        self.counter_grid.setColumnStretch(1, 1 if extra else 5)
        self.counter_labels: dict[int, tuple[FitLabel, FitLabel]] = {}
        for i, c in enumerate(self.config.counters):
            a, b = FitLabel(bold=True, wrap=True), FitLabel(wrap=True)  # a long name wraps, not shrinks
            a.setText(c.name_in(self.lang))
            self.counter_grid.addWidget(a, i, 0)
            self.counter_grid.addWidget(b, i, 1)
            self.counter_grid.setRowStretch(i, 1)
            self.counter_labels[c.id] = (a, b)
        right.addWidget(self.counters_title, 1)
        right.addLayout(self.counter_grid, max(3, len(self.config.counters)))
        # many counters: their rows get the room (the recent calls give some up too)
        bottom.addLayout(left, 1)
        bottom.addLayout(right, 2 if extra else 1)
        col.addLayout(bottom, 40 + 8 * extra)
        self._apply_fonts()

    def resizeEvent(self, event) -> None:
        self._apply_fonts()
        super().resizeEvent(event)

    def _apply_fonts(self) -> None:
        """Type caps from the TV's height; each text shrinks below its cap to fit its room."""
        h = max(480, self.height())
        lang = self.lang
        self.site.configure(lang, h // 26)
        self.clock.configure("en", h // 22)
        self.caption.configure(lang, h // 24)
        self.call.configure(lang, h // 8)
        self.call_en.configure("en", h // 20)
        self.apology.configure(lang, h // 22)
        for lbl in (self.recent_title, self.counters_title):
            lbl.configure(lang, h // 26)
        for a, b in self.recent_labels:
            a.configure("en", h // 20)
            b.configure(lang, h // 26)
        for a, b in self.counter_labels.values():
            a.configure(lang, h // 28)
            b.configure(lang, h // 30)

    # ------------------------------------------------------------ data
    def _on_event(self, ev: Event) -> None:
        if ev.kind in ("ticket_called", "ticket_recalled"):
            self.show_call(ev.data)
        self.refresh_timer.start()

    def show_call(self, data: dict) -> None:
        self.latest = data
        number, counter = self._shown(data["ticket"]), self.config.counter_name(data["counter_id"], self.lang)
        self._render_call()
        text = phrase("call", self.lang, number=number, counter=counter)
        if data.get("apology"):
            text = (
                phrase("apology", self.lang) + "。" + text
                if self.lang != "en"
                else phrase("apology", self.lang) + ". " + text
            )
        self.announcer.announce(text)

    def _render_call(self) -> None:
        lang = self.lang
        self.caption.setText(phrase("now_calling", lang))
        if self.latest is None:
            self.call.setText(phrase("nobody_called", lang))
            self.call_en.setText("" if lang == "en" else phrase("nobody_called", "en"))
            self.apology.setText("")
            return
        number, counter_id = self._shown(self.latest["ticket"]), self.latest["counter_id"]
        name = self.config.counter_name  # each line names the counter as its language does
        self.call.setText(phrase("call", lang, number=number, counter=name(counter_id, lang)))
        self.call_en.setText(
            "" if lang == "en" else phrase("call", "en", number=number, counter=name(counter_id, "en"))
        )
        self.apology.setText(phrase("apology", lang) if self.latest.get("apology") else "")

    def _shown(self, ticket: dict) -> str:
        today = datetime.fromtimestamp(self.backend.now(), self.backend.tz).date().isoformat()
        return number_as_shown(ticket["number"], ticket.get("business_day") or today, today)

    def refresh(self) -> None:
        self.backend.hall_state(self._apply, lambda e: None)

    def _apply(self, state: HallState) -> None:
        self.state = state
        lang = self.lang
        away = {c.id for c in state.counters if c.state in (CounterState.PAUSED, CounterState.CLOSED)}
        if self.latest is not None and self.latest["counter_id"] in away:
            self.latest = None  # nobody should walk to a counter that has just paused or closed
        if self.latest is None:
            t0 = next((tk for tk in state.recent_calls if (tk.counter_id or tk.owner_counter_id) not in away), None)
            if t0 is not None:
                counter_id = t0.counter_id or t0.owner_counter_id
                self.latest = {"ticket": t0.to_dict(), "counter_id": counter_id, "apology": False}
        self._render_call()
        self.recent_title.setText(phrase("recent_calls", lang))
        shown = self.latest["ticket"]["id"] if self.latest else None
        earlier = [tk for tk in state.recent_calls if tk.id != shown][:5]
        for (a, b), tk in zip(self.recent_labels, earlier + [None] * 5):
            a.setText(self._shown(tk.to_dict()) if tk else "")
            at = tk.counter_id or tk.owner_counter_id if tk else None
            b.setText(f"→ {self.config.counter_name(at, lang)}" if at is not None else "")
        self.counters_title.setText(phrase("counters", lang))
        self._render_counters(state)
        self._tick()

    def _render_counters(self, state: HallState) -> None:
        lang = self.lang
        now = self.backend.now()
        self._past_returns = {c.id for c in state.counters if c.pause_until and c.pause_until <= now}
        for c in state.counters:
            if c.id not in self.counter_labels:
                continue
            _, b = self.counter_labels[c.id]
            if c.state == CounterState.PAUSED:
                back = self._back(c.pause_until)
                # a configured reason in the display's language; a typed one stays on staff screens
                reason = self.config.pause_reason_text(c.pause_reason, lang, staff=False)
                b.setText(" · ".join(p for p in (phrase("counter_paused", lang), reason, back) if p))
                b.setStyleSheet("color: #ffb4b4;")
            elif c.state == CounterState.CLOSED:
                b.setText(phrase("counter_closed", lang))
                b.setStyleSheet("color: #c0c8d8;")
            else:
                cur = state.current.get(c.id)
                b.setText(
                    phrase("serving_now", lang, number=self._shown(cur.to_dict()))
                    if cur
                    else phrase("counter_free", lang)
                )
                b.setStyleSheet("")

    def _back(self, until: float | None) -> str:
        """When a paused counter opens again; a time already past reads "back shortly", never
        "Back at 10:52" at 11:00."""
        if not until:
            return ""
        if until <= self.backend.now():
            return phrase("back_soon", self.lang)
        return phrase("back_at", self.lang, time=f"{datetime.fromtimestamp(until, self.backend.tz):%H:%M}")

    def _tick(self) -> None:
        now = datetime.fromtimestamp(self.backend.now(), self.backend.tz)
        self.clock.setText(f"{now:%H:%M}")
        # a return time passing is not an event: redraw the counters' lines when one does
        if self.state is not None:
            past = {c.id for c in self.state.counters if c.pause_until and c.pause_until <= now.timestamp()}
            if past != self._past_returns:
                self._render_counters(self.state)
