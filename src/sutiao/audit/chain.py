"""Linking audit entries into the keyed hash chain, after the transactions that wrote them.

Entries are written unlinked (log.record); `chain` gives each committed, unlinked entry the
next seq, the previous entry's hash and its own HMAC, holding the one head row only while it
links. No audited write waits for another (issue 14), and the database guard (guard.py)
allows exactly this one update of an entry: from unlinked to linked, content unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import connection, transaction

from .models import AuditEntry, AuditHead


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "changes": entry.changes,
        "prev": entry.prev_hash,
    }
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def entry_hash(entry: AuditEntry) -> str:
    """HMAC-SHA256 of the entry with the audit key (SUTIAO_AUDIT_KEY): without the key,
    nobody can write an entry that verifies."""
    key = str(settings.AUDIT_KEY).encode()
    return hmac.new(key, _canonical(entry), hashlib.sha256).hexdigest()


def plain_hash(entry: AuditEntry) -> str:
    """The unkeyed SHA-256 of entries written before the chain was keyed."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _link_committed() -> None:
    chain()


def chain_after_commit() -> None:
    """Link after the current transaction commits; once per transaction, however many
    entries it writes (a rolled-back savepoint takes its callback with it)."""
    pending = transaction.get_connection().run_on_commit
    if not any(func is _link_committed for _, func, _ in pending):
        # robust: a failure to link must not fail the request whose change has committed;
        # the entry stays pending and the next chainer links it.
        transaction.on_commit(_link_committed, robust=True)


def chain(batch: int = 500, *, wait: bool = False) -> int:
    """Link the committed, unlinked entries into the chain, oldest first; the number linked.

    One chainer holds the head row at a time. Another one that finds it held skips (its
    entries are visible to the holder, which looks again after it commits), unless `wait`
    (verify, checkpoint), which must see a complete chain."""
    linked = 0
    while True:
        with transaction.atomic():
            heads = AuditHead.objects.select_for_update(skip_locked=not wait)
            head = heads.filter(pk=1).first()
            if head is None:
                if AuditHead.objects.filter(pk=1).exists():
                    return linked  # another chainer holds it and will link ours too
                AuditHead.objects.get_or_create(pk=1)
                continue
            _durability(wait)
            pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
            for entry in pending:
                entry.seq = head.count + 1
                entry.prev_hash = head.last_hash
                entry.hash = entry_hash(entry)
                head.count, head.last_hash = entry.seq, entry.hash
            _link(pending)
            if pending or (wait and connection.vendor == "postgresql"):
                head.save(update_fields=["last_hash", "count"])
        linked += len(pending)
        if len(pending) < batch and not AuditEntry.objects.filter(seq__isnull=True).exists():
            return linked


def _durability(wait: bool) -> None:
    """The links a request's chainer commits need not wait for the disk (PostgreSQL): they
    derive only from entries already durable, and a crash loses the whole linking transaction
    (head row with it), so the entries are pending again and the next chainer links them.
    `wait` (verify, checkpoint) commits synchronously and always writes the head row, so that
    its commit flushes every earlier link to disk before a checkpoint names one."""
    if connection.vendor == "postgresql" and not wait:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _link(entries: list[AuditEntry]) -> None:
    """Give the entries their seq, prev_hash and hash: one UPDATE for the batch on PostgreSQL."""
    if not entries:
        return
    if connection.vendor != "postgresql":
        for e in entries:
            AuditEntry.objects.filter(pk=e.pk, seq__isnull=True).update(
                seq=e.seq, prev_hash=e.prev_hash, hash=e.hash
            )
        return
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(entries))
    with connection.cursor() as cursor:
        # The table's name from the model, every value a parameter.
        cursor.execute(
            f"UPDATE {table} AS e SET seq = v.seq, prev_hash = v.prev, hash = v.hash "  # noqa: S608 # nosec B608
            f"FROM (VALUES {rows}) AS v(id, seq, prev, hash) WHERE e.id = v.id AND e.seq IS NULL",
            [value for e in entries for value in (e.pk, e.seq, e.prev_hash, e.hash)],
        )
        if cursor.rowcount != len(entries):
            raise RuntimeError("audit chain: an entry was linked by someone else")
