"""The database's own guard on the audit table: UPDATE and DELETE of audit rows are refused
by a trigger, whatever the role or code path (queryset, raw SQL, a database shell), except
the chainer's one update that links a new entry (seq, prev_hash, hash set, nothing else).

PostgreSQL: a plpgsql row trigger raises on every UPDATE or DELETE; only the table's owner
can disable it (`ALTER TABLE ... DISABLE TRIGGER`), so the application's role, which does not
own the table in production (docs/deployment.md), cannot change the log. TRUNCATE fires no
row trigger; `flush` (which wipes every table) uses it.

SQLite: the same with `RAISE(ABORT, ...)`. Its `flush` deletes with DELETE, so the delete
trigger lets a row go only while `sutiao_audit_maintenance()` answers 1: a function that this
module registers on each of the application's connections and that answers 1 only inside
`maintenance()` (used by the `flush` command). A connection that lacks the function (the
sqlite3 shell) is refused too.

A later migration that rebuilds `audit_auditentry` on SQLite (Django copies the table and drops
the old one, and its triggers with it) must install the guard again; tests/audit catch it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"
FUNCTION = "sutiao_audit_append_only"
SQLITE_FLAG = "sutiao_audit_maintenance"

# The one update allowed: the chainer (chain.py) links an unlinked entry, content unchanged.
CONTENT = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "summary",
    "changes",
)
_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT)
_PG_SAME = (
    "("
    + ", ".join(f"NEW.{c}" for c in CONTENT)
    + ") IS NOT DISTINCT FROM ("
    + ", ".join(f"OLD.{c}" for c in CONTENT)
    + ")"
)
LINKING = "OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash <> ''"

POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND {LINKING} AND {_PG_SAME} THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT ({LINKING} AND {_SAME})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN {SQLITE_FLAG}() IS NOT 1
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    raise NotImplementedError(f"no audit guard for the {vendor} database")


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: give each SQLite connection its maintenance flag (off)."""
    if connection.vendor != "sqlite":
        return
    connection.audit_maintenance = False  # type: ignore[attr-defined]
    connection.connection.create_function(
        SQLITE_FLAG, 0, lambda: 1 if getattr(connection, "audit_maintenance", False) else 0
    )


@contextlib.contextmanager
def maintenance(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Let this SQLite connection delete audit rows (flush). No effect on PostgreSQL, where
    flush truncates and nothing else may delete."""
    conn: Any = connection or default_connection
    conn.ensure_connection()
    previous = getattr(conn, "audit_maintenance", False)
    conn.audit_maintenance = True
    try:
        yield
    finally:
        conn.audit_maintenance = previous


@contextlib.contextmanager
def disabled(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Take the guard off and put it back, as the table's owner can: for tests that prove
    `audit verify` catches what such an owner does. Not for application code."""
    conn: Any = connection or default_connection
    _switch(conn, install=False)
    try:
        yield
    finally:
        _switch(conn, install=True)


def _switch(conn: Any, *, install: bool) -> None:
    """Put the guard on (`install`) or take it off."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # Deferred foreign-key checks pending on the table would forbid ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            state = "ENABLE" if install else "DISABLE"
            cursor.execute(f"ALTER TABLE {TABLE} {state} TRIGGER {TABLE}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for sql in statements(conn.vendor, install=install):
                cursor.execute(sql)
