"""Signed checkpoints outside the database anchor the chain: truncating the newest entries, or
rewriting rows and recomputing the keyed hashes with the audit key itself, no longer passes
`sutiao audit verify` (issue 13, fix 3: the checkpoint)."""

import datetime as dt
import json
import shutil
import stat
import subprocess

import pytest
from django.core.management import CommandError, call_command

from sutiao import scheduler
from sutiao.audit import checkpoint, guard
from sutiao.audit.log import entry_hash, verify
from sutiao.audit.models import AuditEntry, AuditHead
from tests.audit.test_audit_chain import make_history

pytestmark = pytest.mark.django_db


def rechain_keyed(summary_of=None, keep=None):
    """What someone holding the database and SUTIAO_AUDIT_KEY does: rewrite an entry or drop
    the newest ones, then recompute every keyed hash and fix the head row."""
    prev = "0" * 64
    with guard.disabled():
        if keep is not None:
            AuditEntry.objects.filter(seq__gt=keep).delete()
        for entry in AuditEntry.objects.order_by("seq"):
            if entry.seq == summary_of:
                entry.summary = "nothing happened"
            entry.prev_hash = prev
            entry.hash = entry_hash(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                summary=entry.summary, prev_hash=prev, hash=entry.hash
            )
            prev = entry.hash
    count = AuditEntry.objects.count()
    AuditHead.objects.filter(pk=1).update(last_hash=prev, count=count)


def test_checkpoint_command_signs_the_head_of_the_chain(settings, capsys):
    make_history()
    call_command("audit", "checkpoint")
    assert "checkpoint checkpoint-" in capsys.readouterr().out
    [written] = checkpoint.load()
    head = AuditHead.objects.get(pk=1)
    assert (written.seq, written.hash) == (head.count, head.last_hash)
    call_command("audit", "verify")
    assert "1 signed checkpoint(s) match" in capsys.readouterr().out


def test_truncated_chain_with_recomputed_hashes_fails_against_the_checkpoint():
    make_history()
    checkpoint.write()
    total = AuditEntry.objects.count()
    rechain_keyed(keep=total - 2)
    # The chain itself is consistent again: only the checkpoint knows.
    assert AuditHead.objects.get(pk=1).count == total - 2
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == total - 1
    assert "missing" in verdict.reason
    with pytest.raises(CommandError, match=f"broken at entry {total - 1}"):
        call_command("audit", "verify")


def test_rewritten_rows_with_recomputed_keyed_hashes_fail_against_the_checkpoint():
    make_history()
    checkpoint.write()
    rechain_keyed(summary_of=2)
    verdict = verify()
    assert not verdict.ok
    assert verdict.broken_seq == AuditEntry.objects.count()
    assert "checkpoint" in verdict.reason


def test_a_forged_checkpoint_is_refused(settings):
    make_history()
    written = checkpoint.write()
    path = settings.AUDIT_CHECKPOINT_DIR / written.name
    body = json.loads(path.read_bytes())
    body["seq"] = 1
    path.write_text(json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n")
    verdict = verify()
    assert not verdict.ok and "signature does not verify" in verdict.reason


def test_entries_after_the_checkpoint_still_verify():
    make_history()
    checkpoint.write()
    make_history()
    verdict = verify()
    assert verdict.ok and verdict.checkpoints == 1


def test_checkpoint_files_are_private_and_openssl_verifies_them(settings):
    make_history()
    written = checkpoint.write()
    directory = settings.AUDIT_CHECKPOINT_DIR
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for f in directory.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(settings.AUDIT_SIGNING_KEY_FILE.stat().st_mode) == 0o600
    openssl = shutil.which("openssl")
    assert openssl, "openssl is part of the platform's base image"
    done = subprocess.run(
        [
            openssl,
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(directory / checkpoint.PUBLIC_KEY_NAME),
            "-rawin",
            "-in",
            str(directory / written.name),
            "-sigfile",
            str(directory / f"{written.name}.sig"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "Signature Verified Successfully" in done.stdout


def test_the_scheduler_writes_a_checkpoint_daily(settings):
    make_history()
    assert "audit.checkpoint" in {name for name, _every, _job in scheduler.JOBS}
    job = dict((name, j) for name, _every, j in scheduler.JOBS)["audit.checkpoint"]
    job()
    assert len(checkpoint.load()) == 1
    job()  # less than a day later: nothing new
    assert len(checkpoint.load()) == 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    assert checkpoint.write_if_due(later) is not None
    assert len(checkpoint.load()) == 2


def test_a_missing_signing_key_is_reported_not_replaced(settings):
    make_history()
    checkpoint.write()
    settings.AUDIT_SIGNING_KEY_FILE.unlink()
    verdict = verify()
    assert not verdict.ok and "signing key" in verdict.reason
    assert not settings.AUDIT_SIGNING_KEY_FILE.exists()


def test_retention_is_never_below_six_months(tmp_path):
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    env.update(
        SUTIAO_DATA_DIR=str(tmp_path / "data"), SUTIAO_TESTING="1", SUTIAO_AUDIT_RETENTION_DAYS="30"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sutiao.settings as s; print(s.AUDIT_RETENTION_DAYS)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 183
