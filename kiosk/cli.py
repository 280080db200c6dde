"""The `kiosk` command. Each sub-command is a few lines that wire the core together.

Exit codes: 0 fine, 1 the operation failed, 2 the configuration or the command line is wrong.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, KioskConfig, example_config_text, load_config
from kiosk.domain import LANGUAGES

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from kiosk.store import Store

EPILOG = """\
configuration: --config FILE, else $KIOSK_CONFIG, else kiosk.toml in the user config
directory, else the built-in example. `kiosk init-config` writes a commented one.
"""


LOG_LEVELS = ("debug", "info", "warning", "error")


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="configuration file (TOML)")


def _iso_date(s: str) -> str:
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-25, got {s!r}") from None


def _size(s: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in s.lower().split("x"))
        if not (200 <= w <= 8000 and 200 <= h <= 8000):
            raise ValueError
        return w, h
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size like 1920x1080, got {s!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Reception system for service halls: queue tickets, fair calls, waiting-time log.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--log-level",
        default=os.environ.get("KIOSK_LOG_LEVEL", "warning"),
        choices=LOG_LEVELS,
        help="what goes to the log (stderr, the journal under systemd): debug, info, warning or error; "
        "default warning (problems only), or $KIOSK_LOG_LEVEL",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("demo", help="simulate a whole business day on the real engine and print what happened")
    _add_config(p)
    p.add_argument(
        "--date",
        type=_iso_date,
        help="the day to simulate (default: the next 10th or 25th on a weekday, a manager reception day)",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed for arrivals and service times (default 7)")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--keep-db", metavar="DIR", help="keep the simulated day's SQLite database in DIR")

    p = sub.add_parser("report", help="waiting-time figures and the waiting-time log")
    _add_config(p)
    p.add_argument("--from", dest="day_from", type=_iso_date, metavar="DATE", help="first business day (inclusive)")
    p.add_argument("--to", dest="day_to", type=_iso_date, metavar="DATE", help="last business day (inclusive)")
    p.add_argument(
        "--by",
        default="service",
        help="group by any of day,hour,service,counter,category,staff, comma-separated "
        "(default service; 'none' for one total)",
    )
    p.add_argument("--service", help="only this service code")
    p.add_argument("--counter", type=int, help="only tickets this counter handled")
    p.add_argument("--log", action="store_true", help="print the log itself, one row per ticket, not figures")
    p.add_argument(
        "--follow-ups",
        action="store_true",
        help="the follow-up figures (replied within target, overdue, reply rate); with --log, "
        "the follow-ups themselves, one row each (no contacts)",
    )
    p.add_argument(
        "--greetings",
        action="store_true",
        help="the greeting figures (time to greet, not greeted, left without a ticket); "
        "with --log, the greeting log, one row per arrival",
    )
    p.add_argument(
        "--estimates",
        action="store_true",
        help="how right the quoted waits were, per service and hour: mean error (minutes; positive: "
        "longer than said) and the share of waits inside the quoted range",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="csv is UTF-8 with BOM so Excel shows Chinese correctly",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="service names, and csv headings, states and yes/no, in this language "
        "(default: the site's names and the column keys)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    p = sub.add_parser("init-config", help="write a commented example configuration with fresh device tokens")
    p.add_argument("--out", metavar="FILE", help="where to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    p = sub.add_parser("check-hardware", help="each configured device and its live state (exit 1 if one is missing)")
    _add_config(p)
    p.add_argument("--listen", type=float, default=2.0, metavar="S", help="seconds to listen to streaming sensors")

    p = sub.add_parser("print-test", help="print a sample ticket on the configured printer")
    _add_config(p)
    p.add_argument("--lang", choices=LANGUAGES, help="ticket language (default: the site's)")
    p.add_argument("--out", metavar="DIR", help="print on the simulated printer into DIR instead")

    p = sub.add_parser(
        "reprint",
        help="print today's ticket NUMBER again on the kiosk that issued it (its place in line does not change)",
    )
    _add_config(p)
    p.add_argument("number", help="the ticket number, e.g. A012")
    p.add_argument("--kiosk", metavar="NAME", help="print on this kiosk instead of the one that issued it")
    p.add_argument(
        "--server",
        metavar="URL",
        help="ask the queue server at URL (the kiosk named prints it); "
        "without it: record the reprint and print on this machine's printer",
    )
    p.add_argument("--token", metavar="T", help="a counter or manager token for --server (or $KIOSK_TOKEN)")

    p = sub.add_parser(
        "close-day",
        help="end the business day (every counter closes); refused, with the list, while any ticket is still open",
    )
    _add_config(p)
    p.add_argument("--server", metavar="URL", help="ask the queue server at URL (without it: this machine's database)")
    p.add_argument("--token", metavar="T", help="a manager token for --server (or $KIOSK_TOKEN)")

    p = sub.add_parser(
        "audit",
        help="check a business day of this hall's database: fairness violations, calls out of turn, "
        "no-shows brought back, tickets left open (exit 1 on a violation)",
    )
    _add_config(p)
    p.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="the business day (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = sub.add_parser("appointments", help="booked appointments: import a file of bookings, list a day's")
    asub = p.add_subparsers(dest="appointments_command", metavar="ACTION", required=True)
    q = asub.add_parser(
        "import",
        help="add the bookings of a CSV (service,date,time[,ref,name,phone]) or iCalendar (.ics) file: "
        "all of them, or none and the bad rows named",
    )
    _add_config(q)
    q.add_argument("file", metavar="FILE")
    q = asub.add_parser("list", help="a day's bookings with their references and states")
    _add_config(q)
    q.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="the business day (default: today)")

    p = sub.add_parser(
        "serve",
        help="the network API for counters, displays and kiosks on other machines, the phones' status pages, "
        "and the manager view in a browser (/manage)",
    )
    _add_config(p)
    p.add_argument("--host", help="address to listen on (default: server.host, 0.0.0.0)")
    p.add_argument("--port", type=int, help="port (default: server.port, 8000)")
    p.add_argument("--no-sensors", action="store_true", help="do not start the sensors named in the config here")

    p = sub.add_parser("backup", help="copy the SQLite database safely while it is in use")
    _add_config(p)
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the copy")

    p = sub.add_parser("staff", help="staff PINs in the config file: store one, or every clear one, as a salted hash")
    _add_config(p)
    p.add_argument("action", choices=["set-pin", "hash-pins"], help="set-pin ID: a new PIN (asked, not echoed)")
    p.add_argument("id", nargs="?", help="the staff id, for set-pin")

    p = sub.add_parser(
        "restore",
        help="put a backup back (stop the server first): the replaced database is kept, numbers "
        "already given out today are not given again, screens reload",
    )
    _add_config(p)
    p.add_argument("file", metavar="FILE", help="a file written by `kiosk backup`")

    p = sub.add_parser(
        "run",
        help="everything on one machine: the touch kiosk (full screen, locked), the display "
        "on a second screen if there is one, and counter panels asked for",
    )
    _add_config(p)
    p.add_argument(
        "--counter",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="also open the panel of counter N (repeatable)",
    )
    p.add_argument("--windowed", action="store_true", help="a normal window instead of the locked full screen")
    p.add_argument("--lang", choices=LANGUAGES, help="start language (default: the site's)")

    p = sub.add_parser("screen", help="open one screen: kiosk, counter, display or manager")
    _add_config(p)
    p.add_argument("which", choices=("kiosk", "counter", "display", "manager"))
    p.add_argument("--server", metavar="URL", help="use the queue of a `kiosk serve` on another machine")
    p.add_argument("--token", metavar="T", help="this device's token for --server (or $KIOSK_TOKEN)")
    p.add_argument("--counter", type=int, metavar="N", help="which counter's panel (counter screen)")
    p.add_argument("--lang", choices=LANGUAGES)
    p.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1280x720")
    p.add_argument("--fullscreen", action="store_true", help="full screen (the kiosk also locks: staff PIN to leave)")

    p = sub.add_parser("snapshot", help="render a screen offscreen with demo data to a PNG")
    _add_config(p)
    p.add_argument("which", choices=("kiosk", "counter", "display", "manager"))
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--lang", choices=LANGUAGES)
    p.add_argument("--size", type=_size, metavar="WxH", help="e.g. 1920x1080 or 1280x720")

    p = sub.add_parser("calibrate-camera", help="live camera view with the zone drawn, for set-up (nothing is saved)")
    _add_config(p)
    p.add_argument("--sensor", metavar="NAME", help="which camera sensor (default: the first)")

    p = sub.add_parser("db", help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="apply schema migrations (also done on every start)")
    _add_config(q)
    q = dbsub.add_parser("check-config", help="validate the configuration and say where it came from")
    _add_config(q)
    return parser


def _load(args: argparse.Namespace) -> tuple[KioskConfig, str]:
    return load_config(getattr(args, "config", None))


def _store(config: KioskConfig) -> Store:
    from kiosk.store import Store, default_sqlite_path, sqlite_url

    return Store(config.site.database or sqlite_url(default_sqlite_path()))


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.demo import default_demo_day, format_summary, run_demo

    config, _ = _load(args)
    day = date.fromisoformat(args.date) if args.date else default_demo_day(date.today())
    keep = Path(args.keep_db) if args.keep_db else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        old = keep / "demo.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
    result = run_demo(config, day, seed=args.seed, db_dir=keep)
    if args.json:
        print(
            json.dumps(
                {**result.__dict__, "fairness_violation_count": len(result.fairness_violations)},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(format_summary(result))
    return 0 if not result.fairness_violations and not result.lost_tickets else 1


def cmd_report(args: argparse.Namespace) -> int:
    from kiosk.report import read_report
    from kiosk.reports import LogFilter, figures_as_dicts, follow_up_rows, greeting_rows, to_csv, to_table
    from kiosk.server.wire import out

    config, _ = _load(args)
    by = [] if args.by == "none" else [g.strip() for g in args.by.split(",") if g.strip()]
    store = _store(config)
    store.upgrade()
    f = LogFilter(args.day_from, args.day_to, args.service, args.counter)
    try:
        report = read_report(store, config, f, time.time(), by, args.lang)
    except ValueError as e:
        print(f"kiosk report: --by: {e}", file=sys.stderr)
        return 2
    if args.estimates:
        data = report.estimates + (
            [{"service": "(all)", "hour": None, **report.estimates_total}] if report.estimates else []
        )
    elif args.follow_ups:
        data = out(follow_up_rows(store, config, f), config.tz()) if args.log else [report.follow_ups]
    elif args.greetings:
        if args.log:
            data = [{k: v for k, v in g.items() if k != "arrival_ts"} for g in greeting_rows(store, config, f)]
        else:
            data = [report.greetings] if args.format == "json" else _greeting_table(report.greetings)
    else:
        data = report.rows if args.log else figures_as_dicts(report.groups)
    if args.format == "csv":
        text = to_csv(data, args.lang)
    elif args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_table(data) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {len(data)} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _greeting_table(figs: dict[str, Any]) -> list[dict[str, Any]]:
    """The greeting figures as rows: all sensors first, then one row per sensor."""
    cols = [k for k in figs if k != "by_sensor"]
    return [{"sensor": "(all)", **{k: figs[k] for k in cols}}] + [
        {"sensor": s["source"], **{k: s.get(k) for k in cols}} for s in figs["by_sensor"]
    ]


def cmd_init_config(args: argparse.Namespace) -> int:
    text = example_config_text()
    # Fresh secrets for every install: a token copied from a public example is no secret.
    for role in ("kiosk", "counter", "display", "sensor", "manager"):
        text = text.replace(f"change-me-{role}-token-0001", secrets.token_urlsafe(24))
    text = text.replace('staff_pin = "2580"', f'staff_pin = "{secrets.randbelow(10**6):06d}"')
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"kiosk init-config: {out} exists; use --force to overwrite it", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}; edit it, then check it with `kiosk db check-config --config {out}`", file=sys.stderr)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    config, source = _load(args)
    if args.db_command == "check-config":
        print(
            f"{source}: valid ({len(config.services)} services, {len(config.counters)} counters, "
            f"{len(config.tokens)} tokens)"
        )
        return 0
    store = _store(config)
    store.upgrade()
    print(f"database {store.writer.url.render_as_string(hide_password=True)} is at the newest schema")
    return 0


def cmd_check_hardware(args: argparse.Namespace) -> int:
    from kiosk.compose import check_hardware

    config, source = _load(args)
    statuses = check_hardware(config, args.listen)
    from kiosk.reports import to_table

    print(
        to_table(
            [
                {
                    "device": s.name,
                    "kind": s.kind,
                    "ok": "yes" if s.ok else "NO",
                    "state": s.state,
                    "detail": _one_line(s.detail),
                }
                for s in statuses
            ]
        )
    )
    bad = [s for s in statuses if not s.ok]
    print(f"\n{len(statuses) - len(bad)} of {len(statuses)} devices ready (config: {source})")
    return 1 if bad else 0


def _server_token(args: argparse.Namespace, command: str, which: str = "") -> str | None:
    """The token for --server: --token, else $KIOSK_TOKEN; None (said on stderr) when neither."""
    token: str | None = args.token or os.environ.get("KIOSK_TOKEN")
    if not token:
        print(f"kiosk {command}: --server needs --token T ({which}or $KIOSK_TOKEN)", file=sys.stderr)
    return token


def _ask_server(
    args: argparse.Namespace, command: str, ask: Callable[[httpx.Client], httpx.Response], which: str = ""
) -> httpx.Response | int:
    """`ask` the server of --server with its token; an exit code instead, said on stderr, when
    there is no token (2) or no answer (1)."""
    import httpx

    token = _server_token(args, command, which)
    if not token:
        return 2
    base = args.server.rstrip("/")
    try:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
            return ask(http)
    except httpx.HTTPError as e:
        print(f"kiosk {command}: cannot reach {base}: {_one_line(e)}", file=sys.stderr)
        return 1


def _detail(r: Any) -> str:
    """A server's reason for a refusal, also when the answer is not JSON (a proxy's error page)."""
    try:
        return _one_line(r.json().get("detail", r.text))
    except ValueError:
        return _one_line(r.text or r.reason_phrase)


def _one_line(text: object, limit: int = 160) -> str:
    """A driver's message on one table line, whatever it contains."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_print_test(args: argparse.Namespace) -> int:
    import time as _time

    from kiosk.compose import build_printer
    from kiosk.deadline import DeadlinePassed, within
    from kiosk.devices import DeviceSetupError
    from kiosk.printing import GRACE_S
    from kiosk.ticket_doc import make_ticket_doc, sample_ticket

    config, _ = _load(args)
    printer_cfg = (
        config.printer.model_copy(update={"kind": "simulated", "out_dir": args.out}) if args.out else config.printer
    )
    try:
        printer = build_printer(printer_cfg, args.lang or config.site.language)
    except DeviceSetupError as e:  # no CJK font for the ticket, say
        print(f"kiosk print-test: {_one_line(e)}", file=sys.stderr)
        return 2
    if printer is None:
        print('kiosk print-test: no printer configured (printer.kind = "none")', file=sys.stderr)
        return 1
    now = _time.time()
    sample = sample_ticket(config.services[0].code, now)
    lang = args.lang or config.site.language
    job = printer.render(make_ticket_doc(sample, config, lang, config.site.public_url))
    allowed = printer.timeout_s + printer.wire_seconds(len(job.escpos))
    try:
        outcome = within(allowed + GRACE_S, lambda: printer.send(job, _time.monotonic() + allowed), printer.name)
    except DeadlinePassed as e:
        print(f"kiosk print-test: not printed: {e}", file=sys.stderr)
        return 1
    if outcome.printed:
        print(
            f"printed on {printer.name}: {outcome.bytes_sent} bytes in {outcome.seconds:.2f} s "
            f"({outcome.state.value}) {_one_line(outcome.message)}"
        )
        return 0
    print(f"kiosk print-test: not printed: {outcome.state.value}: {_one_line(outcome.message)}", file=sys.stderr)
    return 1


