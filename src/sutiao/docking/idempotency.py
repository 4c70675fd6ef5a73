"""Exactly once for POSTs (the IETF Idempotency-Key draft): the first request under a key
is recorded in flight (committed, so a concurrent retry sees it), then its response; the
same key with the same body replays that response, with another body answers 422, while
the first is in flight 409. Keys are kept at least KEEP."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.core.errors import Conflict, DomainError, Invalid

from .errors import DockingError
from .models import IdempotencyKey, Partner

KEEP = dt.timedelta(hours=24)


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


@dataclass
class Replay:
    status: int
    body: Any


def begin(partner: Partner, key: str, fp: str) -> Replay | None:
    """None: this request is the first under `key` and goes on; a Replay: answer with it."""
    if not key or len(key) > 255:
        raise DomainError(
            _("Send an Idempotency-Key header with every POST."),
            code=DockingError.IDEMPOTENCY_KEY_MISSING,
        )
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                partner=partner, key=key, fingerprint=fp, created_at=timezone.now()
            )
            return None
    except IntegrityError:
        pass
    row = IdempotencyKey.objects.get(partner=partner, key=key)
    if row.fingerprint != fp:
        raise Invalid(
            _("This Idempotency-Key was used with another request."),
            code=DockingError.IDEMPOTENCY_KEY_REUSED,
        )
    if row.in_flight:
        raise Conflict(
            _("The first request with this Idempotency-Key is still in progress."),
            code=DockingError.REQUEST_IN_FLIGHT,
        )
    return Replay(row.status or 200, row.body)


def finish(partner: Partner, key: str, status: int, body: Any) -> None:
    """Store the answer to replay. A server error is not stored: the key is freed so that a
    retry runs again."""
    rows = IdempotencyKey.objects.filter(partner=partner, key=key, in_flight=True)
    if status >= 500:
        rows.delete()
    else:
        rows.update(in_flight=False, status=status, body=body)


def purge(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - KEEP
    return IdempotencyKey.objects.filter(created_at__lt=cutoff, in_flight=False).delete()[0]
