"""Every stable error code is in a domain's errors.py, described, and in docs/api.md."""

import ast
import pathlib

from django.core.management import call_command

from sutiao.core import lifecycle
from sutiao.core.errors import TABLE_END, TABLE_START, ErrorCode, all_codes, error_table

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Django ValidationError codes of form validators: field-level, not API error codes.
FIELD_CODES = {
    "invalid_id_number",
    "invalid_pattern",
    "invalid_phone",
    "invalid_region",
    "invalid_uscc",
    "password_not_mixed",
}


def test_docs_api_md_error_table_matches_the_enums():
    text = (ROOT / "docs" / "api.md").read_text()
    assert TABLE_START in text and TABLE_END in text
    start = text.index(TABLE_START)
    documented = text[start : text.index(TABLE_END) + len(TABLE_END)]
    assert documented == error_table(), (
        "docs/api.md's error table differs from the errors.py enums: "
        "run `sutiao errors table --write` (or `python -m sutiao.cli errors table --write`)"
    )


def test_every_code_is_unique_and_described():
    codes = all_codes()
    assert len({c.value for c in codes}) == len(codes)
    for c in codes:
        assert isinstance(c, ErrorCode) and c == c.value
        assert c.description and "\n" not in c.description, c.value


def test_no_error_code_is_a_string_literal_in_src():
    """`code="…"` in src/ is a field validator's or a model field's, never a domain error's."""
    known = {c.value for c in all_codes()}
    literals = []
    for path in (ROOT / "src" / "sutiao").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "code":
                v = node.value
                if isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value in known:
                    literals.append(f"{path.relative_to(ROOT)}:{v.lineno} {v.value}")
    assert not literals


def test_every_machine_s_codes_are_registered():
    known = {c.value for c in all_codes()}
    assert lifecycle.MACHINES
    for machine in lifecycle.MACHINES.values():
        for suffix in ("invalid_transition", "not_your_step"):
            assert f"{machine.prefix}.{suffix}" in known


def test_the_command_prints_the_table(capsys):
    call_command("errors", "table")
    assert capsys.readouterr().out.strip() == error_table()
