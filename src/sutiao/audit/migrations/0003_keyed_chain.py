"""The chain is keyed from here on: the entries already written keep their plain SHA-256
hashes and verify as such up to AuditHead.plain_until; every later entry is an HMAC."""

from django.db import migrations, models


def cut_over(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    for head in AuditHead.objects.all():
        head.plain_until = head.count
        head.save(update_fields=["plain_until"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_guard")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="plain_until",
            field=models.BigIntegerField(default=0),
        ),
        # Backwards: the field goes; entries after the cut-over then no longer verify
        # as plain hashes, which is the point.
        migrations.RunPython(cut_over, migrations.RunPython.noop),
    ]
