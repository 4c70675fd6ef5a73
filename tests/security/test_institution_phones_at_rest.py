"""Issue 13, fix 4: the phone numbers of courts, IP offices and mediation organisations are
envelope ciphertext in the raw row (like persons'), read back in clear by the platform, and
migration institutions.0005 encrypts the numbers stored before it (and decrypts them back)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sutiao.core import crypto
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from tests import factories

ROWS = [(Court, "phone"), (IPOffice, "phone"), (MediationOrg, "contact_phone")]


def _raw(model, column: str, pk: int) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _institutions():
    return [factories.court(), factories.office(), factories.org()]


@pytest.mark.django_db
def test_institution_phones_are_ciphertext_in_the_raw_row_and_clear_to_the_platform():
    for n, ((model, field), row) in enumerate(zip(ROWS, _institutions(), strict=True)):
        number = f"010-6655{n:04d}"
        setattr(row, field, number)
        row.save()
        stored = _raw(model, field, row.pk)
        assert crypto.is_envelope(stored) and number not in stored
        assert "6655" not in stored
        assert getattr(model.objects.get(pk=row.pk), field) == number


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_phones_stored_in_clear_and_back():
    rows = _institutions()
    before = [("institutions", "0004_court_filing_head")]
    _migrate(before)
    try:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for (model, field), row in zip(ROWS, rows, strict=True):
                cursor.execute(
                    f"UPDATE {qn(model._meta.db_table)} SET {qn(field)} = %s WHERE id = %s",  # noqa: S608
                    ["0571-88880000", row.pk],
                )
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        for (model, field), row in zip(ROWS, rows, strict=True):
            assert crypto.is_envelope(_raw(model, field, row.pk))
            assert getattr(model.objects.get(pk=row.pk), field) == "0571-88880000"
        _migrate(before)
        for (model, field), row in zip(ROWS, rows, strict=True):
            assert _raw(model, field, row.pk) == "0571-88880000"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
