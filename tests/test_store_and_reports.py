"""The store is durable and migrated; the waiting-time log and its figures are right."""

from __future__ import annotations

import csv
import io
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk import schema
from kiosk.cli import main
from kiosk.reports import LogFilter, figures, log_rows, percentile, to_csv, to_table
from kiosk.store import Store


def test_migrations_build_exactly_the_schema_the_code_uses(db_url):
    store = Store(db_url)
    store.upgrade()
    store.upgrade()  # a second start finds nothing to do
    with store.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []
    store.dispose()


def test_sqlite_is_durable_wal_and_synchronous_full(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    store.dispose()


def test_percentile_interpolates_like_spreadsheets():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10], 0.9) == 10
    assert percentile([], 0.5) is None
    assert percentile(list(range(11)), 0.9) == pytest.approx(9.0)


def _day(engine, clock):
    """Three general tickets waiting 2, 4 and 20 minutes; one payment no-show."""
    for _ in range(3):
        engine.issue("general")
    engine.issue("payment")
    clock.advance(120)
    engine.call_next(1)  # A001 waited 2 min
    clock.advance(120)
    engine.call_next(2)  # A002 waited 4 min
    clock.advance(60)
    engine.finish(1)  # A001 served 4 min (called -> finished)
    clock.advance(15 * 60)
    engine.call_next(3)  # A003 waited 20 min: past the 15-minute target, called first
    engine.call_next(1)  # B001 waited 20 min
    engine.no_show(1)
    engine.finish(2)
    engine.finish(3)


def test_figures_by_service(engine, clock, config):
    _day(engine, clock)
    rows = log_rows(engine.store, config)
    assert [r["number"] for r in rows] == ["A001", "A002", "A003", "B001"]
    general, payment = figures(rows, ["service"])
    assert general.group == {"service": "general"}
    assert (general.tickets, general.called, general.still_open) == (3, 3, 0)
    assert general.mean_wait_min == pytest.approx((2 + 4 + 20) / 3, abs=0.1)
    assert general.median_wait_min == 4.0
    assert general.within_target_pct == pytest.approx(66.7)
    assert payment.no_shows == 1 and payment.within_target_pct == 0.0
    a1 = rows[0]
    assert a1["wait_min"] == 2.0 and a1["service_min"] == 3.0 and a1["counter"] == 1
    assert a1["issued_at"] == "2026-11-25T09:00:00+08:00"


def test_log_filters(engine, clock, config):
    _day(engine, clock)
    assert [r["number"] for r in log_rows(engine.store, config, LogFilter(counter=1))] == ["A001", "B001"]
    assert [r["number"] for r in log_rows(engine.store, config, LogFilter(number="a003"))] == ["A003"]
    assert log_rows(engine.store, config, LogFilter(day_from="2026-11-26")) == []


def test_csv_opens_in_excel_with_chinese_intact(engine, clock, config):
    _day(engine, clock)
    text = to_csv(log_rows(engine.store, config))
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["service_name"] == "一般業務" and rows[3]["service_name"] == "繳費"


def test_table_stays_aligned_with_chinese(engine, clock, config):
    _day(engine, clock)
    lines = to_table(
        [{"service_name": r["service_name"], "number": r["number"]} for r in log_rows(engine.store, config)]
    ).splitlines()
    col = lines[0].index("number")
    # wide characters count two columns, so the numbers line up under their header
    for line in lines[2:]:
        prefix = line.split("  ")[0]
        width = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in prefix)
        assert width <= col


def test_report_command_on_a_demo_day(tmp_path, capsys):
    assert main(["demo", "--date", "2026-11-25", "--keep-db", str(tmp_path), "--json"]) == 0
    demo = json.loads(capsys.readouterr().out)
    cfg = tmp_path / "kiosk.toml"
    from kiosk.config import example_config_text

    cfg.write_text(
        example_config_text().replace('database = ""', f'database = "sqlite:///{tmp_path}/demo.sqlite3"'),
        encoding="utf-8",
    )
    assert main(["report", "--config", str(cfg), "--by", "none", "--format", "json"]) == 0
    total = json.loads(capsys.readouterr().out)[0]
    assert total["tickets"] == demo["issued"]
    assert total["no_shows"] == demo["no_shows"] - demo["came_back"]  # those who came back were served
    assert main(["report", "--config", str(cfg), "--follow-ups", "--format", "json"]) == 0
    [follow] = json.loads(capsys.readouterr().out)
    assert follow == demo["follow_ups"]  # the same figures, read back from the database
    out = tmp_path / "log.csv"
    assert main(["report", "--config", str(cfg), "--log", "--format", "csv", "--out", str(out)]) == 0
    assert (
        out.read_bytes().startswith(b"\xef\xbb\xbf")
        and len(out.read_text(encoding="utf-8-sig").splitlines()) == demo["issued"] + 1
    )
    assert main(["report", "--config", str(cfg), "--by", "hour"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:3] == ["hour", "tickets", "called"]
    assert main(["report", "--config", str(cfg), "--by", "staff", "--format", "json"]) == 0
    people = {p["staff"]: p["tickets"] for p in json.loads(capsys.readouterr().out)}
    assert people.keys() >= {"lin", "huang"}  # this config has no staff names: the ids
    assert main(["report", "--config", str(cfg), "--by", "weekday"]) == 2
