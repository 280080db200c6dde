"""The screens' backend when the queue runs on another machine (`kiosk screen ... --server`).

Same signals and methods as LocalBackend, so the very same widgets work against a server. HTTP
calls run on worker threads; the event stream runs on its own thread and reconnects with
back-off, resuming after the last event it saw, so a display misses no call. A counter press
is retried with the same idempotency key until the server answers: after a lost reply it gets
the first answer, so no customer is skipped or called twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import fields
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kiosk.backoff import Backoff
from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, CounterState, CounterStatus, Event, IssueResult, Ticket, TicketState
from kiosk.engine import QueueError, Reprint, ServiceStatus, StaffMember
from kiosk.engine.appointments import CheckIn
from kiosk.printing import PrintService
from kiosk.reports import LogFilter
from kiosk.server.wire import back
from kiosk.version import clock_header, user_agent
from ui.backend import HallState, PrintsHere
from ui.worker_calls import Done, Failed, WorkerCalls

log = logging.getLogger(__name__)
RETRY_DELAYS = (0.5, 1, 2, 4, 8)  # a customer at the kiosk waits ~15 s at most, then is sent to a person
MAX_DELAY_S = 10.0  # a clerk's press is retried until the server answers, this often
CODES = {404: "not_found", 409: "conflict", 422: "invalid", 403: "refused", 401: "refused", 429: "refused"}
_TICKET_FIELDS = {f.name for f in fields(Ticket)}


class ServerUnreachable(Exception):
    pass


def _retry_after(r: httpx.Response) -> float | None:
    try:
        return float(r.headers.get("Retry-After", ""))
    except ValueError:
        return None


def fetch_config(url: str, token: str, timeout: float = 10.0) -> KioskConfig:
    """The site's configuration as the server tells it (no tokens, no database)."""
    r = httpx.get(f"{url.rstrip('/')}/api/v1/config", headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    if r.status_code in (401, 403):
        raise ServerUnreachable(f"{url} refused the token: {r.json().get('detail')}")
    r.raise_for_status()
    return KioskConfig.model_validate(r.json(), context={"pins_withheld": True})


def _ticket(d: dict) -> Ticket:
    d = back(d)
    d["state"] = TicketState(d["state"])
    return Ticket(**{k: v for k, v in d.items() if k in _TICKET_FIELDS})


def _counter(d: dict) -> CounterStatus:
    d = back(d)
    return CounterStatus(
        d["id"],
        d["name"],
        tuple(d["services"]),
        CounterState(d["state"]),
        d["current_ticket_id"],
        d["pause_reason"],
        d["pause_until"],
        d.get("staff_id"),
        d.get("staff_name"),
    )


def _stamp_clock(request: httpx.Request) -> None:
    """Every request tells the server this machine's clock (the hall's health page)."""
    request.headers.update(clock_header())


class RemoteBackend(PrintsHere, WorkerCalls):
    def __init__(self, url: str, token: str, config: KioskConfig, printer: PrintService | None = None):
        super().__init__(4, "remote")
        self.url = url.rstrip("/")
        self.token = token
        self.config = config
        self.printer = printer
        self._tz = ZoneInfo(config.site.timezone)
        self._http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": user_agent()},
            timeout=10,
            event_hooks={"request": [_stamp_clock]},
        )
        self.last_seq: int | None = None  # None: not connected yet, start from now
        self.connected = False
        self.stream_listeners: list = []  # called on the stream's thread (the kiosk's reprints)
        self._stop = threading.Event()
        self._stream = threading.Thread(target=self._listen, name="event-stream", daemon=True)
        self._stream.start()

    # ------------------------------------------------------------ what screens need to know
    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def counter_info(self) -> dict[int, CounterInfo]:
        return self.config.domain_counters()

    def now(self) -> float:
        return time.time()

    # ------------------------------------------------------------ plumbing
    def is_outage(self, error: Exception) -> bool:
        return isinstance(error, ServerUnreachable)

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        key: str | None = None,
        retry: bool | str = False,
        params: dict | None = None,
        refusals: tuple[int, ...] = (),
    ) -> httpx.Response:
        """One API call. With `retry`, connection failures and 5xx are retried with the same
        idempotency key, so the server acts once however many times the request arrives:
        `True` for about 15 s, "until answered" for as long as it takes (a clerk's press), with
        back-off capped at MAX_DELAY_S and the server's Retry-After honoured."""
        headers = {"Idempotency-Key": key} if key else {}
        attempt = 0
        while True:
            wait = None
            try:
                r = self._http.request(method, path, json=json_body, headers=headers, params=params)
                if r.status_code < 500:
                    break
                problem = f"server error {r.status_code}"
                wait = _retry_after(r)
            except httpx.HTTPError as e:
                problem = f"{type(e).__name__}: {e}"
            forever = retry == "until answered"
            if self._stop.is_set() or not retry or (not forever and attempt >= len(RETRY_DELAYS)):
                raise ServerUnreachable(f"cannot reach {self.url} ({problem})")
            if attempt == 0:
                self.online.emit(False, problem)  # the screen says so while it keeps trying
            delay = RETRY_DELAYS[attempt] if attempt < len(RETRY_DELAYS) else MAX_DELAY_S
            self._stop.wait(min(MAX_DELAY_S, max(delay, wait or 0)))
            attempt += 1
        if r.status_code >= 400 and r.status_code not in refusals:  # `refusals`: answers the caller reads
            try:
                body = r.json()
            except ValueError:
                body = {"detail": r.text}
            raise QueueError(
                CODES.get(r.status_code, "invalid"),
                str(body.get("detail")),
                body.get("why", ""),
                **(body.get("params") or {}),
            )
        return r

    def close(self) -> None:
        self._stop.set()
        super().close()

    # ------------------------------------------------------------ events
    def _listen(self) -> None:
        from websockets.sync.client import connect

        ws_url = self.url.replace("http", "ws", 1) + "/api/v1/events"
        backoff = Backoff()
        while not self._stop.is_set():
            try:
                # resume after the last event seen; the first time, from now (the state is read
                # separately): a screen starting up must not replay the day's calls
                query = "" if self.last_seq is None else f"?after={self.last_seq}"
                with connect(
                    ws_url + query,
                    open_timeout=5,
                    max_size=2**20,
                    additional_headers={"Authorization": f"Bearer {self.token}", **clock_header()},
                    user_agent_header=user_agent(),
                ) as ws:
                    self.connected = True
                    backoff.reset()
                    self.online.emit(True, "")
                    while not self._stop.is_set():
                        try:
                            msg = json.loads(ws.recv(timeout=1.0))
                        except TimeoutError:
                            continue
                        self.last_seq = msg["seq"]
                        if msg["kind"] == "reset":  # the server's database was restored
                            self.post_event(Event(msg["seq"], time.time(), "reset", {}))
                            continue
                        ev = Event(msg["seq"], back({"at": msg["at"]})["at"], msg["kind"], back(msg["data"]))
                        for listener in self.stream_listeners:
                            try:
                                listener(ev)
                            except Exception:
                                log.exception("event listener")
                        self.post_event(ev)
            except Exception as e:  # refused, dropped, server restarting: try again, calmly
                if self.connected or backoff.fresh:
                    self.online.emit(False, f"event stream: {type(e).__name__}")
                self.connected = False
                self._stop.wait(backoff.next())

    # ------------------------------------------------------------ reading
    def hall_state(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(self._read_hall_state, on_done, on_error)

    def _read_hall_state(self) -> HallState:
        st = self._request("GET", "/api/v1/state").json()
        svcs = self._request("GET", "/api/v1/services").json()
        services = [
            ServiceStatus(
                s["code"],
                s["prefix"],
                s["names"],
                s["open_now"],
                s["waiting"],
                s["estimated_wait_s"],
                back(s)["next_open"],
                s["target_wait_s"],
            )
            for s in svcs
        ]
        alerts = [
            Event(a["seq"], back(a)["at"], "device_alert", {k: v for k, v in a.items() if k not in ("seq", "at")})
            for a in st["alerts"]
        ]
        return HallState(
            services,
            [_counter(c) for c in st["counters"]],
            {int(k): _ticket(v) for k, v in st["current"].items()},
            [_ticket(t) for t in st["recent_calls"]],
            st["site_open"],
            back(st)["next_open"],
            alerts,
            back(st["greetings"]),
            no_shows=[_ticket(t) for t in st.get("no_shows", [])],  # an older server has none
        )

    def read_log(self, f: LogFilter, on_done: Done, on_error: Failed | None = None, lang: str | None = None) -> None:
        """The period's report: the log and the server's greeting and follow-up figures, put
        together as the local backend does (kiosk/report.py)."""
        from kiosk.report import report_from

        params = {
            k: v
            for k, v in {
                "from": f.day_from,
                "to": f.day_to,
                "service": f.service,
                "counter": f.counter,
                "number": f.number,
            }.items()
            if v is not None
        }

        def read():
            rows = self._request("GET", "/api/v1/log", params=params).json()
            report = self._request(
                "GET", "/api/v1/report", params={k: v for k, v in params.items() if k in ("from", "to")}
            ).json()
            return report_from(
                rows,
                report["greetings"],
                report["follow_ups"],
                self.config,
                f,
                lang=lang,
                contacts=report.get("contacts"),
            )

        self.run(read, on_done, on_error)

    # ------------------------------------------------------------ customer
    def issue(
        self, service: str, priority: bool, on_done: Done, on_error: Failed | None = None, lang: str | None = None
    ) -> None:
        key = f"kiosk-{uuid.uuid4()}"
        body = {"service": service, "priority": priority, **({"language": lang} if lang else {})}

        def call() -> IssueResult:
            try:
                d = self._request("POST", "/api/v1/tickets", json_body=body, key=key, retry=True).json()
            except QueueError as e:
                if e.code == "conflict":
                    return IssueResult(None, refused="closed", message=e.message)
                raise
            return IssueResult(_ticket(d["ticket"]), ahead=d["ahead"], estimated_wait_s=d["estimated_wait_s"])

        self.run(call, on_done, on_error)

    def check_in(self, ref: str, on_done: Done, on_error: Failed | None = None, lang: str | None = None) -> None:
        self._check_in({"ref": ref, **({"language": lang} if lang else {})}, on_done, on_error)

    def _check_in(self, body: dict[str, Any], on_done: Done, on_error: Failed | None) -> None:
        """POST /api/v1/check-in: a refusal (404, 409) is an answer the screen reads, not an error."""
        key = f"check-in-{uuid.uuid4()}"

        def call() -> CheckIn:
            r = self._request("POST", "/api/v1/check-in", json_body=body, key=key, retry=True, refusals=(404, 409))
            d = back(r.json())
            shown = d.get("appointment")
            if r.status_code in (404, 409):
                why = IssueResult(None, refused=d.get("reason"), message=d.get("detail"), next_open=d.get("next_open"))
                return CheckIn(why, shown)
            done = IssueResult(_ticket(d["ticket"]), ahead=d["ahead"], estimated_wait_s=d["estimated_wait_s"])
            return CheckIn(done, shown, bool(d.get("again")))

        self.run(call, on_done, on_error)

    def reprint(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None:
        key = f"reprint-{uuid.uuid4()}"

        def call() -> Ticket:
            found = self._request("GET", f"/api/v1/tickets/by-number/{number.strip().upper()}").json()
            d = self._request("POST", f"/api/v1/tickets/{found['ticket']['id']}/reprint", key=key, retry=True).json()
            return _ticket(d["ticket"])

        self.run(call, on_done, on_error)

    def check_manager_pin(self, pin: str, on_done: Done, on_error: Failed | None = None) -> None:
        """The server checks it: no PIN or hash is sent to this machine."""

        def call() -> StaffMember:
            d = self._request("POST", "/api/v1/manager-pin", json_body={"pin": pin}).json()
            return StaffMember(d["staff"], d["name"], d["manager"])

        self.run(call, on_done, on_error)

    def ask_reprint(self, ticket_id: int) -> Reprint:
        d = self._request("POST", f"/api/v1/tickets/{ticket_id}/reprint", key=f"reprint-{uuid.uuid4()}").json()
        return Reprint(_ticket(d["ticket"]), d.get("ahead") or 0, d.get("estimated_wait_s"), False)

    def report_problem(self, kind: str, state: str, message: str) -> None:
        self.post_alert("kiosk", state, message, kind=kind)

    def whoami(self) -> dict:
        """This token's role and name (blocking: call once at start-up)."""
        return self._request("GET", "/api/v1/me", retry="until answered").json()

    def post_alert(
        self, device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device"
    ) -> None:
        """The print service's alert sink on a remote kiosk: staff at the counters hear of this
        kiosk's printer through the server. Never blocks the printer's thread."""
        body = {
            "device": device[:100],
            "kind": kind if kind in ("printer", "sensor", "kiosk") else "device",
            "state": state[:32],
            "message": message[:300],
            "ticket": ticket,
        }
        self.run(
            lambda: self._request("POST", "/api/v1/device-alerts", json_body=body, retry=True),
            None,
            lambda e: log.warning("could not tell the server about %s: %s", device, e),
        )

    # ------------------------------------------------------------ counter
    def _staff_press(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        parse: Callable[[Any], Any],
        on_done: Done,
        on_error: Failed | None,
    ) -> None:
        """A staff action: one idempotency key, retried until the server answers, its answer parsed."""
        key = f"staff-{uuid.uuid4()}"
        self.run(
            lambda: parse(self._request(method, path, json_body=body, key=key, retry="until answered").json()),
            on_done,
            on_error,
        )

    def return_ticket(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None:
        path = f"/api/v1/tickets/by-number/{number.strip().upper()}/return"
        self._staff_press("POST", path, None, lambda d: _ticket(d["ticket"]), on_done, on_error)

    def bookings_today(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(lambda: back(self._request("GET", "/api/v1/appointments").json())["appointments"], on_done, on_error)

    def check_in_booking(self, appointment_id: int, on_done: Done, on_error: Failed | None = None) -> None:
        self._check_in({"appointment_id": appointment_id}, on_done, on_error)

    def follow_ups(self, on_done: Done, on_error: Failed | None = None) -> None:
        self.run(lambda: back(self._request("GET", "/api/v1/follow-ups").json()), on_done, on_error)

    def print_slip(
        self,
        by: str,
        on_done: Done,
        on_error: Failed | None = None,
        *,
        follow_up_id: int | None = None,
        ticket_id: int | None = None,
    ) -> None:
        """`by` is the token's name on the server's side."""
        path = f"/api/v1/follow-ups/{follow_up_id}/slip" if follow_up_id else f"/api/v1/tickets/{ticket_id}/slip"
        self._staff_press("POST", path, None, back, on_done, on_error)

    def reply_follow_up(
        self, follow_up_id: int, by: str, method: str, note: str, on_done: Done, on_error: Failed | None = None
    ) -> None:
        if not note.strip():  # the server's schema refuses it too; here it is said as the engine says it

            def refused() -> None:
                raise QueueError("invalid", "say in the note what the customer was told", "reply_note")

            self.run(refused, on_done, on_error)
            return
        body = {"by": by, "method": method, "note": note}
        self._staff_press("POST", f"/api/v1/follow-ups/{follow_up_id}/reply", body, back, on_done, on_error)

    def reopen_follow_up(self, follow_up_id: int, reason: str, on_done: Done, on_error: Failed | None = None) -> None:
        body = {"reason": reason}
        self._staff_press("POST", f"/api/v1/follow-ups/{follow_up_id}/reopen", body, back, on_done, on_error)

    def set_counter_services(
        self, counter_id: int, services: list[str], by: str, on_done: Done, on_error: Failed | None = None
    ) -> None:
        path, body = f"/api/v1/counters/{counter_id}/services", {"services": services}
        self._staff_press("PUT", path, body, _counter, on_done, on_error)

    def close_day(self, on_done: Done, on_error: Failed | None = None) -> None:
        self._staff_press("POST", "/api/v1/day/close", None, back, on_done, on_error)

    def counter_action(
        self, action: str, counter_id: int, *args: Any, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        key = f"panel-{counter_id}-{action}-{uuid.uuid4()}"  # one press, one key, however many tries
        path = f"/api/v1/counters/{counter_id}/{action.replace('_', '-')}"
        body: dict[str, Any] | None = None
        if action == "transfer":
            body = {"service": args[0]}
        elif action == "finish" and args:
            body = dict(zip(("category", "outcome", "note", "contact", "due_hours"), args, strict=False))
        elif action == "call_number":
            body = {"number": args[0], "reason": args[1]}
        elif action == "log_contact":
            body = dict(zip(("channel", "kind", "note", "contact", "follow_up", "due_hours"), args, strict=False))
        elif action == "sign_in":
            body = {"staff": args[0], "pin": args[1]}
        elif action == "pause":
            reason, until = args
            body = {"reason": reason}
            if until:
                from datetime import datetime

                body["until"] = datetime.fromtimestamp(until, self._tz).isoformat()

        def call():
            r = self._request("POST", path, json_body=body, key=key, retry="until answered")
            if r.status_code == 204:
                return None
            d = r.json()
            if action == "log_contact":
                return d  # the entry, as the engine answers it
            return _ticket(d["ticket"]) if "ticket" in d else _counter(d)

        self.run(call, on_done, on_error)

    def confirm_greeting(
        self, alert_id: int, counter_id: int, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        key = f"greet-{alert_id}-{counter_id}-{uuid.uuid4()}"
        self.run(
            lambda: back(
                self._request(
                    "POST",
                    f"/api/v1/alerts/{alert_id}/confirm",
                    json_body={"counter": counter_id},
                    key=key,
                    retry="until answered",
                ).json()
            ),
            on_done,
            on_error,
        )
