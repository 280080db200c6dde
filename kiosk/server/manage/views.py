"""What each page of the web manager view shows, as plain values for its template: the figures,
the chart, the log's rows, the follow-up board, the counters and the hall's health, in the
manager's language. The same report model (kiosk/report.py) as the Qt manager view and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.config import KioskConfig
from kiosk.hall_health import HallHealth
from kiosk.report import Report
from kiosk.report_text import LOG_COLUMNS, REPLY_METHODS, T, figure_cells, greeting_cells
from kiosk.reports import Figures

ROWS_SHOWN = 200  # the log's newest rows on the page; the CSV has every row
REPRINTABLE = ("waiting", "called")


def figure_rows(report: Report, t: T) -> list[tuple[str, str]]:
    """The figures with their labels in the page's language."""
    return [(t(label), value) for label, value in figure_cells(report, t)]


def greeting_rows(report: Report, t: T) -> list[tuple[str, str]]:
    if not report.greetings.get("arrivals"):
        return []
    return [(t(label), value) for label, value in greeting_cells(report, t)]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    hour: str
    value: str
    over: bool  # longer than the target


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    target_y: float | None
    target_label: str
    baseline: float


def hour_chart(by_hour: list[Figures], target_min: float | None, t: T) -> Chart | None:
    """Mean wait by hour of issue as SVG coordinates, with the target as a dashed line."""
    data = [(int(f.group["hour"]), f.mean_wait_min or 0.0) for f in by_hour]
    if not data:
        return None
    width, height, left, top_pad, bottom_pad = 1200, 170, 10, 24, 22
    top = max([v for _, v in data] + [target_min or 0, 1.0])
    plot_h = height - top_pad - bottom_pad
    step = (width - left * 2) / len(data)
    bars = []
    for i, (hour, value) in enumerate(data):
        h = plot_h * value / top
        bars.append(
            Bar(
                left + i * step + 3, top_pad + plot_h - h, max(step - 6, 2), h, f"{hour:02d}", f"{value:.0f}",
                target_min is not None and value > target_min,
            )
        )  # fmt: skip
    target_y = top_pad + plot_h - plot_h * target_min / top if target_min else None
    label = f"{t('Target wait')}: {target_min:g} {t('min')}" if target_min else ""
    return Chart(width, height, bars, target_y, label, top_pad + plot_h)


def log_table(report: Report, config: KioskConfig, lang: str, today: str, t: T) -> list[dict[str, Any]]:
    """The newest rows first, each cell as shown, and whether it may be reprinted from here."""
    counters = {c.id: c.name_in(lang) for c in config.counters}
    out = []
    for row in reversed(report.rows[-ROWS_SHOWN:]):
        cells = []
        for key, _ in LOG_COLUMNS:
            v = row.get(key)
            if v is None:
                text = ""
            elif key.endswith("_at"):
                text = v[11:16] if row["business_day"] == today else f"{v[5:10]} {v[11:16]}"
            elif key == "wait_min":
                text = f"{v:.1f}"
            elif key == "state":
                text = t(v)
            elif key == "owner_counter":
                text = counters.get(v, str(v))
            else:
                text = str(v)
            cells.append(text)
        reprint = row["business_day"] == today and row["state"] in REPRINTABLE
        out.append({"cells": cells, "number": row["number"], "reprint": reprint})
    return out


def follow_up_rows(
    items: list[dict[str, Any]], config: KioskConfig, lang: str, now: float, t: T
) -> list[dict[str, Any]]:
    tz = config.tz()

    def when(ts: float | None) -> str:
        return "" if ts is None else datetime.fromtimestamp(ts, tz).strftime("%m-%d %H:%M")

    methods = {code: t(words) for code, words in REPLY_METHODS}
    out = []
    for f in items:
        late = f["state"] == "open" and f["due_at"] < now
        state = t("overdue") if late else t("open") if f["state"] == "open" else t("replied")
        if f["state"] == "replied" and f.get("replied_at") and f["replied_at"] > f["due_at"]:
            state += " " + t("(late)")
        replied = ""
        if f["state"] == "replied":
            how = methods.get(f.get("reply_method") or "", "")
            replied = f"{f.get('replied_by') or ''} {how} {when(f.get('replied_at'))}".strip()
        out.append(
            {
                "id": f["id"],
                "number": f["number"],
                "complaint": f["complaint"],
                "category": config.category_name(f["category"], lang),
                "counter": config.counter_name(f["owner_counter_id"], lang) if f["owner_counter_id"] else "",
                "due": when(f["due_at"]),
                "state": state,
                "late": late,
                "open": f["state"] == "open",
                "note": f["note"],
                "contact": f.get("contact") or "",
                "replied": replied,
                "reply_note": f.get("reply_note") or "",
            }
        )
    return sorted(out, key=lambda r: (not r["late"], not r["open"]))  # overdue first


DEVICE_STATES = {
    "ready": "Ready",
    "ok": "Working",
    "paper_near_end": "Paper low",
    "paper_out": "Out of paper",
    "cover_open": "Cover open",
    "offline": "Offline",
    "missing": "Not found",
    "error": "Error",
    "unknown": "Unknown",
    "fault": "Fault",
    "flapping": "Flapping",
    "quiet": "Not heard from",
    "clock_off": "Clock is off",
    "recovered": "Working",
}


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def health_view(h: HallHealth, config: KioskConfig, t: T) -> dict[str, Any]:
    tz = config.tz()

    def when(ts: float | None) -> str:
        if ts is None:
            return "–"
        at = datetime.fromtimestamp(ts, tz)
        today = datetime.fromtimestamp(h.at, tz).date()
        return at.strftime("%H:%M:%S") if at.date() == today else at.strftime("%Y-%m-%d %H:%M")

    def device(d: Any) -> dict[str, Any]:
        offset = "" if d.clock_offset_s is None else f"{d.clock_offset_s:+.1f} {t('s')}"
        return {
            "name": d.name,
            "kind": t(d.kind),
            "state": t(DEVICE_STATES.get(d.state, d.state)),
            "good": d.good,
            "since": when(d.since),
            "detail": d.detail,
            "last_ticket": d.last_ticket or "",
            "version": d.version or "",
            "offset": offset,
        }

    db = h.database
    size = "–" if db.size_bytes is None else _size(db.size_bytes)
    return {
        "problems": h.problems,
        "printers": [device(d) for d in h.printers],
        "sensors": [device(d) for d in h.sensors],
        "devices": [device(d) for d in h.devices],
        "database": {
            "kind": db.kind,
            "latency": "–" if db.latency_ms is None else f"{db.latency_ms} ms",
            "size": size,
            "backup": when(db.last_backup_at) if db.last_backup_at else t("none recorded"),
            "backup_file": db.last_backup_file or "",
            "problem": db.problem or "",
            "good": db.problem is None,
        },
        "alerts": [
            {
                "at": when(e.at),
                "device": e.data.get("device", ""),
                "state": t(DEVICE_STATES.get(str(e.data.get("state")), str(e.data.get("state")))),
                "message": e.data.get("message", ""),
                "good": e.data.get("state") in ("ready", "recovered"),
            }
            for e in h.alerts
        ],
        "checked": when(h.at),
    }
