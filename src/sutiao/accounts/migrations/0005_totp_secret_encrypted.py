"""TOTP secrets encrypted at rest: django-otp's devices (key in plain hex) move into
`AuthenticatorDevice` (key an envelope ciphertext) and django-otp's table is emptied.
Sessions that had passed the second factor with an old device are asked for a code again."""

import django.db.models.deletion
import django_otp.plugins.otp_totp.models
import sutiao.core.fields
from django.conf import settings
from django.db import migrations, models


_COPIED = (
    "user_id", "name", "confirmed", "throttling_failure_timestamp", "throttling_failure_count",
    "created_at", "last_used_at", "key", "step", "t0", "digits", "tolerance", "drift", "last_t",
)


def _move(source, target) -> None:
    for device in source.objects.all():
        target.objects.create(**{name: getattr(device, name) for name in _COPIED})
    source.objects.all().delete()


def forward(apps, schema_editor) -> None:
    _move(apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("accounts", "AuthenticatorDevice"))


def backward(apps, schema_editor) -> None:
    _move(apps.get_model("accounts", "AuthenticatorDevice"), apps.get_model("otp_totp", "TOTPDevice"))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_session_epoch_and_password_history'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuthenticatorDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('key', sutiao.core.fields.EncryptedCharField(default=django_otp.plugins.otp_totp.models.default_key, max_length=80, validators=[django_otp.plugins.otp_totp.models.key_validator])),
                ('step', models.PositiveSmallIntegerField(default=30)),
                ('t0', models.BigIntegerField(default=0)),
                ('digits', models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)),
                ('tolerance', models.PositiveSmallIntegerField(default=1)),
                ('drift', models.SmallIntegerField(default=0)),
                ('last_t', models.BigIntegerField(default=-1)),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator app',
                'verbose_name_plural': 'authenticator apps',
                'abstract': False,
            },
        ),
        migrations.RunPython(forward, backward),
    ]
