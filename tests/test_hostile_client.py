"""A hostile client on the LAN, without a token: it cannot fill the server's memory with a
body, and a token never lands in the logs."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from kiosk.testing import serve_command
from tests.test_server import server  # noqa: F401  (fixture)


def rss(pid: int) -> int:
    """The server's resident memory in bytes (Linux)."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def chunked(s, path: str, chunks: int, size: int, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    s.sendall(
        f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
    )
    junk = b"x" * size
    try:
        for _ in range(chunks):
            s.sendall(f"{size:x}\r\n".encode() + junk + b"\r\n")
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server hung up on us: good
    s.settimeout(5)
    try:
        return s.recv(200)
    except OSError:
        return b""


def test_a_chunked_flood_without_a_token_is_refused_before_it_is_read(server):  # noqa: F811
    before = rss(server.proc.pid)
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        reply = chunked(s, "/api/v1/tickets", 150, 1 << 20)  # 150 MB of junk, no token
    assert reply.startswith(b"HTTP/1.1 401")
    assert rss(server.proc.pid) - before < 20 << 20  # not kept, not even read


def test_a_chunked_body_over_the_limit_is_cut_off_even_with_a_token(server):  # noqa: F811
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        reply = chunked(s, "/api/v1/tickets", 40, 1 << 16, server.tokens["kiosk"])
    assert reply.startswith(b"HTTP/1.1 413")
    ok = httpx.post(server.url + "/api/v1/tickets", json={"service": "general"}, headers=server.headers("kiosk"))
    assert ok.status_code == 201  # and the server goes on


def test_http_calls_take_the_token_from_the_header_only(server):  # noqa: F811
    r = httpx.get(server.url + f"/api/v1/state?token={server.tokens['display']}")
    assert r.status_code == 401


def test_a_websocket_message_of_megabytes_closes_that_connection_only(server):  # noqa: F811
    from websockets.exceptions import ConnectionClosedError
    from websockets.sync.client import connect

    url = server.url.replace("http", "ws") + "/api/v1/events"
    with connect(url, additional_headers={"Authorization": f"Bearer {server.tokens['display']}"}) as ws:
        ws.send("x" * (1 << 20))
        with pytest.raises(ConnectionClosedError) as closed:
            for _ in range(20):
                ws.recv(timeout=0.5)
    assert closed.value.rcvd.code == 1009  # "message too big": that connection, closed by the server
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_the_logs_never_show_a_token(tmp_path):
    import os
    import subprocess

    from websockets.sync.client import connect

    from tests.conftest import ROOT
    from tests.test_server import free_port, write_config

    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    port, logfile = free_port(), tmp_path / "server.log"
    with open(logfile, "w") as log:
        proc = subprocess.Popen(
            serve_command(cfg, port),
            cwd=ROOT,
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        token = tokens["manager"]
        with connect(url.replace("http", "ws") + f"/api/v1/events?token={token}") as ws:  # a browser's way
            ws.send("ping")
        httpx.get(url + f"/api/v1/state?token={token}")
        httpx.get(url + "/api/v1/state", headers={"Authorization": f"Bearer {token}"})
        time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    text = logfile.read_text()
    assert "/api/v1/events" in text and "/api/v1/state" in text and token not in text


def test_an_idempotency_key_belongs_to_its_device_and_its_request(server):  # noqa: F811
    s = server
    a = httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk", key="k-1"))
    # the manager's device with the kiosk's key: its own ticket, not the kiosk's
    b = httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("manager", key="k-1"))
    assert a.status_code == b.status_code == 201
    assert a.json()["ticket"]["number"] != b.json()["ticket"]["number"]
    # the same key for another request from the same device is a conflict, not the old answer
    c = httpx.post(s.url + "/api/v1/tickets", json={"service": "payment"}, headers=s.headers("kiosk", key="k-1"))
    assert c.status_code == 409
    again = httpx.post(s.url + "/api/v1/tickets", json={"service": "general"}, headers=s.headers("kiosk", key="k-1"))
    assert again.json()["ticket"]["number"] == a.json()["ticket"]["number"]


def test_the_kiosk_rate_limit_is_shared_by_server_processes_and_a_retry_is_not_refused(tmp_path):
    from tests.test_server import Server, write_config

    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    one, two = Server(cfg, tokens), Server(cfg, tokens)
    try:
        codes = []
        for i in range(24):
            srv = (one, two)[i % 2]
            r = httpx.post(
                srv.url + "/api/v1/tickets", json={"service": "general"}, headers=srv.headers("kiosk", key=f"tap-{i}")
            )
            codes.append(r.status_code)
        assert codes.count(201) == 20 and codes[20:] == [429] * 4  # 20 a minute in all, not per process
        limited = httpx.post(
            one.url + "/api/v1/tickets", json={"service": "general"}, headers=one.headers("kiosk", key="tap-x")
        )
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        retry = httpx.post(
            two.url + "/api/v1/tickets", json={"service": "general"}, headers=two.headers("kiosk", key="tap-3")
        )  # a lost reply, asked again
        assert retry.status_code == 201 and retry.json()["ticket"]["number"] == "A004"
    finally:
        one.stop()
        two.stop()


def test_a_thousand_idle_or_dribbling_connections_do_not_lock_out_the_counters(tmp_path):
    import resource

    from tests.test_server import Server, write_config

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    cfg.write_text(cfg.read_text() + "\n[server]\nheader_timeout_s = 2\n")
    s = Server(cfg, tokens)
    socks = []
    try:
        for i in range(1100):
            c = socket.create_connection(("127.0.0.1", s.port))
            if i % 10 == 0:
                c.sendall(b"GET /healthz HTTP/1.1\r\n")  # a header line, then nothing more
            socks.append(c)
        assert httpx.get(s.url + "/healthz", timeout=5).status_code == 200  # answered, not stuck behind them
        assert httpx.post(
            s.url + "/api/v1/counters/1/call-next", headers=s.headers("counter"), timeout=5
        ).status_code in (200, 204)

        def let_go(c: socket.socket) -> bool:
            c.settimeout(15)  # past the header deadline, the server closes it
            try:
                return c.recv(1) == b""
            except OSError as e:
                return not isinstance(e, TimeoutError)

        assert all(let_go(c) for c in socks[:50])  # the server let them go
    finally:
        for c in socks:
            c.close()
        s.stop()
