"""Test support, shipped with the package (as gpiozero ships its mock pins): configurations
built from data and checked by the config model, and a real `kiosk serve` process on loopback.
Used by tests/ and bench/, and by anyone testing a screen or a device against this system.

    config = make_config(counters=50)                       # open around the clock
    path, tokens = write_config(tmp, "sqlite:///q.sqlite3", server={"kiosk_tickets_per_minute": 600})
    with ServerProcess(path, tokens) as server: ...
    result = run_kiosk("check-hardware", "--config", str(path))
"""

from __future__ import annotations

import copy
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig, example_config_text, parse_config

ROLES = ("kiosk", "counter", "display", "sensor", "manager")
# two people for a hall with staff: a manager and a clerk, each with their own PIN
STAFF: list[dict[str, Any]] = [
    {"id": "wang", "name": "王小明", "pin": "314159", "manager": True},
    {"id": "lin", "name": "林美華", "pin": "271828"},
]
ALL_DAY = {"weekdays": [1, 2, 3, 4, 5, 6, 7], "hours": [["00:00", "24:00"]]}
_EXAMPLE = tomllib.loads(example_config_text())


def config_data(
    *,
    counters: int = 3,
    always_open: bool = True,
    database: str = "",
    tokens: dict[str, str] | None = None,
    **sections: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The example site as data: `counters` counters serving every service, fresh tokens (one
    per role, and one per counter), open every day around the clock unless `always_open` is
    False; `sections` update whole sections, e.g. server={"kiosk_tickets_per_minute": 600}."""
    data = copy.deepcopy(_EXAMPLE)
    if always_open:
        data["site"]["hours"] = dict(ALL_DAY)
        for service in data["services"]:
            service.pop("calendar", None)  # the site's hours
    data["site"]["database"] = database
    codes = [s["code"] for s in data["services"]]
    data["counters"] = [
        {"id": i, "name": {"zh-Hant": f"{i}號櫃台", "zh-Hans": f"{i}号柜台", "en": f"Counter {i}"}, "services": codes}
        for i in range(1, counters + 1)
    ]
    tokens = tokens or {role: secrets.token_urlsafe(24) for role in ROLES}
    names = {tok["role"]: tok["name"] for tok in _EXAMPLE["tokens"]}  # "entrance kiosk", ...
    data["tokens"] = [
        {"role": role, "name": names[role], "token": tokens[role], **({"counter": 1} if role == "counter" else {})}
        for role in ROLES
    ] + [
        {"role": "counter", "counter": i, "name": f"counter {i}", "token": f"counter-{i}-{tokens['counter']}"}
        for i in range(2, counters + 1)
    ]
    for name, values in sections.items():  # a table is updated, an array of tables replaced
        data[name] = {**data.get(name, {}), **values} if isinstance(values, dict) else values
    return data, tokens


def example_text_with(*changes: tuple[str, str]) -> str:
    """The commented example configuration with each (old, new) change made once; a change that
    no longer matches the example fails here, instead of silently testing the example as it is."""
    text = example_config_text()
    for old, new in changes:
        if old not in text:
            raise AssertionError(f"the example configuration no longer contains {old!r}")
        text = text.replace(old, new, 1)
    return text


def staff_toml(staff: list[dict[str, Any]] = STAFF) -> str:
    """`[[staff]]` tables to append to a configuration's text (after its last table)."""
    return "".join("\n[[staff]]\n" + _toml(person) for person in staff)


def make_config(**kw: Any) -> KioskConfig:
    """A checked configuration (see config_data for the arguments)."""
    return parse_config(_toml(config_data(**kw)[0]))


def write_config(folder: Path, database: str, counters: int = 3, **kw: Any) -> tuple[Path, dict[str, str]]:
    """A checked configuration file in `folder`, and its tokens by role."""
    data, tokens = config_data(counters=counters, database=database, **kw)
    text = _toml(data)
    parse_config(text)  # a broken test configuration fails here, not in a server's log
    path = Path(folder) / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path, tokens


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data)


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "the condition") -> Any:
    """Wait for `condition()` to be true (and return it), checking every 20 ms, up to `timeout`
    seconds; then fail saying what did not happen. The one wait the tests use: a condition with
    a deadline, never a fixed sleep followed by an assert (a busy machine is slower, not wrong)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}; it did not happen")
        time.sleep(0.02)


def finishes(call: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run `call` on a thread and wait up to `timeout` seconds for it to return (its answer) or
    raise (raised here). For "gives up at its deadline, does not hang": give `timeout` room for a
    busy machine; what it catches is a call that waits for the whole ticket or for ever."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as e:  # handed to the test
            box["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise AssertionError(f"waited {timeout:g} s for {what}; it was still going")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_kiosk(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk ARGS` as a person would type it, from this checkout: the exit code and
    what it printed, as text. `env` is added to the environment."""
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), **(env or {})},
    )


def serve_command(cfg: Path, port: int) -> list[str]:
    """`kiosk serve` on 127.0.0.1:`port` with this configuration, without its sensors."""
    return [sys.executable, "-m", "kiosk", "serve", "--config", str(cfg), "--host", "127.0.0.1",
            "--port", str(port), "--no-sensors"]  # fmt: skip


class ServerProcess:
    """`kiosk serve` on 127.0.0.1, started and waited for until /healthz answers."""

    def __init__(
        self,
        cfg: Path,
        tokens: dict[str, str],
        port: int | None = None,
        root: Path | None = None,
        prefix: tuple[str, ...] = (),  # e.g. ("taskset", "-c", "1") to pin it to one core
        env: dict[str, str] | None = None,  # added to the environment; PYTHONPATH goes before the checkout's
        https: bool = False,  # the configuration has server.tls_cert and tls_key (self-signed: not verified)
    ):
        import httpx

        self.port = port or free_port()
        self.url = f"{'https' if https else 'http'}://127.0.0.1:{self.port}"
        self.tokens = tokens
        root = root or Path(__file__).resolve().parents[1]
        self.proc = subprocess.Popen(
            [*prefix, *serve_command(cfg, self.port)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {}),
                 "PYTHONPATH": os.pathsep.join(p for p in ((env or {}).get("PYTHONPATH"), str(root)) if p)},
        )  # fmt: skip
        # read the server's log as it comes: a pipe nobody reads fills at 64 KB and then blocks
        # the server's event loop on its next log line
        self._log: list[str] = []
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1, verify=not https).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                self._drainer.join(5)
                raise RuntimeError(f"kiosk serve died: {self.log()}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("kiosk serve did not come up within 60 s")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._log.append(line)

    def log(self) -> str:
        """What the server wrote to its log so far (all of it once stopped)."""
        return "".join(self._log)

    def headers(self, role: str, counter: int | None = None, key: str | None = None) -> dict[str, str]:
        token = self.tokens[role] if counter in (None, 1) else f"counter-{counter}-{self.tokens['counter']}"
        h = {"Authorization": f"Bearer {token}"}
        if key:
            h["Idempotency-Key"] = key
        return h

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)
        self._drainer.join(5)  # the last lines

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
