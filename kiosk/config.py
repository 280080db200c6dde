"""The site's configuration: one TOML file, validated with pydantic.

An invalid file stops start-up with one line per problem naming the file, the key and what is
wrong (`ConfigError`); the CLI turns that into exit code 2.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kiosk.domain import LANGUAGES, CounterInfo, Service
from kiosk.service_calendar import ServiceCalendar

Language = Literal["zh-Hant", "zh-Hans", "en"]  # for pydantic and mypy; kept equal to domain.LANGUAGES:
assert get_args(Language) == LANGUAGES, "config.Language and domain.LANGUAGES must name the same languages"


LOCAL_KIOSK = "kiosk"  # the name of the kiosk of `kiosk run` (one machine, no server)


class ConfigError(Exception):
    """A configuration that cannot be used. `str()` is the message for the person fixing it."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not silently ignored


def _parse_hhmm(value: str) -> int:
    """Minutes after midnight; "24:00" is the end of the day."""
    try:
        hh, mm = value.split(":")
        h, m = int(hh), int(mm)
    except (ValueError, AttributeError):
        raise ValueError(f"expected a time like '09:00', got {value!r}") from None
    if not (0 <= h <= 23 and 0 <= m <= 59) and (h, m) != (24, 0):
        raise ValueError(f"expected a time from 00:00 to 24:00, got {value!r}")
    return h * 60 + m


def _known_languages(names: dict[str, str]) -> dict[str, str]:
    unknown = [k for k in names if k not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r} (known: {', '.join(LANGUAGES)})")
    return names


# a text in each language, keyed by language code; str keys, so any language read from a screen
# or a request can look one up
Names = Annotated[dict[str, str], AfterValidator(_known_languages)]


def _in_every_language(names: dict[str, str]) -> dict[str, str]:
    """Every customer-facing name is given in all three languages: one screen, one language."""
    missing = [lang for lang in LANGUAGES if not names.get(lang, "").strip()]
    if missing:
        raise ValueError(f"a name is needed in every language; missing: {', '.join(missing)}")
    return names


class HoursModel(_Model):
    """When a service (or the site) is open."""

    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = [1, 2, 3, 4, 5]
    days_of_month: list[Annotated[int, Field(ge=1, le=31)]] = []
    hours: list[tuple[str, str]] = [("09:00", "17:00")]
    closed_dates: list[date] = []

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, v: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if not v:
            raise ValueError('at least one opening period is needed, like [["09:00", "17:00"]]')
        for start, end in v:
            a, b = _parse_hhmm(start), _parse_hhmm(end)
            if a == b or a == 1440:
                raise ValueError(f'opening period {start}-{end} is empty; the whole day is "00:00"-"24:00"')
            # b < a: a period across midnight ("22:00"-"06:00"), belonging to the day it starts on
        return v

    def calendar(self) -> ServiceCalendar:
        return ServiceCalendar(
            weekdays=tuple(self.weekdays),
            days_of_month=tuple(self.days_of_month),
            hours=tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in self.hours),
            closed_dates=tuple(self.closed_dates),
        )


class ServiceModel(_Model):
    code: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,32}$")]
    prefix: Annotated[str, Field(pattern=r"^[A-Z]$")]
    names: Names
    target_wait_minutes: Annotated[float, Field(gt=0, le=24 * 60)] = 15
    mean_service_minutes: Annotated[float, Field(gt=0, le=24 * 60)] = 5
    calendar: HoursModel | None = None  # None: the site's opening hours
    default_category: str = ""  # preselected at finish, so a routine visit ends in one tap (empty: the first)
    # an appointment's check-in window for this service (None: the [appointments] section's)
    appointment_early_minutes: Annotated[float, Field(ge=0, le=24 * 60)] | None = None
    appointment_late_minutes: Annotated[float, Field(ge=0, le=24 * 60)] | None = None

    _all_languages = field_validator("names")(classmethod(lambda cls, v: _in_every_language(v)))


