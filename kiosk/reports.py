"""The waiting-time log and the figures managers read from it (seed 003 3.1.4: every visit
written into the reception log, by category).

`log_rows` is the log, one row per ticket with every timestamp; `figures` groups it by day,
hour, service and/or counter. Waits are from issue to the *first* call (a transfer does not
reset anyone's wait); "within target" compares that wait with the target of the service the
ticket was issued for.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from kiosk import schema
from kiosk.config import KioskConfig
from kiosk.store import Store

T = schema.tickets
GROUPS = ("day", "hour", "service", "counter", "category", "staff")
_LOG_TIMES = ("issued_at", "first_called_at", "called_at", "started_at", "finished_at")


@dataclass(frozen=True)
class LogFilter:
    day_from: str | None = None  # ISO dates, inclusive
    day_to: str | None = None
    service: str | None = None
    counter: int | None = None
    number: str | None = None


def _query(branch: str, f: LogFilter) -> Select[Any]:
    q = select(T).where(T.c.branch == branch)
    if f.day_from:
        q = q.where(T.c.business_day >= f.day_from)
    if f.day_to:
        q = q.where(T.c.business_day <= f.day_to)
    if f.service:
        q = q.where((T.c.service == f.service) | (T.c.original_service == f.service))
    if f.counter is not None:
        q = q.where((T.c.owner_counter_id == f.counter) | (T.c.counter_id == f.counter))
    if f.number:
        q = q.where(T.c.number == f.number.upper())
    return q.order_by(T.c.issued_at, T.c.id)


def log_rows(
    store: Store, config: KioskConfig, f: LogFilter = LogFilter(), lang: str | None = None
) -> list[dict[str, Any]]:
    """The waiting-time log as dicts with local ISO 8601 times (offset included); service names
    in `lang` (default: the site's)."""
    tz = config.tz()
    names = {s.code: s.names[lang or config.site.language] for s in config.services}
    targets = {s.code: s.target_wait_minutes * 60 for s in config.services}
    with store.read() as conn:
        rows = conn.execute(_query(config.site.branch, f)).mappings().all()
    out = []
    for r in rows:
        waited = r["first_called_at"] - r["issued_at"] if r["first_called_at"] is not None else None
        began = r["started_at"] if r["started_at"] is not None else r["called_at"]
        served = r["finished_at"] - began if r["state"] == "finished" and began is not None else None
        target = targets.get(r["original_service"], r["target_wait_s"])
        out.append(
            {
                "number": r["number"],
                "business_day": r["business_day"],
                "service": r["service"],
                "service_name": names.get(r["service"], r["service"]),
                "original_service": r["original_service"],
                "priority": bool(r["priority"]),
                "state": r["state"],
                **{k: _iso(r[k], tz) for k in _LOG_TIMES},
                "wait_min": _minutes(waited),
                "service_min": _minutes(served),
                "within_target": None if waited is None else waited <= target,
                "counter": r["counter_id"],
                "owner_counter": r["owner_counter_id"],
                "transfers": r["transfers"],
                "recalls": r["recalls"],
                "overtaken_by_priority": r["overtaken"],
                "estimated_wait_min": _minutes(r["estimated_wait_s"]),
                "estimate_low_min": _minutes(r["estimate_low_s"]),
                "estimate_high_min": _minutes(r["estimate_high_s"]),
                "appointment_at": _iso(r["appointment_at"], tz),
                "call_reason": r["call_reason"],
                "reprints": r["reprints"],
                "kiosk": r["issued_by"],
                "category": r["category"],
                "category_name": config.category_name(r["category"], lang or config.site.language),
                "outcome": r["outcome"],
                "called_by": config.staff_name(r["called_by"]) or None,
                "finished_by": config.staff_name(r["finished_by"]) or None,
                "returns": r["returns"],
                "call_note": r["call_note"],
                "phone_alert": r["alerts_at"] is not None,  # asked their phone to alert them
            }
        )
    return out


def _iso(t: float | None, tz: ZoneInfo) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, tz).isoformat(timespec="seconds")


