"""Signed checkpoints of the audit chain, written outside the database.

Whoever can write the database (and even holds SUTIAO_AUDIT_KEY) could rewrite entries and
recompute the chain, or delete the newest entries and fix the head row. A checkpoint is the
anchor they cannot reach: a small JSON file in `settings.AUDIT_CHECKPOINT_DIR` naming the last
seq, its hash and the time, with a detached Ed25519 signature (`<name>.sig`) by the audit
signing key (`settings.AUDIT_SIGNING_KEY_FILE`, PKCS#8 PEM). `log.verify` checks the chain
against every checkpoint: an entry a checkpoint names must exist and carry the hash it names.

The signature is verified by a standard tool as well (docs/security.md):

    openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin \
        -in checkpoint-….json -sigfile checkpoint-….json.sig
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from sutiao.core.files import private_dir, write_private

from .chain import chain
from .models import AuditEntry, AuditHead

FORMAT = "sutiao-audit-checkpoint/1"
PUBLIC_KEY_NAME = "signing-key.pub.pem"


class CheckpointError(Exception):
    """A checkpoint that does not verify: a forged or altered file, or another key."""


@dataclass(frozen=True)
class Checkpoint:
    name: str
    seq: int
    hash: str
    at: str


def _directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def signing_key(*, create: bool = True) -> Ed25519PrivateKey:
    """The audit signing key; the embedded platform makes one (0600) on first use."""
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists() and not create:
        raise CheckpointError(
            f"the audit signing key {path} is missing: checkpoints cannot be checked"
        )
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        private_dir(path.parent)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_private(path, pem, exclusive=True)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return loaded


def public_key_pem() -> bytes:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def write(now: dt.datetime | None = None) -> Checkpoint | None:
    """Sign the head of the chain into a new checkpoint file; None while the chain is empty."""
    chain(wait=True)
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.count == 0:
        return None
    last = AuditEntry.objects.get(seq=head.count)
    assert last.seq is not None  # found by its seq: linked into the chain
    if last.hash != head.last_hash:
        raise CheckpointError(f"the head row does not match entry {last.seq}")
    at = (now or timezone.now()).astimezone(dt.UTC)
    at_text = at.isoformat(timespec="seconds")
    body = {"format": FORMAT, "seq": last.seq, "hash": last.hash, "at": at_text}
    data = json.dumps(body, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    directory = private_dir(_directory())
    name = f"checkpoint-{at:%Y%m%dT%H%M%SZ}-{last.seq:012d}.json"
    key = signing_key()
    write_private(directory / name, data)
    write_private(directory / f"{name}.sig", key.sign(data))
    write_private(directory / PUBLIC_KEY_NAME, public_key_pem())
    return Checkpoint(name, head.count, last.hash, at_text)  # last was found by its seq


def load() -> list[Checkpoint]:
    """Every checkpoint in the directory, oldest seq first; raises CheckpointError on the
    first file whose signature does not verify with the audit signing key."""
    directory = _directory()
    paths = sorted(directory.glob("checkpoint-*.json")) if directory.is_dir() else []
    if not paths:
        return []
    public = signing_key(create=False).public_key()
    found = []
    for path in paths:
        data = path.read_bytes()
        sig = path.with_name(path.name + ".sig")
        try:
            public.verify(sig.read_bytes() if sig.exists() else b"", data)
        except InvalidSignature:
            raise CheckpointError(f"checkpoint {path.name}: signature does not verify") from None
        body = json.loads(data)
        if body.get("format") != FORMAT:
            raise CheckpointError(f"checkpoint {path.name}: unknown format")
        found.append(Checkpoint(path.name, int(body["seq"]), str(body["hash"]), str(body["at"])))
    return sorted(found, key=lambda c: (c.seq, c.at))


def newest_at() -> dt.datetime | None:
    at = [dt.datetime.fromisoformat(c.at) for c in load()]
    return max(at) if at else None


def write_if_due(now: dt.datetime | None = None) -> Checkpoint | None:
    """The scheduler's daily job: a checkpoint when the newest is older than
    AUDIT_CHECKPOINT_HOURS (24) or there is none."""
    now = now or timezone.now()
    newest = newest_at()
    hours = float(getattr(settings, "AUDIT_CHECKPOINT_HOURS", 24))
    if newest is not None and now - newest < dt.timedelta(hours=hours):
        return None
    return write(now)
