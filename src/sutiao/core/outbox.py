"""The transactional outbox: `emit` inside an action's transaction; consumers (notifications,
webhooks to other platforms) read undelivered events after commit. Delivery workers come
with the electronic-service issue; until then events accumulate and are queryable."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import events
from .models import OutboxEvent


def emit(topic: str, payload: dict[str, Any]) -> OutboxEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.emit must run inside the transaction of the change")
    events.require(topic, channel="outbox")
    return OutboxEvent.objects.create(topic=topic, payload=payload)


def emit_many(topic: str, payloads: list[dict[str, Any]]) -> list[OutboxEvent]:
    """One event per payload in one INSERT (a bulk action on many cases)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.emit must run inside the transaction of the change")
    events.require(topic, channel="outbox")
    return OutboxEvent.objects.bulk_create([OutboxEvent(topic=topic, payload=p) for p in payloads])