class CounterModel(_Model):
    id: Annotated[int, Field(ge=1, le=999)]
    # a name in each language ({"zh-Hant" = "1號櫃台", "zh-Hans" = "1号柜台", "en" = "Counter 1"}),
    # or one name that every screen shows as it is
    name: str | Names
    services: Annotated[list[str], Field(min_length=1)]
    # where it is, told on a customer's phone when they are called ("2F, left of the lifts");
    # in each language, or one text for all; empty: the name says it
    where: str | Names = ""
    # the printer that prints this counter's follow-up slips: a kiosk's name (its token's name;
    # "kiosk" on a one-machine hall) or a counter panel's own printer (its token's name); empty:
    # the kiosk that issued the customer's ticket
    slip_printer: Annotated[str, Field(max_length=64)] = ""

    @field_validator("name")
    @classmethod
    def _names(cls, v: str | dict[str, str]) -> str | dict[str, str]:
        if isinstance(v, dict):
            _in_every_language(v)
        elif not v.strip():
            raise ValueError("a counter needs a name")
        return v

    @field_validator("where")
    @classmethod
    def _where(cls, v: str | dict[str, str]) -> str | dict[str, str]:
        if isinstance(v, dict):
            _in_every_language(v)
        return v

    def name_in(self, lang: str) -> str:
        return self.name if isinstance(self.name, str) else self.name.get(lang) or next(iter(self.name.values()))

    def where_in(self, lang: str) -> str:
        return self.where if isinstance(self.where, str) else self.where.get(lang, "")


class PauseReasonModel(_Model):
    """A reason for leaving the counter that the display can show in its own language."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,32}$")]
    names: Names

    _all_languages = field_validator("names")(classmethod(lambda cls, v: _in_every_language(v)))


DEFAULT_PAUSE_REASONS = [
    PauseReasonModel(code="lunch", names={"zh-Hant": "午餐休息", "zh-Hans": "午餐休息", "en": "Lunch break"}),
    PauseReasonModel(
        code="back_soon", names={"zh-Hant": "暫時離開，馬上回來", "zh-Hans": "暂时离开，马上回来", "en": "Back soon"}
    ),
    PauseReasonModel(code="meeting", names={"zh-Hant": "會議", "zh-Hans": "会议", "en": "Meeting"}),
    PauseReasonModel(
        code="helping",
        names={"zh-Hant": "在大廳協助客戶", "zh-Hans": "在大厅协助客户", "en": "Helping a customer in the hall"},
    ),
]


class CategoryModel(_Model):
    """What a visit was about, chosen at the counter when it ends (seed 001: 登記, 分類)."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,32}$")]
    names: Names
    reply_within_hours: Annotated[float, Field(gt=0, le=720)] = 48  # a promised follow-up is due this much later
    complaint: bool = False  # always a follow-up, always reaches the manager

    _all_languages = field_validator("names")(classmethod(lambda cls, v: _in_every_language(v)))


DEFAULT_CATEGORIES = [
    CategoryModel(code="enquiry", names={"zh-Hant": "諮詢", "zh-Hans": "咨询", "en": "Enquiry"}, reply_within_hours=24),
    CategoryModel(
        code="problem",
        names={"zh-Hant": "反映問題", "zh-Hans": "反映问题", "en": "Report a problem"},
        reply_within_hours=48,
    ),
    CategoryModel(
        code="complaint",
        names={"zh-Hant": "投訴", "zh-Hans": "投诉", "en": "Complaint"},
        reply_within_hours=72,
        complaint=True,
    ),
    CategoryModel(code="payment", names={"zh-Hant": "繳費", "zh-Hans": "缴费", "en": "Payment"}, reply_within_hours=24),
    CategoryModel(code="other", names={"zh-Hant": "其他", "zh-Hans": "其他", "en": "Other"}, reply_within_hours=48),
]


