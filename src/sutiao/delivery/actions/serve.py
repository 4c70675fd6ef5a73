"""Serving on the parties: a registered document (serve_document), or a formal notice whose
text is the message (notices.notify). One service per recipient, one delivery per channel it
consented to; without consent, or without a channel, the service needs paper service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.models import Case, Party
from sutiao.core import outbox
from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.documents.models import Document

from .. import messages
from ..errors import DeliveryError
from ..lifecycle import SERVICE, SYSTEM, take
from ..models import AddressConfirmation, Channel, Delivery, Service, ServiceKind
from ..policies import Actor, may_serve
from ..queries import current_addresses, preference, users_of
from .common import Ev, audit_actor, event, kick, user_of
from .outgoing import base_context, enqueue, enqueue_each, flatten

# Kinds of registered documents (documents.Document.Kind) that name a service kind.
KIND_ALIASES = {"confirmation": ServiceKind.RULING, "record": ServiceKind.OTHER}


def _service_channels(
    addresses: AddressConfirmation, users: list[User]
) -> list[tuple[str, str, User | None]]:
    """(channel, address, account) of each delivery that serves, in the order they are
    queued: the platform inbox of every account receiving for the party, e-mail, SMS."""
    channels: list[tuple[str, str, User | None]] = []
    if addresses.inbox:
        channels += [(Channel.INBOX, user.get_username(), user) for user in users]
    if addresses.email:
        channels.append((Channel.EMAIL, addresses.email, None))
    if addresses.phone:
        channels.append((Channel.SMS, addresses.phone, None))
    return channels


def _queue_service(
    service: Service,
    *,
    party: Party,
    users: list[User],
    addresses: AddressConfirmation,
    key: str,
    ctx: dict[str, Any],
    language: str,
    now: dt.datetime,
) -> list[Delivery | None]:
    """The deliveries of a service to a recipient who consented to electronic service."""
    queued = enqueue_each(
        _service_channels(addresses, users),
        purpose=Delivery.Purpose.SERVICE,
        key=key,
        context=ctx,
        language=language,
        now=now,
        service=service,
    )
    if not addresses.phone and party.phone and all(preference(u).sms_prompts for u in users):
        # A parallel SMS may prompt the recipient to read (RULES §9); it serves nothing.
        enqueue(
            channel=Channel.SMS,
            purpose=Delivery.Purpose.PROMPT,
            address=party.phone,
            key="service.prompt",
            context=ctx,
            language=language,
            now=now,
            service=service,
        )
    return queued


def _new_service(
    *,
    case: Case,
    party: Party,
    actor: Actor,
    kind: str,
    now: dt.datetime,
    document: Document | None,
    title: str,
    topic: str,
    body: str,
    context: dict[str, Any],
    addresses: AddressConfirmation | None,
) -> Service:
    service = Service.objects.create(
        case=case,
        party=party,
        document=document,
        kind=kind,
        title=title[:200],
        topic=topic,
        body=body,
        context=context,
        served_by=user_of(actor),
        created_at=now,
        addresses=addresses,
    )
    event(
        Ev.SERVED,
        service=service,
        at=now,
        actor=actor,
        kind=kind,
        document=document.verify_code if document else "",
    )
    return service


def _mark_needs_paper(
    service: Service, addresses: AddressConfirmation | None, now: dt.datetime
) -> None:
    take(SERVICE, service, "need_paper", SYSTEM, at=now)
    service.save(update_fields=["state"])
    reason = "no_consent" if not (addresses and addresses.consents_e_service) else "no_channel"
    event(Ev.NEEDS_PAPER, service=service, at=now, reason=reason)


def serve_party(
    *,
    case: Case,
    party: Party,
    actor: Actor,
    kind: str,
    now: dt.datetime,
    document: Document | None = None,
    title: str = "",
    topic: str = "",
    context: dict[str, Any] | None = None,
) -> Service:
    context = context or {}
    users = users_of(party)
    language = messages.language_of(users[0] if users else None)
    ctx = {**base_context(case, party), **flatten(context)}
    key = "service.document" if document is not None else topic
    body = ""
    if document is None:
        texts = messages.render(key, language, {**ctx, "link": ""})
        title = title or texts.inbox_title
        body = texts.inbox_body
    addresses = current_addresses(party)
    if addresses is not None and addresses.pk is None:
        addresses.save()
    service = _new_service(
        case=case,
        party=party,
        actor=actor,
        kind=kind,
        now=now,
        document=document,
        title=title,
        topic=topic,
        body=body,
        context=context,
        addresses=addresses,
    )
    with translation.override(language):
        ctx["kind_label"] = str(ServiceKind(kind).label)
    ctx["title"] = service.title
    queued: list[Delivery | None] = []
    if addresses is not None and addresses.consents_e_service:
        queued = _queue_service(
            service,
            party=party,
            users=users,
            addresses=addresses,
            key=key,
            ctx=ctx,
            language=language,
            now=now,
        )
    if not any(queued):
        _mark_needs_paper(service, addresses, now)
    return service


def _recipients(case: Case, recipients: list[Party] | None) -> list[Party]:
    parties = list(case.parties.select_related("user", "agent"))
    if recipients is None:
        return parties
    by_id = {p.pk: p for p in parties}
    chosen = []
    for party in recipients:
        if party.pk not in by_id:
            raise Invalid(_("Serve only on parties of this case."), code=DeliveryError.NOT_A_PARTY)
        if by_id[party.pk] not in chosen:
            chosen.append(by_id[party.pk])
    return chosen


def _service_kind(kind: str) -> str:
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in ServiceKind.values:
        raise Invalid(_("Unknown kind of document to serve."), fields={"kind": [str(kind)]})
    return kind


def _case_roles_of(actor: Actor, case: Case) -> set[str]:
    from sutiao.cases.policies import case_roles

    return case_roles(actor, case)


@transaction.atomic
def serve_document(
    *,
    actor: Actor,
    case: Case,
    document: Document,
    recipients: list[Party] | None = None,
    title: str,
    kind: str,
) -> list[Service]:
    """Serve a registered document on each recipient (default: every party of the case)
    through every channel it consented to; a recipient without consent to electronic service
    gets a service marked "needs paper service".

    `kind`: agreement, ruling, mediation_document, delegation_notice, acceptance_notice,
    time_limit_notice, meeting_invitation, notice, other (documents' "confirmation" is taken
    as ruling). `actor`: court staff, the case's mediator or organisation, None / "system"
    for the platform's own flows, or a party whose signature made an agreement take effect.
    Runs in the caller's transaction; the worker sends after commit."""
    case = Case.objects.select_related("court", "org", "mediator").get(pk=case.pk)
    kind = _service_kind(kind)
    if not may_serve(actor, case, kind):
        if not _case_roles_of(actor, case):
            raise NotFound()
        raise Forbidden(_("You may not serve documents in this case."))
    if not isinstance(document, Document) or document.pk is None:
        raise Invalid(_("Serve a registered document."), code=DeliveryError.NO_DOCUMENT)
    title = (title or document.title or "").strip()
    if not title:
        raise Invalid(_("Give the title of the document."), fields={"title": [""]})
    now = timezone.now()
    services = [
        serve_party(
            case=case, party=p, actor=actor, kind=kind, now=now, document=document, title=title
        )
        for p in _recipients(case, recipients)
    ]
    record(
        audit_actor(actor),
        "delivery.served",
        case,
        summary=title,
        changes={
            "document": document.verify_code,
            "kind": kind,
            "services": [s.pk for s in services],
            "needs_paper": [s.party_id for s in services if s.state == Service.State.NEEDS_PAPER],
        },
    )
    outbox.emit(
        "delivery.served",
        {"case": case.pk, "document": document.pk, "services": [s.pk for s in services]},
    )
    kick()
    return services
