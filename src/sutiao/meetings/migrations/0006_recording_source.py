from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_recording_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="recording",
            name="source",
            field=models.CharField(
                choices=[("mesh", "The mediator's browser"), ("janus", "The Janus media server")],
                default="mesh",
                max_length=8,
            ),
        ),
    ]
