"""The phone numbers of courts, IP offices and mediation organisations envelope-encrypted at
rest like persons' (issue 13): the columns become text and the numbers stored in clear are
encrypted in place (and back on reversal). A table rewrite on PostgreSQL (docs/security.md)."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import encrypt_in_place


class Migration(migrations.Migration):

    dependencies = [
        ('institutions', '0004_court_filing_head'),
    ]

    operations = [
        migrations.AlterField(
            model_name='court',
            name='phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='public phone'),
        ),
        migrations.AlterField(
            model_name='ipoffice',
            name='phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='public phone'),
        ),
        migrations.AlterField(
            model_name='mediationorg',
            name='contact_phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='contact phone'),
        ),
        encrypt_in_place("institutions", "Court", "phone"),
        encrypt_in_place("institutions", "IPOffice", "phone"),
        encrypt_in_place("institutions", "MediationOrg", "contact_phone"),
    ]