class FollowUpModel(_Model):
    # how a category's reply_within_hours is counted: "working_days": hours of the days the site
    # works (24 h from Friday 16:00 is Monday 16:00); "opening_hours": only the hours it is open
    # (8 h from Friday 16:00 is Monday 16:00 with 09:00-17:00); "calendar": every hour
    hours: Literal["working_days", "opening_hours", "calendar"] = "working_days"
    # a contact the customer agreed to give is erased this long after its follow-up is replied
    retention_days: Annotated[int, Field(ge=0, le=365)] = 30


PIN_OR_HASH = r"^([0-9]{4,8}|scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+)?$"


class StaffModel(_Model):
    """A person who signs in at a counter with their own PIN; a manager also opens the manager
    view with it. Configured staff replace the shared `site.staff_pin`."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
    name: Annotated[str, Field(min_length=1, max_length=40)]
    # a salted hash (`kiosk staff set-pin ID` writes it); a clear PIN of 4 to 8 digits from an
    # old config still works and is flagged at start-up; empty as the server sends it to screens
    pin: Annotated[str, Field(pattern=PIN_OR_HASH)]
    manager: bool = False


class TokenModel(_Model):
    token: Annotated[str, Field(min_length=16)]
    role: Literal["kiosk", "counter", "display", "sensor", "manager"]
    counter: int | None = None
    name: str = ""

    @model_validator(mode="after")
    def _counter_role(self) -> TokenModel:
        if self.role == "counter" and self.counter is None:
            raise ValueError("a token with role 'counter' needs `counter = <counter id>`")
        return self


class SiteModel(_Model):
    name: Names = {"zh-Hant": "服務大廳", "zh-Hans": "服务大厅", "en": "Service Hall"}
    branch: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = "main"
    timezone: str = "Asia/Taipei"
    language: Language = "zh-Hant"
    database: str = ""  # empty: SQLite in the user data directory
    # leaves the kiosk (each kiosk's own: the server never sends it), opens the manager view where
    # no staff are configured; a PIN or its hash (`kiosk staff hash-pin`)
    staff_pin: Annotated[str, Field(pattern=PIN_OR_HASH, min_length=4)] = "2580"
    public_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(:\d+)?(/\S*)?$")] = "http://kiosk.local:8000"
    hours: HoursModel = HoursModel()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name like 'Asia/Taipei'") from None
        return v


class QueueModel(_Model):
    max_priority_in_a_row: Annotated[int, Field(ge=0, le=10)] = 2
    estimate_recent_tickets: Annotated[int, Field(ge=1, le=500)] = 20
    max_pause_hours: Annotated[float, Field(gt=0, le=24)] = 12  # a pause's expected return, at most this far
    max_recalls: Annotated[int, Field(ge=0, le=20)] = 3  # a called customer is called again at most this often
    # a called customer who has not come this long after the last call is a no-show (0: never by itself)
    no_show_after_minutes: Annotated[float, Field(ge=0, le=240)] = 10
    # a no-show brought back by staff: into line at their original queue time, or at the front
    no_show_returns_to: Literal["original_place", "front"] = "original_place"


class AppointmentsModel(_Model):
    # a booked appointment checked in may go before walk-ins at its time, but no walk-in is passed
    # over by more than this many appointments in a row (0: an appointment only keeps its place)
    max_in_a_row: Annotated[int, Field(ge=0, le=10)] = 2
    early_minutes: Annotated[float, Field(ge=0, le=24 * 60)] = 30  # check-in opens this long before
    late_minutes: Annotated[float, Field(ge=0, le=24 * 60)] = 10  # and closes this long after
    # a booking's name and phone are erased this many days after its day ends (0: the next day)
    keep_personal_days: Annotated[int, Field(ge=0, le=366)] = 0
    at_kiosk: bool = False  # the kiosk offers "I have an appointment" (a hall that books turns it on)


SLOW_SERIAL_BAUD = 38400  # below it a raster ticket (12.7 KB) takes more than 3 s on the wire


class PrinterModel(_Model):
    """The ticket printer. kind "simulated" writes ESC/POS bytes and a PNG per ticket to out_dir."""

    kind: Literal["simulated", "usb", "serial", "network", "file", "none"] = "simulated"
    paper_mm: Literal[58, 80] = 80
    layout: Literal["compact", "image"] = "compact"
    # Chinese lines as pixels ("raster", every printer), or as text in the printer's own
    # Chinese font ("gb18030" / "big5": printers sold in China / Taiwan; ~20x fewer bytes).
    # "auto": raster, except on a serial line slower than 38,400 baud, where a raster ticket
    # takes 13 s: there the printer's own font (big5 for a zh-Hant site, else gb18030)
    chinese: Literal["auto", "raster", "gb18030", "big5"] = "auto"
    font: str = ""  # empty: the Noto Sans CJK found by fontconfig
    # how long the printer may take to answer and print, on top of the ticket's time on the wire
    timeout_s: Annotated[float, Field(gt=0, le=60)] = 5
    # a printer that takes no byte, or does not answer a status question, for this long has
    # failed the ticket (the customer is told then, not after the whole ticket's time)
    stall_s: Annotated[float, Field(gt=0, le=30)] = 2
    poll_s: Annotated[float, Field(ge=0, le=3600)] = 30  # ask an idle printer how it is (0: never)
    out_dir: str = ""  # simulated: default <user data dir>/tickets
    usb_vendor: int | None = None  # e.g. 0x04b8 (Epson)
    usb_product: int | None = None
    serial_port: str = ""
    baudrate: Annotated[int, Field(ge=1200, le=921600)] = 9600
    host: str = ""
    port: Annotated[int, Field(ge=1, le=65535)] = 9100
    file: str = ""  # e.g. /dev/usb/lp0

    def chinese_on_this_line(self, site_language: str) -> Literal["raster", "gb18030", "big5"]:
        """How Chinese lines travel to this printer ("auto" resolved by the wire's speed)."""
        if self.chinese != "auto":
            return self.chinese
        if self.kind == "serial" and self.baudrate < SLOW_SERIAL_BAUD:
            return "big5" if site_language == "zh-Hant" else "gb18030"
        return "raster"

    @model_validator(mode="after")
    def _needs(self) -> PrinterModel:
        need = {
            "usb": ("usb_vendor", "usb_product"),
            "serial": ("serial_port",),
            "network": ("host",),
            "file": ("file",),
        }.get(self.kind, ())
        missing = [k for k in need if getattr(self, k) in (None, "")]
        if missing:
            raise ValueError(f"a {self.kind} printer needs {' and '.join(missing)}")
        return self


class SensorModel(_Model):
    """A presence input at the entrance. Pins are BCM GPIO numbers."""

    kind: Literal["door", "pir", "ultrasonic", "radar", "camera"]
    name: str
    pin: int | None = None  # door, pir
    door_open_when: Literal["released", "pressed"] = "released"  # normally-closed reed to ground: released
    trigger_pin: int | None = None  # ultrasonic
    echo_pin: int | None = None
    serial_port: str = ""  # radar, e.g. /dev/ttyAMA0 (pyserial URL)
    baudrate: int = 256000
    camera: str = ""  # camera: device index ("0"), a video file, or a stream URL
    floor_image_points: list[tuple[float, float]] = []  # camera: four floor points in the picture (pixels at 640x480)
    floor_points_m: list[tuple[float, float]] = []  # ... and where they are on the floor, in metres
    desk_m: tuple[float, float] = (0.0, 0.0)  # the desk's floor position, in metres
    # camera: the zone as a floor polygon in metres (three or more points, e.g. the area in front of
    # the desk); empty: within zone_m of desk_m
    zone_floor_points_m: list[tuple[float, float]] = []
    masks: list[list[tuple[int, int]]] = []  # picture areas to ignore (staff side, a street window)
    zone_m: Annotated[float, Field(gt=0, le=10)] = 3.0
    debounce_s: Annotated[float, Field(ge=0, le=5)] = 0.05
    leave_after_s: Annotated[float, Field(ge=0, le=60)] = 2.0  # empty this long = left
    stale_after_s: Annotated[float, Field(gt=0, le=600)] = 10.0  # silent this long = fault

    @model_validator(mode="after")
    def _needs(self) -> SensorModel:
        need = {
            "door": ("pin",),
            "pir": ("pin",),
            "ultrasonic": ("trigger_pin", "echo_pin"),
            "radar": ("serial_port",),
            "camera": ("camera",),
        }[self.kind]
        missing = [k for k in need if getattr(self, k) in (None, "")]
        if missing:
            raise ValueError(f"a {self.kind} sensor needs {' and '.join(missing)}")
        if self.kind == "camera" and (len(self.floor_image_points) != 4 or len(self.floor_points_m) != 4):
            raise ValueError(
                "a camera needs floor_image_points and floor_points_m, four points each (see `kiosk calibrate-camera`)"
            )
        if self.zone_floor_points_m and len(self.zone_floor_points_m) < 3:
            raise ValueError("zone_floor_points_m: a zone polygon needs at least three floor points")
        if self.kind == "camera":
            for key in ("floor_image_points", "floor_points_m"):
                problem = _degenerate(getattr(self, key))
                if problem:
                    raise ValueError(
                        f"{key}: {problem}; pick four floor points that make a real quadrilateral "
                        "(e.g. the corners of a floor tile area)"
                    )
        return self


def _degenerate(points: list[tuple[float, float]]) -> str:
    """Why four calibration points cannot make a floor mapping ("" if they can)."""
    span = max(max(abs(a - c), abs(b - d)) for (a, b) in points for (c, d) in points) or 1.0
    for i, p in enumerate(points):
        for q in points[i + 1 :]:
            if abs(p[0] - q[0]) + abs(p[1] - q[1]) <= 1e-6 * span:
                return f"the point {tuple(p)} is given twice"
    for i in range(4):
        for j in range(i + 1, 4):
            for k in range(j + 1, 4):
                (ax, ay), (bx, by), (cx, cy) = points[i], points[j], points[k]
                if abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) <= 1e-3 * span * span:
                    return f"{tuple(points[i])}, {tuple(points[j])} and {tuple(points[k])} lie on one line"
    return ""


