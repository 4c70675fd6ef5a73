"""Parties' phone and service phone numbers envelope-encrypted at rest (docs/security.md):
the columns become text, the numbers in clear are encrypted in place (reversible)."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import encrypt_in_place


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_sham_mediation_report'),
    ]

    operations = [
        migrations.AlterField(
            model_name='party',
            name='phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile phone'),
        ),
        migrations.AlterField(
            model_name='party',
            name='service_phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile phone for service'),
        ),
        encrypt_in_place("cases", "Party", "phone"),
    encrypt_in_place("cases", "Party", "service_phone"),
    ]
