"""What a screen may ask of the queue: the one interface every screen is typed against.

Two backends provide it: `LocalBackend` (ui/backend.py, the engine in this process) and
`RemoteBackend` (ui/remote_backend.py, a server over HTTP and its event stream). Every call
returns at once; its answer (or the reason it failed) comes back later, in the UI thread,
through `on_done` / `on_error`. `event` carries the queue's events, `online` whether the queue
can be reached. A new screen uses only this; a new backend provides all of it (mypy checks
both wherever a backend is handed to a screen).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kiosk.config import KioskConfig
from kiosk.domain import CounterInfo, Ticket
from kiosk.printing import PrintService
from kiosk.reports import LogFilter
from ui.worker_calls import Done, Failed


class ScreenBackend(Protocol):
    config: KioskConfig
    printer: PrintService | None  # the kiosk's own printer, if this machine has one
    event: Any  # Qt signal(kiosk.domain.Event), in the UI thread
    online: Any  # Qt signal(bool reachable, str reason)

    @property
    def tz(self) -> ZoneInfo: ...

    @property
    def counter_info(self) -> dict[int, CounterInfo]: ...

    def now(self) -> float:
        """The queue's clock (the server's, for a remote screen), not this machine's."""
        ...

    def run(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None: ...

    def close(self) -> None: ...

    # ------------------------------------------------------------ what every screen reads
    def hall_state(self, on_done: Done, on_error: Failed | None = None) -> None:
        """on_done(kiosk.engine.HallState)."""
        ...

    # ------------------------------------------------------------ the kiosk
    def issue(
        self, service: str, priority: bool, on_done: Done, on_error: Failed | None = None, lang: str | None = None
    ) -> None:
        """on_done(kiosk.domain.IssueResult): one tap, one ticket, however often it is retried."""
        ...

    def check_in(self, ref: str, on_done: Done, on_error: Failed | None = None, lang: str | None = None) -> None:
        """on_done(kiosk.engine.appointments.CheckIn): a booking checked in by its reference."""
        ...

    def print_ticket(
        self,
        ticket: Ticket,
        lang: str,
        ahead: int,
        estimated_wait_s: float | None,
        on_done: Done,
        reprint: bool = False,
    ) -> None: ...

    def print_again(
        self, ticket: Ticket, lang: str, ahead: int, estimated_wait_s: float | None, on_done: Done
    ) -> None: ...

    def report_problem(self, kind: str, state: str, message: str) -> None: ...

    # ------------------------------------------------------------ a counter
    def counter_action(
        self, action: str, counter_id: int, *args: Any, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """call_next, recall, start, finish, no_show, transfer, pause, resume, call_number,
        sign_in, sign_out: the engine command of that name for this counter."""
        ...

    def confirm_greeting(
        self, alert_id: int, counter_id: int, on_done: Done | None = None, on_error: Failed | None = None
    ) -> None: ...

    def reprint(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None: ...

    def print_slip(
        self,
        by: str,
        on_done: Done,
        on_error: Failed | None = None,
        *,
        follow_up_id: int | None = None,
        ticket_id: int | None = None,
    ) -> None:
        """The customer's follow-up slip (a matter by id, or the one promised at a ticket's
        visit); on_done({"follow_up", "printer"}): which printer was asked."""
        ...

    def check_manager_pin(self, pin: str, on_done: Done, on_error: Failed | None = None) -> None: ...

    def return_ticket(self, number: str, by: str, on_done: Done, on_error: Failed | None = None) -> None: ...

    def bookings_today(self, on_done: Done, on_error: Failed | None = None) -> None:
        """on_done(list of today's bookings, with name: staff only)."""
        ...

    def check_in_booking(self, appointment_id: int, on_done: Done, on_error: Failed | None = None) -> None:
        """on_done(CheckIn): a booking found by name, checked in at the counter."""
        ...

    # ------------------------------------------------------------ the manager
    def read_log(self, f: LogFilter, on_done: Done, on_error: Failed | None = None) -> None:
        """on_done((rows, total, by hour, greeting figures, follow-up figures))."""
        ...

    def follow_ups(self, on_done: Done, on_error: Failed | None = None) -> None: ...

    def reply_follow_up(
        self, follow_up_id: int, by: str, method: str, note: str, on_done: Done, on_error: Failed | None = None
    ) -> None: ...

    def reopen_follow_up(
        self, follow_up_id: int, reason: str, on_done: Done, on_error: Failed | None = None
    ) -> None: ...

    def set_counter_services(
        self, counter_id: int, services: list[str], by: str, on_done: Done, on_error: Failed | None = None
    ) -> None: ...

    def close_day(self, on_done: Done, on_error: Failed | None = None) -> None: ...
