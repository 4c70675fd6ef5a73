"""What the delivery actions share: who acted, the event log of services and deliveries, the
Message-ID domain, the service lock and the worker's kick after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.core import events

from .. import messages
from ..models import Delivery, DeliveryEvent, Service
from ..policies import Actor

Ev = DeliveryEvent.Kind


def user_of(actor: Actor) -> User | None:
    return cast(User, actor) if getattr(actor, "is_authenticated", False) else None


def audit_actor(actor: Actor) -> User | str:
    return user_of(actor) or "system"


def event(
    kind: str,
    /,
    *,
    service: Service | None = None,
    delivery: Delivery | None = None,
    at: dt.datetime | None = None,
    actor: Actor = None,
    **detail: Any,
) -> DeliveryEvent:
    events.require_timeline("delivery", kind)
    if service is None and delivery is not None:
        service = delivery.service
    return DeliveryEvent.objects.create(
        service=service,
        delivery=delivery,
        kind=kind,
        at=at or timezone.now(),
        actor=user_of(actor),
        detail=messages.jsonable(detail),
    )


def kick() -> None:
    from .. import engine

    transaction.on_commit(engine.kick)


def message_id_domain() -> str:
    return getattr(settings, "DELIVERY_MESSAGE_ID_DOMAIN", "") or (
        urlparse(settings.SITE_URL).hostname or "sutiao"
    )


def locked_service(pk: int) -> Service:
    return (
        Service.objects.select_for_update(of=("self",))
        .select_related("addresses", "party", "case", "served_by")
        .get(pk=pk)
    )
