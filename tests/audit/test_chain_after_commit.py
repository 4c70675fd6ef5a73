"""Audited writes share no lock: entries are linked into the chain after commit (issue 14)."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from sutiao.audit.log import record, verify
from sutiao.audit.models import AuditEntry, AuditHead
from sutiao.institutions import actions
from tests import factories

TABLE = AuditEntry._meta.db_table


@pytest.mark.django_db(transaction=True)
def test_an_entry_is_linked_when_its_transaction_commits():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    actions.update_court_settings(actor=clerk, court=court, data={"case_number_code": "京73"})
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
    head = AuditHead.objects.get(pk=1)
    last = AuditEntry.objects.order_by("seq").last()
    assert (head.count, head.last_hash) == (last.seq, last.hash) and verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_entry_and_no_gap():
    factories.court()
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record("system", "court.settings_updated", summary="then it failed")
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before and verify().ok


@pytest.mark.django_db
def test_an_unlinked_entry_cannot_be_rewritten_only_linked():
    with transaction.atomic():
        entry = record("system", "court.settings_updated", summary="as it happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="nothing happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(seq=1, hash="f" * 64, summary="nothing")
    assert verify().ok  # links it
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(seq=99, hash="e" * 64)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer per database: only PostgreSQL can show writes side by side",
)
@pytest.mark.django_db(transaction=True)
def test_an_open_audited_write_does_not_hold_up_one_on_another_case():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    other = factories.court()
    other_clerk = factories.person("court_clerk", court=other)
    holding, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_write():
        try:
            with transaction.atomic():
                actions.update_court_settings(
                    actor=clerk, court=court, data={"case_number_code": "京73"}
                )
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_write)
    slow.start()
    assert holding.wait(10)
    # The other court's audited write commits while the first one is still open.
    with transaction.atomic():
        connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
        actions.update_court_settings(
            actor=other_clerk, court=other, data={"case_number_code": "沪73"}
        )
    done.set()
    assert AuditEntry.objects.filter(object_id=str(other.pk), seq__isnull=False).exists()
    release.set()
    slow.join(10)
    assert verify().ok
