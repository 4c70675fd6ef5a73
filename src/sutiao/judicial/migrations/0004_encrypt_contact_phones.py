"""Contact phone numbers of judicial applications envelope-encrypted at rest
(docs/security.md): the column becomes text, the numbers in clear are encrypted in place."""

import sutiao.core.fields
from django.db import migrations

from sutiao.core.fields import encrypt_in_place


class Migration(migrations.Migration):

    dependencies = [
        ('judicial', '0003_objection_review_and_cpl_i_355_refusal'),
    ]

    operations = [
        migrations.AlterField(
            model_name='applicationpart',
            name='contact_phone',
            field=sutiao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='contact phone'),
        ),
        encrypt_in_place("judicial", "applicationpart", "contact_phone"),
    ]