def _minutes(s: float | None) -> float | None:
    return None if s is None else round(s / 60, 2)


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (the same as numpy's default)."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass
class Figures:
    group: dict[str, Any]
    tickets: int
    called: int
    still_open: int
    mean_wait_min: float | None
    median_wait_min: float | None
    p90_wait_min: float | None
    within_target_pct: float | None
    mean_service_min: float | None
    no_shows: int
    transfers: int
    priority: int


def figures(rows: Iterable[dict[str, Any]], by: Sequence[str] = ()) -> list[Figures]:
    for g in by:
        if g not in GROUPS:
            raise ValueError(f"cannot group by {g!r}; choose from {', '.join(GROUPS)}")
    buckets: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        key = tuple(_group_value(r, g) for g in by)
        buckets.setdefault(key, []).append(r)
    out = []
    for key in sorted(buckets, key=lambda k: tuple((v is None, v) for v in k)):
        rs = buckets[key]
        waits = sorted(r["wait_min"] for r in rs if r["wait_min"] is not None)
        within = [r["within_target"] for r in rs if r["within_target"] is not None]
        services = [r["service_min"] for r in rs if r["service_min"] is not None]
        out.append(
            Figures(
                group=dict(zip(by, key)),
                tickets=len(rs),
                called=len(waits),
                still_open=sum(r["state"] in ("waiting", "called", "serving") for r in rs),
                mean_wait_min=_r(sum(waits) / len(waits)) if waits else None,
                median_wait_min=_r(percentile(waits, 0.5)),
                p90_wait_min=_r(percentile(waits, 0.9)),
                within_target_pct=_r(100 * sum(within) / len(within)) if within else None,
                mean_service_min=_r(sum(services) / len(services)) if services else None,
                no_shows=sum(r["state"] == "no_show" for r in rs),
                transfers=sum(r["transfers"] > 0 for r in rs),
                priority=sum(bool(r["priority"]) for r in rs),
            )
        )
    return out


def _group_value(row: dict[str, Any], group: str) -> Any:
    if group == "hour":
        return int(row["issued_at"][11:13])
    if group == "service":
        return row["original_service"]
    if group == "counter":
        return row["owner_counter"]
    if group == "category":
        return row["category"]
    if group == "staff":  # who served them: who finished the visit, else who called them
        return row["finished_by"] or row["called_by"]
    return row["business_day"]


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


# ---------------------------------------------------------------- estimates answering for themselves
def estimate_accuracy(rows: Iterable[dict[str, Any]], by: Sequence[str] = ()) -> list[dict[str, Any]]:
    """How right the quoted waits were: per group (e.g. service and hour of issue), the tickets
    called that had been quoted a wait, the mean error (waited - quoted, minutes: positive means
    longer than said), the mean error ignoring its sign, and the share whose wait fell inside the
    range quoted (kiosk/estimate.py)."""
    buckets: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        if r["wait_min"] is None or r.get("estimated_wait_min") is None:
            continue
        buckets.setdefault(tuple(_group_value(r, g) for g in by), []).append(r)
    out = []
    for key in sorted(buckets, key=lambda k: tuple((v is None, v) for v in k)):
        rs = buckets[key]
        errors = [r["wait_min"] - r["estimated_wait_min"] for r in rs]
        ranged = [r for r in rs if r.get("estimate_low_min") is not None and r.get("estimate_high_min") is not None]
        inside = sum(r["estimate_low_min"] <= r["wait_min"] <= r["estimate_high_min"] for r in ranged)
        out.append(
            {
                **dict(zip(by, key)),
                "quoted": len(rs),
                "mean_error_min": _r(sum(errors) / len(errors)),
                "mean_abs_error_min": _r(sum(abs(e) for e in errors) / len(errors)),
                "inside_range_pct": _r(100 * inside / len(ranged)) if ranged else None,
            }
        )
    return out


# ---------------------------------------------------------------- output formats
def figures_as_dicts(figs: Sequence[Figures]) -> list[dict[str, Any]]:
    out = []
    for f in figs:
        d = asdict(f)
        group = d.pop("group")
        out.append({**group, **d})
    return out


# Column headings a manager reads in a spreadsheet, per language (the keys stay for programs).
LOG_HEADERS: dict[str, tuple[str, str, str]] = {  # key: (zh-Hant, zh-Hans, en)
    "number": ("號碼", "号码", "Number"),
    "business_day": ("營業日", "营业日", "Business day"),
    "service": ("業務代碼", "业务代码", "Service code"),
    "service_name": ("業務", "业务", "Service"),
    "original_service": ("原業務代碼", "原业务代码", "First service code"),
    "priority": ("優先", "优先", "Priority"),
    "state": ("狀態", "状态", "State"),
    "issued_at": ("取號時間", "取号时间", "Issued"),
    "first_called_at": ("首次叫號", "首次叫号", "First called"),
    "called_at": ("叫號時間", "叫号时间", "Called"),
    "started_at": ("開始辦理", "开始办理", "Started"),
    "finished_at": ("完成時間", "完成时间", "Finished"),
    "wait_min": ("等候（分鐘）", "等候（分钟）", "Wait (min)"),
    "service_min": ("辦理（分鐘）", "办理（分钟）", "Service time (min)"),
    "within_target": ("目標時間內", "目标时间内", "Within target"),
    "counter": ("櫃台", "柜台", "Counter"),
    "owner_counter": ("首問櫃台", "首问柜台", "First counter"),
    "transfers": ("轉介次數", "转介次数", "Transfers"),
    "recalls": ("重叫次數", "重叫次数", "Recalls"),
    "overtaken_by_priority": ("被優先號超前", "被优先号超前", "Overtaken by priority"),
    "estimated_wait_min": ("預估等候（分鐘）", "预估等候（分钟）", "Estimated wait (min)"),
    "estimate_low_min": ("預估範圍下限（分鐘）", "预估范围下限（分钟）", "Quoted from (min)"),
    "estimate_high_min": ("預估範圍上限（分鐘）", "预估范围上限（分钟）", "Quoted to (min)"),
    "appointment_at": ("預約時間", "预约时间", "Appointment"),
    "call_reason": ("叫號原因", "叫号原因", "Call reason"),
    "reprints": ("補印次數", "补打次数", "Reprints"),
    "kiosk": ("取號機", "取号机", "Kiosk"),
    "category": ("類別代碼", "类别代码", "Category code"),
    "category_name": ("來訪類別", "来访类别", "Category"),
    "outcome": ("結果", "结果", "Outcome"),
    "called_by": ("叫號人員", "叫号人员", "Called by"),
    "finished_by": ("辦理人員", "办理人员", "Served by"),
    "returns": ("過號回隊次數", "过号回队次数", "Returns after no-show"),
    "call_note": ("指定叫號原因", "指定叫号原因", "Manual call reason"),
    "phone_alert": ("手機提醒", "手机提醒", "Phone alert"),
}
STATE_WORDS: dict[str, tuple[str, str, str]] = {
    "waiting": ("等候中", "等候中", "waiting"),
    "called": ("已叫號", "已叫号", "called"),
    "serving": ("辦理中", "办理中", "serving"),
    "finished": ("已完成", "已完成", "finished"),
    "no_show": ("過號未到", "过号未到", "no-show"),
    "resolved": ("當場辦結", "当场办结", "resolved"),
    "follow_up": ("待回覆", "待回复", "follow-up"),
}
YES_NO = {"zh-Hant": ("是", "否"), "zh-Hans": ("是", "否"), "en": ("yes", "no")}
_LANG_INDEX = {"zh-Hant": 0, "zh-Hans": 1, "en": 2}


def to_csv(rows: Sequence[dict[str, Any]], lang: str | None = None) -> str:
    """CSV that Excel opens with Chinese intact: UTF-8 with a byte-order mark, CRLF lines. With
    `lang`, a log's headings, states and yes/no are words in that language."""
    buf = io.StringIO()
    buf.write("\ufeff")
    if rows:
        keys = list(rows[0].keys())
        w = csv.writer(buf, lineterminator="\r\n")
        if lang is None:
            w.writerow(keys)
        else:
            i = _LANG_INDEX[lang]
            w.writerow([LOG_HEADERS[k][i] if k in LOG_HEADERS else k for k in keys])
        for r in rows:
            w.writerow([_cell(k, r[k], lang) for k in keys])
    return buf.getvalue()


def _cell(key: str, value: Any, lang: str | None) -> Any:
    if value is None:
        return ""
    if lang is None:
        return value
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if key == "state" and value in STATE_WORDS:
        return STATE_WORDS[value][_LANG_INDEX[lang]]
    return value


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def to_table(rows: Sequence[dict[str, Any]]) -> str:
    """A plain text table that stays aligned with Chinese in it (wide characters count 2)."""
    if not rows:
        return "(no tickets in this period)"
    cols = list(rows[0].keys())
    cells = [[("-" if r[c] is None else str(r[c])) for c in cols] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in cells)])


