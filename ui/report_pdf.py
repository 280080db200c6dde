"""The daily report as a PDF a manager prints: the figures, the chart of mean wait by hour, and
the tables by service, counter and person, written with Qt's own PDF writer (QTextDocument +
QPdfWriter, Chinese fonts included). Used by the Qt manager view, and by the web manager view
through `python -m ui.report_pdf` (a process of its own: the server never holds a Qt
application; kiosk/compose.py starts it)."""

from __future__ import annotations

import html
import pickle
import sys

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPageLayout, QPainter, QPdfWriter, QPen, QTextDocument, QTextTable

from kiosk.config import KioskConfig
from kiosk.report import Report
from kiosk.report_text import alerted_vs_not, target_of
from kiosk.reports import Figures, figures
from ui.i18n import t
from ui.theme import NAVY, RED, font


def draw_hour_chart(p: QPainter, area: QRectF, by_hour: list[Figures], target_min: float | None) -> None:
    """Bars of mean wait per hour of issue; a dashed line at the target wait."""
    p.fillRect(area, QColor("white"))
    p.setFont(font("zh-Hant", 14))
    p.setPen(QColor("#222"))
    p.drawText(
        area.adjusted(8, 4, 0, 0),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        t("Mean wait by hour of issue (minutes)"),
    )
    data = [(f.group["hour"], f.mean_wait_min or 0.0) for f in by_hour]
    if not data:
        p.drawText(area, Qt.AlignmentFlag.AlignCenter, t("no tickets in this period"))
        return
    top = max([v for _, v in data] + [target_min or 0, 1.0])
    plot = area.adjusted(40, 30, -10, -26)
    width = plot.width() / len(data)
    for i, (hour, value) in enumerate(data):
        h = plot.height() * value / top
        bar = QRectF(plot.left() + i * width + 4, plot.bottom() - h, width - 8, h)
        p.fillRect(bar, QColor(NAVY))
        p.drawText(QRectF(bar.left() - 4, plot.bottom() + 2, width, 20), Qt.AlignmentFlag.AlignHCenter, f"{hour:02d}")
        p.drawText(QRectF(bar.left() - 4, bar.top() - 18, width, 16), Qt.AlignmentFlag.AlignHCenter, f"{value:.0f}")
    if target_min:
        y = plot.bottom() - plot.height() * target_min / top
        p.setPen(QPen(QColor(RED), 2, Qt.PenStyle.DashLine))
        p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))


def write_report_pdf(report: Report, config: KioskConfig, lang: str, path: str) -> None:
    chart = hour_chart(report, config)
    out = pdf_writer(path)
    paginated(report, config, lang, chart, out).print_(out)


def hour_chart(report: Report, config: KioskConfig) -> QImage:
    chart = QImage(1400, 420, QImage.Format.Format_RGB32)
    p = QPainter(chart)
    draw_hour_chart(p, QRectF(0, 0, 1400, 420), report.by_hour, target_of(config, report.filter.service))
    p.end()
    return chart


def pdf_writer(path: str) -> QPdfWriter:
    out = QPdfWriter(path)
    out.setResolution(150)
    out.setTitle(t("Waiting-time report"))
    out.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    return out


def paginated(report: Report, config: KioskConfig, lang: str, chart: QImage, device: QPdfWriter) -> QTextDocument:
    """The report laid out on pages where no table that fits on one page is cut in two: a table
    that would run over the foot of a page starts on the next one (Qt's rich text can break a
    page before a table, not keep one whole, so the layout is measured and done again)."""
    breaks: set[int] = set()
    while True:
        doc = laid_out(report, config, lang, chart, device, breaks)
        cut = next((i for i in split_tables(doc) if i not in breaks), None)
        if cut is None:
            return doc
        breaks.add(cut)


def laid_out(
    report: Report, config: KioskConfig, lang: str, chart: QImage, device: QPdfWriter, breaks: set[int]
) -> QTextDocument:
    """The report on the writer's pages, a new page before each table in `breaks`."""
    doc = QTextDocument()
    body = font(lang, 11)
    body.setPointSizeF(10)  # points, not pixels: 11 px at the writer's 150 dpi printed as 5 pt
    doc.setDefaultFont(body)
    doc.documentLayout().setPaintDevice(device)  # type measured at the printer's resolution
    doc.setPageSize(QSizeF(device.width(), device.height()))
    doc.setDocumentMargin(0)  # the page's margins are the writer's
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart://hours"), chart)
    doc.setHtml(report_html(report, config, lang, breaks))
    doc.pageCount()  # lays the whole document out (layout is lazy)
    return doc


