"""Tickets as a customer holds them: read back from the printer bytes. And a printer that is
out of paper, silent or hung never costs a customer their place."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PIL import Image

from hardware.fonts import find_cjk_font, has_glyphs, load_font
from hardware.printer.escpos_printer import EscposTicketPrinter
from hardware.printer.links import Missing
from hardware.printer.simulated import SimulatedPrinter
from hardware.printer.status import decode as decode_status
from hardware.ticket_layout import Paper, render_ticket
from kiosk.devices import PrinterState, TicketDoc
from kiosk.domain import TicketState
from kiosk.printing import PrintService
from kiosk.testing import finishes
from kiosk.ticket_doc import make_ticket_doc
from tests.escpos_decode import decode
from tests.qr_reader import read_qr

FONT = str(find_cjk_font())
URL = "http://kiosk.local:8000/t/MOMOhqw3Im2SQu2FDRvKhA"


def doc(lang: str = "zh-Hant", **kw) -> TicketDoc:
    base = dict(
        site_name="物業服務中心",
        number="A012",
        service_name="一般業務",
        issued_line="取號時間 2026-11-25 09:03",
        ahead_line="前面還有 3 位",
        wait_line="預計等候約 8 分鐘",
        status_url=URL,
        scan_line="掃描查看排隊進度",
        phrase_line="請留意叫號，謝謝",
        welcome_line="您好，歡迎光臨",
        language=lang,
    )
    base.update(kw)
    return TicketDoc(**base)


def glyph_shapes(raster: Image.Image) -> list[bytes]:
    """Split a text line into glyphs at blank columns; return each glyph's bitmap."""
    img = raster.convert("L")
    w, h = img.size
    inked = [bool(ink) for ink in (np.asarray(img) < 128).any(axis=0)]
    shapes, start = [], None
    for x, ink in enumerate(inked + [False]):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            shapes.append(img.crop((start, 0, x, h)).tobytes())
            start = None
    return shapes


def test_compact_ticket_has_the_exact_status_url_in_its_native_qr_and_a_big_native_number():
    d = decode(render_ticket(doc(), FONT, Paper(80), "compact").escpos)
    assert d.qr_data == [URL.encode()]
    assert b"A012" in bytes(d.text)
    assert d.cut
    assert all(d.align_center_before_raster)
    assert all(r.width <= 576 for r in d.rasters)


def test_image_ticket_qr_reads_back_with_opencv_to_the_exact_url():
    d = decode(render_ticket(doc(), FONT, Paper(80), "image").escpos)
    assert d.qr_data == []  # nothing native: all drawn
    assert read_qr(np.array(d.stacked())) == URL


@pytest.mark.parametrize("mm,width", [(80, 576), (58, 384)])
def test_58_and_80_mm_paper(mm, width):
    d = decode(render_ticket(doc(), FONT, Paper(mm), "image").escpos)
    assert d.rasters[0].width == width
    assert read_qr(np.array(d.stacked())) == URL


@pytest.mark.parametrize("lang,text", [("zh-Hant", "您好，歡迎光臨"), ("zh-Hans", "您好，欢迎光临")])
def test_chinese_lines_are_really_drawn_not_blank_and_not_boxes(lang, text):
    d = decode(render_ticket(doc(lang, welcome_line=text), FONT, Paper(80), "compact").escpos)
    first = d.rasters[0]  # the welcome line
    ink = sum(first.convert("L").histogram()[:128]) / (first.width * first.height)
    assert 0.05 < ink < 0.6, "the line is blank or solid black"
    shapes = glyph_shapes(first)
    # 7 characters, each its own shape; missing glyphs would all be the same box
    assert len(set(shapes)) >= 5
    assert has_glyphs(load_font(FONT, 26, lang), text)


def test_a_font_without_chinese_is_detected():
    from PIL import ImageFont

    latin = ImageFont.load_default(size=26)
    assert isinstance(latin, ImageFont.FreeTypeFont)
    assert not has_glyphs(latin, "歡迎")


def test_compact_ticket_stays_small_for_a_serial_line():
    compact = render_ticket(doc(), FONT, Paper(80), "compact").escpos
    image = render_ticket(doc(), FONT, Paper(80), "image").escpos
    assert len(compact) < 16_000 < len(image)  # 9600 baud: under 17 s instead of 70


def test_ticket_doc_from_an_issued_ticket(engine, config):
    res = engine.issue("payment")
    d = make_ticket_doc(res.ticket, config, "en", "http://hall.example:8000/")
    assert d.number == "B001" and d.service_name == "Payments"
    assert d.status_url == f"http://hall.example:8000/t/{res.ticket.status_token}"
    assert d.ahead_line == "0 ahead of you" and d.wait_line == "About 1 min wait"


