"""Service phone numbers of address confirmations envelope-encrypted at rest
(docs/security.md): the column becomes text, the numbers in clear are encrypted in place."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import decrypt_existing, encrypt_existing


def encrypt_phones(apps, schema_editor):
    encrypt_existing(apps.get_model("delivery", "AddressConfirmation"), "phone", schema_editor)


def decrypt_phones(apps, schema_editor):
    decrypt_existing(apps.get_model("delivery", "AddressConfirmation"), "phone", schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('delivery', '0002_earlier_case_events'),
    ]

    operations = [
        migrations.AlterField(
            model_name='addressconfirmation',
            name='phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile phone for service'),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
    ]