# ---------------------------------------------------------------- greetings
TICKET_AFTER_ARRIVAL_S = 600  # an arrival "took a ticket" if one was issued within this time


def greeting_rows(store: Store, config: KioskConfig, f: LogFilter = LogFilter()) -> list[dict[str, Any]]:
    """The greeting log: one row per arrival in the zone, with local ISO 8601 times."""
    G = schema.greetings
    tz = config.tz()
    q = select(G).where(G.c.branch == config.site.branch)
    if f.day_from:
        q = q.where(G.c.business_day >= f.day_from)
    if f.day_to:
        q = q.where(G.c.business_day <= f.day_to)
    with store.read() as conn:
        rows = conn.execute(q.order_by(G.c.arrival_at)).mappings().all()
    return [
        {
            "id": r["id"],
            "business_day": r["business_day"],
            "arrival_at": _iso(r["arrival_at"], tz),
            "arrival_ts": r["arrival_at"],
            "alerted": bool(r["alerted"]),
            "sources": r["sources"],
            "distance_m": r["distance_m"],
            "repeats": r["repeats"],
            "escalated": r["escalated_at"] is not None,
            "confirmed_at": _iso(r["confirmed_at"], tz),
            "confirmed_by": r["confirmed_by"],
            "latency_s": None if r["confirmed_at"] is None else round(r["confirmed_at"] - r["arrival_at"], 2),
        }
        for r in rows
    ]


