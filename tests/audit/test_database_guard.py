"""The database itself refuses to change or delete audit rows (issue 13, fix 3a)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from sutiao.audit import guard
from sutiao.audit.log import verify
from sutiao.audit.models import AuditEntry
from tests.audit.test_audit_chain import make_history

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def refused(change):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()


def test_queryset_update_is_refused_by_the_database():
    make_history()
    refused(lambda: AuditEntry.objects.all().update(summary="nothing happened"))
    assert verify().ok


def test_queryset_delete_is_refused_by_the_database():
    make_history()
    count = AuditEntry.objects.count()
    refused(lambda: AuditEntry.objects.filter(seq__gte=2).delete())
    refused(lambda: AuditEntry.objects.filter(seq=1)._raw_delete(AuditEntry.objects.db))
    assert AuditEntry.objects.count() == count and verify().ok


def test_raw_sql_update_and_delete_are_refused():
    make_history()

    def update():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET summary = %s", ["nothing happened"])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE seq > 1")

    refused(update)
    refused(delete)
    assert verify().ok


def test_only_the_owner_who_disables_the_guard_can_change_rows():
    make_history()
    with guard.disabled():
        AuditEntry.objects.filter(seq=1).update(summary="nothing happened")
    assert not verify().ok
    refused(lambda: AuditEntry.objects.filter(seq=1).update(summary="again"))


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_log():
    make_history()
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    # Outside flush, deleting stays refused on the same connection.
    assert not getattr(connection, "audit_maintenance", False)
