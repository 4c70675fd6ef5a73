"""The architecture: core at the bottom, no import cycle between sutiao's packages, and modules
and functions small enough to read (500 and 60 lines).

The contracts live in pyproject.toml ([tool.importlinter]); CI runs the same as `lint-imports`.
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_contract_forbids_every_other_package():
    """A new domain is forbidden to core the day it lands."""
    siblings = grimp.build_graph("sutiao").find_children("sutiao") - {"sutiao.core"}
    assert set(_contracts()["core-at-the-bottom"]["forbidden_modules"]) == siblings


MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60


def _sources():
    root = ROOT / "src" / "sutiao"
    return [p for p in root.rglob("*.py") if "migrations" not in p.parts]


def test_no_module_over_500_lines():
    long = {str(p): n for p in _sources() if (n := p.read_text().count("\n")) > MAX_FILE_LINES}
    assert long == {}, "split these modules by use case"


def test_no_function_over_60_lines():
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long[f"{path.name}::{node.name}"] = size
    assert long == {}, "give the steps of these functions names of their own"
