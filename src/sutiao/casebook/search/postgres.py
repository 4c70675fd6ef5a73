"""PostgreSQL full-text: a tsvector generated from the segmented body with the 'simple'
configuration (no stemming, no stop words: segment.py already chose the words), a GIN index;
the cases with every term of the query first, then those with some, ranked by ts_rank_cd
(cover density: terms close together weigh)."""

from __future__ import annotations

from django.db import connection

from .base import Filters, Hit, SearchDocuments, newest

CANDIDATES = 400  # per set (every term, some term): twenty pages of twenty, more than anyone reads


class PostgresBackend(SearchDocuments):
    def search(self, terms: list[str], filters: Filters, limit: int, offset: int) -> list[Hit]:
        with connection.cursor() as cursor:
            if not terms:
                return newest(cursor, filters, limit, offset)
            where, params = filters.where()
            lexemes = [_lexeme(t) for t in terms]
            choosing = [_lexeme(t) for t in rare(cursor, terms)]
            # Candidates: the cases with every term, then those with any, each set capped so
            # that an unspecific word does not rank a third of the library; every term
            # present outranks some present.
            candidates = (
                "(SELECT d.typical_case_id AS id, d.tsv FROM casebook_searchdocument d "  # noqa: S608 (fixed columns; values as parameters) # nosec B608
                "JOIN casebook_typicalcase tc ON tc.id = d.typical_case_id, q "
                f"WHERE d.tsv @@ q.{{which}} AND {where} LIMIT {CANDIDATES})"
            )
            cursor.execute(
                "WITH q AS (SELECT to_tsquery('simple', %s) AS q_all, "  # noqa: S608 # nosec B608
                "to_tsquery('simple', %s) AS q_any, to_tsquery('simple', %s) AS q_rank), "
                f"c AS ({candidates.format(which='q_all')} UNION "
                f"{candidates.format(which='q_any')}) "
                "SELECT c.id, ts_rank_cd(c.tsv, q.q_rank) + (c.tsv @@ q.q_all)::int AS score "
                "FROM c, q ORDER BY score DESC, c.id DESC LIMIT %s OFFSET %s",
                [" & ".join(lexemes), " | ".join(choosing), " | ".join(lexemes)]
                + [*params, *params, limit, offset],
            )
            return [Hit(row[0], float(row[1])) for row in cursor.fetchall()]


COMMON = 0.05  # a word in more than this share of the library is common


def rare(cursor, terms: list[str]) -> list[str]:
    """The query's terms that choose the some-term candidates: all but the common ones (the
    whole query if every term is common). A common word's postings are a quarter of the
    library; building their bitmap is what a search would spend its time on."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'casebook_searchdocument'")
    total = max(0.0, float(cursor.fetchone()[0]))  # the planner's estimate: no count(*)
    cursor.execute(
        "SELECT word FROM casebook_term WHERE word = ANY(%s) AND documents > %s",
        [terms, max(50.0, COMMON * total)],
    )
    common = {row[0] for row in cursor.fetchall()}
    return [t for t in terms if t not in common] or terms


def rebuild_terms() -> None:
    """The document counts from the index itself (after a bulk load): ts_stat."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casebook_term")
        cursor.execute(
            "INSERT INTO casebook_term (word, documents) SELECT left(word, 100), max(ndoc) "
            "FROM ts_stat('SELECT tsv FROM casebook_searchdocument') GROUP BY left(word, 100)"
        )


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


SCHEMA = [
    "ALTER TABLE casebook_searchdocument ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX casebook_searchdocument_tsv ON casebook_searchdocument USING gin (tsv)",
]
DROP = [
    "DROP INDEX IF EXISTS casebook_searchdocument_tsv",
    "ALTER TABLE casebook_searchdocument DROP COLUMN IF EXISTS tsv",
]
