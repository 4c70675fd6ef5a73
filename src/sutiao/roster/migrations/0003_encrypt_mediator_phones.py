"""Mediators' phone numbers envelope-encrypted at rest (docs/security.md): the column
becomes text, the numbers in clear are encrypted in place (reversible)."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import decrypt_existing, encrypt_existing


def encrypt_phones(apps, schema_editor):
    encrypt_existing(apps.get_model("roster", "Mediator"), "phone", schema_editor)


def decrypt_phones(apps, schema_editor):
    decrypt_existing(apps.get_model("roster", "Mediator"), "phone", schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('roster', '0002_mediator_fee_note_mediator_languages_and_more'),
    ]

    operations = [
        migrations.AlterField(
            model_name='mediator',
            name='phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile phone'),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
    ]
