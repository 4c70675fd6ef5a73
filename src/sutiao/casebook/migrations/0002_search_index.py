"""The full-text index of the library, in the form each database has: an FTS5 table kept by
triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations


def _statements(schema_editor, which: str) -> list[str]:
    if schema_editor.connection.vendor == "postgresql":
        from sutiao.casebook.search import postgres as backend
    else:
        from sutiao.casebook.search import sqlite as backend
    return getattr(backend, which)


def create(apps, schema_editor):
    for sql in _statements(schema_editor, "SCHEMA"):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in _statements(schema_editor, "DROP"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("casebook", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