def cmd_reprint(args: argparse.Namespace) -> int:
    """Without --server: recorded in this store's log and printed once, on this machine's printer
    (the request names this command as its printer, so no running kiosk prints it too); with
    --kiosk NAME it is only recorded, for that kiosk to print."""
    if args.server:
        return _reprint_remote(args)
    import socket

    from kiosk.compose import start_print_service
    from kiosk.domain import LANGUAGES
    from kiosk.engine import Engine, QueueError
    from kiosk.store import Store, default_sqlite_path, sqlite_url
    from kiosk.ticket_doc import make_ticket_doc

    config, _ = _load(args)
    engine = Engine(config, Store(config.site.database or sqlite_url(default_sqlite_path())))
    engine.setup()
    here = f"kiosk reprint on {socket.gethostname()}"
    try:
        ticket = engine.ticket_by_number(args.number)
        asked = engine.reprint_here(ticket.id, by=args.kiosk and "command line" or here, kiosk=args.kiosk or here)
    except QueueError as e:
        print(f"kiosk reprint: {e.message}", file=sys.stderr)
        return 1
    if args.kiosk:
        print(f"asked kiosk {args.kiosk} to print ticket {ticket.number} again")
        return 0
    if asked.merged:
        print(f"ticket {ticket.number} is already being printed again (asked a moment ago)")
        return 0
    service = start_print_service(config, engine.device_alert, poll=False)  # print once, no status round first
    if service is None:
        print('kiosk reprint: no printer configured here (printer.kind = "none")', file=sys.stderr)
        return 1
    lang = asked.ticket.language if asked.ticket.language in LANGUAGES else config.site.language
    doc = make_ticket_doc(asked.ticket, config, lang, config.site.public_url, asked.ahead, asked.estimated_wait_s)
    outcome = service.print(doc, reprint=True)
    service.close()
    if outcome.printed:
        print(f"ticket {ticket.number} printed again on {service.name}")
        return 0
    print(
        f"kiosk reprint: ticket {ticket.number} not printed: {outcome.state.value}: {_one_line(outcome.message)} "
        "(it stays in line; staff were alerted)",
        file=sys.stderr,
    )
    return 1


