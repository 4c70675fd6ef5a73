"""Lifecycle events committed before electronic service existed are not notices to send now:
the worker serves notices only for steps taken from this release on."""

from django.db import migrations
from django.utils import timezone

TOPICS = ["case.delegate", "case.entrust", "case.accept", "case.extend", "case.expire"]


def mark_handled(apps, schema_editor):
    OutboxEvent = apps.get_model("core", "OutboxEvent")
    OutboxEvent.objects.filter(topic__in=TOPICS, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), last_error="before electronic service"
    )


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial"), ("core", "0001_initial")]

    operations = [migrations.RunPython(mark_handled, migrations.RunPython.noop)]
