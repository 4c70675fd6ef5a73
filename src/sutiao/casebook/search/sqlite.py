"""SQLite FTS5: the external-content table casebook_fts over casebook_searchdocument (kept in
step by triggers), ranked by bm25. The unicode61 tokenizer splits on the spaces segment.py
put between words, so a Chinese word is one token."""

from __future__ import annotations

from django.db import connection

from .base import Filters, Hit, SearchDocuments, newest


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend(SearchDocuments):
    def search(self, terms: list[str], filters: Filters, limit: int, offset: int) -> list[Hit]:
        with connection.cursor() as cursor:
            if not terms:
                return newest(cursor, filters, limit, offset)
            where, params = filters.where()
            cursor.execute(
                "SELECT tc.id, bm25(casebook_fts) AS score FROM casebook_fts "  # noqa: S608 (fixed columns; values as parameters) # nosec B608
                "JOIN casebook_typicalcase tc ON tc.id = casebook_fts.rowid "
                f"WHERE casebook_fts MATCH %s AND {where} ORDER BY score, tc.id DESC "
                "LIMIT %s OFFSET %s",
                [" OR ".join(_quoted(t) for t in terms), *params, limit, offset],
            )
            return [Hit(row[0], -row[1]) for row in cursor.fetchall()]


SCHEMA = [
    "CREATE VIRTUAL TABLE casebook_fts USING fts5(body, content='casebook_searchdocument', "
    "content_rowid='typical_case_id', tokenize='unicode61')",
    "CREATE TRIGGER casebook_fts_ai AFTER INSERT ON casebook_searchdocument BEGIN "
    "INSERT INTO casebook_fts(rowid, body) VALUES (new.typical_case_id, new.body); END",
    "CREATE TRIGGER casebook_fts_ad AFTER DELETE ON casebook_searchdocument BEGIN "
    "INSERT INTO casebook_fts(casebook_fts, rowid, body) "
    "VALUES ('delete', old.typical_case_id, old.body); END",
    "CREATE TRIGGER casebook_fts_au AFTER UPDATE ON casebook_searchdocument BEGIN "
    "INSERT INTO casebook_fts(casebook_fts, rowid, body) "
    "VALUES ('delete', old.typical_case_id, old.body); "
    "INSERT INTO casebook_fts(rowid, body) VALUES (new.typical_case_id, new.body); END",
]
DROP = [
    "DROP TRIGGER IF EXISTS casebook_fts_au",
    "DROP TRIGGER IF EXISTS casebook_fts_ad",
    "DROP TRIGGER IF EXISTS casebook_fts_ai",
    "DROP TABLE IF EXISTS casebook_fts",
]