def _reprint_remote(args: argparse.Namespace) -> int:
    def ask(http: httpx.Client) -> httpx.Response:
        r = http.get(f"/api/v1/tickets/by-number/{args.number.strip().upper()}")
        if r.status_code != 200:
            return r
        return http.post(
            f"/api/v1/tickets/{r.json()['ticket']['id']}/reprint", json={"kiosk": args.kiosk} if args.kiosk else None
        )

    r = _ask_server(args, "reprint", ask)
    if isinstance(r, int):
        return r
    if r.status_code != 200:
        print(f"kiosk reprint: {r.status_code}: {_detail(r)}", file=sys.stderr)
        return 1
    print(f"asked the kiosk to print ticket {r.json()['ticket']['number']} again")
    return 0


def cmd_close_day(args: argparse.Namespace) -> int:
    """The day ends only when everyone who took a ticket was served or marked: the open tickets
    are listed so staff can finish them first."""
    if args.server:
        r = _ask_server(args, "close-day", lambda http: http.post("/api/v1/day/close"), "a manager token, ")
        if isinstance(r, int):
            return r
        if r.status_code != 200:
            print(f"kiosk close-day: not closed: {_detail(r)}", file=sys.stderr)
            return 1
        print(f"business day {r.json()['business_day']} closed: every counter is closed")
        return 0
    from kiosk.engine import Engine, QueueError

    config, _ = _load(args)
    engine = Engine(config, _store(config))
    engine.setup()
    try:
        closed = engine.close_day()
    except QueueError as e:
        print(f"kiosk close-day: not closed: {e.message}", file=sys.stderr)
        return 1
    print(f"business day {closed['business_day']} closed: every counter is closed")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from kiosk.day_audit import audit_day, format_audit
    from kiosk.engine import Engine

    config, _ = _load(args)
    engine = Engine(config, _store(config))
    engine.setup()
    day = date.fromisoformat(args.date) if args.date else engine.local(engine.clock.now()).date()
    checked = audit_day(engine, day)
    print(json.dumps(checked.as_dict(), ensure_ascii=False, indent=2) if args.json else format_audit(checked))
    return 1 if checked.result.violations else 0


