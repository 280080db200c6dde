"""A full disk under a real `kiosk serve` (issue 23 item 6): /healthz says the queue cannot take
a ticket, and why, while tickets cannot be written (it said "ok" before, rewriting a value
that fitted); the log has one line when the trouble begins and one when it ends; once space
is freed, tickets are issued again. The disk is a 4 MB tmpfs, so this needs root (CI is)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from kiosk.testing import ServerProcess, write_config


@pytest.fixture
def tiny_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {r.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"x" * 65536)
                f.flush()
        except OSError:
            pass
        try:
            os.fsync(f.fileno())
        except OSError:
            pass
    return filler


def test_a_full_disk_is_reported_by_healthz_with_one_log_line_and_tickets_resume_when_freed(tmp_path, tiny_disk):
    cfg, tokens = write_config(tmp_path, f"sqlite:///{tiny_disk / 'q.sqlite3'}")
    s = ServerProcess(cfg, tokens)
    c = httpx.Client(base_url=s.url, timeout=10)
    try:
        assert c.post("/api/v1/tickets", json={"service": "general"}, headers=s.headers("manager")).status_code == 201
        filler = fill(tiny_disk)
        h = s.headers("manager")
        issued = [c.post("/api/v1/tickets", json={"service": "general"}, headers=h) for _ in range(3)]
        assert [r.status_code for r in issued] == [503, 503, 503]
        health = [c.get("/healthz") for _ in range(5)]
        assert {h.status_code for h in health} == {503}
        assert "KB free" in health[0].json()["detail"]
        filler.unlink()
        assert c.get("/healthz").status_code == 200
        assert c.post("/api/v1/tickets", json={"service": "general"}, headers=s.headers("manager")).status_code == 201
    finally:
        s.stop()
    log = s.log()
    assert log.count("database trouble") == 1, log  # 3 refused tickets and 5 probes: one line
    assert log.count("database available again") == 1, log
