"""Phone numbers of users (and of their identity verifications) envelope-encrypted at rest, with an HMAC look-up column: the
column becomes text (the ciphertext is longer) and the numbers stored in clear are encrypted
in place. On PostgreSQL the ALTER of `phone` to text rewrites the table under a lock: run it
in a maintenance window (docs/security.md)."""

from django.db import migrations, models

import sutiao.core.fields
from sutiao.core.fields import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_verification_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=sutiao.core.fields.EncryptedCharField(
                blank=True, hash_field="phone_hash", max_length=20, verbose_name="mobile phone"
            ),
        ),
        encrypt_in_place("accounts", "User", "phone"),
        migrations.AlterField(
            model_name="identityverification",
            name="phone",
            field=sutiao.core.fields.EncryptedCharField(max_length=20, verbose_name="mobile phone"),
        ),
        encrypt_in_place("accounts", "IdentityVerification", "phone"),
    ]
