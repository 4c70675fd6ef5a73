"""The Chinese catalog is complete, compiled and in use; the English site stays English.

Refresh the catalog from src/sutiao:
    sutiao makemessages -l zh_Hans --ignore 'migrations/*' --no-obsolete
then translate every new entry in locale/zh_Hans/LC_MESSAGES/django.po and run
    sutiao compilemessages
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

import sutiao
from tests import factories

PACKAGE = Path(sutiao.__file__).parent
MESSAGES = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
CJK = re.compile(r"[\u3400-\u9fff]")
REFRESH = "run `sutiao makemessages -l zh_Hans --ignore 'migrations/*' --no-obsolete` in src/sutiao"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[n]."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or (line.startswith("#") and entry and "msgid" in entry):
            if entry and "msgid" in entry:
                entries.append(entry)
            entry = None
            if not line:
                continue
        if line.startswith("#~"):  # obsolete: not part of the catalog
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def catalog_key(entry: dict, n: int | None = None):
    msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
    return msgid if n is None else (msgid, n)


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return [e for e in parse_po(PO) if e["msgid"]]  # without the header


def test_catalog_has_the_entries_of_the_site(entries):
    assert len(entries) > 100
    assert {"Log in", "Directory", "Party", "Mediator"} <= {e["msgid"] for e in entries}


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    header = parse_po(PO)[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"], "the header is fuzzy"
    assert "Language: zh_Hans" in header["msgstr"]
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"no Chinese for: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then drop the flag): {fuzzy}"


def test_translations_are_chinese_and_keep_their_placeholders(entries):
    for e in entries:
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in translations(e):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, e["msgid"]
            assert CJK.search(text), f"not Chinese: {e['msgid']!r} -> {text!r}"


def test_compiled_catalog_matches_the_po_file(entries):
    """The shipped .mo holds exactly the .po's translations: compile after every edit."""
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    expected = {}
    for e in entries:
        if "msgid_plural" in e:
            for k, v in e.items():
                if k.startswith("msgstr["):
                    expected[catalog_key(e, int(k[7:-1]))] = v
        else:
            expected[catalog_key(e)] = e["msgstr"]
    shipped = {k: v for k, v in compiled._catalog.items() if k != ""}
    stale = {k: (v, shipped.get(k)) for k, v in expected.items() if shipped.get(k) != v}
    extra = set(shipped) - set(expected)
    assert not stale and not extra, f"django.mo is stale, run `sutiao compilemessages`: {stale}"


def test_catalog_covers_every_string_in_the_source(entries, tmp_path, settings, monkeypatch):
    """Extract afresh from a copy of the source and compare: no msgid may be missing."""
    tree = tmp_path / "sutiao"
    shutil.copytree(
        PACKAGE,
        tree,
        ignore=shutil.ignore_patterns("locale", "migrations", "__pycache__", "static", "var"),
    )
    (tree / "locale").mkdir()
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    fresh = parse_po(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    in_source = {catalog_key(e) for e in fresh if e["msgid"]}
    in_catalog = {catalog_key(e) for e in entries}
    missing, unused = sorted(in_source - in_catalog), sorted(in_catalog - in_source)
    assert not missing, f"not in the catalog, {REFRESH}: {missing}"
    assert not unused, f"no longer in the source, {REFRESH}: {unused}"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get("/accounts/login/").content.decode()
    client.cookies["django_language"] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert "Log in" in html
    assert "登录" not in html


@pytest.mark.django_db
def test_directory_speaks_the_visitors_language(client):
    court = factories.court(name="北京知识产权法院")
    org = factories.org(name="北京市知识产权保护中心", kind="protection_centre")
    data = {court.name, org.name, court.region.full_name, org.region.full_name}

    html = client.get("/institutions/").content.decode()
    for chinese in ("机构名录", "具有知识产权案件管辖权的法院", "知识产权保护中心", "专利", "查询"):
        assert chinese in html

    client.cookies["django_language"] = "en"
    html = client.get("/institutions/").content.decode()
    for english in (
        "Directory",
        "Courts, IP offices and mediation organisations",
        "Courts with IP jurisdiction",
        "IP protection centre",
        "Patent",
        "Search",
    ):
        assert english in html
    # Apart from the seal, the language switch and the data itself, no Chinese is left.
    for allowed in sorted(data | {"诉调", "中文"}, key=len, reverse=True):
        html = html.replace(allowed, "")
    assert not CJK.search(html), re.findall(r".{0,40}[\u3400-\u9fff]+.{0,40}", html)
