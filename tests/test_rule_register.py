"""The register of rules (src/sutiao/rules.toml) and the tests' `rule` markers agree both ways:
every enforced or partial rule is exercised by a test that says so, every marker names a
registered rule, and every place the register names in the code exists."""

from __future__ import annotations

import importlib
import pathlib
import textwrap

import pytest

from tests import rules_register
from tests.rules_register import ROOT, TESTED, register


def test_the_register_reads_and_every_rule_is_well_formed():
    rules = register()  # raises RegisterError listing every malformed row
    assert len(rules) >= 60
    assert {r.status for r in rules.values()} <= set(rules_register.STATUSES)


def test_every_enforced_or_partial_rule_is_marked_by_a_test():
    marked = rules_register.marked_ids()
    untested = sorted(
        r.id for r in register().values() if r.status in TESTED and r.id not in marked
    )
    assert not untested, (
        f"enforced or partial rules no test marks with @pytest.mark.rule: {untested}; "
        "write the test, or change the rule's status in src/sutiao/rules.toml and say why"
    )


def test_every_marker_names_a_registered_rule():
    rules = register()
    wrong = [
        f"{m.path}:{m.line} rule({', '.join(map(repr, m.ids))})"
        for m in rules_register.markers()
        if not m.ids or rules_register.unknown(m.ids)
    ]
    assert not wrong, f"markers naming no rule of src/sutiao/rules.toml: {wrong}"
    # An absent or information-only rule has nothing a test could exercise: a test marking
    # one means the code now enforces it and the register lags behind.
    stale = {
        i: places
        for i, places in rules_register.marked_ids().items()
        if i in rules and rules[i].status not in TESTED
    }
    assert not stale, f"tests mark rules the register calls absent or information-only: {stale}"


def test_every_place_the_register_names_exists():
    missing = []
    for rule in register().values():
        for where in rule.where:
            if "::" not in where:
                if not (ROOT / "src" / where).is_file():
                    missing.append(f"{rule.id}: no file src/{where}")
                continue
            module, name = where.split("::")
            try:
                obj = importlib.import_module(module)
                for part in name.split("."):
                    obj = getattr(obj, part)
            except (ImportError, AttributeError) as err:
                missing.append(f"{rule.id}: {where} ({err})")
    assert not missing, f"the register names code that is not there: {missing}"


def test_markers_are_found_wherever_they_are_written(tmp_path: pathlib.Path):
    (tmp_path / "test_x.py").write_text(
        textwrap.dedent(
            """
            import pytest
            from pytest import mark

            pytestmark = [pytest.mark.django_db, pytest.mark.rule("CPL-85")]

            @pytest.mark.rule("OMR-24a", "OMR-24b")
            def test_a(): ...

            class TestB:
                @mark.rule("NOPE-1")
                def test_b(self): ...

            @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.rule("SIR-2"))])
            def test_c(x): ...
            """
        )
    )
    found = {i for m in rules_register.markers(tmp_path) for i in m.ids}
    assert found == {"CPL-85", "OMR-24a", "OMR-24b", "NOPE-1", "SIR-2"}
    assert rules_register.unknown(["OMR-24a", "NOPE-1", 7]) == ["'NOPE-1'", "7"]


def test_a_malformed_register_is_refused_with_every_problem(monkeypatch, tmp_path):
    bad = tmp_path / "rules.toml"

    def row(rid: str, status: str, **more: str) -> str:
        fields = {"id": rid, "section": "3", "source": "OMR 24", "anchor": "x", "rule": "y"}
        lines = [f'{k} = "{v}"' for k, v in {**fields, "status": status, **more}.items()]
        return "[[rule]]\n" + "\n".join(lines) + "\n"

    bad.write_text(
        row("OMR-24a", "enforced")
        + row("OMR-24a", "partial")
        + row("omr 9", "done", note="z", where="sutiao.cases.actions::accept")
    )
    monkeypatch.setattr(rules_register, "REGISTER", bad)
    rules_register.register.cache_clear()
    try:
        with pytest.raises(rules_register.RegisterError) as err:
            rules_register.register()
    finally:
        rules_register.register.cache_clear()
    text = str(err.value)
    assert "OMR-24a: enforced but no place in the code" in text
    assert "OMR-24a: registered twice" in text
    assert "OMR-24a: partial needs a note" in text
    assert "omr 9: not SOURCE-ARTICLE" in text and "omr 9: status 'done'" in text
    assert "omr 9: where must be a list of places" in text


def test_the_coverage_check_finds_a_piece_of_rules_md_the_register_lacks(tmp_path):
    rules_md = tmp_path / "RULES.md"
    rules_md.write_text(
        "# Rules\npreamble (OMR 99)\n\n## 1. Channels\n"
        "- Calendar-day periods: the first day is not counted (CPL 85).\n"
        "- A new rule nobody registered (OMR 77).\n"
        "- The roster is public. Something (OMR 5; SIR 8; OLR 3).\n"
    )
    problems = [p for p in rules_register.coverage(rules_md) if "anchor not in" not in p]
    assert problems == [
        "no rule anchored in: A new rule nobody registered (OMR 77).",
        "OLR-3 cited but named by no rule anchored in: The roster is public. Something (OMR 5; SIR 8; OLR 3).",
    ]
