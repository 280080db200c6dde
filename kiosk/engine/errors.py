"""The one exception the engine raises for an operation that cannot be done."""

from __future__ import annotations

from typing import Any


class QueueError(Exception):
    """An operation that cannot be done, with a reason a person can act on.
    `code`: not_found | conflict | refused | invalid (the server maps these to 404/409/422/400).
    `why` names the reason and `params` fill it in, so a screen can say it in its own language
    (ui/refusals.py); `message` is the English for logs and API clients."""

    def __init__(self, code: str, message: str, why: str = "", **params: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.why = why
        self.params = params
