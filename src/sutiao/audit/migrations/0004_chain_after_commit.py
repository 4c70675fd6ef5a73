"""Entries are linked into the chain after commit (audit.chain): seq and the hashes start
empty, and the guard allows the one update that fills them. On SQLite the field changes
rebuild the table, which drops its triggers, so the guard is installed again."""

from django.db import migrations, models

from sutiao.audit import guard


def reinstall(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for install in (False, True):
            for sql in guard.statements(schema_editor.connection.vendor, install=install):
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain")]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["id"],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)),
                fields=["id"],
                name="audit_entry_pending",
            ),
        ),
        migrations.RunPython(reinstall, reinstall),
    ]
