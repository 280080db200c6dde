"""`kiosk backup` and `kiosk restore` as a hall would use them, against a real `kiosk serve`:
a backup taken while tickets are being issued, the server stopped, the backup put back. Every
ticket acknowledged before the backup is there, no number a customer holds is given again,
the restore is refused while a server runs, a damaged backup changes nothing, and screens that
saw later events are told to reload."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
from websockets.sync.client import connect

from kiosk.testing import ServerProcess, run_kiosk, wait_until, write_config


def issue(c: httpx.Client, server: ServerProcess, n: int) -> list[str]:
    numbers = []
    for _ in range(n):
        r = c.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("manager"))
        assert r.status_code == 201, r.text
        numbers.append(r.json()["ticket"]["number"])
    return numbers


def test_a_backup_under_load_restored_keeps_every_acknowledged_ticket_and_gives_no_number_twice(tmp_path):
    db = tmp_path / "q.sqlite3"
    cfg, tokens = write_config(tmp_path, f"sqlite:///{db}")
    server = ServerProcess(cfg, tokens)
    c = httpx.Client(base_url=server.url, timeout=10)
    before = issue(c, server, 20)
    # customers keep coming while the backup is taken
    during: list[str] = []
    stop = threading.Event()

    def keep_issuing() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as k:
            while not stop.is_set():
                r = k.post("/api/v1/tickets", json={"service": "general"}, headers=server.headers("manager"))
                during.append(r.json()["ticket"]["number"])

    worker = threading.Thread(target=keep_issuing)
    worker.start()
    wait_until(lambda: len(during) >= 5, 30, "tickets issued during the backup")
    backup = tmp_path / "backups" / "hall.sqlite3"
    r = run_kiosk("backup", "--config", str(cfg), "--out", str(backup))
    stop.set()
    worker.join()
    assert r.returncode == 0, r.stderr
    after = issue(c, server, 10)  # after the backup: these customers hold numbers the backup lacks
    last_seq = c.get("/api/v1/state", headers=server.headers("manager")).json().get("last_event_seq")
    server.stop()
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0  # a clean stop checkpoints

    r = run_kiosk("restore", str(backup), "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    print(r.stdout)
    kept = next(tmp_path.glob("q.sqlite3.before-restore-*"))
    assert "kept as" in r.stdout and kept.exists()

    server = ServerProcess(cfg, tokens)
    c = httpx.Client(base_url=server.url, timeout=10)
    restored = {t["number"] for t in c.get("/api/v1/log", headers=server.headers("manager")).json()}
    assert set(before) <= restored  # every ticket acknowledged before the backup began
    assert not set(after) & restored  # (issued after it: not in the backup)
    new = issue(c, server, 3)
    given = before + during + after
    assert not set(new) & set(given), (new, max(given))  # nobody's number is handed out again
    assert new[0] == f"A{len(given) + 1:03d}"
    # a screen that had seen the old server's events is told to reload
    if last_seq is not None:
        url = server.url.replace("http", "ws") + f"/api/v1/events?after={last_seq}&token={tokens['display']}"
        with connect(url, open_timeout=5) as ws:
            assert json.loads(ws.recv(timeout=5))["kind"] == "reset"
    server.stop()


def test_restore_is_refused_while_a_server_runs_on_the_store_and_nothing_changes(tmp_path):
    db = tmp_path / "q.sqlite3"
    cfg, tokens = write_config(tmp_path, f"sqlite:///{db}")
    server = ServerProcess(cfg, tokens)
    c = httpx.Client(base_url=server.url, timeout=10)
    issue(c, server, 3)
    backup = tmp_path / "b.sqlite3"
    assert run_kiosk("backup", "--config", str(cfg), "--out", str(backup)).returncode == 0
    issue(c, server, 2)
    r = run_kiosk("restore", str(backup), "--config", str(cfg))
    assert r.returncode == 1 and "a server or kiosk is running" in r.stderr and "nothing was changed" in r.stderr
    assert len(c.get("/api/v1/log", headers=server.headers("manager")).json()) == 5
    assert not list(tmp_path.glob("q.sqlite3.before-restore-*"))
    server.stop()


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    db = tmp_path / "q.sqlite3"
    cfg, tokens = write_config(tmp_path, f"sqlite:///{db}")
    server = ServerProcess(cfg, tokens)
    issue(httpx.Client(base_url=server.url, timeout=10), server, 2)
    server.stop()
    backup = tmp_path / "b.sqlite3"
    assert run_kiosk("backup", "--config", str(cfg), "--out", str(backup)).returncode == 0
    data = bytearray(backup.read_bytes())
    data[4096 : 4096 + 300] = b"\xff" * 300  # a torn page: its header and first cells
    backup.write_bytes(bytes(data))
    before = db.read_bytes()
    r = run_kiosk("restore", str(backup), "--config", str(cfg))
    assert r.returncode == 1 and "nothing was changed" in r.stderr, r.stderr
    assert db.read_bytes() == before
    r = run_kiosk("restore", str(tmp_path / "missing.sqlite3"), "--config", str(cfg))
    assert r.returncode == 1 and "does not exist" in r.stderr
