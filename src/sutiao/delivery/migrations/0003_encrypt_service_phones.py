"""Service phone numbers of address confirmations envelope-encrypted at rest
(docs/security.md): the column becomes text, the numbers in clear are encrypted in place."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import encrypt_in_place


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
        encrypt_in_place("delivery", "AddressConfirmation", "phone"),
    ]