class PresenceModel(_Model):
    """Stand-and-greet rules (kiosk/greeting.py)."""

    group_window_s: Annotated[float, Field(ge=0, le=120)] = 8.0  # entries this close are one group
    repeat_s: Annotated[float, Field(gt=0, le=300)] = 10.0  # unconfirmed: repeat this often
    max_repeats: Annotated[int, Field(ge=0, le=10)] = 3  # "three rings", then escalate
    rearm_after_s: Annotated[float, Field(ge=0, le=600)] = 5.0  # an occupancy sensor empty this long: re-armed
    stuck_after_s: Annotated[float, Field(ge=60, le=86400)] = 1800.0  # "occupied" without a break: flagged as stuck
    door_flap_limit: Annotated[int, Field(ge=2, le=1000)] = 20  # door openings a minute: flagged as flapping
    greet_target_s: Annotated[float, Field(gt=0, le=600)] = 10.0  # reports: greeted within this


class ServerModel(_Model):
    """`kiosk serve`: the network API for other machines (counters, the TV, a second kiosk)."""

    host: str = "0.0.0.0"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    kiosk_tickets_per_minute: Annotated[int, Field(ge=1, le=600)] = 20  # a child pressing 100 times
    # reprints: a kiosk (its customer's "Print again", a kiosk token) reprints one ticket at most
    # this often and this many tickets a minute; staff reprint more, up to their own limit
    kiosk_reprint_every_s: Annotated[float, Field(ge=0, le=3600)] = 10.0
    kiosk_reprints_per_minute: Annotated[int, Field(ge=1, le=600)] = 6
    staff_reprints_per_minute: Annotated[int, Field(ge=1, le=600)] = 30
    max_body_bytes: Annotated[int, Field(ge=1024, le=10_000_000)] = 65536
    max_connections: Annotated[int, Field(ge=10, le=60000)] = 2000  # beyond this a new request gets 503
    # one address (a machine on the LAN) may hold at most this many connections, and this many
    # event streams: a screen needs two or three, a flood from one laptop cannot fill the server
    max_connections_per_client: Annotated[int, Field(ge=4, le=60000)] = 50
    max_streams_per_client: Annotated[int, Field(ge=1, le=60000)] = 8
    header_timeout_s: Annotated[float, Field(ge=1, le=120)] = 10.0  # a request's headers must arrive in this
    # events and idempotency answers older than this are deleted (the waiting-time log keeps its own rows)
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 90
    # HTTPS: a certificate and its key (PEM files). Phones show web notifications for the status
    # page only from an HTTPS page; empty: plain HTTP
    tls_cert: str = ""
    tls_key: str = ""

    @model_validator(mode="after")
    def _tls_pair(self) -> ServerModel:
        if bool(self.tls_cert) != bool(self.tls_key):
            missing = "tls_key" if self.tls_cert else "tls_cert"
            raise ValueError(f"{missing} is needed too: HTTPS takes a certificate and its key")
        for key in ("tls_cert", "tls_key"):
            path = getattr(self, key)
            if path and not Path(path).expanduser().is_file():
                raise ValueError(f"{key}: no file {path!r}")
        return self


