"""Ticket rendering cost and size: render + encode time per ticket, bytes per ticket for each
layout, Chinese mode and paper width, and what that means on a serial line (8N1: 10 bits per
byte). Then the status round trip (DLE EOT: ask, one byte back) per kind of wire, beside
python-escpos's own status read on the same serial line.

    python bench/ticket.py [--n 50]

Last, what a customer waits with a printer that stops reading right after answering its status
question (a jam, a full buffer), for each encoding and baud rate: the stall is noticed after
`printer.stall_s`, not after the ticket's whole time on the wire plus its timeout.

The printer's own speed (about 0.3 s for a ticket at 250 mm/s) is the physical limit after that.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.fonts import find_cjk_font, load_font  # noqa: E402
from hardware.ticket_layout import Paper, render_ticket  # noqa: E402
from kiosk.config import example_config_text, parse_config  # noqa: E402
from kiosk.ticket_doc import make_ticket_doc, sample_ticket  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    font = str(find_cjk_font())
    config = parse_config(example_config_text())
    now = time.time()
    ticket = sample_ticket("general", now, number="A012", status_token="MOMOhqw3Im2SQu2FDRvKhA")
    print(
        f"{'layout':8} {'chinese':8} {'paper':>5} {'lang':8} {'render+encode p50':>18} {'p99':>8} {'bytes':>7} "
        f"{'9600 baud':>10} {'115200 baud':>12}"
    )
    modes = [("compact", "raster"), ("compact", "gb18030"), ("compact", "big5"), ("image", "raster")]
    for layout, chinese in modes:
        for mm in (80, 58):
            for lang in ("zh-Hant", "zh-Hans", "en"):
                doc = make_ticket_doc(ticket, config, lang, "http://kiosk.local:8000")
                load_font.cache_clear()
                first = time.perf_counter()
                size = len(render_ticket(doc, font, Paper(mm), layout, chinese).escpos)
                cold = (time.perf_counter() - first) * 1000
                times = []
                for _ in range(args.n):
                    t = time.perf_counter()
                    render_ticket(doc, font, Paper(mm), layout, chinese)
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
                print(
                    f"{layout:8} {chinese:8} {mm:>3}mm {lang:8} {statistics.median(times):15.1f} ms {p99:6.1f} ms "
                    f"{size:7d} {size * 10 / 9600:8.1f} s {size * 10 / 115200:10.2f} s   (first {cold:.0f} ms)"
                )
    status_round_trips(args.n)
    stalled_printer_waits()


def stalled_printer_waits() -> None:
    from hardware.factory import build_printer
    from hardware.printer.fakes import PtyPrinter
    from kiosk.config import PrinterModel

    config = parse_config(example_config_text())
    ticket = sample_ticket("general", time.time(), number="A012", status_token="MOMOhqw3Im2SQu2FDRvKhA")
    doc = make_ticket_doc(ticket, config, "zh-Hant", "http://kiosk.local:8000")
    print("\na printer that stops reading after its status reply (zh-Hant ticket, timeout_s 5, stall_s 2)")
    print(f"  {'chinese':8} {'baud':>6} {'bytes':>7} {'whole deadline':>15} {'customer told after':>20}")
    for chinese in ("auto", "raster"):
        for baud in (9600, 115200):
            fake = PtyPrinter(baudrate=baud, stop_reading_after=1)
            cfg = PrinterModel(kind="serial", serial_port=fake.port, baudrate=baud, chinese=chinese)
            printer = build_printer(cfg, "zh-Hant")
            assert printer is not None
            job = printer.render(doc)
            whole = printer.timeout_s + printer.wire_seconds(len(job.escpos))
            t = time.perf_counter()
            out = printer.send(job, time.monotonic() + whole)
            waited = time.perf_counter() - t
            fake.close()
            assert not out.printed
            print(f"  {chinese:8} {baud:>6} {len(job.escpos):7d} {whole:13.1f} s {waited:18.2f} s   ({out.message})")


def _health_p50(link, n: int) -> str:
    """Open the wire, ask the three questions, close: the median of n, as text."""
    from hardware.printer.status import query

    times = []
    for _ in range(n):
        t = time.perf_counter()
        link.open(time.monotonic() + 2)
        assert query(link, time.monotonic() + 2).state.value == "ready"
        link.close()
        times.append(time.perf_counter() - t)
    return f"{statistics.median(times) * 1000:7.2f} ms"


def status_round_trips(n: int) -> None:
    """One health check (three DLE EOT questions, opening and closing the wire) per kind."""
    import socket
    import threading

    from hardware.printer.fakes import READY, PtyPrinter
    from hardware.printer.links import NetworkLink, SerialLink

    print("\nstatus round trip (open, DLE EOT 1/2/4, close), p50 of", n)
    for baud in (115200, 9600):
        fake = PtyPrinter(baudrate=baud)
        print(f"  serial (pty) {baud:>6} baud   {_health_p50(SerialLink(fake.port, baud), n)}")
        fake.close()
    # python-escpos's own status read on the same line: it asks for 16 bytes and so waits the
    # serial timeout (here 1 s) for every one-byte reply
    from escpos.printer import Serial

    fake = PtyPrinter(baudrate=115200)
    p = Serial(fake.port, baudrate=115200, timeout=1, profile="default")
    p.open()
    t = time.perf_counter()
    p.query_status(b"\x10\x04\x01")
    print(
        f"  serial, python-escpos query_status (timeout 1 s): {(time.perf_counter() - t) * 1000:.0f} ms "
        "for one question"
    )
    p.close()
    fake.close()

    server = socket.create_server(("127.0.0.1", 0))  # a LAN printer that answers like one

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(64):
                    conn.sendall(bytes(READY.get(data[-1], 0x12) for i in range(0, len(data), 3)))

    threading.Thread(target=answer, daemon=True).start()
    print(f"  LAN (loopback listener)       {_health_p50(NetworkLink('127.0.0.1', server.getsockname()[1]), n)}")
    server.close()
    print('  device file / USB-lp: cannot answer status (reported "unknown", never "ready")')


if __name__ == "__main__":
    main()
