"""The worker's steps, each in its own transaction: claim the next due delivery with a lease,
record that the channel took it (or failed), store an inbox item, a gateway's SMS receipt."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record

from ..lifecycle import DELIVERY, SYSTEM, allows, take
from ..models import Channel, Delivery, InboxItem
from .common import Ev, event
from .effect import after
from .recipient import push_inbox


@dataclass
class Claim:
    delivery: Delivery
    attempt: int
    in_doubt: bool


def backoff(attempt: int) -> dt.timedelta:
    """Exponential: base × 2^(attempt-1), at most the maximum, plus up to 10 % jitter."""
    base = settings.DELIVERY_BACKOFF_SECONDS * (2 ** max(attempt - 1, 0))
    seconds = min(base, settings.DELIVERY_BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=seconds * (1 + random.random() / 10))  # noqa: S311  # nosec B311 (docs/security-findings.md)


@transaction.atomic
def claim_next(*, now: dt.datetime | None = None) -> Claim | None:
    """Take the next due delivery with a lease, and say so before sending: the row is
    "sending" with its Message-ID once this commits. A row found "sending" with its lease
    run out was being sent when a worker died: whether the far side took it is unknown, so
    it is sent again, with the same Message-ID (docs/delivery.md, "Guarantees")."""
    now = now or timezone.now()
    rows = (
        Delivery.objects.filter(state__in=sorted(DELIVERY["claim"].source), available_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .order_by("available_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    while True:
        d = rows.first()  # SQLite: the write transaction (BEGIN IMMEDIATE) is the lock
        if d is None:
            return None
        in_doubt = d.state == Delivery.State.SENDING
        if not in_doubt:
            break
        event(Ev.IN_DOUBT, delivery=d, at=now, attempt=d.attempts, message_id=d.message_id)
        if d.attempts < settings.DELIVERY_MAX_ATTEMPTS:
            break
        _fail(d, _("Interrupted too often"), now=now)  # and on to the next due row
    take(DELIVERY, d, "claim", SYSTEM, at=now)
    d.attempts += 1
    d.locked_until = now + dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    d.save(update_fields=["state", "attempts", "locked_until"])
    event(Ev.SENDING, delivery=d, at=now, attempt=d.attempts, message_id=d.message_id)
    return Claim(d, d.attempts, in_doubt)


def _still_ours(pk: int, attempt: int) -> Delivery | None:
    d = Delivery.objects.select_for_update(of=("self",)).select_related("service").get(pk=pk)
    if d.state != Delivery.State.SENDING or d.attempts != attempt:
        return None  # recorded already, or the lease ran out and another attempt began
    return d


@transaction.atomic
def record_sent(
    *, delivery_id: int, attempt: int, arrived: bool, ref: str = "", detail: dict | None = None
) -> Delivery | None:
    """The channel took the message; `arrived`: the recipient's system has it (an SMTP
    server's acceptance, a gateway's delivery receipt, the inbox row)."""
    d = _still_ours(delivery_id, attempt)
    now = timezone.now()
    if d is None:
        d = Delivery.objects.get(pk=delivery_id)
        event(Ev.SENT, delivery=d, at=now, attempt=attempt, late=True, **(detail or {}))
        return None
    d.sent_at = d.sent_at or now
    d.provider_ref = ref[:120] or d.provider_ref
    d.locked_until = None
    d.last_error = ""
    event(Ev.SENT, delivery=d, at=now, attempt=attempt, message_id=d.message_id, **(detail or {}))
    if arrived:
        _arrive(d, now)
    else:
        take(DELIVERY, d, "record_sent", SYSTEM, at=now)
        d.save()
    after(d, now)
    return d


def _arrive(d: Delivery, at: dt.datetime, **detail: Any) -> None:
    take(DELIVERY, d, "arrive", SYSTEM, at=at)
    d.arrived_at = at
    d.save()
    event(Ev.ARRIVED, delivery=d, at=at, channel=d.channel, **detail)
    if d.service_id and d.purpose == Delivery.Purpose.SERVICE:
        record(
            "system",
            "delivery.arrived",
            d.service,
            summary=f"{d.channel} {d.message_id}",
            changes={"delivery": d.pk, "channel": d.channel, "at": at},
        )


def _fail(d: Delivery, error: str, *, now: dt.datetime) -> None:
    take(DELIVERY, d, "fail", SYSTEM, at=now)
    d.locked_until = None
    d.last_error = error[:500]
    d.save()
    event(Ev.FAILED, delivery=d, at=now, attempts=d.attempts, error=error[:300])
    after(d, now)


@transaction.atomic
def record_failure(
    *, delivery_id: int, attempt: int, error: str, permanent: bool, now: dt.datetime | None = None
) -> Delivery | None:
    """A failed attempt: retried with exponential backoff, until the maximum number of
    attempts (SUTIAO_DELIVERY_MAX_ATTEMPTS) or a permanent refusal fails the delivery."""
    now = now or timezone.now()
    d = _still_ours(delivery_id, attempt)
    if d is None:
        return None
    if permanent or d.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        _fail(d, error, now=now)
        return d
    take(DELIVERY, d, "retry", SYSTEM, at=now)
    d.locked_until = None
    d.last_error = error[:500]
    d.available_at = now + backoff(d.attempts)
    d.save()
    event(Ev.RETRY, delivery=d, at=now, attempt=attempt, error=error[:300], next_at=d.available_at)
    return d


@transaction.atomic
def deliver_to_inbox(*, delivery_id: int, attempt: int) -> InboxItem | None:
    """The platform inbox is ours: storing the item and recording its arrival are one
    transaction, so it can neither be lost nor stored twice."""
    d = _still_ours(delivery_id, attempt)
    if d is None:
        return None
    now = timezone.now()
    service = d.service
    item, _created = InboxItem.objects.get_or_create(
        delivery=d,
        defaults={
            "user_id": d.user_id,
            "service": service,
            "case_id": d.case_id,
            "document": service.document if service else None,
            "title": d.subject or (service.title if service else ""),
            "body": d.body,
            "created_at": now,
        },
    )
    d.sent_at = now
    d.locked_until = None
    event(Ev.SENT, delivery=d, at=now, attempt=attempt, inbox_item=item.pk)
    _arrive(d, now, inbox_item=item.pk)
    after(d, now)
    user_id, item_id = item.user_id, item.pk
    transaction.on_commit(lambda: push_inbox(user_id, item_id))
    return item


@transaction.atomic
def record_sms_receipt(
    *, ref: str, delivered: bool, at: dt.datetime | None = None, detail: str = ""
) -> Delivery | None:
    """A gateway's delivery receipt, found by our idempotency key or the gateway's id."""
    d = (
        Delivery.objects.select_for_update()
        .filter(channel=Channel.SMS)
        .filter(Q(message_id=ref) | Q(provider_ref=ref))
        .first()
    )
    if d is None:
        return None
    now = timezone.now()
    at = min(at or now, now)
    if delivered and allows(DELIVERY, d, "arrive"):
        d.sent_at = d.sent_at or at
        _arrive(d, at, receipt=detail[:200])
        after(d, now)
    elif not delivered and allows(DELIVERY, d, "fail"):
        _fail(d, detail or _("The gateway reports the message was not delivered"), now=now)
    return d
