"""Migration accounts.0003 converts the phone numbers stored in clear (and back), on SQLite
(issue 13, fix 4: a migration that changes stored values converts the existing rows)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sutiao.core import crypto

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0002_identity_verification_attempts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def phone_column(username):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE username = %s", [username])
        return cursor.fetchone()[0]


def test_phone_numbers_in_clear_are_encrypted_by_the_migration_and_decrypted_back():
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_user (password, is_superuser, username, first_name,"
                " last_name, email, is_staff, is_active, date_joined, kind, real_name, phone,"
                " uscc, preferred_language, id_number_hash, id_number_cipher, id_number_masked)"
                " VALUES ('', %s, 'old', '', '', '', %s, %s, '2026-01-05 00:00:00', 'natural',"
                " '', '13900009999', '', '', '', '', '')",
                [False, False, True],  # booleans as parameters: PostgreSQL has no 0/1 for them
            )
        migrate(latest())
        stored = phone_column("old")
        assert crypto.is_envelope(stored) and "13900009999" not in stored
        from sutiao.accounts.models import User

        user = User.objects.get(username="old")
        assert user.phone == "13900009999"
        assert user.phone_hash == crypto.lookup_hash("13900009999")
        migrate(BEFORE)
        assert phone_column("old") == "13900009999"
    finally:
        migrate(latest())
