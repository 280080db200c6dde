"""`kiosk check-hardware` and `kiosk print-test` as an installer uses them."""

from __future__ import annotations

import os
import subprocess

from kiosk.testing import example_text_with, run_kiosk

DEVICES = """
[[sensors]]
kind = "door"
name = "front door"
pin = 17

[[sensors]]
kind = "radar"
name = "entrance radar"
serial_port = "/dev/does-not-exist-ttyAMA9"

[[counter_devices]]
counter = 1
call_button_pin = 5
light_pin = 13
"""


def run(args, tmp_path, extra=""):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        example_text_with(('kind = "simulated"', f'kind = "simulated"\nout_dir = "{tmp_path}/tickets"')) + extra,
        encoding="utf-8",
    )
    return run_kiosk(*args, "--config", str(cfg), env={"GPIOZERO_PIN_FACTORY": "mock"})


def test_check_hardware_lists_each_device_and_fails_when_one_is_missing(tmp_path):
    out = run(["check-hardware", "--listen", "0.5"], tmp_path, DEVICES)
    lines = out.stdout.splitlines()
    assert out.returncode == 1
    row = {line.split("  ")[0].strip(): line for line in lines[2:] if line.strip() and "devices ready" not in line}
    assert "door closed" in row["front door"] or "door open" in row["front door"]
    assert " NO " in row["entrance radar"] and "does-not-exist" in row["entrance radar"]
    assert "yes" in row["counter 1 call button"] and "yes" in row["counter 1 light"]
    assert "ready" in row["simulated printer"]
    assert "yes" in row["GPIO pins"] and "MockFactory" in row["GPIO pins"]  # the pin factory in use
    assert "6 of 7 devices ready" in out.stdout


def test_a_radar_that_says_nothing_is_reported_silent_with_where_to_look(tmp_path):
    import tty

    master, slave = os.openpty()  # a port with a radar that sends nothing (unpowered, TX not wired)
    tty.setraw(slave)
    try:
        extra = f'[[sensors]]\nkind = "radar"\nname = "entrance radar"\nserial_port = "{os.ttyname(slave)}"\n'
        out = run(["check-hardware", "--listen", "0.5"], tmp_path, extra)
    finally:
        os.close(master)
        os.close(slave)
    row = next(line for line in out.stdout.splitlines() if line.startswith("entrance radar"))
    assert out.returncode == 1 and " NO " in row and "silent" in row, row
    assert "nothing on" in row and "256000 baud" in row, row  # where to look, not just "zone empty"


