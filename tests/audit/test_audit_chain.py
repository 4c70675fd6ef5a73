"""Every action leaves a hash-chained entry; `sutiao audit verify` finds the first tampered one."""

import pytest
from django.core.management import CommandError, call_command

from sutiao.audit import guard
from sutiao.audit.log import chain, verify
from sutiao.audit.models import AuditEntry
from sutiao.institutions import actions
from tests import factories

pytestmark = pytest.mark.django_db


def make_history():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    for code in ("京73", "京73民", "京73民初"):
        actions.update_court_settings(actor=clerk, court=court, data={"case_number_code": code})
    # What the chainer does after each commit (audit.chain); a test's transaction never
    # commits, so link here.
    chain()
    return clerk


def test_actions_write_a_linked_chain():
    make_history()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) >= 5
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert verify().ok


def test_verify_command_reports_intact_chain(capsys):
    make_history()
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_a_single_edited_row_is_found():
    make_history()
    target = AuditEntry.objects.get(
        action="court.settings_updated",
        changes__has_key="case_number_code",
        seq=AuditEntry.objects.filter(action="court.settings_updated")
        .order_by("seq")
        .values_list("seq", flat=True)[1],
    )
    # Bypass the model and the database's guard (as the table's owner could).
    with guard.disabled():
        AuditEntry.objects.filter(pk=target.pk).update(summary="nothing happened")
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == target.seq
    with pytest.raises(CommandError, match=f"broken at entry {target.seq}"):
        call_command("audit", "verify")


def test_a_deleted_row_is_found():
    make_history()
    middle = AuditEntry.objects.order_by("seq")[2]
    with guard.disabled():
        AuditEntry.objects.filter(pk=middle.pk)._raw_delete(AuditEntry.objects.db)
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == middle.seq


def test_entries_are_append_only_through_the_model():
    make_history()
    entry = AuditEntry.objects.first()
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_a_refused_change_leaves_no_entry():
    court, other = factories.court(), factories.court()
    clerk = factories.person("court_clerk", court=court)
    count = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - NotFound, the clerk has no business there
        actions.update_court_settings(actor=clerk, court=other, data={"case_number_code": "X"})
    assert AuditEntry.objects.count() == count
