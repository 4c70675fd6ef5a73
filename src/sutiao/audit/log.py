"""Writing and verifying the audit chain.

`record` must run inside the transaction of the change it describes, so that the change
and its entry commit or roll back together. It takes no shared lock: the entry is written
unlinked (no seq, no hash) and `chain` links committed entries into the chain after commit,
one chainer at a time. Audited writes on different cases therefore never wait for each
other (issue 14); an entry stays unlinked only for the moment between its commit and the
chainer's, and `verify` and the checkpoint link whatever is pending first.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sutiao.core import events

from . import checkpoint
from .chain import _canonical, chain, chain_after_commit, entry_hash, plain_hash
from .models import AuditEntry, AuditHead

__all__ = ["_canonical", "chain", "entry_hash", "plain_hash", "record", "record_many", "verify"]


def _describe(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    return type(obj).__name__, str(obj)


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    events.require(action, channel="audit")
    object_type, object_id = _describe(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_label=(
            user.get_username() if user else (actor if isinstance(actor, str) else "system")
        ),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        # Round-trip through JSON so the stored value hashes the same when read back.
        changes=json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str)),
    )
    entry.save()
    chain_after_commit()
    return entry


def record_many(
    actor: Any, action: str, items: list[tuple[Any, str, dict[str, Any]]]
) -> list[AuditEntry]:
    """One entry per (object, summary, changes), written in one INSERT: a bulk action (a
    batch of cases) keeps an entry for each object without a round trip for each."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    events.require(action, channel="audit")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else (actor if isinstance(actor, str) else "system")
    at = timezone.now()
    entries = []
    for obj, summary, changes in items:
        object_type, object_id = _describe(obj)
        entries.append(
            AuditEntry(
                at=at,
                actor=user,
                actor_label=label,
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=summary[:500],
                changes=json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str)),
            )
        )
    made = AuditEntry.objects.bulk_create(entries)
    chain_after_commit()
    return made


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


@dataclass
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    # Entries 1..plain_until predate the key and verify as plain SHA-256.
    plain_until: int = 0
    # Signed checkpoints (outside the database) the chain was checked against.
    checkpoints: int = 0


def verify(batch: int = 2000) -> Verdict:
    """Walk the chain in order; report the first entry whose hash or link does not hold, or
    that a signed checkpoint (checkpoint.py) names with another hash or that is missing."""
    chain(wait=True)
    try:
        anchors = checkpoint.load()
    except checkpoint.CheckpointError as exc:
        return Verdict(False, 0, None, str(exc))
    wanted: dict[int, list[checkpoint.Checkpoint]] = {}
    for c in anchors:
        wanted.setdefault(c.seq, []).append(c)
    prev = "0" * 64
    plain_until = AuditHead.objects.filter(pk=1).values_list("plain_until", flat=True).first() or 0
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return Verdict(False, checked, expected_seq, "missing entry")
            if entry.prev_hash != prev:
                return Verdict(False, checked, entry.seq, "link to previous entry broken")
            expected = plain_hash(entry) if entry.seq <= plain_until else entry_hash(entry)
            if not hmac.compare_digest(expected, entry.hash):
                return Verdict(False, checked, entry.seq, "content does not match its hash")
            for c in wanted.get(entry.seq, ()):
                if not hmac.compare_digest(c.hash, entry.hash):
                    return Verdict(
                        False, checked, entry.seq, f"hash differs from checkpoint {c.name}"
                    )
            prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.count != checked or head.last_hash != prev):
        return Verdict(False, checked, checked + 1, "entries after the last one are missing")
    beyond = [c for c in anchors if c.seq > checked]
    if beyond:
        return Verdict(
            False,
            checked,
            checked + 1,
            f"entries up to {beyond[-1].seq} are missing (checkpoint {beyond[-1].name})",
        )
    return Verdict(True, checked, plain_until=min(plain_until, checked), checkpoints=len(anchors))