class PhoneModel(_Model):
    """The status page a customer's phone opens from the ticket's QR code."""

    # "nearly your turn" (and the phone's alert, when asked for) at this many people ahead
    alert_ahead: Annotated[int, Field(ge=1, le=50)] = 3
    # phones watching their tickets live, in all: beyond this a phone polls every 10 s instead
    max_watchers: Annotated[int, Field(ge=10, le=20000)] = 2000


class SmsModel(_Model):
    """Text messages to customers who ask (the status page), through a USB GSM modem on this
    machine: its serial port ("/dev/ttyUSB2", or "/dev/serial/by-id/…"); empty: no texts."""

    modem: str = ""
    baudrate: Annotated[int, Field(ge=1200, le=4_000_000)] = 115200


class ScreenModel(_Model):
    """This machine's screen. rotation: degrees clockwise, for a screen mounted in portrait or
    upside down; the Wayland session turns the picture and the touch input together."""

    rotation: Literal[0, 90, 180, 270] = 0


class CounterDeviceModel(_Model):
    """Wired devices at a counter: a call-next button, a buzzer and a light for the greet alert."""

    counter: int
    call_button_pin: int | None = None
    buzzer_pin: int | None = None
    light_pin: int | None = None


class KioskConfig(_Model):
    site: SiteModel = SiteModel()
    queue: QueueModel = QueueModel()
    appointments: AppointmentsModel = AppointmentsModel()
    services: Annotated[list[ServiceModel], Field(min_length=1)]
    counters: Annotated[list[CounterModel], Field(min_length=1)]
    tokens: list[TokenModel] = []
    printer: PrinterModel = PrinterModel()
    presence: PresenceModel = PresenceModel()
    server: ServerModel = ServerModel()
    phone: PhoneModel = PhoneModel()
    sms: SmsModel = SmsModel()
    screen: ScreenModel = ScreenModel()
    sensors: list[SensorModel] = []
    counter_devices: list[CounterDeviceModel] = []
    pause_reasons: list[PauseReasonModel] = DEFAULT_PAUSE_REASONS
    categories: Annotated[list[CategoryModel], Field(min_length=1)] = DEFAULT_CATEGORIES
    follow_ups: FollowUpModel = FollowUpModel()
    staff: list[StaffModel] = []

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> KioskConfig:
        problems: list[str] = []
        if not (info.context or {}).get("pins_withheld"):
            problems.extend(
                f"staff[{i}].pin: a PIN of 4 to 8 digits is needed" for i, p in enumerate(self.staff) if not p.pin
            )
        codes = [s.code for s in self.services]
        problems.extend(_used_twice("services", "code", codes))
        prefixes = [s.prefix for s in self.services]
        for i, s in enumerate(self.services):
            if prefixes.index(s.prefix) != i:
                problems.append(
                    f"services[{i}].prefix: {s.prefix!r} is already used by {codes[prefixes.index(s.prefix)]!r}"
                )
        ids = [c.id for c in self.counters]
        for i, c in enumerate(self.counters):
            if ids.index(c.id) != i:
                problems.append(f"counters[{i}].id: counter {c.id} is defined twice")
            for j, code in enumerate(c.services):
                if code not in codes:
                    problems.append(
                        f"counters[{i}].services[{j}]: no service with code {code!r} (known: {', '.join(codes)})"
                    )
        served = {code for c in self.counters for code in c.services}
        for i, s in enumerate(self.services):
            if s.code not in served:
                problems.append(f"services[{i}]: no counter serves {s.code!r}; its customers would wait forever")
        for i, t in enumerate(self.tokens):
            if t.counter is not None and t.counter not in ids:
                problems.append(f"tokens[{i}].counter: no counter {t.counter}")
        printers = self.slip_printers()
        for i, c in enumerate(self.counters):
            if c.slip_printer and c.slip_printer not in printers:
                problems.append(
                    f"counters[{i}].slip_printer: no kiosk or counter panel named {c.slip_printer!r}, so its "
                    f"slips would never print (known: {', '.join(sorted(printers))})"
                )
        for i, d in enumerate(self.counter_devices):
            if d.counter not in ids:
                problems.append(f"counter_devices[{i}].counter: no counter {d.counter}")
        problems.extend(self._reception_log_checks())
        pins: dict[int, str] = {}
        for where, pin in self._gpio_pins():
            if pin in pins:
                problems.append(f"{where}: GPIO {pin} is already used by {pins[pin]}")
            pins.setdefault(pin, where)
        if problems:
            raise ValueError("\n".join(problems))  # one line each; _format_errors splits them
        return self

    def slip_printers(self) -> set[str]:
        """The printers a slip can be sent to: this machine's own kiosk and every kiosk's and
        counter panel's token name (a token without a name is called by its role)."""
        return {LOCAL_KIOSK} | {t.name or t.role for t in self.tokens if t.role in ("kiosk", "counter")}

    def _reception_log_checks(self) -> list[str]:
        problems = []
        cats = [c.code for c in self.categories]
        problems.extend(_used_twice("categories", "code", cats))
        for i, s in enumerate(self.services):
            if s.default_category and s.default_category not in cats:
                problems.append(
                    f"services[{i}].default_category: no category {s.default_category!r} (known: {', '.join(cats)})"
                )
        problems.extend(_used_twice("staff", "id", [p.id for p in self.staff]))
        for i, p in enumerate(self.staff):
            if p.pin and p.pin == self.site.staff_pin and "staff_pin" in self.site.model_fields_set:
                problems.append(f"staff[{i}].pin: the same as site.staff_pin; give each person their own")
        if self.staff and not any(p.manager for p in self.staff):
            problems.append("staff: nobody has `manager = true`; nobody could open the manager view")
        return problems

    def _gpio_pins(self) -> list[tuple[str, int]]:
        out = []
        for i, sensor in enumerate(self.sensors):
            for key in ("pin", "trigger_pin", "echo_pin"):
                if getattr(sensor, key) is not None:
                    out.append((f"sensors[{i}].{key}", getattr(sensor, key)))
        for i, d in enumerate(self.counter_devices):
            for key in ("call_button_pin", "buzzer_pin", "light_pin"):
                if getattr(d, key) is not None:
                    out.append((f"counter_devices[{i}].{key}", getattr(d, key)))
        return out

    # --- what the engine uses ---
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    def domain_services(self) -> dict[str, Service]:
        return {
            s.code: Service(
                code=s.code,
                prefix=s.prefix,
                names=dict(s.names),
                target_wait_s=s.target_wait_minutes * 60,
                calendar=(s.calendar or self.site.hours).calendar(),
            )
            for s in self.services
        }

    def appointment_window(self, service: str) -> tuple[float, float]:
        """(seconds before, seconds after) an appointment of `service` that check-in is open."""
        s = next(s for s in self.services if s.code == service)
        a = self.appointments
        early = a.early_minutes if s.appointment_early_minutes is None else s.appointment_early_minutes
        late = a.late_minutes if s.appointment_late_minutes is None else s.appointment_late_minutes
        return early * 60, late * 60

    def domain_counters(self) -> dict[int, CounterInfo]:
        return {c.id: CounterInfo(c.id, c.name_in(self.site.language), tuple(c.services)) for c in self.counters}

    def counter_name(self, counter_id: int, lang: str) -> str:
        c = next((c for c in self.counters if c.id == counter_id), None)
        return c.name_in(lang) if c else str(counter_id)

    def pause_reason_text(self, reason: str | None, lang: str, staff: bool) -> str:
        """A configured reason in `lang`; a reason typed by staff as typed, on staff screens only
        (the waiting room reads only what the configuration says in its own language)."""
        if not reason:
            return ""
        known = next((r for r in self.pause_reasons if r.code == reason), None)
        if known is not None:
            return known.names[lang]
        return reason if staff else ""

    def category(self, code: str) -> CategoryModel | None:
        return next((c for c in self.categories if c.code == code), None)

    def default_category(self, service: str) -> str:
        s = next((s for s in self.services if s.code == service), None)
        return (s.default_category if s else "") or self.categories[0].code

    def category_name(self, code: str | None, lang: str) -> str:
        c = self.category(code or "")
        return c.names[lang] if c else (code or "")

    def clear_pins(self) -> list[str]:
        """Who still has a PIN in clear in this configuration (an old config: flagged)."""
        from kiosk.pins import CLEAR

        return [p.id for p in self.staff if CLEAR.match(p.pin)]

    def staff_member(self, staff_id: str | None) -> StaffModel | None:
        return next((p for p in self.staff if p.id == staff_id), None)

    def staff_name(self, staff_id: str | None) -> str:
        p = self.staff_member(staff_id)
        return p.name if p else (staff_id or "")

    def mean_service_s(self) -> dict[str, float]:
        return {s.code: s.mean_service_minutes * 60 for s in self.services}


