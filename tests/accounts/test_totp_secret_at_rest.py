"""Issue 13, fix 4: TOTP secrets are unreadable in a raw dump of the database (envelope
encryption, accounts.devices), and logging in with the authenticator's code still works;
migration accounts.0005 moves the devices django-otp stored in plain hex."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_otp.oath import TOTP

from sutiao.accounts.devices import AuthenticatorDevice
from sutiao.accounts.roles import Role
from sutiao.core import crypto
from tests import factories

HOME = "/cases/"


def _raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — a fixed table name
        return cursor.fetchall()


def _dump_text(table: str) -> str:
    return " ".join(str(value) for row in _raw_rows(table) for value in row)


@pytest.mark.django_db
def test_a_raw_dump_holds_no_totp_secret_and_the_code_still_logs_in():
    clerk = factories.person(Role.COURT_CLERK, court=factories.court())
    device = factories.with_totp(clerk)
    secret = AuthenticatorDevice.objects.get(pk=device.pk).key
    assert len(secret) == 40  # django-otp's 20 random bytes, hex
    dump = _dump_text(AuthenticatorDevice._meta.db_table)
    assert "env1." in dump
    assert secret.lower() not in dump.lower() and secret.upper() not in dump
    assert _raw_rows("otp_totp_totpdevice") == []

    client = Client()
    login = client.post(
        "/accounts/login/", {"username": clerk.username, "password": factories.PASSWORD}
    )
    assert login.status_code == 302
    assert client.get(HOME)["Location"].startswith("/accounts/second-factor/")
    answer = client.post("/accounts/second-factor/", {"token": factories.next_code(device)})
    assert answer.status_code == 302 and not answer["Location"].startswith("/accounts/")
    assert client.get(HOME).status_code == 200
    # The accepted code was saved (last_t) and the key re-encrypted, never written in clear.
    assert secret not in _dump_text(AuthenticatorDevice._meta.db_table)


@pytest.mark.django_db
def test_enrolment_shows_the_secret_once_and_stores_only_its_ciphertext():
    mediator = factories.person(Role.MEDIATOR, org=factories.org())
    client = Client()
    client.force_login(mediator)
    page = client.get("/accounts/second-factor/").content.decode()
    device = AuthenticatorDevice.objects.get(user=mediator, confirmed=False)
    assert "otpauth" not in _dump_text(AuthenticatorDevice._meta.db_table)
    assert device.key not in _dump_text(AuthenticatorDevice._meta.db_table)
    shown = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert shown in page  # the person copies it into the app


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_devices_django_otp_stored_in_clear_and_back():
    user = factories.person(Role.JUDGE, court=factories.court())
    hex_key = "3132333435363738393031323334353637383930"
    _migrate([("accounts", "0004_session_epoch_and_password_history")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO otp_totp_totpdevice (user_id, name, confirmed, key, step, t0,"
                " digits, tolerance, drift, last_t, throttling_failure_count)"
                " VALUES (%s, 'app', %s, %s, 30, 0, 6, 1, 0, -1, 0)",
                [user.pk, True, hex_key],
            )
        _migrate(_latest())
        assert _raw_rows("otp_totp_totpdevice") == []
        device = AuthenticatorDevice.objects.get(user=user)
        assert device.key == hex_key and device.confirmed
        assert hex_key not in _dump_text(AuthenticatorDevice._meta.db_table)
        stored = _raw_rows(AuthenticatorDevice._meta.db_table)
        assert any(isinstance(v, str) and crypto.is_envelope(v) for v in stored[0])
        assert device.verify_token(f"{TOTP(device.bin_key).token():06d}")
        _migrate([("accounts", "0004_session_epoch_and_password_history")])
        assert hex_key in _dump_text("otp_totp_totpdevice")
    finally:
        _migrate(_latest())
