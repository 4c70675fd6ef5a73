"""The database refuses UPDATE and DELETE on audit rows (sutiao.audit.guard)."""

from django.db import migrations

from sutiao.audit import guard


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in guard.statements(schema_editor.connection.vendor, install=True):
            cursor.execute(sql)


def remove(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in guard.statements(schema_editor.connection.vendor, install=False):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
