"""Mediators' phone numbers envelope-encrypted at rest (docs/security.md): the column
becomes text, the numbers in clear are encrypted in place (reversible)."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import encrypt_in_place


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
        encrypt_in_place("roster", "Mediator", "phone"),
    ]