def _used_twice(table: str, key: str, values: list[str]) -> list[str]:
    """One problem line for each value already used by an earlier entry of the table."""
    return [f"{table}[{i}].{key}: {v!r} is used twice" for i, v in enumerate(values) if values.index(v) != i]


def _format_errors(path: str, err: ValidationError) -> str:
    lines: list[str] = []
    for e in err.errors():
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (misspelt?)"
        if not e["loc"]:  # cross-checks name their own keys, one problem a line
            lines.extend(f"{path}: {part}" for part in msg.split("\n"))
        else:
            lines.append(f"{path}: {key}: {msg}")
    return "\n".join(lines)


def parse_config(text: str, path: str = "<config>") -> KioskConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_errors(path, e)) from None


def example_config_text() -> str:
    return resources.files("kiosk").joinpath("example_config.toml").read_text(encoding="utf-8")


def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("front-desk-kiosk")) / "kiosk.toml"


def load_config(path: str | Path | None = None) -> tuple[KioskConfig, str]:
    """Load the config from `path`, $KIOSK_CONFIG, or the user config dir; fall back to the
    built-in example so a fresh install runs. Returns the config and where it came from."""
    candidates = [path, os.environ.get("KIOSK_CONFIG")]
    explicit = next((p for p in candidates if p), None)
    if explicit is not None:
        p = Path(explicit)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{p}: no such file (write one with `kiosk init-config --out {p}`)") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{p}: cannot be read: {e}") from None
        return parse_config(text, str(p)), str(p)
    p = default_config_path()
    if p.exists():
        return parse_config(p.read_text(encoding="utf-8"), str(p)), str(p)
    return parse_config(example_config_text(), "built-in example config"), "built-in example config"