# ---------------------------------------------------------------- status and failures
@pytest.mark.parametrize(
    "ps,cause,paper,state",
    [
        (b"\x16", b"\x12", b"\x12", PrinterState.READY),
        (b"\x16", b"\x12", b"\x1e", PrinterState.PAPER_NEAR_END),
        (b"\x1e", b"\x32", b"\x72", PrinterState.PAPER_OUT),
        (b"\x1e", b"\x16", b"\x12", PrinterState.COVER_OPEN),
        (b"\x1e", b"\x52", b"\x12", PrinterState.ERROR),
        (b"", b"", b"", PrinterState.OFFLINE),  # silence is not "plenty of paper"
        (b"\x00", b"\x00", b"\x00", PrinterState.OFFLINE),  # noise is not an answer either
    ],
)
def test_status_bytes(ps, cause, paper, state):
    assert decode_status(ps, cause, paper).state == state


class ScriptedLink:
    """A wire to a printer that answers status queries from a script (the Link protocol)."""

    can_query = True
    describe = "scripted"

    def __init__(self, replies: dict[int, list[bytes]]):
        self.replies = replies
        self.output = bytearray()
        self._last_query = 0

    def open(self, deadline: float) -> None:
        pass

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        if data[:2] == b"\x10\x04" and len(data) == 3:
            self._last_query = data[2]
            return
        self.output += data

    def read_byte(self, deadline: float) -> bytes:
        queue = self.replies.get(self._last_query, [])
        return queue.pop(0) if len(queue) > 1 else (queue[0] if queue else b"")

    def discard_input(self) -> None:
        pass

    def close(self) -> None:
        pass

    def wire_seconds(self, nbytes: int) -> float:
        return 0.0


def printer_with(link) -> EscposTicketPrinter:
    return EscposTicketPrinter("test printer", link, FONT, Paper(80), "compact")


def test_a_ready_printer_gets_the_whole_ticket():
    dev = ScriptedLink({1: [b"\x16"], 2: [b"\x12"], 4: [b"\x12"]})
    out = printer_with(dev).print_ticket(doc())
    assert out.printed and out.state == PrinterState.READY
    assert decode(bytes(dev.output)).qr_data == [URL.encode()] and out.bytes_sent == len(dev.output)


def test_paper_out_before_printing_sends_nothing():
    dev = ScriptedLink({1: [b"\x1e"], 2: [b"\x32"], 4: [b"\x72"]})
    out = printer_with(dev).print_ticket(doc())
    assert not out.printed and out.state == PrinterState.PAPER_OUT and dev.output == b""


def test_paper_running_out_during_the_ticket_counts_as_not_printed():
    dev = ScriptedLink({1: [b"\x16", b"\x1e"], 2: [b"\x12", b"\x32"], 4: [b"\x12", b"\x72"]})
    out = printer_with(dev).print_ticket(doc())
    assert not out.printed and out.state == PrinterState.PAPER_OUT and out.bytes_sent > 0


def test_a_silent_printer_is_offline_not_ready():
    out = printer_with(ScriptedLink({})).print_ticket(doc())
    assert not out.printed and out.state == PrinterState.OFFLINE


def test_an_unplugged_printer_is_missing_with_a_reason():
    class Unplugged(ScriptedLink):
        def open(self, deadline: float) -> None:
            raise Missing("cannot open USB 04b8:0202: No such device")

    out = printer_with(Unplugged({})).print_ticket(doc())
    assert not out.printed and out.state == PrinterState.MISSING and "USB 04b8:0202" in out.message