def split_tables(doc: QTextDocument) -> list[int]:
    """The tables (by their order in the report) that run over a page's foot though they would
    fit on one page."""
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    out = []
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]  # not the chart's frame
    for i, frame in enumerate(tables):
        box = layout.frameBoundingRect(frame)
        if box.height() < height * 0.9 and int(box.top() // height) != int((box.bottom() - 1) // height):
            out.append(i)
    return out


def report_html(report: Report, config: KioskConfig, lang: str, breaks: set[int] | frozenset[int] = frozenset()) -> str:
    """The PDF's page as HTML. Every name (site, service, category, person) is escaped: a name
    with < or & prints as it was typed, never as markup. `breaks`: the tables (0 = the first)
    that start a new page; the reception log's heading goes with its first table."""
    e = html.escape
    f, tot = report.filter, report.total
    names = {s.code: s.names[lang] for s in config.services}

    def cells(*values: object, tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{e(_v(v))}</{tag}>" for v in values) + "</tr>"

    mins = f" ({t('min')})"
    counter_names = {c.id: c.name_in(lang) for c in config.counters}
    by_counter = "".join(
        cells(
            counter_names.get(x.group["counter"], x.group["counter"]),
            x.tickets,
            x.mean_wait_min,
            x.p90_wait_min,
            f"{_v(x.within_target_pct)} %",
            x.mean_service_min,
            x.no_shows,
        )
        for x in figures(report.rows, ["counter"])
        if x.group.get("counter") is not None
    )
    by_service = "".join(
        cells(
            names.get(x.group["service"], x.group["service"]),
            x.tickets,
            x.mean_wait_min,
            x.p90_wait_min,
            f"{_v(x.within_target_pct)} %",
            x.no_shows,
        )
        for x in figures(report.rows, ["service"])
    )
    categories = "".join(cells(c["category_name"], c["visits"], c["follow_ups"]) for c in report.categories)
    people = "".join(
        cells(p["staff"], p["served"], p["no_shows"], p["follow_ups"], p["mean_service_min"]) for p in report.staff
    )
    fu, ph, ct = report.follow_ups, report.phones, report.contacts
    period = f.day_from if f.day_from == f.day_to else f"{f.day_from} – {f.day_to}"

    def table(i: int, keep_heading: bool = False) -> str:
        brk = ' style="page-break-before: always"' if i in breaks and not keep_heading else ""
        return f'<table width="100%" cellspacing="0" cellpadding="5" border="1"{brk}>'

    log_heading = ' style="page-break-before: always"' if 3 in breaks else ""
    return f"""
        <h1>{e(config.site.name[lang])} — {e(t("Waiting-time report"))}</h1>
        <p>{e(_v(period))}</p>
        {table(0)}
          {cells(t("Tickets"), t("Mean wait") + mins, t("Median wait") + mins, t("90% waited less than") + mins,
                 t("Called within target"), t("No-shows"), tag="th")}
          {cells(tot.tickets if tot else 0, tot and tot.mean_wait_min, tot and tot.median_wait_min,
                 tot and tot.p90_wait_min, f"{_v(tot and tot.within_target_pct)} %", tot.no_shows if tot else 0)}
        </table>
        <p><img src="chart://hours" width="640"><br>
        {e(t("Mean wait by hour of issue (minutes)"))} · {e(t("dashed line: the target wait"))}</p>
        {table(1)}
          {cells(t("Service"), t("Tickets"), t("Mean wait") + mins, t("90% waited less than") + mins,
                 t("Called within target"), t("No-shows"), tag="th")}
          {by_service}
        </table>
        <p></p>
        {table(2)}
          {cells(t("Counter"), t("Tickets"), t("Mean wait") + mins, t("90% waited less than") + mins,
                 t("Called within target"), t("Mean service time") + mins, t("No-shows"), tag="th")}
          {by_counter}
        </table>
        <h2{log_heading}>{e(t("Reception log"))}</h2>
        {table(3, keep_heading=True)}
          {cells(t("Follow-ups"), t("Complaints"), t("Replied in time"), t("Replied late"), t("Overdue"),
                 t("Reply rate"), tag="th")}
          {cells(fu.get("follow_ups", 0), fu.get("complaints", 0), fu.get("replied_within_target", 0),
                 fu.get("replied_late", 0), fu.get("overdue", 0),
                 f"{_v(fu.get('reply_rate_pct'))} % ({t('target')} 100 %)")}
        </table>
        <p></p>
        {table(4)}
          {cells(t("Phone"), t("Letter"), t("E-mail"), t("Walk-in"), t("Complaints"), t("Praise"), t("Reply promised"),
                 tag="th")}
          {cells(*(ct.get("by_channel", {}).get(ch, 0) for ch in ("phone", "letter", "email", "visit")),
                 ct.get("complaints", 0), ct.get("praise", 0), ct.get("followed_up", 0))}
        </table>
        <p></p>
        {table(5)}
          {cells(t("Phone alerts"), t("No-shows: alerted / not"), tag="th")}
          {cells(ph.get("alerted", 0), alerted_vs_not(ph))}
        </table>
        <p></p>
        {table(6)}
          {cells(t("Category"), t("Visits"), t("Follow-ups"), tag="th")}
          {categories}
        </table>
        <p></p>
        {table(7)}
          {cells(t("Staff"), t("Served"), t("No-shows"), t("Follow-ups"), t("Mean service time") + mins, tag="th")}
          {people}
        </table>"""  # fmt: skip


def _v(value) -> str:
    return "–" if value is None or value is False else str(value)


def main() -> int:
    """`python -m ui.report_pdf OUT.pdf`: (report, config, lang) pickled on stdin, from the
    server's own process (kiosk/compose.py), never from the network."""
    from PySide6.QtGui import QGuiApplication

    from ui.i18n import install_language

    report, config, lang = pickle.load(sys.stdin.buffer)
    app = QGuiApplication.instance() or QGuiApplication(["report-pdf"])
    install_language(lang)
    write_report_pdf(report, config, lang, sys.argv[1])
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