def greeting_figures(
    greetings: Sequence[dict[str, Any]], tickets: Sequence[dict[str, Any]], target_s: float
) -> dict[str, Any]:
    """How fast arrivals were greeted, how many never were, how many left without a ticket."""
    alerted = [g for g in greetings if g["alerted"]]
    latencies = sorted(g["latency_s"] for g in alerted if g["latency_s"] is not None)
    # each ticket belongs to the latest arrival before it (the person who just walked in)
    issued = sorted(datetime.fromisoformat(t["issued_at"]).timestamp() for t in tickets)
    unmatched = sorted((g["arrival_ts"] for g in alerted), reverse=True)
    matched = 0
    for at in issued:
        for i, arrival in enumerate(unmatched):
            if arrival <= at <= arrival + TICKET_AFTER_ARRIVAL_S:
                unmatched.pop(i)
                matched += 1
                break
    return {
        "arrivals": len(greetings),
        "alerted": len(alerted),
        "confirmed": len(latencies),
        "greeted_late": sum(v > target_s for v in latencies),
        "median_greet_s": _r(percentile(latencies, 0.5)),
        "p90_greet_s": _r(percentile(latencies, 0.9)),
        "within_target_pct": _r(100 * sum(v <= target_s for v in latencies) / len(alerted)) if alerted else None,
        "unconfirmed": len(alerted) - len(latencies),
        "escalated": sum(g["escalated"] for g in alerted),
        "arrivals_without_ticket": len(alerted) - matched,
        "by_sensor": _greetings_by_sensor(alerted, target_s),
    }


def _greetings_by_sensor(alerted: Sequence[dict[str, Any]], target_s: float) -> list[dict[str, Any]]:
    """Per sensor that saw the arrival first: a sensor whose arrivals go unanswered, or that
    raises alerts nobody can find a person for, shows here."""
    by: dict[str, list[dict[str, Any]]] = {}
    for g in alerted:
        by.setdefault(g["sources"].split(",")[0], []).append(g)
    return [
        {
            "source": source,
            "arrivals": len(rows),
            "within_target": sum(1 for g in rows if g["latency_s"] is not None and g["latency_s"] <= target_s),
            "greeted_late": sum(1 for g in rows if g["latency_s"] is not None and g["latency_s"] > target_s),
            "unconfirmed": sum(1 for g in rows if g["latency_s"] is None),
        }
        for source, rows in sorted(by.items())
    ]


# ---------------------------------------------------------------- follow-ups
def follow_up_rows(store: Store, config: KioskConfig, f: LogFilter = LogFilter()) -> list[dict[str, Any]]:
    """Follow-ups opened in the period (by the business day of their visit), without contacts."""
    F = schema.follow_ups
    return _rows_of_days(store, F, config.site.branch, f, F.c.owner_counter_id, hidden=("branch", "contact"))


def follow_up_figures(rows: Sequence[dict[str, Any]], now: float) -> dict[str, Any]:
    """What the house rules count (seed 001 第三篇 四: 限時回覆, 回覆率 100 %): follow-ups opened,
    complaints among them, replied (and within their time), overdue now, and the reply rate:
    replied over those that were due by now or are replied (one not yet due counts for neither)."""
    replied = [r for r in rows if r["state"] == "replied"]
    overdue = [r for r in rows if r["state"] == "open" and r["due_at"] < now]
    counted = len(replied) + len(overdue)
    in_time = [r for r in replied if r["replied_at"] <= r["due_at"]]
    return {
        "follow_ups": len(rows),
        "complaints": sum(bool(r["complaint"]) for r in rows),
        "replied": len(replied),
        "replied_within_target": len(in_time),
        "replied_late": len(replied) - len(in_time),
        "overdue": len(overdue),
        "open_not_due": sum(r["state"] == "open" and r["due_at"] >= now for r in rows),
        "reply_rate_pct": _r(100 * len(replied) / counted) if counted else None,
        "reply_in_time_pct": _r(100 * len(in_time) / counted) if counted else None,
    }


