"""Run a blocking call with a hard deadline, for the command line (`check-hardware`,
`print-test`, `reprint`): a driver that hangs in the kernel must not hang the command. The call
goes on in a daemon thread that is abandoned at the deadline; the process can still exit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlinePassed(TimeoutError):
    pass


def within(seconds: float, fn: Callable[[], T], what: str) -> T:
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = fn()
        except BaseException as e:  # handed to the caller's thread below
            box["error"] = e

    worker = threading.Thread(target=work, name=f"deadline-{what}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise DeadlinePassed(f"{what} did not answer within {seconds:.1f} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]
