"""The queue's refusals in a screen's language. The engine names each reason (`why`) and its
values; the English templates here are the source strings of the staff screens' translations
(the Qt screens' through ui/refusals.py, the web manager view's through its own reader)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import KioskConfig

TEMPLATES = {
    "no_current_ticket": "There is no customer at this counter.",
    "wrong_state": "Ticket {number} is {state}: this cannot be done now.",
    "counter_paused": "This counter is paused: resume it before calling.",
    "press_again": "Another counter took that customer at the same moment: press again.",
    "already_in_service": "Ticket {number} is already in {service}.",
    "pause_reason": "Choose or type a reason for the pause.",
    "still_at_counter": "Ticket {number} is still at the counter: finish or transfer it first.",
    "return_in_past": "The expected return time is in the past.",
    "not_paused": "This counter is not paused.",
    "return_too_far": "The expected return is more than {hours} h away: pause without a return time.",
    "not_reprintable": "Ticket {number} is no longer in line: there is nothing to reprint.",
    "no_kiosk": "Ticket {number} was not issued at a kiosk, so no kiosk can print it.",
    "no_such_number": "There is no ticket {number} today.",
    "clock_behind": "The clock says {day} but tickets exist for {newest}: set the clock (network time) first.",
    "tickets_open": (
        "{count} ticket(s) are still open ({numbers}): serve them or mark them no-show before closing the day."
    ),
    "not_signed_in": "Nobody is signed in at this counter: sign in first.",
    "wrong_pin": "That name and PIN do not match.",
    "pin_locked": "Too many wrong PINs: try again in {retry_after} s.",
    "not_manager": "Only a manager can do this.",
    "recall_limit": "{number} was called again {limit} times: mark a no-show (they can be brought back if they come).",
    "follow_up_note": "A follow-up needs a short note of what was promised.",
    "unknown_category": "There is no category {category}.",
    "note_too_long": "The note or contact is too long.",
    "manual_reason": "Calling out of turn needs a reason.",
    "not_waiting": "Nobody with number {number} is waiting.",
    "not_served_here": "{number} is waiting for {service}, which this counter does not serve.",
    "not_no_show": "{number} is {state}, not a no-show: only a no-show can be brought back.",
    "service_unserved": "No counter would serve that service any more: its customers would wait forever.",
    "no_services": "A counter serves at least one service.",
    "already_replied": "This follow-up is already replied.",
    "no_follow_up": "No reply was promised at this visit, so there is no slip to print.",
    "no_slip_printer": "No printer is known for slips: set this counter's slip_printer in the configuration.",
    "still_open": "This follow-up is still open.",
    "reopen_reason": "Reopening needs a reason.",
    "reply_method": "Choose how the customer was answered.",
    "reply_by": "Say who replied.",
    "reply_note": "Say in the note what the customer was told.",
    "due_hours": "A reply time is {low} to {high} hours.",
    "serving_elsewhere": "You are serving {number} at counter {counter}: finish or transfer it there first.",
    # bookings (kiosk/engine/appointments.py): a refused one lists its problems ("bad_bookings",
    # each a template below), each after its booking's place when several were sent at once
    "booking_at": "Booking {n}: {problem}",
    "unknown_service": "There is no service {service} (known: {known}).",
    "time_out_of_range": "The time is not between the years 2000 and 2100.",
    "service_closed": "{service} is closed at {time}.",
    "bad_ref": "Reference {ref} is not 4 to 16 letters and digits.",
    "name_too_long": "The name is longer than 80 characters.",
    "bad_phone": "{phone} is not a phone number.",
    "ref_twice": "Reference {ref} appears twice.",
    "ref_taken": "Already booked: {refs}.",
    "checked_in": "Appointment {ref} is checked in already: it is a ticket now.",
}


def refusal_text(error: Exception, lang: str, config: KioskConfig, t: Callable[[str], str]) -> str:
    """What staff read when the queue refuses: in `lang` (through `t`), with a service's name
    (not its code) and a ticket's state in words."""
    why = getattr(error, "why", "")
    params = dict(getattr(error, "params", {}))
    if why == "bad_bookings" and isinstance(params.get("each"), list):
        return " ".join(problem_text(p, lang, config, t) for p in params["each"])
    if why not in TEMPLATES:
        return getattr(error, "message", None) or str(error)
    return fill(why, params, lang, config, t)


def problem_text(problem: dict[str, Any], lang: str, config: KioskConfig, t: Callable[[str], str]) -> str:
    """One problem of a refused booking ({"why": ..., its values, "n": its place if several})."""
    params = {k: v for k, v in problem.items() if k not in ("why", "n")}
    text = fill(problem["why"], params, lang, config, t)
    return fill("booking_at", {"n": problem["n"], "problem": text}, lang, config, t) if "n" in problem else text


def fill(why: str, params: dict[str, Any], lang: str, config: KioskConfig, t: Callable[[str], str]) -> str:
    params = dict(params)
    if "service" in params:
        svc = next((s for s in config.services if s.code == params["service"]), None)
        params["service"] = svc.names[lang] if svc else params["service"]
    if "state" in params:
        params["state"] = t(params["state"])
    for key, value in params.items():
        if isinstance(value, list):  # the first ten, each as the screens show it
            items = [str(n) for n in value]
            params[key] = ", ".join(items[:10]) + (" …" if len(items) > 10 else "")
    text = t(TEMPLATES[why])
    for key, value in params.items():
        text = text.replace("{" + key + "}", str(value))
    return text
