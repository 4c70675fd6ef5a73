"""The import architecture: core at the bottom, no import cycle between sutiao's packages.

The contracts live in pyproject.toml ([tool.importlinter]); CI runs the same as `lint-imports`.
"""

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
