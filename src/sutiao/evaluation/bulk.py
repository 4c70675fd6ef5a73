"""Writing the summary's rows in bulk for the rebuild: COPY on PostgreSQL (psycopg 3's
`cursor.copy`; at a million cases the ORM's bulk_create preparing each field of each row
was most of the rebuild), bulk_create elsewhere (SQLite in the tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 5000


def write(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (values in the order of `columns`, attnames); returns how many. A dict
    or list value goes to a JSON column."""
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=BATCH
        )
        return len(made)
    quote = connection.ops.quote_name
    column = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column[c]) for c in columns)
    connection.ensure_connection()
    n = 0
    table = quote(model._meta.db_table)
    # Names from the model only; the values travel as COPY data.
    sql = f"COPY {table} ({names}) FROM STDIN"  # nosec B608
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, dict | list) else v for v in row])
            n += 1
    return n


def empty(*tables: type[models.Model]) -> None:
    """Delete every row of the tables, in the caller's transaction. DELETE, not TRUNCATE:
    TRUNCATE would lock the figures pages out until the rebuild commits; DELETE lets them
    read the old rows meanwhile."""
    for model in tables:
        model._default_manager.all()._raw_delete(model._default_manager.db)
