"""What goes on a follow-up slip, in the customer's language. Pure: the slip's event data in,
SlipDoc out. The reply time is written out with its weekday and date ("Monday 7 December,
17:00"): a slip is read again days later, when "tomorrow" would be wrong."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import KioskConfig
from kiosk.devices import SlipDoc
from kiosk.domain import LANGUAGES
from kiosk.phrases import date_words, phrase


def make_slip_doc(slip: dict[str, Any], config: KioskConfig) -> SlipDoc:
    """`slip`: a follow_up_slip event's data (kiosk/events.py FollowUpSlip)."""
    fu = slip["follow_up"]
    lang = slip.get("language") if slip.get("language") in LANGUAGES else config.site.language
    assert lang is not None
    due = datetime.fromtimestamp(fu["due_at"], ZoneInfo(config.site.timezone))
    token = slip.get("status_token")
    matter = [config.category_name(fu["category"], lang)]
    if fu.get("note"):
        matter.append(fu["note"].split("\n[")[0])  # what was promised; a reopening's reason is staff's
    return SlipDoc(
        site_name=config.site.name[lang],
        heading=phrase("slip_heading", lang),
        number=fu["number"],
        reference_line=phrase("slip_reference", lang, number=fu["number"], date=fu["business_day"]),
        matter_lines=tuple(matter),
        reply_line=phrase("phone_reply_by", lang, when=date_words(due, lang)),
        counter_line=phrase("slip_counter", lang, counter=config.counter_name(fu["owner_counter_id"], lang)),
        status_url=f"{config.site.public_url.rstrip('/')}/t/{token}" if token else "",
        scan_line=phrase("slip_scan", lang) if token else "",
        keep_line=phrase("slip_keep", lang),
        language=lang,
    )
