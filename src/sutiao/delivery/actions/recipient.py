"""The recipient's side: it opened a link or an inbox item, acknowledged receipt (回复收悉),
or acted on a served document; each may make service take effect (OLR 31)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.models import Case
from sutiao.core.errors import NotFound
from sutiao.core.policy import require
from sutiao.documents.models import Document

from ..models import Delivery, InboxItem, Service
from ..policies import represents
from .common import Ev, event, locked_service
from .effect import after, reconsider


def push_inbox(user_id: int, item_id: int | None = None) -> None:
    """Tell the user's open pages: the unread count, and the new item (after commit)."""
    import logging

    from .. import queries
    from ..live import push_to_user

    try:
        payload: dict[str, Any] = {"type": "inbox", "unread": queries.unread_count(user_id)}
        if item_id is not None:
            item = InboxItem.objects.select_related("case", "document").get(pk=item_id)
            payload["item"] = queries.item_json(item)
        push_to_user(user_id, payload)
    except Exception:  # a page that is not told still shows it on its next load
        logging.getLogger("sutiao.delivery").exception("live push failed")


def _recipient_delivery(actor: User, d: Delivery) -> bool:
    if d.service is not None:
        return represents(actor, d.service.party)
    return d.user_id == actor.pk


@transaction.atomic
def open_link(*, actor: User, token: str) -> Delivery:
    """The recipient followed the link in an e-mail or SMS: that message was opened."""
    d = (
        Delivery.objects.select_related("service__party", "service__case")
        .filter(token=token)
        .first()
    )
    if d is None:
        raise NotFound()
    if _recipient_delivery(actor, d):
        _mark_opened(d, actor)
    elif not (d.service is not None and _may_view(actor, d.service)):
        raise NotFound()
    return d


def _may_view(actor: User, service: Service) -> bool:
    from sutiao.core.policy import can

    return can(actor, "view", service)


def _mark_opened(d: Delivery, actor: User, **detail: Any) -> None:
    d = Delivery.objects.select_for_update(of=("self",)).select_related("service").get(pk=d.pk)
    if d.opened_at is not None:
        return
    now = timezone.now()
    d.opened_at = now
    d.save(update_fields=["opened_at"])
    event(Ev.OPENED, delivery=d, at=now, actor=actor, channel=d.channel, **detail)
    if d.service_id:
        record(
            actor,
            "delivery.opened",
            d.service,
            summary=d.channel,
            changes={"delivery": d.pk, **detail},
        )
    after(d, now)


@transaction.atomic
def open_item(*, actor: User, item: InboxItem, download: bool = False) -> InboxItem:
    """The recipient read an inbox item (or downloaded its document): opened."""
    item = InboxItem.objects.select_for_update().get(pk=item.pk)
    require(actor, "view", item)
    changed = item.read_at is None
    if changed:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    if (download or item.document_id is None) and item.delivery is not None:
        _mark_opened(item.delivery, actor, download=download)
    if changed:
        user_id = item.user_id
        transaction.on_commit(lambda: push_inbox(user_id))
    return item


@transaction.atomic
def acknowledge(*, actor: User, item: InboxItem) -> InboxItem:
    """The recipient confirms receipt (回复收悉): a reply, with which service takes effect
    even at an address it had not confirmed (OLR 31)."""
    item = (
        InboxItem.objects.select_for_update(of=("self",)).select_related("delivery").get(pk=item.pk)
    )
    require(actor, "view", item)
    if item.acknowledged_at is not None:
        return item
    now = timezone.now()
    item.acknowledged_at = now
    item.read_at = item.read_at or now
    item.save(update_fields=["acknowledged_at", "read_at"])
    if item.delivery_id:
        d = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=item.delivery_id)
        )
        d.acted_at = d.acted_at or now
        d.save(update_fields=["acted_at"])
        event(Ev.ACTED, delivery=d, at=now, actor=actor, how="acknowledged")
        if d.service is not None:
            record(actor, "delivery.acknowledged", d.service, summary=d.service.title)
        after(d, now)
    user_id = item.user_id
    transaction.on_commit(lambda: push_inbox(user_id))
    return item


@transaction.atomic
def record_acted(
    *, actor: User, case: Case, document: Document, how: str = "acted"
) -> list[Service]:
    """The recipient acted on a served document (signed it, applied, objected): for other
    domains to call. Its services to the actor's parties take effect if they had not."""
    done = []
    services = Service.objects.filter(case=case, document=document).select_related("party")
    for service in services:
        if not represents(actor, service.party):
            continue
        service = locked_service(service.pk)
        now = timezone.now()
        event(Ev.ACTED, service=service, at=now, actor=actor, how=how[:40])
        record(actor, "delivery.acted", service, summary=how[:100])
        reconsider(service, now=now)
        done.append(service)
    return done
