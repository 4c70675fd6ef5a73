from django.db import migrations


def forwards(apps, schema_editor):
    from sutiao.institutions.reference import load_ip_kinds, load_regions

    load_regions(apps.get_model("institutions", "Region"))
    load_ip_kinds(apps.get_model("institutions", "IPKind"))


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
