"""The register of the rules of law the platform implements (src/sutiao/rules.toml), and the
`@pytest.mark.rule("OMR-24")` markers by which tests say which rules they exercise.

Used by tests/conftest.py (an unknown id in a marker fails collection), by
tests/test_rule_register.py (register ↔ markers, both ways), and from the command line:

    .venv/bin/python -m tests.rules_register                  # counts, partial and absent rules
    .venv/bin/python -m tests.rules_register ../shared/domain/RULES.md   # + coverage of RULES.md

The coverage of RULES.md is checked from the command line only: RULES.md lives outside the
repository (../shared/domain/RULES.md) and a clean clone may not have it.
"""

from __future__ import annotations

import ast
import pathlib
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

ROOT = pathlib.Path(__file__).resolve().parents[1]
REGISTER = ROOT / "src" / "sutiao" / "rules.toml"
TESTS = ROOT / "tests"

STATUSES = ("enforced", "partial", "absent", "information-only")
# The statuses a test must exercise; absent and information-only rules have nothing to test.
TESTED = ("enforced", "partial")
SOURCES = ("SIR", "OMR", "OLR", "CPL", "CPL-I", "Notice", "Measures", "ESL", "Fees", "Pub")
SOURCES += ("PIPL", "Opinion", "Scale")
# SOURCE-ARTICLE, a letter when one article grounds several rules of the register.
ID = re.compile(r"^(?P<source>[A-Za-z]+(?:-I)?)-(?P<article>\d+)(?P<letter>[a-z]?)$")
FIELDS = {"id", "section", "source", "anchor", "rule", "where", "status", "note"}
REQUIRED = {"id", "section", "source", "anchor", "rule", "status"}


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    source: str
    anchor: str
    rule: str
    where: tuple[str, ...]
    status: str
    note: str


class RegisterError(ValueError):
    pass


@cache
def register() -> dict[str, Rule]:
    """The register by id, checked: known fields, a well-formed unique id, a known status,
    a place in the code for what is enforced or partial, a note for what is not enforced."""
    data = tomllib.loads(REGISTER.read_text(encoding="utf-8"))
    rules: dict[str, Rule] = {}
    problems: list[str] = []
    for n, row in enumerate(data.get("rule", []), 1):
        rid = str(row.get("id", f"#{n}"))
        if set(row) - FIELDS or not set(row) >= REQUIRED:
            problems.append(f"{rid}: fields must be {sorted(FIELDS)}, got {sorted(row)}")
            continue
        m = ID.match(rid)
        if not m or m["source"] not in SOURCES:
            problems.append(f"{rid}: not SOURCE-ARTICLE[letter] with a source of {SOURCES}")
        if rid in rules:
            problems.append(f"{rid}: registered twice")
        where = row.get("where", [])
        if not isinstance(where, list) or not all(isinstance(w, str) for w in where):
            problems.append(f"{rid}: where must be a list of places")
            where = []
        rule = Rule(
            id=rid,
            section=str(row["section"]),
            source=str(row["source"]),
            anchor=str(row["anchor"]),
            rule=str(row["rule"]).strip(),
            where=tuple(where),
            status=str(row["status"]),
            note=str(row.get("note", "")).strip(),
        )
        if rule.status not in STATUSES:
            problems.append(f"{rid}: status {rule.status!r} is not one of {STATUSES}")
        if rule.status in TESTED and not rule.where:
            problems.append(f"{rid}: {rule.status} but no place in the code (where)")
        if rule.status != "enforced" and not rule.note:
            problems.append(f"{rid}: {rule.status} needs a note saying what is missing or why")
        if not rule.rule or not rule.anchor:
            problems.append(f"{rid}: the rule and its anchor in RULES.md must not be empty")
        rules[rid] = rule
    if problems:
        raise RegisterError("src/sutiao/rules.toml:\n  " + "\n  ".join(problems))
    return rules


