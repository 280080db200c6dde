"""What the core expects of devices. `hardware/` implements these; the core never imports a
device library (design: dependency direction). Every device has a simulated twin.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol


# ---------------------------------------------------------------- printer
class DeviceSetupError(RuntimeError):
    """A device that cannot be set up as configured (a missing font for the tickets, say), with
    what to do about it: the CLI prints it; the screens go on without the device."""


@dataclass(frozen=True)
class TicketDoc:
    """Everything printed on a ticket, already in the customer's language. Pure data."""

    site_name: str
    number: str
    service_name: str
    issued_line: str  # "取號時間 2026-11-25 09:03"
    ahead_line: str  # "前面還有 3 位"
    wait_line: str  # "預計等候約 8 分鐘"
    status_url: str
    scan_line: str  # "掃描查看排隊進度"
    phrase_line: str  # "請留意叫號，謝謝"
    welcome_line: str  # "您好，歡迎光臨"
    language: str
    priority_line: str = ""  # "優先" on a priority ticket, so staff and customer can see it
    what: ClassVar[str] = "ticket"  # how staff hear of it when it is not printed


@dataclass(frozen=True)
class SlipDoc:
    """A follow-up slip: the reply a customer was promised and by when, in their language
    (seed 000 篇3 六, 002: tell the customer the reply time). Pure data."""

    site_name: str
    heading: str  # "回覆通知單"
    number: str  # the matter as the follow-up board names it: "A012", "TEL-007"
    reference_line: str  # "編號 A012 · 2026-12-05"
    matter_lines: tuple[str, ...]  # its category, and what was promised
    reply_line: str  # "我們會在 12月7日（星期一）17:00 前回覆您"
    counter_line: str  # "受理櫃台：2號櫃台"
    status_url: str  # the ticket's status page; "" for a call or letter
    scan_line: str  # "掃描可查看回覆時間" under the QR code; "" without one
    keep_line: str  # "請保留此單，查詢時請告知受理編號"
    language: str
    what: ClassVar[str] = "follow-up slip"


PrintDoc = TicketDoc | SlipDoc


class PrinterState(str, enum.Enum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"  # still prints; staff should change the roll soon
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"  # switched off, not answering, or the wire failed
    MISSING = "missing"  # the device is not there at all (no such port or file)
    ERROR = "error"
    UNKNOWN = "unknown"  # the connection cannot ask (file, plain USB-lp)

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.READY, PrinterState.PAPER_NEAR_END, PrinterState.UNKNOWN)


@dataclass(frozen=True)
class PrinterHealth:
    state: PrinterState
    detail: str = ""


@dataclass(frozen=True)
class PrintOutcome:
    printed: bool
    state: PrinterState
    message: str = ""
    bytes_sent: int = 0
    seconds: float = 0.0


class PrintJob(Protocol):
    """A ticket rendered for one printer: the bytes that go on the wire."""

    @property
    def escpos(self) -> bytes: ...


class TicketPrinter(Protocol):
    """A printer: render (pure, no I/O), then send under a deadline. Every I/O call returns by
    its deadline (time.monotonic()), whatever the device does."""

    name: str
    timeout_s: float

    def health(self, deadline: float | None = None) -> PrinterHealth:
        """Ask the printer how it is, by `deadline` (default: now + timeout_s)."""

    def render(self, doc: PrintDoc) -> PrintJob: ...

    def wire_seconds(self, nbytes: int) -> float:
        """The time `nbytes` need on this printer's wire (serial: at its baud rate)."""

    def send(self, job: PrintJob, deadline: float) -> PrintOutcome:
        """Check, write, check again. Printed only on a positive answer after the last byte."""

    def print_ticket(self, doc: PrintDoc) -> PrintOutcome:
        """render + send with the printer's own deadline (timeout_s + time on the wire)."""


# ---------------------------------------------------------------- presence
class PresenceKind(str, enum.Enum):
    ENTER = "enter"  # someone came into the zone
    LEAVE = "leave"  # the zone is empty again (as far as this sensor knows)
    FAULT = "fault"  # the sensor stopped reporting or was unplugged
    RECOVERED = "recovered"


@dataclass(frozen=True)
class PresenceEvent:
    source: str
    kind: PresenceKind
    at: float
    distance_m: float | None = None
    count: int | None = None
    detail: str = ""


PresenceSink = Callable[[PresenceEvent], None]


class PresenceSensor(Protocol):
    name: str

    def start(self, sink: PresenceSink) -> None:
        """Begin reporting events to `sink` (from the sensor's own thread)."""

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...


@dataclass(frozen=True)
class DeviceStatus:
    """One line of `kiosk check-hardware`."""

    name: str
    kind: str
    ok: bool
    state: str
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
