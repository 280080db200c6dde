"""Text that fits the space the layout gives it, on any screen.

The screens run from a 7-inch 800x480 panel to a 1080x1920 totem and a 1920x1080 TV. Instead of
fixed type sizes that overflow small screens, these widgets let the layout decide their size
(stretch factors, not text) and pick the largest type, up to a cap, that fits it. A label with
word wrap fits its wrapped text; a button fits each of its lines.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy

from ui.theme import font

MIN_PX = 12
READABLE_PX = 22  # below this a button's words are broken into lines rather than shrunk further


def fit_font(
    lang: str, text: str, width: int, height: int, max_px: int, bold: bool = False, wrap: bool = False
) -> QFont:
    """The largest font (<= max_px) in which `text` fits width x height."""
    lo, hi = MIN_PX, max(MIN_PX, max_px)
    best = font(lang, lo, bold)
    if not text or width <= 0 or height <= 0:
        return font(lang, hi, bold)
    while lo <= hi:
        mid = (lo + hi) // 2
        f = font(lang, mid, bold)
        if _fits(f, text, width, height, wrap):
            best, lo = f, mid + 1
        else:
            hi = mid - 1
    return best


def _fits(f: QFont, text: str, width: int, height: int, wrap: bool) -> bool:
    fm = QFontMetrics(f)
    if wrap:
        r = fm.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        return r.width() <= width and r.height() <= height
    lines = text.split("\n")
    return max(fm.horizontalAdvance(line) for line in lines) <= width and fm.lineSpacing() * len(lines) <= height


def wrap_line(line: str, fm: QFontMetrics, width: int) -> list[str]:
    """`line` broken into lines no wider than `width` where it can be: between words, or between
    characters in Chinese (which has no spaces)."""
    if fm.horizontalAdvance(line) <= width:
        return [line]
    sep = " " if " " in line else ""
    tokens = line.split(" ") if sep else list(line)
    out: list[str] = []
    current = ""
    for token in tokens:
        candidate = f"{current}{sep}{token}" if current else token
        if not current or fm.horizontalAdvance(candidate) <= width:
            current = candidate
        else:
            out.append(current)
            current = token
    out.append(current)
    return out


def fit_wrapped(lang: str, text: str, width: int, height: int, max_px: int, bold: bool) -> tuple[QFont, str] | None:
    """The largest font (<= max_px) in which `text`, broken into more lines, fits; and the text so
    broken. None if even the smallest does not fit."""
    for px in range(max(MIN_PX, max_px), MIN_PX - 1, -1):
        f = font(lang, px, bold)
        fm = QFontMetrics(f)
        lines = [part for line in text.split("\n") for part in wrap_line(line, fm, width)]
        if max(fm.horizontalAdvance(x) for x in lines) <= width and fm.lineSpacing() * len(lines) <= height:
            return f, "\n".join(lines)
    return None


class _Fits:
    """What both fitting widgets share: refit when the text or the size changes."""

    lang: str
    max_px: int

    def setText(self, text: str) -> None:
        super().setText(text)  # type: ignore[misc]
        self._refit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)  # type: ignore[misc]
        self._refit()

    def _refit(self) -> None:
        """Each widget knows its own room (margins, padding)."""


class FitLabel(_Fits, QLabel):
    """A label whose type shrinks (to `max_px` at most) to fit the room the layout gives it."""

    def __init__(self, lang: str = "en", max_px: int = 40, bold: bool = False, wrap: bool = False):
        super().__init__(alignment=Qt.AlignmentFlag.AlignCenter)
        self.lang, self.max_px, self.bold = lang, max_px, bold
        self.setWordWrap(wrap)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def configure(self, lang: str, max_px: int, bold: bool | None = None) -> None:
        self.lang, self.max_px = lang, max_px
        if bold is not None:
            self.bold = bold
        self._refit()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def _refit(self) -> None:
        m = self.margin() * 2 + 6  # style sheet padding and frame, with a little air
        r = self.contentsRect()
        self.setFont(
            fit_font(self.lang, self.text(), r.width() - m, r.height() - m, self.max_px, self.bold, self.wordWrap())
        )


class FitButton(_Fits, QPushButton):
    """A button sized by the layout (at least a fingertip), its type fitted to it."""

    def __init__(self, text: str = "", lang: str = "en", max_px: int = 40, bold: bool = True, min_px: int = 56):
        super().__init__()
        self.lang, self.max_px, self.bold, self.min_px = lang, max_px, bold, min_px
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setText(text)

    def configure(self, lang: str, max_px: int, min_px: int | None = None) -> None:
        self.lang, self.max_px = lang, max_px
        if min_px is not None:
            self.min_px = min_px
        self.updateGeometry()
        self._refit()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.min_px, self.min_px)

    def sizeHint(self) -> QSize:
        return QSize(self.min_px * 2, self.min_px)

    def setText(self, text: str) -> None:
        self.full_text = text  # what the button says; text() is it as drawn, maybe broken into lines
        QPushButton.setText(self, text)
        self._refit()

    def _refit(self) -> None:
        # the style's padding (10 px, 18 px) and border, and a little air
        text = getattr(self, "full_text", self.text())
        width, height = self.width() - 48, self.height() - 24
        one = fit_font(self.lang, text.replace("&&", "&"), width, height, self.max_px, self.bold)
        drawn = text
        if one.pixelSize() < max(READABLE_PX, self.max_px * 0.6) and width > 0 and height > 0:
            # a long name shrunk to fine print is unreadable: break it into lines instead, if larger
            wrapped = fit_wrapped(self.lang, text.replace("&&", "&"), width, height, self.max_px, self.bold)
            if wrapped is not None and wrapped[0].pixelSize() > one.pixelSize():
                one, drawn = wrapped[0], wrapped[1].replace("&", "&&")
        self.setFont(one)
        if drawn != self.text():
            QPushButton.setText(self, drawn)