def unknown(ids: Iterable[object]) -> list[str]:
    """The ids of a marker that name no registered rule (or are not strings at all)."""
    known = register()
    return [repr(i) for i in ids if not isinstance(i, str) or i not in known]


# --- markers in the test files -------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    path: str  # relative to the repository
    line: int
    ids: tuple[object, ...]


def _is_rule_mark(func: ast.expr) -> bool:
    # pytest.mark.rule(...) or mark.rule(...)
    if not (isinstance(func, ast.Attribute) and func.attr == "rule"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


def markers(root: pathlib.Path = TESTS) -> Iterator[Marker]:
    """Every `pytest.mark.rule(...)` in the test files, read from their source: on a test, a
    class, a module's `pytestmark` or a `pytest.param(marks=...)` alike, collected or not."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_rule_mark(node.func):
                ids = tuple(
                    a.value if isinstance(a, ast.Constant) else ast.unparse(a) for a in node.args
                )
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                yield Marker(str(shown), node.lineno, ids)


def marked_ids(root: pathlib.Path = TESTS) -> dict[str, list[str]]:
    """Rule id → the places (path:line) of the markers naming it."""
    found: dict[str, list[str]] = {}
    for m in markers(root):
        for i in m.ids:
            found.setdefault(str(i), []).append(f"{m.path}:{m.line}")
    return found


# --- coverage of RULES.md (command line) ----------------------------------------------------

CITATION = re.compile(r"\b(SIR|OMR|OLR|CPL-I|CPL|Notice) §?(\d+)")


def units(text: str) -> list[str]:
    """The rule-bearing pieces of RULES.md after its preamble: each table row, each bullet
    (with its continuation lines) and each paragraph."""
    body = text[text.index("\n## 1.") :]
    found: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            found.append(" ".join(current))
            current.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            close()
        elif line.startswith("|"):
            close()
            if (
                not set(line) <= set("|-: ")
                and not line.startswith("| channel")
                and not (line.startswith("| step"))
            ):
                found.append(line)
        elif line.startswith("- "):
            close()
            current.append(line[2:])
        else:
            current.append(line)
    close()
    return found


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def coverage(rules_md: pathlib.Path) -> list[str]:
    """What of RULES.md the register misses: anchors not found in it, pieces no rule is
    anchored in, and citations of a piece that no rule anchored there names in its source."""
    text = rules_md.read_text(encoding="utf-8")
    flat = _flat(text)
    rules = register().values()
    problems = [
        f"{r.id}: anchor not in RULES.md: {r.anchor!r}"
        for r in rules
        if _flat(r.anchor) not in flat
    ]
    for piece in units(text):
        piece = _flat(piece)
        here = [r for r in rules if _flat(r.anchor) in piece]
        if not here:
            problems.append(f"no rule anchored in: {piece[:100]}")
            continue
        cited = {f"{s}-{n}" for s, n in CITATION.findall(piece)}
        named = {f"{s}-{n}" for r in here for s, n in CITATION.findall(r.source)}
        for missing in sorted(cited - named):
            problems.append(f"{missing} cited but named by no rule anchored in: {piece[:80]}")
    return problems


def summary() -> str:
    rules = register()
    marked = marked_ids()
    by_status = {s: [r for r in rules.values() if r.status == s] for s in STATUSES}
    lines = [
        f"rules in the register: {len(rules)}",
        f"with a test marking them: {sum(1 for r in rules if r in marked)} / {len(rules)}",
        ", ".join(f"{s}: {len(v)}" for s, v in by_status.items()),
    ]
    for status in ("partial", "absent"):
        lines.append(f"\n{status}:")
        lines += [f"  {r.id} (§{r.section}) {r.rule} — {r.note}" for r in by_status[status]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
    if len(sys.argv) > 1:
        path = pathlib.Path(sys.argv[1])
        problems = coverage(path)
        print(f"\nRULES.md pieces: {len(units(path.read_text(encoding='utf-8')))}")
        print("\n".join(problems) or "every piece of RULES.md is in the register")
        sys.exit(1 if problems else 0)
