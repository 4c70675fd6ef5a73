"""What a search backend does, and the tag filters both share (plain SQL, parameters only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Filters:
    ip_kind: str = ""
    industry: str = ""
    outcome: str = ""
    channel: str = ""
    exclude: int | None = None  # a case's related cases leave the case itself out

    def where(self, alias: str = "tc") -> tuple[str, list[Any]]:
        """The SQL condition on casebook_typicalcase `alias`: published and every tag given."""
        clauses: list[str] = [f"{alias}.state = %s"]
        params: list[Any] = ["published"]
        for column in ("industry", "outcome", "channel"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{alias}.{column} = %s")
                params.append(value)
        if self.ip_kind:
            clauses.append(f"{alias}.ip_kind_id = %s")
            params.append(self.ip_kind)
        if self.exclude is not None:
            clauses.append(f"{alias}.id <> %s")
            params.append(self.exclude)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


class Backend(Protocol):
    def index(self, typical_case_id: int, body: str) -> None: ...

    def unindex(self, typical_case_id: int) -> None: ...

    def search(self, terms: list[str], filters: Filters, limit: int, offset: int) -> list[Hit]: ...


class SearchDocuments:
    """Both backends keep one searchable body per typical case in the same table; the
    database indexes it (FTS5 triggers on SQLite, a generated tsvector column on PostgreSQL)."""

    def index(self, typical_case_id: int, body: str) -> None:
        from ..models import SearchDocument

        SearchDocument.objects.update_or_create(
            typical_case_id=typical_case_id, defaults={"body": body}
        )

    def unindex(self, typical_case_id: int) -> None:
        from ..models import SearchDocument

        SearchDocument.objects.filter(typical_case_id=typical_case_id).delete()


def newest(cursor, filters: Filters, limit: int, offset: int) -> list[Hit]:
    """No words: the newest published cases that pass the filters."""
    where, params = filters.where()
    cursor.execute(
        f"SELECT tc.id FROM casebook_typicalcase tc WHERE {where} "  # noqa: S608 (where: fixed columns, values as parameters) # nosec B608
        "ORDER BY tc.published_at DESC, tc.id DESC LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    return [Hit(row[0], 0.0) for row in cursor.fetchall()]
