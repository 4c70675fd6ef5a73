"""The chain is keyed (HMAC-SHA256 with SUTIAO_AUDIT_KEY): rewriting rows and recomputing
plain hashes no longer passes `sutiao audit verify` (issue 13, fix 3b)."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from sutiao.audit import guard
from sutiao.audit.log import _canonical, verify
from sutiao.audit.models import AuditEntry, AuditHead
from tests.audit.test_audit_chain import make_history

pytestmark = pytest.mark.django_db


def rechain_plain(summary_of=None, upto=None):
    """What someone with write access to the database does: rewrite and recompute sha256."""
    prev = "0" * 64
    with guard.disabled():
        for entry in AuditEntry.objects.order_by("seq"):
            if upto is not None and entry.seq > upto:
                break
            if summary_of is not None and entry.seq == summary_of:
                entry.summary = "nothing happened"
            entry.prev_hash = prev
            entry.hash = hashlib.sha256(_canonical(entry)).hexdigest()
            AuditEntry.objects.filter(pk=entry.pk).update(
                summary=entry.summary, prev_hash=entry.prev_hash, hash=entry.hash
            )
            prev = entry.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def test_rewritten_rows_with_recomputed_plain_hashes_fail_verify():
    make_history()
    rechain_plain(summary_of=2)
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == 1
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("audit", "verify")


def test_the_chain_depends_on_the_key(settings):
    make_history()
    assert verify().ok
    settings.AUDIT_KEY = "another key"
    assert not verify().ok


def test_entries_from_before_the_key_still_verify():
    make_history()
    total = AuditEntry.objects.count()
    # Entries 1..3 as the unkeyed chain wrote them, then keyed ones linked after them.
    rechain_plain(upto=3)
    with guard.disabled():
        from sutiao.audit.log import entry_hash

        prev = AuditEntry.objects.get(seq=3).hash
        for entry in AuditEntry.objects.filter(seq__gt=3).order_by("seq"):
            entry.prev_hash = prev
            entry.hash = entry_hash(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=entry.hash)
            prev = entry.hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev, plain_until=3)
    verdict = verify()
    assert verdict.ok and verdict.checked == total
    AuditHead.objects.filter(pk=1).update(plain_until=2)
    assert verify().broken_seq == 3
