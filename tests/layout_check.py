"""What a person would see wrong on a screen: text cut off, a control outside the window or
under another one. Written against Qt's own geometry and font metrics, independent of the
screens' layout code."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

CONTROLS = (QLabel, QAbstractButton, QLineEdit, QComboBox, QDateEdit, QSpinBox)


def _rect(w: QWidget, window: QWidget) -> QRect:
    return QRect(w.mapTo(window, QPoint(0, 0)), w.size())


def _in_scroll_area(w: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractScrollArea):
            return True
        p = p.parentWidget()
    return False


def _visible_part(w: QWidget, window: QWidget) -> QRect:
    """The part of the widget its ancestors let show."""
    r = _rect(w, window)
    p = w.parentWidget()
    while p is not None and p is not window:
        r = r.intersected(_rect(p, window))
        p = p.parentWidget()
    return r.intersected(window.rect())


def _text_problem(w: QWidget) -> str:
    if isinstance(w, QLabel):
        text = w.text()
        if not text or w.pixmap() is not None and not w.pixmap().isNull():
            return ""
        if text.lstrip().startswith("<"):
            return ""  # the manager's HTML tables lay themselves out
        fm = QFontMetrics(w.font())
        area = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
        if w.wordWrap():
            need = fm.boundingRect(QRect(0, 0, area.width(), 100000), int(Qt.TextFlag.TextWordWrap), text)
            if need.height() > area.height() + 1 or need.width() > area.width() + 1:
                return f"needs {need.width()}x{need.height()} px, has {area.width()}x{area.height()}"
            return ""
        lines = text.split("\n")
        width = max(fm.horizontalAdvance(line) for line in lines)
        height = fm.lineSpacing() * len(lines)
        if width > area.width() + 1 or height > area.height() + 2:
            return f"needs {width}x{height} px, has {area.width()}x{area.height()}"
        return ""
    if isinstance(w, QAbstractButton):
        text = w.text().replace("&&", "&")
        if not text:
            return ""
        fm = QFontMetrics(w.font())
        lines = text.split("\n")
        width = max(fm.horizontalAdvance(line) for line in lines) + (
            w.iconSize().width() if not w.icon().isNull() else 0
        )
        height = fm.lineSpacing() * len(lines)
        if width > w.width() - 8 or height > w.height() - 4:
            return f"needs {width}x{height} px, has {w.width()}x{w.height()}"
    return ""


def layout_problems(window: QWidget) -> list[str]:
    """Every visible control: inside the window, not clipped by its parents, its text fitting,
    and not overlapping another control."""
    out = []
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and w.isVisibleTo(window)
        and w.width() > 0
        and w.height() > 0
        and not _in_scroll_area(w)
        and not isinstance(w.parentWidget(), (QComboBox, QDateEdit, QSpinBox))
    ]
    for w in controls:
        name = f"{type(w).__name__} {w.objectName() or ''}{(w.text()[:30] if hasattr(w, 'text') else '')!r}"
        full, shown = _rect(w, window), _visible_part(w, window)
        if shown != full:
            out.append(f"{name}: cut off (shows {shown.width()}x{shown.height()} of {full.width()}x{full.height()})")
            continue
        problem = _text_problem(w)
        if problem:
            out.append(f"{name}: text does not fit: {problem}")
    for i, a in enumerate(controls):
        for b in controls[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if _rect(a, window).intersects(_rect(b, window)):
                out.append(
                    f"{type(a).__name__} {a.text()[:20] if hasattr(a, 'text') else ''!r} overlaps "
                    f"{type(b).__name__} {b.text()[:20] if hasattr(b, 'text') else ''!r}"
                )
    return out
