"""Configurations for tests that run on the real clock and must not depend on the hour."""

from __future__ import annotations

from kiosk.config import KioskConfig, example_config_text, parse_config


def always_open_config(counters: int = 3) -> KioskConfig:
    """The example site, open every day around the clock, with `counters` counters that each
    serve every service."""
    text = example_config_text()
    head, _, _ = text.partition("[[counters]]")
    tokens = text[text.index("[[tokens]]") :]
    head = head.replace(
        'weekdays = [1, 2, 3, 4, 5]\nhours = [["09:00", "17:00"]]',
        'weekdays = [1, 2, 3, 4, 5, 6, 7]\nhours = [["00:00", "23:59"]]',
    )
    head = head.replace(
        'days_of_month = [10, 25], hours = [["09:00", "12:00"], ["14:00", "17:00"]]', 'hours = [["00:00", "23:59"]]'
    )
    body = "".join(
        f'[[counters]]\nid = {i}\nname = "{i}號櫃台"\nservices = ["general", "payment", "manager"]\n\n'
        for i in range(1, counters + 1)
    )
    return parse_config(head + body + tokens)
