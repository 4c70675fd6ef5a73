"""Seed the calendar with every year the installed chinese-calendar package covers.

Each covered year is marked complete. Years after the package's last one (2027 with
chinese-calendar 1.11) stay absent until an administrator loads them.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from sutiao.workdays.reference import seed_from_package

    seed_from_package(
        apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "CalendarDay")
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