def test_a_hung_printer_does_not_hold_the_kiosk_and_staff_are_told(tmp_path):
    printer = SimulatedPrinter(tmp_path, FONT)
    printer.hang_s = 20
    printer.timeout_s = 0.5
    alerts = []

    def alert(device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device") -> None:
        alerts.append((state, message))

    service = PrintService(printer, alert)
    # it gives up at its deadline (0.5 s), not when the printer comes back (20 s)
    out = finishes(lambda: service.print(doc()), 10, "the print to give up at its deadline")
    assert not out.printed and out.state == PrinterState.OFFLINE
    again = finishes(lambda: service.print(doc(number="A013")), 10, "the next print while the first is stuck")
    assert not again.printed
    assert [a[0] for a in alerts] == ["offline", "offline"]
    assert "A012 was not printed" in alerts[0][1] and "shown on screen" in alerts[0][1]
    service.close()


def test_a_failed_print_leaves_the_ticket_in_line_and_alerts_staff_then_it_can_be_reprinted(engine, config, tmp_path):
    printer = SimulatedPrinter(tmp_path, FONT)
    printer.state = PrinterState.PAPER_OUT
    service = PrintService(printer, engine.device_alert)
    res = engine.issue("general")
    out = service.print(make_ticket_doc(res.ticket, config, "zh-Hant", config.site.public_url))
    assert not out.printed and out.state == PrinterState.PAPER_OUT
    assert engine.ticket(res.ticket.id).state == TicketState.WAITING  # the ticket stands
    alert = [e for e in engine.events_after(0) if e.kind == "device_alert"][-1]
    assert alert.data["state"] == "paper_out" and alert.data["ticket"] == "A001" and alert.data["kind"] == "printer"
    printer.state = PrinterState.READY  # staff change the roll
    reprint = service.print(make_ticket_doc(engine.ticket(res.ticket.id), config, "zh-Hant", config.site.public_url))
    assert reprint.printed and len(printer.printed) == 1
    assert printer.printed[0].with_suffix(".escpos").exists()
    assert Image.open(printer.printed[0]).width == 576
    service.close()


def test_paper_near_end_prints_but_warns_staff_once(tmp_path):
    printer = SimulatedPrinter(tmp_path, FONT)
    printer.state = PrinterState.PAPER_NEAR_END
    alerts = []
    service = PrintService(printer, lambda *a, **kw: alerts.append(a))
    assert service.print(doc()).printed and service.print(doc(number="A013")).printed
    assert len(alerts) == 1 and "paper is running out" in alerts[0][2]
    service.close()


def test_a_crashing_driver_is_reported_not_raised(tmp_path):
    class Broken(SimulatedPrinter):
        def send(self, job, deadline):
            raise RuntimeError("driver bug")

    service = PrintService(Broken(tmp_path, FONT))
    out = service.print(doc())
    assert not out.printed and out.state == PrinterState.ERROR and "driver bug" in out.message
    service.close()


def test_printing_does_not_block_other_threads(tmp_path):
    printer = SimulatedPrinter(tmp_path, FONT)
    printer.hang_s = 1
    service = PrintService(printer)
    fut = service.submit(doc())
    ticks = []

    def tick() -> None:
        for _ in range(10):
            ticks.append(time.monotonic())
            time.sleep(0.05)

    t = threading.Thread(target=tick)
    t.start()
    t.join()
    assert len(ticks) == 10 and not fut.done()  # the caller's thread ran on meanwhile
    assert fut.result(timeout=5).printed
    service.close()


def test_an_unreachable_lan_printer_is_offline_quickly():
    import socket

    from hardware.factory import build_printer
    from kiosk.config import PrinterModel

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    printer = build_printer(PrinterModel(kind="network", host="127.0.0.1", port=port, timeout_s=1))
    out = finishes(lambda: printer.print_ticket(doc()), 15, "the print to an unreachable LAN printer to give up")
    assert not out.printed and out.state == PrinterState.OFFLINE


# ---------------------------------------------------------------- the printer's own Chinese font
@pytest.mark.parametrize("codec,lang", [("gb18030", "zh-Hant"), ("gb18030", "zh-Hans"), ("big5", "zh-Hant")])
def test_native_chinese_sends_the_lines_as_text_in_the_printers_code(codec, lang):
    d_doc = doc(lang, ahead_line="前面还有 3 位" if lang == "zh-Hans" else "前面還有 3 位")
    data = render_ticket(d_doc, FONT, Paper(80), "compact", codec).escpos
    d = decode(data)
    lines = d.chinese(codec)
    assert d_doc.ahead_line in lines and d_doc.site_name in lines and d_doc.welcome_line in lines
    assert d.rasters == []  # nothing drawn
    assert d.qr_data == [URL.encode()] and b"A012" in bytes(d.text)
    assert len(data) < 2000  # about an English ticket: 1.6 s at 9600 baud


def test_big5_cannot_carry_simplified_chinese_so_those_lines_are_drawn():
    d = decode(render_ticket(doc("zh-Hans", welcome_line="您好，欢迎光临"), FONT, Paper(80), "compact", "big5").escpos)
    assert len(d.rasters) >= 1  # the line Big5 cannot encode
    assert "物業服務中心" in d.chinese("big5")  # the ones it can stay text


def test_a_long_chinese_line_wraps_within_the_paper_in_native_mode():
    long = "請攜帶身分證明文件及相關單據到櫃台辦理，謝謝您的耐心等候與配合"
    d = decode(render_ticket(doc(phrase_line=long), FONT, Paper(58), "compact", "gb18030").escpos)
    runs = d.chinese("gb18030")
    assert "".join(r for r in runs if r and r in long) == long
    assert all(sum(2 if ord(c) > 127 else 1 for c in r) <= 32 for r in runs)  # 32 columns on 58 mm
