"""Server logs without secrets, and without noise: uvicorn writes the request path with its
query string (a WebSocket's `?token=...` included) in its access and connection lines; this
filter cuts the query string off every such line. The access log keeps the requests that went
wrong (4xx, 5xx): a line per ticket and per call says nothing the event log does not, and cost
4 % of the server's CPU per request (bench/throughput.py)."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_QUERY = re.compile(r"\?[^\s\"']*")


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.error" and str(record.msg).startswith("connection rejected"):
            return False  # a refused WebSocket: a line each would let a flood fill the disk
        if record.name == "uvicorn.access" and str(record.msg).endswith('"WebSocket %s" %d'):
            return False  # ... and its access line (the event stream logs a machine over its cap once)
        if (
            record.name == "uvicorn.access"
            and isinstance(record.args, tuple)
            and len(record.args) == 5
            and isinstance(record.args[4], int)
            and record.args[4] < 400
        ):
            return False
        if record.args:
            record.args = (
                tuple(_QUERY.sub("", a) if isinstance(a, str) else a for a in record.args)
                if isinstance(record.args, tuple)
                else record.args
            )
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("", record.msg)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging set-up, with the filter on both of its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query_strings"] = {"()": "kiosk.server.logs.NoQueryStrings"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("no_query_strings")
    return config
