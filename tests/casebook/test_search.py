"""The library's search over a 1,000-case corpus, on whichever backend the run's database has
(SQLite FTS5; PostgreSQL full-text with SUTIAO_DATABASE_URL): 20 hand-written queries, each
must find its intended case in the top 3."""

from __future__ import annotations

import pytest
from django.db import connection

from sutiao.casebook import search, segment
from sutiao.casebook.models import SearchDocument
from tests import factories

from . import library

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return factories.person("casebook_editor", court=factories.court())


def test_twenty_queries_find_their_case_in_the_top_three_of_a_thousand(editor):
    rows, queries = library.corpus(editor, 1000)
    assert len(rows) == 1000 and len(queries) == 20
    misses = []
    for query, intended in queries:
        top = [h.id for h in search.search(query, limit=3).hits]
        if rows[intended].pk not in top:
            misses.append((query, rows[intended].title, [r.title for r in rows if r.pk in top]))
    assert misses == [], f"{connection.vendor}: {misses}"


def test_the_domain_dictionary_keeps_legal_terms_whole():
    for term in ("权利要求", "现有技术", "商标近似", "信息网络传播权", "商业秘密"):
        assert term in segment.words(f"本案涉及{term}的认定")


def test_filters_by_tag_and_the_newest_without_words(editor):
    rows, _ = library.corpus(editor, 60)
    patents = search.search("", search.Filters(ip_kind="patent"), limit=100).hits
    assert patents and all(
        r.ip_kind_id == "patent" for r in rows if r.pk in {h.id for h in patents}
    )
    assert {h.id for h in patents} == {r.pk for r in rows if r.ip_kind_id == "patent"}
    failed = search.search("纠纷", search.Filters(outcome="failed"), limit=100).hits
    assert {h.id for h in failed} == {r.pk for r in rows if r.outcome == "failed"}


def test_withdrawn_or_unpublished_cases_are_not_found(editor):
    rows, _ = library.corpus(editor, 30)
    target = rows[0]
    term = segment.query_terms(target.title)[0]
    assert target.pk in {h.id for h in search.search(term, limit=100).hits}
    type(target).objects.filter(pk=target.pk).update(state="withdrawn")
    assert target.pk not in {h.id for h in search.search(term, limit=100).hits}
    search.unindex(target.pk)
    assert not SearchDocument.objects.filter(pk=target.pk).exists()


def test_a_query_of_punctuation_or_operators_is_harmless(editor):
    library.corpus(editor, 20)
    for query in ('"', "OR AND NOT", "' | & !", "*", "()", '权利要求" OR "x'):
        search.search(query)  # no syntax error from either backend
