"""Inserting many generated rows fast, with every column the rows do not vary taken once
from a default instance of the model (as the ORM would compute it). The ORM's bulk_create
prepares each field of each object, which at a million cases is most of the run.

PostgreSQL: COPY (psycopg 3's `cursor.copy`), with ids reserved from the table's own
sequence first (nextval, then setval past the block), so the sequence is already advanced
when the rows land and the platform's own inserts afterwards never collide. Other
databases (SQLite in the tests): a multi-row INSERT … RETURNING id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models

MAX_PARAMS = 30_000  # SQLite's limit is 32,766 variables per statement


def _adapt(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _columns(model: type[models.Model], varying: set[str]) -> tuple[list[Any], dict[str, Any]]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    base = model()
    fixed = {
        f.attname: f.get_db_prep_save(f.pre_save(base, True), connection)
        for f in fields
        if f.attname not in varying
    }
    return fields, fixed


def insert(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` (attname → value; the same keys in each) and return their ids in order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, rows)
    fields, fixed = _columns(model, set(rows[0]))
    varying = set(rows[0])
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMS // len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [_adapt(row[n]) if n in varying else fixed[n] for row in chunk for n in names]
            # Names from the model, values as parameters: no input reaches the text.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608 # nosec B608
            cursor.execute(sql + " RETURNING id", params)
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def reserve(model: type[models.Model], n: int) -> int:
    """The first of `n` consecutive ids taken from the model's sequence (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
    return int(first)


def _copy(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    varying = set(rows[0])
    fields, fixed = _columns(model, varying)
    first = reserve(model, len(rows))
    ids = list(range(first, first + len(rows)))
    quote = connection.ops.quote_name
    columns = ", ".join(["id", *(quote(f.column) for f in fields)])
    plan = [(f.attname, f.attname in varying, fixed.get(f.attname)) for f in fields]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        # Names from the model only; the rows travel as COPY data, never as SQL text.
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"  # nosec B608
        with cursor.copy(sql) as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *(row[n] if v else f for n, v, f in plan)])
    return ids
