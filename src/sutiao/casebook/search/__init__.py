"""One search interface, two backends: SQLite FTS5 and PostgreSQL full-text. Both index the
same jieba-segmented text (segment.index_text) and rank by relevance; the connection's vendor
chooses the backend."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from .. import segment
from .base import Backend, Filters, Hit

__all__ = ["Filters", "Hit", "backend", "search", "index", "unindex"]


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()


@dataclass
class Results:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)


def search(
    query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0
) -> Results:
    """Published typical cases matching the words of `query` (all tags in `filters`), best
    first. An empty query lists the newest (filtered)."""
    terms = segment.query_terms(query)
    return Results(terms, backend().search(terms, filters or Filters(), limit, offset))


def index(typical_case_id: int, *parts: str) -> None:
    unindex(typical_case_id)  # a case published again: its old words out first
    body = segment.index_text(*parts)
    backend().index(typical_case_id, body)
    count_words(body, +1)


def unindex(typical_case_id: int) -> None:
    from ..models import SearchDocument

    old = SearchDocument.objects.filter(typical_case_id=typical_case_id).first()
    if old is not None:
        count_words(old.body, -1)
        backend().unindex(typical_case_id)


def count_words(body: str, step: int) -> None:
    """Add `step` to the document count of each distinct word of `body`."""
    from django.db.models import F

    from ..models import Term

    words = sorted(set(body.split()))
    if step > 0:
        Term.objects.bulk_create([Term(word=w[:100]) for w in words], ignore_conflicts=True)
    Term.objects.filter(word__in=[w[:100] for w in words]).update(documents=F("documents") + step)