def cmd_appointments(args: argparse.Namespace) -> int:
    from kiosk.booking_files import BookingFileError, read_bookings
    from kiosk.engine import Engine, QueueError

    config, _ = _load(args)
    engine = Engine(config, _store(config))
    engine.setup()
    if args.appointments_command == "import":
        try:
            added = engine.book(read_bookings(Path(args.file), config), source="import")
        except BookingFileError as e:
            print(f"kiosk appointments import: {e}", file=sys.stderr)
            return 1
        except QueueError as e:
            print(f"kiosk appointments import: {args.file}: nothing imported; {e.message}", file=sys.stderr)
            return 1
        days = sorted({a["business_day"] for a in added})
        print(f"{len(added)} booking(s) imported for {', '.join(days)}")
        for a in added:
            print(f"  {a['ref']}  {engine.local(a['at']):%Y-%m-%d %H:%M}  {a['service']}  {a['name'] or ''}".rstrip())
        return 0
    day = args.date or engine.local(engine.clock.now()).date().isoformat()
    rows = engine.appointments_of(str(day))
    print(f"{len(rows)} booking(s) on {day}")
    for a in rows:
        print(f"  {engine.local(a['at']):%H:%M}  {a['ref']}  {a['service']}  {a['state']}  {a['name'] or ''}".rstrip())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kiosk.compose import serve

    config, source = _load(args)
    if any(t.token.startswith("change-me-") for t in config.tokens):
        print(
            f"kiosk serve: {source} still has the example's tokens; write fresh ones with "
            f"`kiosk init-config --out FILE` and use that file",
            file=sys.stderr,
        )
        return 2
    _flag_clear_pins(config, source, "serve")
    return serve(config, _store(config), args.host, args.port, sensors=not args.no_sensors)


