"""What an ESC/POS printer says about itself (DLE EOT n, real-time status).

python-escpos 3.1's paper_status() answers "plenty of paper" when the printer says nothing, and
its read asks for 16 bytes (on a serial line that waits the whole timeout for a 1-byte reply),
so we ask and read ourselves (hardware/printer/links.py): no answer means we do not know, and a
printer we cannot hear is treated as offline, never as ready.

Bits (Epson ESC/POS reference; bits 1 and 4 are always set, so a valid reply has 0x12 set):
  n=1 printer status     bit 3: offline
  n=2 offline cause      bit 2: cover open, bit 5: stopped by paper end, bit 6: error
  n=4 roll paper sensor  bits 2-3: near end, bits 5-6: paper end
"""

from __future__ import annotations

from kiosk.devices import PrinterHealth, PrinterState

DLE_EOT = b"\x10\x04"


def _valid(reply: bytes) -> bool:
    return len(reply) >= 1 and reply[-1] & 0x93 == 0x12


def decode(printer_status: bytes, offline_cause: bytes, paper: bytes) -> PrinterHealth:
    if not (_valid(printer_status) and _valid(paper)):
        return PrinterHealth(PrinterState.OFFLINE, "the printer does not answer status requests")
    ps, pp = printer_status[-1], paper[-1]
    cause = offline_cause[-1] if _valid(offline_cause) else 0
    if pp & 0x60:
        return PrinterHealth(PrinterState.PAPER_OUT, "out of paper")
    if ps & 0x08:
        if cause & 0x04:
            return PrinterHealth(PrinterState.COVER_OPEN, "the cover is open")
        if cause & 0x20:
            return PrinterHealth(PrinterState.PAPER_OUT, "out of paper")
        if cause & 0x40:
            return PrinterHealth(PrinterState.ERROR, "the printer reports an error (cutter jam or overheating?)")
        return PrinterHealth(PrinterState.OFFLINE, "the printer is offline")
    if pp & 0x0C:
        return PrinterHealth(PrinterState.PAPER_NEAR_END, "paper is running out")
    return PrinterHealth(PrinterState.READY)


def query(link, deadline: float) -> PrinterHealth:
    """Ask the printer on an open link how it is. Each question returns on the reply's one
    byte; a printer that says nothing costs at most until `deadline`, and is offline."""
    from hardware.printer.links import LinkError

    def ask(n: int) -> bytes:
        link.discard_input()  # a late answer to an earlier question is not this one
        link.write(DLE_EOT + bytes([n]), deadline)
        return link.read_byte(deadline)

    try:
        first = ask(1)
        if not _valid(first):
            return PrinterHealth(PrinterState.OFFLINE, "the printer does not answer status requests")
        return decode(first, ask(2), ask(4))
    except LinkError as e:
        return PrinterHealth(PrinterState.OFFLINE, str(e))


def still_taking(link, unconfirmed_s: float, stall_s: float, deadline: float) -> PrinterHealth | None:
    """Mid-ticket: has the printer read everything sent so far? Its answer to DLE EOT 1 queues
    behind those bytes, so it may take their time on the wire plus `stall_s`. None: yes, go on;
    else why not (silent: it stopped taking data; offline: its own reason)."""
    import time

    from hardware.printer.links import LinkError

    try:
        link.discard_input()
        link.write(DLE_EOT + b"\x01", deadline)
        reply = link.read_byte(min(deadline, time.monotonic() + unconfirmed_s + stall_s))
    except LinkError as e:
        return PrinterHealth(PrinterState.OFFLINE, str(e))
    if not _valid(reply):
        return PrinterHealth(PrinterState.OFFLINE, f"the printer took no data for {stall_s:g} s")
    if reply[-1] & 0x08:  # offline mid-ticket: ask why (paper out, cover open)
        return query(link, min(deadline, time.monotonic() + stall_s))
    return None
