"""HLK-LD2410 24 GHz mmWave radar over a UART (pyserial), 256000 8N1.

Report frame (basic mode, 23 bytes; engineering mode has type 0x01 and a longer body):
  F4 F3 F2 F1 | len u16le (0x0D) | type 02 | AA | state | moving cm u16le | moving energy |
  still cm u16le | still energy | detection cm u16le | 55 | 00 | F8 F7 F6 F5
state: 0 nobody, 1 moving target, 2 still target, 3 both. Reports arrive every 50-100 ms.
Sources: ESPHome ld2410 docs and the module's protocol manual.

The parser resynchronises on the header after any corrupt or truncated frame, so a glitch on
the wire costs one report, never the stream.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from hardware.presence.base import Backoff, SensorBase
from hardware.presence.zone import ZoneTracker
from kiosk.devices import DeviceStatus, PresenceKind, PresenceSink

log = logging.getLogger(__name__)
HEAD = b"\xf4\xf3\xf2\xf1"
TAIL = b"\xf8\xf7\xf6\xf5"
MAX_BODY = 64


@dataclass(frozen=True)
class RadarReport:
    state: int
    moving_cm: int
    moving_energy: int
    still_cm: int
    still_energy: int
    detection_cm: int

    @property
    def present(self) -> bool:
        return self.state != 0

    @property
    def distance_m(self) -> float | None:
        """Nearest target the module reports, in metres. Modules send 0 for a field they did not
        measure (e.g. state "still" with only the moving distance filled), so zeros are skipped;
        a present target with no distance at all counts as at 0 m: the radar's own gate
        settings then define the zone."""
        if self.state == 0:
            return None
        wanted = [cm for bit, cm in ((1, self.moving_cm), (2, self.still_cm)) if self.state & bit and cm > 0]
        fallback = [cm for cm in (self.moving_cm, self.still_cm, self.detection_cm) if cm > 0]
        cms = wanted or fallback
        return min(cms) / 100 if cms else 0.0


class LD2410Parser:
    def __init__(self) -> None:
        self._buf = bytearray()
        self.corrupt_frames = 0

    def feed(self, data: bytes) -> list[RadarReport]:
        self._buf += data
        out: list[RadarReport] = []
        while True:
            start = self._buf.find(HEAD)
            if start < 0:
                del self._buf[: max(0, len(self._buf) - 3)]  # keep a possible partial header
                return out
            del self._buf[:start]
            if len(self._buf) < 6:
                return out
            length = int.from_bytes(self._buf[4:6], "little")
            if length > MAX_BODY:
                self.corrupt_frames += 1
                del self._buf[:4]
                continue
            end = 6 + length + 4
            if len(self._buf) < end:
                return out  # wait for the rest
            frame = bytes(self._buf[:end])
            report = _decode(frame[6 : 6 + length]) if frame[-4:] == TAIL else None
            if report is None:
                self.corrupt_frames += 1
                del self._buf[:4]  # resync after this header
                continue
            del self._buf[:end]
            out.append(report)


def _decode(body: bytes) -> RadarReport | None:
    if len(body) < 13 or body[0] not in (0x01, 0x02) or body[1] != 0xAA:
        return None
    if body[11] != 0x55 and body[-2] != 0x55:
        return None
    state = body[2]
    if state > 3:
        return None
    return RadarReport(
        state=state,
        moving_cm=int.from_bytes(body[3:5], "little"),
        moving_energy=body[5],
        still_cm=int.from_bytes(body[6:8], "little"),
        still_energy=body[8],
        detection_cm=int.from_bytes(body[9:11], "little"),
    )


def encode(report: RadarReport) -> bytes:
    """A basic-mode frame, as the module sends it (for tests and recordings)."""
    body = (
        bytes([0x02, 0xAA, report.state])
        + report.moving_cm.to_bytes(2, "little")
        + bytes([report.moving_energy])
        + report.still_cm.to_bytes(2, "little")
        + bytes([report.still_energy])
        + report.detection_cm.to_bytes(2, "little")
        + b"\x55\x00"
    )
    return HEAD + len(body).to_bytes(2, "little") + body + TAIL


class LD2410Sensor(SensorBase):
    """Reads the radar on its own thread; reconnects with back-off when unplugged; reports a
    fault when no valid frame arrived for `stale_after_s`. The radar sees one target (the
    nearest): an occupancy sensor, so it reports empty -> occupied, without a count."""

    kind = "radar"

    def __init__(
        self,
        name: str,
        port_url: str,
        baudrate: int = 256000,
        zone_m: float = 3.0,
        leave_after_s: float = 2.0,
        stale_after_s: float = 10.0,
        clock=time.monotonic,
        wall_clock=time.time,
    ):
        super().__init__(name, wall_clock)
        self.port_url = port_url
        self.baudrate = baudrate
        self.stale_after_s = stale_after_s
        self.zone = ZoneTracker(zone_m, leave_after_s)
        self.parser = LD2410Parser()
        self.port: Any = None  # a pyserial Serial once open
        self._clock = clock
        self._last_report_at: float | None = None
        self._faulty = False
        self._fault_detail = ""
        self.last_report: RadarReport | None = None
        self.reconnects = 0
        self.bytes_read = 0

    def start(self, sink: PresenceSink) -> None:
        self._last_report_at = self._clock()
        self._start_reader(sink)

    def stop(self) -> None:
        self._stop_reader()
        self._close()

    def status(self) -> DeviceStatus:
        r = self.last_report
        extra = {"corrupt_frames": self.parser.corrupt_frames, "reconnects": self.reconnects, "crashes": self.crashes}
        if self._thread is not None and not self.reader_alive and not self._stop.is_set():
            return DeviceStatus(self.name, "radar", False, "fault", f"reader stopped: {self.last_crash}", extra)
        if self._faulty:
            return DeviceStatus(self.name, "radar", False, "fault", self._fault_detail, extra)
        if r is None:  # nothing understood yet: say what was heard, so the installer knows where to look
            heard = (
                f"{self.bytes_read:,} bytes but no valid report (baud rate {self.baudrate}? a different radar?)"
                if self.bytes_read
                else f"nothing on {self.port_url} (powered? its TX wired to our RX? {self.baudrate} baud?)"
            )
            since = self._clock() - self._last_report_at if self._last_report_at is not None else 0.0
            return DeviceStatus(self.name, "radar", False, "silent", f"{heard} in {since:.0f} s", extra)
        state = "someone in zone" if self.zone.occupied else "zone empty"
        detail = f"nearest target {r.distance_m:.2f} m" if r.present else "no target"
        return DeviceStatus(self.name, "radar", True, state, detail, extra)

    # -- the reader thread
    def _open(self) -> None:
        import serial

        self.port = serial.serial_for_url(self.port_url, baudrate=self.baudrate, timeout=0.1)

    def _close(self) -> None:
        if self.port is not None:
            try:
                self.port.close()
            except Exception:
                pass
            self.port = None

    def _on_crash(self) -> None:
        self._close()
        self.zone = ZoneTracker(self.zone.zone_m, self.zone.leave_after_s)
        self._faulty = False  # so the crash is reported as a fault below

    def _loop(self) -> None:
        backoff = Backoff()
        while not self._stop.is_set():
            if self.port is None:
                try:
                    self._open()
                    backoff.reset()
                except Exception as e:
                    self._fault(f"cannot open {self.port_url}: {e}")
                    self._stop.wait(backoff.next())
                    self.reconnects += 1
                    continue
            try:
                data = self.port.read(256)
            except Exception as e:  # unplugged mid-read
                self._fault(f"{self.port_url} stopped: {e}")
                self._close()
                continue
            now = self._clock()
            self.bytes_read += len(data)
            for report in self.parser.feed(data) if data else []:
                self._last_report_at = now
                self.last_report = report
                if self._faulty:
                    self._faulty = False
                    self._emit(PresenceKind.RECOVERED, None, detail="reports arrive again")
                self._on_report(report)
            for kind, dist in self.zone.tick(now):
                self._emit(kind, dist)
            if self._last_report_at is not None and now - self._last_report_at > self.stale_after_s:
                self._fault(f"no report for {now - self._last_report_at:.0f} s")

    def _on_report(self, report: RadarReport) -> None:
        for kind, dist in self.zone.observe(self._clock(), report.distance_m):
            self._emit(kind, dist)

    def _fault(self, detail: str) -> None:
        if not self._faulty:
            self._faulty = True
            self._fault_detail = detail
            # what it saw no longer counts: when it reports again, someone there is someone new
            self.zone = ZoneTracker(self.zone.zone_m, self.zone.leave_after_s)
            log.warning("radar %s: %s", self.name, detail)
            self._emit(PresenceKind.FAULT, None, detail=detail)