def _flag_clear_pins(config: KioskConfig, source: str, command: str) -> None:
    """An old config's clear PINs still work; say once, at start, how to store them hashed."""
    clear = config.clear_pins()
    if clear:
        print(
            f"kiosk {command}: {source}: the PINs of {', '.join(clear)} are stored in clear; "
            f"`kiosk staff hash-pins --config {source}` replaces them by salted hashes",
            file=sys.stderr,
        )


def cmd_staff(args: argparse.Namespace) -> int:
    """`kiosk staff set-pin ID` / `kiosk staff hash-pins`: PINs in the config file as hashes."""
    import getpass

    from kiosk.config_edit import hash_clear_pins, set_staff_pin
    from kiosk.pins import CLEAR

    _, source = _load(args)
    path = Path(source)
    if not path.is_file():
        print(f"kiosk staff: {source} is not a file to change; name one with --config", file=sys.stderr)
        return 2
    text = path.read_text(encoding="utf-8")
    if args.action == "hash-pins":
        out, changed = hash_clear_pins(text)
        if changed:
            path.write_text(out, encoding="utf-8")
        print(f"{path}: {len(changed)} PIN(s) stored as hashes" + (f" ({', '.join(changed)})" if changed else ""))
        return 0
    if not args.id:
        print("kiosk staff set-pin: say whose PIN (the staff id)", file=sys.stderr)
        return 2
    # from the keyboard without echo, or one line on standard input (a script)
    pin = getpass.getpass(f"new PIN for {args.id}: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    if not CLEAR.match(pin):
        print("kiosk staff set-pin: a PIN has 4 to 8 digits; nothing was changed", file=sys.stderr)
        return 1
    try:
        out = set_staff_pin(text, args.id, pin)
    except KeyError:
        print(f"kiosk staff set-pin: {path} has no [[staff]] with id = {args.id!r}", file=sys.stderr)
        return 1
    path.write_text(out, encoding="utf-8")
    print(f"{path}: the PIN of {args.id} is stored as a salted hash; restart the server to use it")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from kiosk.backup import backup_sqlite

    config, _ = _load(args)
    store = _store(config)
    if not store.is_sqlite:
        print("kiosk backup: the database is PostgreSQL; back it up with pg_dump", file=sys.stderr)
        return 2
    n = backup_sqlite(store, Path(args.out), config.site.branch)
    print(f"wrote {args.out} ({n} tickets)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kiosk.backup import RestoreRefused, restore_sqlite

    config, _ = _load(args)
    from kiosk.store import default_sqlite_path, sqlite_url

    url = config.site.database or sqlite_url(default_sqlite_path())
    if not url.startswith("sqlite"):
        print("kiosk restore: the database is PostgreSQL; restore it with pg_restore", file=sys.stderr)
        return 2
    from sqlalchemy.engine import make_url

    db = Path(make_url(url).database or "")
    try:
        done = restore_sqlite(db, Path(args.file))
    except RestoreRefused as e:
        print(f"kiosk restore: {e} (nothing was changed)", file=sys.stderr)
        return 1
    print(f"restored {db} from {args.file} ({done.tickets} tickets)")
    if done.kept_as is not None:
        print(f"the database it replaced is kept as {done.kept_as}")
    for what, last in done.numbers_moved_on.items():
        print(f"numbering of {what} continues after {last} (numbers already given out are not given again)")
    print("screens reload the restored state when they reconnect")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.compose import run_hall

    config, source = _load(args)
    _flag_clear_pins(config, source, "run")
    for c in args.counter:
        if c not in {x.id for x in config.counters}:
            print(f"kiosk run: --counter {c}: no such counter", file=sys.stderr)
            return 2
    return run_hall(config, args.counter, args.windowed, args.lang)


def cmd_screen(args: argparse.Namespace) -> int:

    from kiosk.compose import open_remote_screen, open_screen

    if args.server:
        token = _server_token(args, "screen")
        if not token:
            return 2
        local = load_config(args.config)[0] if (args.config or os.environ.get("KIOSK_CONFIG")) else None
        return open_remote_screen(
            args.server, token, args.which, args.counter, args.lang, args.size, local, args.fullscreen
        )
    config, _ = _load(args)
    if args.counter is not None and args.counter not in {x.id for x in config.counters}:
        print(f"kiosk screen: --counter {args.counter}: no such counter", file=sys.stderr)
        return 2
    return open_screen(config, args.which, args.counter, args.lang, args.size, args.fullscreen)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from kiosk.compose import snapshot

    config, _ = _load(args)
    out = snapshot(config, args.which, Path(args.out), args.lang, args.size)
    print(f"wrote {out}")
    return 0


def cmd_calibrate_camera(args: argparse.Namespace) -> int:
    config, source = _load(args)
    cams = [s for s in config.sensors if s.kind == "camera" and (args.sensor in (None, s.name))]
    if not cams:
        print(
            f"kiosk calibrate-camera: no camera sensor{' named ' + repr(args.sensor) if args.sensor else ''} "
            f'in {source}; add one under [[sensors]] with kind = "camera"',
            file=sys.stderr,
        )
        return 2
    from kiosk.compose import calibrate_camera

    return calibrate_camera(cams[0])


COMMANDS = {
    "demo": cmd_demo,
    "report": cmd_report,
    "init-config": cmd_init_config,
    "db": cmd_db,
    "check-hardware": cmd_check_hardware,
    "print-test": cmd_print_test,
    "reprint": cmd_reprint,
    "close-day": cmd_close_day,
    "audit": cmd_audit,
    "appointments": cmd_appointments,
    "serve": cmd_serve,
    "backup": cmd_backup,
    "staff": cmd_staff,
    "restore": cmd_restore,
    "run": cmd_run,
    "screen": cmd_screen,
    "snapshot": cmd_snapshot,
    "calibrate-camera": cmd_calibrate_camera,
}


def configure_logging(level: str) -> None:
    """One format for every module's log lines (the server's own uvicorn lines keep theirs):
    time, level, where, what. Under systemd the journal adds the unit."""
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    if level != "debug":  # the schema check on every start says nothing worth a line
        logging.getLogger("alembic").setLevel(logging.WARNING)


# a library of an optional part, and the extra (pyproject.toml) that installs it
EXTRA_OF = {
    "PySide6": "screens",
    "cv2": "camera",
    "numpy": "camera",
    "escpos": "devices",
    "gpiozero": "devices",
    "serial": "devices",
    "usb": "devices",
    "PIL": "devices",
    "qrcode": "devices",
}


def _missing_part(command: str, e: ModuleNotFoundError) -> str | None:
    """A command that needs a part this machine was installed without (a server-only install
    asked for a screen): which part, and how to add it; None for any other missing module."""
    extra = EXTRA_OF.get((e.name or "").split(".")[0])
    if extra is None:
        return None
    return (
        f"kiosk {command}: this machine was installed without the {extra} ({e.name} is missing).\n"
        f"  Fix: pip install 'front-desk-kiosk[{extra}]' in this machine's environment "
        f"(./install.sh installs every part, for a whole hall on one machine)."
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    try:
        return COMMANDS[args.command](args)
    except ModuleNotFoundError as e:
        said = _missing_part(args.command, e)
        if said is None:
            raise
        print(said, file=sys.stderr)
        return 2
    except ConfigError as e:
        print(f"kiosk: configuration error:\n{e}", file=sys.stderr)
        return 2
    except Exception as e:
        from sqlalchemy.exc import DBAPIError

        from kiosk.store import StoreUnavailable

        if not isinstance(e, (DBAPIError, StoreUnavailable)):
            raise
        print(_database_problem(args, e), file=sys.stderr)
        return 1


def _database_problem(args: argparse.Namespace, e: Exception) -> str:
    """A database that cannot be opened at start-up: which one, from which file, and what to do
    (not a hundred lines of traceback)."""
    from kiosk.store import default_sqlite_path, sqlite_url

    try:
        config, source = _load(args) if hasattr(args, "config") else (None, "the built-in example")
    except ConfigError:
        config, source = None, "?"
    url = (config.site.database if config else "") or sqlite_url(default_sqlite_path())
    shown = url.split("@")[-1] if "@" in url else url  # never a password
    reason = " ".join(str(getattr(e, "orig", None) or e).split())[:200]
    fix = (
        "check that the folder exists and that the user running kiosk may write it"
        if url.startswith("sqlite")
        else "check that the database server is running and the URL, user and password are right"
    )
    return (
        f"kiosk {args.command}: cannot use the database {shown} ({reason}).\n"
        f"  Set in: {source}, key site.database (empty: {default_sqlite_path()}).\n  Fix: {fix}."
    )


if __name__ == "__main__":
    sys.exit(main())
