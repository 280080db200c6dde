"""The house rules' citations resolve: every test docs/house-rules.md names exists, so a rule
that says "shown by" is shown by something that runs."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT


def test_every_test_the_house_rules_cite_exists():
    text = (ROOT / "docs" / "house-rules.md").read_text(encoding="utf-8")
    # `tests/file.py::name`, `tests/file.py`, or `::name` continuing the file cited just before
    cited = re.findall(r"`(tests/[a-z_]+\.py)?(?:::([A-Za-z_0-9]+))?`", text)
    file = None
    checked = 0
    for path, name in cited:
        if path:
            file = ROOT / path
            assert file.is_file(), f"docs/house-rules.md cites {path}, which does not exist"
        if name:
            assert file is not None, f"docs/house-rules.md cites ::{name} before any file"
            tests = {n.name for n in ast.walk(ast.parse(file.read_text())) if isinstance(n, ast.FunctionDef)}
            assert name in tests, f"docs/house-rules.md cites {file.name}::{name}, which does not exist"
            checked += 1
    assert checked >= 15


def test_the_code_cites_rules_the_house_rules_name():
    rules = (ROOT / "docs" / "house-rules.md").read_text(encoding="utf-8")
    for path in [*ROOT.glob("kiosk/**/*.py"), *ROOT.glob("hardware/**/*.py"), *ROOT.glob("ui/*.py")]:
        for seed in re.findall(r"seed (\d{3})", path.read_text(encoding="utf-8")):
            assert f"({seed}" in rules or f" {seed} " in rules or f"{seed} " in rules, f"{path}: seed {seed}"
