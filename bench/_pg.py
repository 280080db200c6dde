"""A throwaway PostgreSQL server for benchmarks, unless KIOSK_BENCH_PG_URL names one."""

from __future__ import annotations

import contextlib
import glob
import os
import random
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator

import sqlalchemy as sa


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def postgres_url() -> Iterator[str | None]:
    """Yield a URL of an empty database, or None when no PostgreSQL can be had here."""
    base = os.environ.get("KIOSK_BENCH_PG_URL") or os.environ.get("KIOSK_TEST_PG_URL")
    tmp = None
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not base and bindirs:
        tmp = tempfile.mkdtemp(prefix="kiosk-bench-pg-")
        if os.geteuid() == 0:
            shutil.chown(tmp, "postgres")
        port = 56000 + random.randrange(3000)
        subprocess.run(
            _as_postgres(
                [
                    f"{bindirs[-1]}/initdb",
                    "-D",
                    f"{tmp}/data",
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-locale",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_postgres(
                [
                    f"{bindirs[-1]}/pg_ctl",
                    "-D",
                    f"{tmp}/data",
                    "-l",
                    f"{tmp}/log",
                    "-w",
                    "-o",
                    f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=300",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        base = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    if not base:
        yield None
        return
    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
        if tmp:
            subprocess.run(
                _as_postgres([f"{bindirs[-1]}/pg_ctl", "-D", f"{tmp}/data", "-m", "immediate", "stop"]),
                capture_output=True,
            )
            shutil.rmtree(tmp, ignore_errors=True)