def test_check_hardware_passes_when_everything_answers(tmp_path):
    out = run(
        ["check-hardware", "--listen", "0"],
        tmp_path,
        DEVICES.split('[[sensors]]\nkind = "radar"')[0] + "\n[[counter_devices]]\ncounter = 2\ncall_button_pin = 5\n",
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_pin_used_twice_is_a_config_error(tmp_path):
    out = run(["check-hardware"], tmp_path, DEVICES.replace("call_button_pin = 5", "call_button_pin = 17"))
    assert out.returncode == 2
    assert "counter_devices[0].call_button_pin: GPIO 17 is already used by sensors[0].pin" in out.stderr


def test_print_test_on_the_simulated_printer(tmp_path):
    out = run(["print-test", "--lang", "zh-Hans"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "printed on simulated printer" in out.stdout
    pngs = list((tmp_path / "tickets").glob("*.png"))
    assert len(pngs) == 1 and pngs[0].with_suffix(".escpos").stat().st_size > 1000


def test_a_missing_font_is_a_clear_error_not_boxes_on_paper(tmp_path):
    cfg_font = 'kind = "simulated"\nfont = "/nonexistent/NotoSansCJK.ttc"'
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(example_text_with(('kind = "simulated"', cfg_font)), encoding="utf-8")
    out = run_kiosk("print-test", "--config", str(cfg))
    assert out.returncode == 2
    assert "printer.font: /nonexistent/NotoSansCJK.ttc does not exist" in out.stderr
    assert "fonts-noto-cjk" in out.stderr
    check = run_kiosk("check-hardware", "--config", str(cfg))
    assert check.returncode == 1 and "missing" in check.stdout


def test_a_configured_font_without_chinese_is_refused(tmp_path):
    import shutil

    latin = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True).stdout
    if not latin or "CJK" in latin:
        import pytest

        pytest.skip("no Latin-only font on this machine to try (fc-match DejaVu Sans)")
    font = tmp_path / "latin.ttf"
    shutil.copy(latin, font)
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(example_text_with(('kind = "simulated"', f'kind = "simulated"\nfont = "{font}"')), encoding="utf-8")
    out = run_kiosk("print-test", "--config", str(cfg))
    assert out.returncode == 2 and f"printer.font: {font} has no Chinese characters" in out.stderr


def printer_config(tmp_path, printer: str) -> list[str]:
    """The example configuration with another [printer] section (checked, not assumed)."""
    section = '[printer]\nkind = "simulated"\n'
    text = example_text_with((section, f"[printer]\n{printer}\n"), ("\ntimeout_s = 5 ", "\n# timeout_s = 5 "))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    return ["--config", str(cfg)]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    """The command, which must give up by itself: a hung one fails the test after 20 s."""
    return run_kiosk(*args, timeout=20)


def test_a_fifo_nobody_reads_as_the_printer_is_reported_at_once_not_hung(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    cfg = printer_config(tmp_path, f'kind = "file"\nfile = "{fifo}"\ntimeout_s = 1')
    r = kiosk("print-test", *cfg)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "nobody is reading" in r.stderr
    r = kiosk("check-hardware", *cfg)
    assert r.returncode == 1
    row = next(line for line in r.stdout.splitlines() if "device file" in line)
    assert "NO" in row and "nobody is reading" in row


def test_a_device_file_that_stops_taking_data_gives_up_at_the_deadline(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: the pipe fills and stays full
    import fcntl

    fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 4096)  # a printer's small buffer, not Linux's 64 KiB
    try:
        r = kiosk("print-test", *printer_config(tmp_path, f'kind = "file"\nfile = "{fifo}"\ntimeout_s = 1'))
    finally:
        os.close(reader)
    assert r.returncode == 1
    assert "not printed" in r.stderr and r.stderr.count("\n") == 1


def test_a_file_printer_whose_device_does_not_exist_is_missing_and_nothing_is_created(tmp_path):
    path = tmp_path / "usb" / "lp0"
    cfg = printer_config(tmp_path, f'kind = "file"\nfile = "{path}"')
    r = kiosk("check-hardware", *cfg)
    row = next(line for line in r.stdout.splitlines() if "device file" in line)
    assert r.returncode == 1 and "missing" in row and "NO" in row
    r = kiosk("print-test", *cfg)
    assert r.returncode == 1 and "missing" in r.stderr and not path.exists()


def test_kiosk_reprint_prints_todays_ticket_again_and_counts_it(tmp_path):
    from kiosk.config import load_config
    from kiosk.engine import Engine
    from kiosk.store import Store
    from kiosk.testing import write_config

    cfg, _ = write_config(  # open around the clock
        tmp_path,
        f"sqlite:///{tmp_path / 'q.sqlite3'}",
        printer={"kind": "simulated", "out_dir": str(tmp_path / "tickets")},
    )
    config = load_config(str(cfg))[0]
    engine = Engine(config, Store(config.site.database))
    engine.setup()
    engine.issue("general", kiosk="kiosk")
    r = kiosk("reprint", "a001", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert "A001 printed again" in r.stdout and len(list((tmp_path / "tickets").glob("*.png"))) == 1
    assert engine.ticket_by_number("A001").reprints == 1
    # printed here only: the kiosk that issued it (running on this store) does not print it too
    from hardware.fonts import find_cjk_font
    from hardware.printer.simulated import SimulatedPrinter
    from kiosk.printing import PrintService
    from kiosk.reprints import Reprints

    issuing_kiosk = PrintService(SimulatedPrinter(tmp_path / "kiosk", str(find_cjk_font())))
    ev = engine.latest_events("ticket_reprint", 1)[0]
    assert Reprints("kiosk", issuing_kiosk, config).on_event(ev) is None
    issuing_kiosk.close()
    r = kiosk("reprint", "A999", "--config", str(cfg))
    assert r.returncode == 1 and "no ticket A999" in r.stderr


def test_an_unusable_database_at_start_up_is_named_with_its_file_key_and_fix(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(example_text_with(('database = ""', f'database = "sqlite:///{blocker}/q.sqlite3"')))
    r = kiosk("report", "--config", str(cfg))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert str(cfg) in r.stderr and "site.database" in r.stderr and "Fix:" in r.stderr
    assert len(r.stderr.splitlines()) <= 4


def test_check_hardware_names_the_pin_factory_and_refuses_one_that_cannot_drive_a_pi_5(tmp_path):
    from hardware.check import board_model, pin_factory_status

    class NativeFactory:
        pass

    class LGPIOFactory:
        pass

    bad = pin_factory_status(NativeFactory(), "Raspberry Pi 5 Model B Rev 1.0")
    assert not bad.ok and "lgpio" in bad.detail and "NativeFactory" in bad.detail
    good = pin_factory_status(LGPIOFactory(), "Raspberry Pi 5 Model B Rev 1.0")
    assert good.ok and good.state == "LGPIOFactory"
    assert pin_factory_status(NativeFactory(), "Raspberry Pi 4 Model B Rev 1.4").ok
    model = tmp_path / "model"
    model.write_bytes(b"Raspberry Pi 5 Model B Rev 1.0\0")
    assert board_model(str(model)) == "Raspberry Pi 5 Model B Rev 1.0"
    out = run(["check-hardware", "--listen", "0.2"], tmp_path, DEVICES)
    row = next(line for line in out.stdout.splitlines() if line.startswith("GPIO pins"))
    assert "MockFactory" in row  # the factory in use is named
