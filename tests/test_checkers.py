"""./run-tests fails on a lint, format or type error, not only on a failing test: the checkers it
runs catch a deliberately bad snippet with the project's own settings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
BAD = "import os\nimport sys\n\n\ndef f(x):\n    return undefined_name + x\n"


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RUFF, *args, "--config", str(ROOT / "pyproject.toml"), "."], cwd=cwd, capture_output=True, text=True
    )


def test_run_tests_runs_the_checkers_and_fails_on_their_findings():
    script = (ROOT / "run-tests").read_text()
    assert '"$VENV/bin/ruff" check' in script and '"$VENV/bin/ruff" format --check' in script
    assert '"$VENV/bin/mypy"' in script
    assert "status=$checks" in script


def test_the_linter_catches_unused_imports_and_undefined_names(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    res = _ruff("check", "--output-format", "concise", cwd=tmp_path)
    assert res.returncode == 1
    assert "F401" in res.stdout and "F821" in res.stdout


def test_the_formatter_check_catches_unformatted_code(tmp_path):
    (tmp_path / "ugly.py").write_text("x = {  'a':1,'b' :2 }\n")
    assert _ruff("format", "--check", cwd=tmp_path).returncode == 1
    (tmp_path / "ugly.py").write_text('x = {"a": 1, "b": 2}\n')
    assert _ruff("format", "--check", cwd=tmp_path).returncode == 0


def test_the_tree_itself_is_clean():
    assert _ruff("check", cwd=ROOT).returncode == 0
    assert _ruff("format", "--check", cwd=ROOT).returncode == 0


MYPY = shutil.which("mypy", path=str(Path(sys.executable).parent)) or "mypy"


def test_the_type_checker_catches_an_optional_used_as_a_value(tmp_path):
    (tmp_path / "typed.py").write_text(
        "def pin(x: int | None) -> int:\n    return x + 1\n\n\ndef body():\n    n: int = 'three'\n    return n\n"
    )
    res = subprocess.run(
        [MYPY, "--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary", str(tmp_path / "typed.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert res.returncode == 1
    assert "Unsupported operand types" in res.stdout or "Unsupported left operand" in res.stdout
    assert 'Incompatible types in assignment (expression has type "str"' in res.stdout  # an unannotated body too