def contact_rows(store: Store, config: KioskConfig, f: LogFilter = LogFilter()) -> list[dict[str, Any]]:
    """The reception log's calls, letters, e-mails and walk-ins of the period."""
    CH = schema.contacts
    return _rows_of_days(store, CH, config.site.branch, f, CH.c.counter_id, hidden=("branch",))


def _rows_of_days(
    store: Store, table: Any, branch: str, f: LogFilter, counter: Any, hidden: tuple[str, ...]
) -> list[dict[str, Any]]:
    """A log table's rows of the filter's business days (and counter), oldest first, without
    the `hidden` columns: the follow-ups and the calls and letters are read alike."""
    q = select(table).where(table.c.branch == branch)
    if f.day_from:
        q = q.where(table.c.business_day >= f.day_from)
    if f.day_to:
        q = q.where(table.c.business_day <= f.day_to)
    if f.counter is not None:
        q = q.where(counter == f.counter)
    with store.read() as conn:
        rows = conn.execute(q.order_by(table.c.id)).mappings().all()
    return [{k: v for k, v in r.items() if k not in hidden} for r in rows]


def contact_figures(rows: Sequence[dict[str, Any]], config: KioskConfig) -> dict[str, Any]:
    """Entries by channel; complaints and praise counted apart (seed 003 3.3.3), and how many
    were promised a reply."""
    complaints = {c.code for c in config.categories if c.complaint}
    return {
        "contacts": len(rows),
        "by_channel": {ch: sum(r["channel"] == ch for r in rows) for ch in ("phone", "letter", "email", "visit")},
        "complaints": sum(r["kind"] in complaints for r in rows),
        "praise": sum(r["kind"] == "praise" for r in rows),
        "followed_up": sum(r["follow_up_id"] is not None for r in rows),
    }


def phone_figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Customers who asked their phone to alert them (the status page's "Alert me"), and the
    no-show rate among them against the others: does the alert bring people back in time?"""
    called = [r for r in rows if r["state"] in ("finished", "no_show")]  # their call was decided
    alerted = [r for r in called if r.get("phone_alert")]
    others = [r for r in called if not r.get("phone_alert")]

    def rate(rs: Sequence[dict[str, Any]]) -> float | None:
        return _r(100 * sum(r["state"] == "no_show" for r in rs) / len(rs)) if rs else None

    return {
        "alerted": sum(bool(r.get("phone_alert")) for r in rows),
        "no_shows_alerted": sum(r["state"] == "no_show" for r in alerted),
        "no_show_pct_alerted": rate(alerted),
        "no_shows_not_alerted": sum(r["state"] == "no_show" for r in others),
        "no_show_pct_not_alerted": rate(others),
    }


def visits_by_category(rows: Sequence[dict[str, Any]], config: KioskConfig, lang: str) -> list[dict[str, Any]]:
    """Finished visits per category (the reception log's 分類), with how many became follow-ups."""
    out = []
    for c in config.categories:
        mine = [r for r in rows if r["category"] == c.code and r["state"] == "finished"]
        if mine:
            out.append(
                {
                    "category": c.code,
                    "category_name": c.names[lang],
                    "visits": len(mine),
                    "follow_ups": sum(r["outcome"] == "follow_up" for r in mine),
                }
            )
    return out


def staff_figures(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per person beside per counter: visits served, no-shows they marked, mean service time."""
    people: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        who = r["finished_by"] or r["called_by"]
        if who:
            people.setdefault(who, []).append(r)
    out = []
    for who in sorted(people):
        rs = people[who]
        times = [r["service_min"] for r in rs if r["service_min"] is not None]
        out.append(
            {
                "staff": who,
                "served": sum(r["state"] == "finished" for r in rs),
                "no_shows": sum(r["state"] == "no_show" for r in rs),
                "follow_ups": sum(r["outcome"] == "follow_up" for r in rs),
                "mean_service_min": _r(sum(times) / len(times)) if times else None,
            }
        )
    return out
