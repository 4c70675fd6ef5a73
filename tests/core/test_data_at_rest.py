"""Personal data at rest (issue 13, fix 4): phone and identity numbers are envelope
ciphertext in the database (a data key per value, wrapped by the master key from the
environment), phones are found through an HMAC index, SM4 is available, production refuses to
start without its keys, files the platform creates are private, and `sutiao keys rotate`
re-wraps every data key, idempotent and resumable."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from sutiao.accounts.models import User
from sutiao.core import crypto
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """`keys rotate` re-wraps every stored file: these tests keep theirs to themselves."""
    settings.MEDIA_ROOT = tmp_path / "media"


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_phone_numbers_are_ciphertext_in_the_database_and_found_by_their_hash():
    user = factories.person()
    stored = raw("accounts_user", "phone", user.pk)
    assert stored.startswith("env1.aes.") and user.phone not in stored
    assert User.objects.get(pk=user.pk).phone == user.phone
    found = User.objects.filter(phone_hash=crypto.lookup_hash(user.phone))
    assert list(found) == [user]


def test_identity_numbers_are_envelope_ciphertext():
    user = factories.person()
    stored = raw("accounts_user", "id_number_cipher", user.pk)
    assert crypto.is_envelope(stored)
    again = User.objects.get(pk=user.pk)
    assert len(again.id_number) == 18 and again.id_number not in stored
    assert crypto.mask(again.id_number, head=6, tail=4) == again.id_number_masked


def test_a_changed_phone_keeps_its_hash_in_step(client):
    user = factories.person()
    from sutiao.accounts import phone_change
    from tests.accounts.test_phone_change import code_sent_to

    # A new phone takes effect once the code sent to it is entered (accounts/phone_change.py).
    phone_change.start_phone_change(actor=user, phone="13812345678")
    phone_change.confirm_phone_change(actor=user, code=code_sent_to("13812345678"))
    assert User.objects.filter(phone_hash=crypto.lookup_hash("13812345678")).get() == user


def test_sm4_cipher(settings):
    settings.CIPHER = "sm4"
    user = factories.person()
    stored = raw("accounts_user", "phone", user.pk)
    assert stored.startswith("env1.sm4.")
    assert User.objects.get(pk=user.pk).phone == user.phone
    prefix, name, key_id, wrapped, body = stored.split(".")
    altered = ".".join(
        [prefix, name, key_id, wrapped, body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")]
    )
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(altered)


def test_a_value_needs_its_master_key(settings):
    token = crypto.encrypt("13900001111")
    settings.MASTER_KEY = "another master key"
    with pytest.raises(crypto.DecryptionError, match="not configured"):
        crypto.decrypt(token)


def test_keys_rotate_rewraps_every_data_key_idempotent_and_resumable(settings, capsys):
    people = [factories.person() for _ in range(3)]
    # One identity number as it was stored before envelope encryption (Fernet).
    legacy = crypto._legacy_fernet().encrypt(b"11010119900307851X").decode()
    User.objects.filter(pk=people[0].pk).update(id_number_cipher=legacy)
    before = {p.pk: raw("accounts_user", "phone", p.pk) for p in people}
    old_key = settings.MASTER_KEY
    settings.MASTER_KEY, settings.MASTER_KEYS_OLD = "the new master key", [old_key]
    new_id = crypto.current_master().id
    # A run interrupted after one row: that row is already under the new key.
    User.objects.filter(pk=people[1].pk).update(phone=crypto.rewrap(before[people[1].pk]))

    call_command("keys", "rotate", "--batch", "2")
    out = capsys.readouterr().out
    assert "accounts.user.phone: 2 re-wrapped" in out
    assert "0 value(s) left" in out
    for p in people:
        stored = raw("accounts_user", "phone", p.pk)
        assert stored.split(".")[2] == new_id
        # Re-wrapped, not re-encrypted: the ciphertext of the value is the same.
        assert stored.split(".")[4] == before[p.pk].split(".")[4]
    assert crypto.is_envelope(raw("accounts_user", "id_number_cipher", people[0].pk))

    call_command("keys", "rotate")
    assert "accounts.user.phone: 0 re-wrapped" in capsys.readouterr().out
    settings.MASTER_KEYS_OLD = []  # the old key retired: everything still reads
    for p in people:
        assert User.objects.get(pk=p.pk).phone == p.phone
    assert User.objects.get(pk=people[0].pk).id_number == "11010119900307851X"


def _settings_in_subprocess(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    clean.update({"SUTIAO_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, "-c", "import sutiao.settings"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_master_key(tmp_path):
    done = _settings_in_subprocess(tmp_path, SUTIAO_PRODUCTION="1", SUTIAO_SECRET_KEY="s" * 50)
    assert done.returncode != 0
    assert "SUTIAO_MASTER_KEY is not set" in done.stderr
    done = _settings_in_subprocess(
        tmp_path,
        SUTIAO_PRODUCTION="1",
        SUTIAO_SECRET_KEY="s" * 50,
        SUTIAO_MASTER_KEY="m" * 50,
        SUTIAO_FIELD_KEY="f" * 50,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "data" / "master_key").exists()


def test_the_embedded_platform_makes_its_master_key_0600_and_says_so(tmp_path):
    done = _settings_in_subprocess(tmp_path)
    assert done.returncode == 0, done.stderr
    key = tmp_path / "data" / "master_key"
    assert "generated a master key" in done.stderr and str(key) in done.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    again = _settings_in_subprocess(tmp_path)
    assert again.returncode == 0 and "generated" not in again.stderr


def test_stored_files_and_their_directories_are_private(settings, tmp_path):
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("cases/1/ab/abcdef", ContentFile(b"evidence"))
    path = Path(storage.path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "media" / "cases").stat().st_mode) == 0o700


def test_stored_files_are_encrypted_on_the_disk_and_read_back_clear(settings, tmp_path, capsys):
    from django.core.files.storage import default_storage

    secret = b"%PDF-1.7 trade secret: the recipe"
    name = default_storage.save("cases/1/ab/abcdef", ContentFile(secret))
    on_disk = (tmp_path / "media" / name).read_bytes()
    assert b"trade secret" not in on_disk and on_disk.startswith(crypto.FILE_MAGIC)
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == secret
    assert default_storage.size(name) == len(secret)
    # A file stored before encryption reads as it is; rotation encrypts it.
    (tmp_path / "media" / "old.pdf").write_bytes(b"%PDF-1.4 old")
    with default_storage.open("old.pdf") as fh:
        assert fh.read() == b"%PDF-1.4 old"
    old_key = settings.MASTER_KEY
    settings.MASTER_KEY, settings.MASTER_KEYS_OLD = "the new master key", [old_key]
    call_command("keys", "rotate")
    assert "files: 2 re-wrapped" in capsys.readouterr().out
    settings.MASTER_KEYS_OLD = []
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == secret
    assert (tmp_path / "media" / "old.pdf").read_bytes().startswith(crypto.FILE_MAGIC)
    call_command("keys", "rotate")
    assert "files: 0 re-wrapped" in capsys.readouterr().out


def test_mediators_phone_numbers_are_ciphertext_in_the_database():
    from sutiao.roster.models import Mediator
    from tests.roster.factories import mediator

    m = mediator(phone="13912340000")
    stored = raw("roster_mediator", "phone", m.pk)
    assert crypto.is_envelope(stored) and "13912340000" not in stored
    assert Mediator.objects.get(pk=m.pk).phone == "13912340000"


def test_parties_phone_numbers_are_ciphertext_in_the_database():
    from tests.cases.factories import submitted_case

    case = submitted_case()
    phones = [(p.pk, p.phone, p.service_phone) for p in case.parties.all() if p.phone]
    assert phones
    for pk, phone, service_phone in phones:
        for column, value in (("phone", phone), ("service_phone", service_phone)):
            stored = raw("cases_party", column, pk)
            if value:
                assert crypto.is_envelope(stored) and value not in stored


def test_keys_rotate_encrypts_a_clear_value_left_in_an_encrypted_column(capsys):
    user = factories.person()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET phone = %s WHERE id = %s", ["13911112222", user.pk]
        )
    call_command("keys", "rotate")
    assert "accounts.user.phone: 1 re-wrapped" in capsys.readouterr().out
    assert crypto.is_envelope(raw("accounts_user", "phone", user.pk))
    assert User.objects.get(pk=user.pk).phone == "13911112222"
