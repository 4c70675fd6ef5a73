"""Every change of electronic service: one function per use case, one transaction, audited.

The public entry points other domains call (stable signatures):

    serve_document(*, actor, case, document, recipients=None, title, kind) -> list[Service]
    notify(*, case, topic, recipients=None, context=None, actor=None) -> list[Service]
    record_acted(*, actor, case, document) -> list[Service]

They write the services, their deliveries (the worker's queue) and events in the caller's
transaction: if the caller's change rolls back, nothing is served; once it commits, nothing is
lost (the worker sends what is queued, whenever it runs). The worker's own steps (claim, sent,
failed, inbox stored, proof issued) are here too, each in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sutiao.accounts.identity import validate_phone
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case, Party
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.documents.models import Document

from . import messages
from .models import (
    AddressConfirmation,
    Channel,
    ConsentMethod,
    Delivery,
    DeliveryEvent,
    InboxItem,
    PaperRoute,
    PaperService,
    Preference,
    Service,
    ServiceKind,
)
from .policies import may_serve, represents

Ev = DeliveryEvent.Kind

# Kinds of registered documents (documents.Document.Kind) that name a service kind.
KIND_ALIASES = {"confirmation": ServiceKind.RULING, "record": ServiceKind.OTHER}


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit_actor(actor: Any) -> Any:
    return _user(actor) or "system"


def _event(
    kind: str,
    /,
    *,
    service: Service | None = None,
    delivery: Delivery | None = None,
    at: dt.datetime | None = None,
    actor: Any = None,
    **detail: Any,
) -> DeliveryEvent:
    if service is None and delivery is not None:
        service = delivery.service
    return DeliveryEvent.objects.create(
        service=service,
        delivery=delivery,
        kind=kind,
        at=at or timezone.now(),
        actor=_user(actor),
        detail=messages.jsonable(detail),
    )


def _kick() -> None:
    from . import engine

    transaction.on_commit(engine.kick)


def message_id_domain() -> str:
    return getattr(settings, "DELIVERY_MESSAGE_ID_DOMAIN", "") or (
        urlparse(settings.SITE_URL).hostname or "sutiao"
    )


def users_of(party: Party) -> list[User]:
    """The accounts that receive what is served on a party: its own and its agent's."""
    found: list[User] = []
    for user in (party.user, party.agent):
        if user is not None and user.is_active and user not in found:
            found.append(user)
    return found


def preference(user: User) -> Preference:
    pref = Preference.objects.filter(user=user).first()
    return pref or Preference(user=user)


# Addresses and consent (OLR 29) ---------------------------------------------------------


def current_addresses(party: Party) -> AddressConfirmation | None:
    """The confirmation in force: the latest one, unless the party gave its consent on the case
    pages afterwards (cases.actions.give_consent), which is then returned unsaved."""
    latest = party.address_confirmations.order_by("-recorded_at", "-id").first()
    if party.consent_at is None or (latest and latest.recorded_at >= party.consent_at):
        return latest
    return AddressConfirmation(
        party=party,
        consents_e_service=party.consents_e_service,
        inbox=True,
        email=party.service_email,
        phone=party.service_phone,
        method=ConsentMethod.EXPRESS,
        confirmed_by_recipient=True,
        recorded_at=party.consent_at,
        note="case page",
    )


def _checked_addresses(e_service: bool, email: str, phone: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    email = (email or "").strip()
    phone = (phone or "").strip()
    if e_service and not (email or phone):
        errors["email"] = [_("Give an e-mail address or a mobile phone for service.")]
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except Exception:  # noqa: BLE001 - Django's ValidationError, reported per field
            errors["email"] = [_("Enter a valid e-mail address.")]
    if phone:
        try:
            phone = validate_phone(phone)
        except Exception as exc:  # noqa: BLE001
            errors["phone"] = list(getattr(exc, "messages", [str(exc)]))
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return email, phone


@transaction.atomic
def confirm_addresses(
    *,
    actor: User,
    party: Party,
    e_service: bool,
    email: str = "",
    phone: str = "",
    inbox: bool = True,
    method: str = ConsentMethod.EXPRESS,
    confirmed_by_recipient: bool | None = None,
    note: str = "",
) -> AddressConfirmation:
    """A new service-address confirmation (送达地址确认书); the earlier ones stay as history.

    The party (or its agent) confirms its own addresses, and the case's consent is updated
    with them. A court clerk records one the party gave otherwise (a signed paper form, an
    address in its filings); unless the party confirmed that address, service there takes
    effect only when the party replies or acts (OLR 31)."""
    party = Party.objects.select_related("case", "user", "agent").get(pk=party.pk)
    own = represents(actor, party)
    if not own:
        require(actor, "view", party.case)  # a stranger: 404; another party: 403
        require(actor, "record_addresses", party)
    if method not in ConsentMethod.values:
        raise Invalid(_("Choose how consent was given."), fields={"method": [method]})
    email, phone = _checked_addresses(e_service, email, phone)
    now = timezone.now()
    if own:
        case_actions.give_consent(
            actor=actor,
            case=party.case,
            party=party,
            online=party.consents_online,
            e_service=e_service,
            service_email=email,
            service_phone=phone,
        )
        party.refresh_from_db()
        now = party.consent_at or now
    row = AddressConfirmation.objects.create(
        party=party,
        consents_e_service=e_service,
        inbox=inbox,
        email=email if e_service else "",
        phone=phone if e_service else "",
        method=method,
        confirmed_by_recipient=True if own else bool(confirmed_by_recipient),
        recorded_by=actor,
        recorded_at=now,
        note=note[:200],
    )
    record(
        actor,
        "delivery.addresses_confirmed",
        party,
        summary=party.name,
        changes={
            "e_service": e_service,
            "inbox": inbox,
            "email": bool(email),
            "phone": bool(phone),  # never the number itself in the log
            "method": method,
            "by_recipient": row.confirmed_by_recipient,
        },
    )
    return row


# Serving ------------------------------------------------------------------------------


def _sender(case: Case) -> str:
    if case.court_id:
        return case.court.name
    if case.org_id:
        return case.org.name
    return _("Sutiao platform")


def _base_context(case: Case, party: Party | None = None) -> dict[str, Any]:
    mediator = case.mediator.name if case.mediator_id else (case.org.name if case.org_id else "")
    return {
        "case_number": case.number or case.title,
        "case_title": case.title,
        "sender": _sender(case),
        "party_name": party.name if party else "",
        "mediator": mediator,
        "deadline": messages.local_time(case.deadline_at)[:10] if case.deadline_at else "",
    }


def _flatten(context: dict[str, Any]) -> dict[str, Any]:
    """A caller's context as the message templates see it (a session's times in Beijing)."""
    flat = dict(context)
    session = context.get("session")
    if isinstance(session, dict):
        flat.update(
            session_title=session.get("title", ""),
            session_start=messages.local_time(session.get("start")),
            session_end=messages.local_time(session.get("end")),
            session_url=session.get("url", ""),
        )
    return flat


def _enqueue(
    *,
    channel: str,
    purpose: str,
    address: str,
    key: str,
    context: dict[str, Any],
    language: str,
    now: dt.datetime,
    service: Service | None = None,
    user: User | None = None,
    case: Case | None = None,
) -> Delivery | None:
    token = secrets.token_urlsafe(16)
    link = settings.SITE_URL.rstrip("/") + reverse("delivery:open", args=[token])
    texts = messages.render(key, language, {**context, "link": link})
    if channel == Channel.INBOX:
        subject, body = texts.inbox_title, texts.inbox_body
    elif channel == Channel.EMAIL:
        subject, body = texts.email_subject, texts.email_body
    else:
        subject, body = "", (settings.SMS_SIGNATURE + texts.sms) if texts.sms else ""
    if not (subject or body):
        return None  # this message has no text for this channel
    session = context.get("session")
    ics = ""
    if channel == Channel.EMAIL and isinstance(session, dict) and session.get("start"):
        ics = messages.ics_for({"uid": f"{token}@{message_id_domain()}", **session}, stamp=now)
    d = Delivery.objects.create(
        service=service,
        user=user,
        case=case or (service.case if service else None),
        channel=channel,
        purpose=purpose,
        address=address,
        token=token,
        message_id=f"<{token}@pending.invalid>",
        language=language,
        subject=subject[:300],
        body=body,
        ics=ics,
        available_at=now,
        created_at=now,
    )
    d.message_id = f"<delivery-{d.pk}-{token}@{message_id_domain()}>"
    d.save(update_fields=["message_id"])
    _event(
        Ev.QUEUED,
        service=service,
        delivery=d,
        at=now,
        channel=channel,
        purpose=purpose,
        message_id=d.message_id,
    )
    return d


def _serve_party(
    *,
    case: Case,
    party: Party,
    actor: Any,
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
    ctx = {**_base_context(case, party), **_flatten(context)}
    key = "service.document" if document is not None else topic
    body = ""
    if document is None:
        texts = messages.render(key, language, {**ctx, "link": ""})
        title = title or texts.inbox_title
        body = texts.inbox_body
    addresses = current_addresses(party)
    if addresses is not None and addresses.pk is None:
        addresses.save()
    service = Service.objects.create(
        case=case,
        party=party,
        document=document,
        kind=kind,
        title=title[:200],
        topic=topic,
        body=body,
        context=context,
        served_by=_user(actor),
        created_at=now,
        addresses=addresses,
    )
    _event(
        Ev.SERVED,
        service=service,
        at=now,
        actor=actor,
        kind=kind,
        document=document.verify_code if document else "",
    )
    with translation.override(language):
        ctx["kind_label"] = str(ServiceKind(kind).label)
    ctx["title"] = service.title
    queued = []
    if addresses is not None and addresses.consents_e_service:
        if addresses.inbox:
            for user in users:
                queued.append(
                    _enqueue(
                        channel=Channel.INBOX,
                        purpose=Delivery.Purpose.SERVICE,
                        address=user.get_username(),
                        key=key,
                        context=ctx,
                        language=language,
                        now=now,
                        service=service,
                        user=user,
                    )
                )
        if addresses.email:
            queued.append(
                _enqueue(
                    channel=Channel.EMAIL,
                    purpose=Delivery.Purpose.SERVICE,
                    address=addresses.email,
                    key=key,
                    context=ctx,
                    language=language,
                    now=now,
                    service=service,
                )
            )
        if addresses.phone:
            queued.append(
                _enqueue(
                    channel=Channel.SMS,
                    purpose=Delivery.Purpose.SERVICE,
                    address=addresses.phone,
                    key=key,
                    context=ctx,
                    language=language,
                    now=now,
                    service=service,
                )
            )
        elif party.phone and all(preference(u).sms_prompts for u in users):
            # A parallel SMS may prompt the recipient to read (RULES §9); it serves nothing.
            _enqueue(
                channel=Channel.SMS,
                purpose=Delivery.Purpose.PROMPT,
                address=party.phone,
                key="service.prompt",
                context=ctx,
                language=language,
                now=now,
                service=service,
            )
    if not any(queued):
        service.state = Service.State.NEEDS_PAPER
        service.save(update_fields=["state"])
        reason = "no_consent" if not (addresses and addresses.consents_e_service) else "no_channel"
        _event(Ev.NEEDS_PAPER, service=service, at=now, reason=reason)
    return service


def _recipients(case: Case, recipients: list[Party] | None) -> list[Party]:
    parties = list(case.parties.select_related("user", "agent"))
    if recipients is None:
        return parties
    by_id = {p.pk: p for p in parties}
    chosen = []
    for party in recipients:
        if party.pk not in by_id:
            raise Invalid(_("Serve only on parties of this case."), code="delivery.not_a_party")
        if by_id[party.pk] not in chosen:
            chosen.append(by_id[party.pk])
    return chosen


def _service_kind(kind: str) -> str:
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in ServiceKind.values:
        raise Invalid(_("Unknown kind of document to serve."), fields={"kind": [str(kind)]})
    return kind


@transaction.atomic
def serve_document(
    *,
    actor: Any,
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
        if not case_roles_of(actor, case):
            raise NotFound()
        raise Forbidden(_("You may not serve documents in this case."))
    if not isinstance(document, Document) or document.pk is None:
        raise Invalid(_("Serve a registered document."), code="delivery.no_document")
    title = (title or document.title or "").strip()
    if not title:
        raise Invalid(_("Give the title of the document."), fields={"title": [""]})
    now = timezone.now()
    services = [
        _serve_party(
            case=case, party=p, actor=actor, kind=kind, now=now, document=document, title=title
        )
        for p in _recipients(case, recipients)
    ]
    record(
        _audit_actor(actor),
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
    _kick()
    return services


def case_roles_of(actor: Any, case: Case) -> set[str]:
    from sutiao.cases.policies import case_roles

    return case_roles(actor, case)


@transaction.atomic
def notify(
    *,
    case: Case,
    topic: str,
    recipients: list[Party | User] | None = None,
    context: dict[str, Any] | None = None,
    actor: Any = None,
) -> list[Service]:
    """Send the notice `topic` (a key of delivery/data/templates.json, e.g. case.delegated,
    case.accepted, meeting.invitation) to parties (default: every party) and users.

    A formal notice (notice of delegation, of acceptance and time limits, an invitation to a
    session) is served on each party like a document, without one: its text is the message.
    Other topics are notifications: the platform inbox, and e-mail as the user prefers.
    `context` is passed to the message texts; `context["session"] = {start, end, title,
    url}` attaches an iCalendar invitation to the e-mail. Returns the services."""
    case = Case.objects.select_related("court", "org", "mediator").get(pk=case.pk)
    info = messages.topic_info(topic)
    context = messages.jsonable(context)
    now = timezone.now()
    targets: list[Party | User] = (
        list(case.parties.select_related("user", "agent")) if recipients is None else recipients
    )
    services: list[Service] = []
    notified: list[int] = []
    for target in targets:
        if isinstance(target, Party):
            if target.case_id != case.pk:
                raise Invalid(_("Serve only on parties of this case."), code="delivery.not_a_party")
            if info["formal"]:
                services.append(
                    _serve_party(
                        case=case,
                        party=target,
                        actor=actor,
                        kind=info["kind"],
                        now=now,
                        topic=topic,
                        context=context,
                    )
                )
            else:
                for user in users_of(target):
                    _notify_user(user, topic, case=case, context=context, now=now, party=target)
                    notified.append(user.pk)
        elif isinstance(target, User):
            _notify_user(target, topic, case=case, context=context, now=now)
            notified.append(target.pk)
        else:
            raise TypeError(f"cannot notify {type(target).__name__}")
    record(
        _audit_actor(actor),
        "delivery.notified",
        case,
        summary=topic,
        changes={"services": [s.pk for s in services], "users": notified},
    )
    _kick()
    return services


def _notify_user(
    user: User,
    topic: str,
    *,
    now: dt.datetime,
    case: Case | None = None,
    context: dict[str, Any] | None = None,
    party: Party | None = None,
) -> None:
    language = messages.language_of(user)
    ctx = {**(_base_context(case, party) if case else {}), **_flatten(context or {})}
    ctx["party_name"] = party.name if party else user.display_name
    _enqueue(
        channel=Channel.INBOX,
        purpose=Delivery.Purpose.NOTIFICATION,
        address=user.get_username(),
        key=topic,
        context=ctx,
        language=language,
        now=now,
        user=user,
        case=case,
    )
    if user.email and preference(user).notices == Preference.Notices.IMMEDIATE:
        _enqueue(
            channel=Channel.EMAIL,
            purpose=Delivery.Purpose.NOTIFICATION,
            address=user.email,
            key=topic,
            context=ctx,
            language=language,
            now=now,
            user=user,
            case=case,
        )


# When service takes effect (OLR 31) ---------------------------------------------------


def reconsider(service: Service, *, now: dt.datetime | None = None) -> Service:
    """Recompute the state of a service from its events (call with the service locked).

    At an address the recipient confirmed, service takes effect when the message arrives in
    its system; at one it did not, when it opens, replies or acts. The earliest effective
    channel counts. Once every channel has settled, the worker issues the proof."""
    now = now or timezone.now()
    if service.state == Service.State.PAPER_SERVED:
        return service
    confirmed = bool(service.addresses_id and service.addresses.confirmed_by_recipient)
    candidates: list[tuple[dt.datetime, str, str]] = []
    basis = {
        Ev.ARRIVED: Service.Basis.ARRIVAL,
        Ev.OPENED: Service.Basis.OPENED,
        Ev.ACTED: Service.Basis.ACTED,
    }
    events = service.events.filter(kind__in=list(basis)).select_related("delivery")
    for e in events:
        if e.delivery_id and e.delivery.purpose != Delivery.Purpose.SERVICE:
            continue
        if e.kind == Ev.ARRIVED and not confirmed:
            continue
        channel = e.delivery.channel if e.delivery_id else "platform"
        candidates.append((e.at, channel, basis[e.kind]))
    deliveries = list(service.deliveries.all())
    serving = [d for d in deliveries if d.purpose == Delivery.Purpose.SERVICE]
    changed: list[str] = []
    if candidates:
        at, channel, why = min(candidates)
        if service.effective_at is None or at < service.effective_at:
            first = service.state != Service.State.EFFECTIVE
            service.state = Service.State.EFFECTIVE
            service.effective_at, service.effective_channel, service.effective_basis = (
                at,
                channel,
                why,
            )
            changed += ["state", "effective_at", "effective_channel", "effective_basis"]
            if first:
                _event(
                    Ev.EFFECTIVE,
                    service=service,
                    at=now,
                    channel=channel,
                    basis=why,
                    effective_at=at,
                )
                record(
                    "system",
                    "delivery.effective",
                    service,
                    summary=f"{service.title} → {service.party.name}",
                    changes={"effective_at": at, "channel": channel, "basis": why},
                )
                outbox.emit("delivery.effective", {"service": service.pk, "case": service.case_id})
    elif (
        serving
        and all(d.state == Delivery.State.FAILED for d in serving)
        and service.state == Service.State.PENDING
    ):
        service.state = Service.State.FAILED
        changed.append("state")
        _event(Ev.COULD_NOT_SERVE, service=service, at=now)
        record(
            "system",
            "delivery.could_not_serve",
            service,
            summary=f"{service.title} → {service.party.name}",
            changes={"errors": [d.last_error for d in serving]},
        )
        if service.served_by_id and service.served_by.is_active:
            _notify_user(
                service.served_by,
                "delivery.could_not_serve",
                now=now,
                case=service.case,
                context={
                    "title": service.title,
                    "reason": "; ".join(sorted({d.last_error[:80] for d in serving})),
                },
                party=service.party,
            )
    if (
        service.state == Service.State.EFFECTIVE
        and not service.proof_id
        and not service.proof_due
        and all(d.state not in {Delivery.State.QUEUED, Delivery.State.SENDING} for d in deliveries)
    ):
        service.proof_due = True
        changed.append("proof_due")
        outbox.emit("delivery.proof_due", {"service": service.pk})
    if changed:
        service.save(update_fields=sorted(set(changed)))
    return service


def _locked_service(pk: int) -> Service:
    return (
        Service.objects.select_for_update(of=("self",))
        .select_related("addresses", "party", "case", "served_by")
        .get(pk=pk)
    )


# The worker's steps -------------------------------------------------------------------


@dataclass
class Claim:
    delivery: Delivery
    attempt: int
    in_doubt: bool


def backoff(attempt: int) -> dt.timedelta:
    """Exponential: base × 2^(attempt-1), at most the maximum, plus up to 10 % jitter."""
    base = settings.DELIVERY_BACKOFF_SECONDS * (2 ** max(attempt - 1, 0))
    seconds = min(base, settings.DELIVERY_BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=seconds * (1 + random.random() / 10))  # noqa: S311


@transaction.atomic
def claim_next(*, now: dt.datetime | None = None) -> Claim | None:
    """Take the next due delivery with a lease, and say so before sending: the row is
    "sending" with its Message-ID once this commits. A row found "sending" with its lease
    run out was being sent when a worker died: whether the far side took it is unknown, so
    it is sent again, with the same Message-ID (docs/delivery.md, "Guarantees")."""
    now = now or timezone.now()
    rows = (
        Delivery.objects.filter(
            state__in=[Delivery.State.QUEUED, Delivery.State.SENDING], available_at__lte=now
        )
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
        _event(Ev.IN_DOUBT, delivery=d, at=now, attempt=d.attempts, message_id=d.message_id)
        if d.attempts < settings.DELIVERY_MAX_ATTEMPTS:
            break
        _fail(d, _("Interrupted too often"), now=now)  # and on to the next due row
    d.state = Delivery.State.SENDING
    d.attempts += 1
    d.locked_until = now + dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    d.save(update_fields=["state", "attempts", "locked_until"])
    _event(Ev.SENDING, delivery=d, at=now, attempt=d.attempts, message_id=d.message_id)
    return Claim(d, d.attempts, in_doubt)


def _still_ours(pk: int, attempt: int) -> Delivery | None:
    d = Delivery.objects.select_for_update(of=("self",)).select_related("service").get(pk=pk)
    if d.state != Delivery.State.SENDING or d.attempts != attempt:
        return None  # recorded already, or the lease ran out and another attempt began
    return d


def _after(d: Delivery, now: dt.datetime) -> None:
    if d.service_id:
        reconsider(_locked_service(d.service_id), now=now)


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
        _event(Ev.SENT, delivery=d, at=now, attempt=attempt, late=True, **(detail or {}))
        return None
    d.sent_at = d.sent_at or now
    d.provider_ref = ref[:120] or d.provider_ref
    d.locked_until = None
    d.last_error = ""
    _event(Ev.SENT, delivery=d, at=now, attempt=attempt, message_id=d.message_id, **(detail or {}))
    if arrived:
        _arrive(d, now)
    else:
        d.state = Delivery.State.SENT
        d.save()
    _after(d, now)
    return d


def _arrive(d: Delivery, at: dt.datetime, **detail: Any) -> None:
    d.state = Delivery.State.ARRIVED
    d.arrived_at = at
    d.save()
    _event(Ev.ARRIVED, delivery=d, at=at, channel=d.channel, **detail)
    if d.service_id and d.purpose == Delivery.Purpose.SERVICE:
        record(
            "system",
            "delivery.arrived",
            d.service,
            summary=f"{d.channel} {d.message_id}",
            changes={"delivery": d.pk, "channel": d.channel, "at": at},
        )


def _fail(d: Delivery, error: str, *, now: dt.datetime) -> None:
    d.state = Delivery.State.FAILED
    d.locked_until = None
    d.last_error = error[:500]
    d.save()
    _event(Ev.FAILED, delivery=d, at=now, attempts=d.attempts, error=error[:300])
    _after(d, now)


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
    d.state = Delivery.State.QUEUED
    d.locked_until = None
    d.last_error = error[:500]
    d.available_at = now + backoff(d.attempts)
    d.save()
    _event(Ev.RETRY, delivery=d, at=now, attempt=attempt, error=error[:300], next_at=d.available_at)
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
    _event(Ev.SENT, delivery=d, at=now, attempt=attempt, inbox_item=item.pk)
    _arrive(d, now, inbox_item=item.pk)
    _after(d, now)
    user_id, item_id = d.user_id, item.pk
    transaction.on_commit(lambda: push_inbox(user_id, item_id))
    return item


def push_inbox(user_id: int, item_id: int | None = None) -> None:
    """Tell the user's open pages: the unread count, and the new item (after commit)."""
    import logging

    from sutiao.web.consumers import push_to_user

    from . import queries

    try:
        payload: dict[str, Any] = {"type": "inbox", "unread": queries.unread_count(user_id)}
        if item_id is not None:
            item = InboxItem.objects.select_related("case", "document").get(pk=item_id)
            payload["item"] = queries.item_json(item)
        push_to_user(user_id, payload)
    except Exception:  # a page that is not told still shows it on its next load
        logging.getLogger("sutiao.delivery").exception("live push failed")


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
    if delivered and d.state in {Delivery.State.SENT, Delivery.State.SENDING}:
        d.sent_at = d.sent_at or at
        _arrive(d, at, receipt=detail[:200])
        _after(d, now)
    elif not delivered and d.state in {Delivery.State.SENT, Delivery.State.SENDING}:
        _fail(d, detail or _("The gateway reports the message was not delivered"), now=now)
    return d


# The recipient: opened, acknowledged, acted --------------------------------------------


def _recipient_delivery(actor: User, d: Delivery) -> bool:
    if d.service_id:
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
    elif not (d.service_id and _may_view(actor, d.service)):
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
    _event(Ev.OPENED, delivery=d, at=now, actor=actor, channel=d.channel, **detail)
    if d.service_id:
        record(
            actor,
            "delivery.opened",
            d.service,
            summary=d.channel,
            changes={"delivery": d.pk, **detail},
        )
    _after(d, now)


@transaction.atomic
def open_item(*, actor: User, item: InboxItem, download: bool = False) -> InboxItem:
    """The recipient read an inbox item (or downloaded its document): opened."""
    item = InboxItem.objects.select_for_update().get(pk=item.pk)
    require(actor, "view", item)
    changed = item.read_at is None
    if changed:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    if item.delivery_id and (download or item.document_id is None):
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
        _event(Ev.ACTED, delivery=d, at=now, actor=actor, how="acknowledged")
        if d.service_id:
            record(actor, "delivery.acknowledged", d.service, summary=d.service.title)
        _after(d, now)
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
        service = _locked_service(service.pk)
        now = timezone.now()
        _event(Ev.ACTED, service=service, at=now, actor=actor, how=how[:40])
        record(actor, "delivery.acted", service, summary=how[:100])
        reconsider(service, now=now)
        done.append(service)
    return done


# Paper service ------------------------------------------------------------------------


@transaction.atomic
def request_paper_copy(*, actor: User, service: Service) -> Service:
    """A paper copy is given on request (RULES §9): the clerk's queue shows it."""
    service = _locked_service(service.pk)
    require(actor, "request_paper", service)
    if service.paper_requested_at is None:
        service.paper_requested_at = timezone.now()
        service.save(update_fields=["paper_requested_at"])
        _event(Ev.PAPER_REQUESTED, service=service, actor=actor)
        record(actor, "delivery.paper_requested", service, summary=service.title)
    return service


@transaction.atomic
def record_paper_service(
    *,
    actor: User,
    service: Service,
    route: str,
    served_on: dt.date,
    receipt_number: str = "",
    note: str = "",
) -> PaperService:
    """The clerk records how the document went on paper. For a recipient not served
    electronically it is the service (effective on the day served); for one who asked for a
    copy, the copy."""
    service = _locked_service(service.pk)
    require(actor, "record_paper", service)
    errors: dict[str, list[str]] = {}
    if route not in PaperRoute.values:
        errors["route"] = [_("Choose how it was served.")]
    if not isinstance(served_on, dt.date):
        errors["served_on"] = [_("Give the date it was served.")]
    elif served_on > timezone.localdate():
        errors["served_on"] = [_("The date cannot be in the future.")]
    elif served_on < timezone.localtime(service.created_at).date():
        errors["served_on"] = [_("The date cannot be before the service was ordered.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    copy = service.state in {Service.State.EFFECTIVE, Service.State.PAPER_SERVED}
    now = timezone.now()
    paper = PaperService.objects.create(
        service=service,
        route=route,
        served_on=served_on,
        receipt_number=receipt_number.strip()[:60],
        on_request=copy,
        note=note.strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    _event(
        Ev.PAPER_SERVED,
        service=service,
        at=now,
        actor=actor,
        route=route,
        served_on=served_on,
        receipt=paper.receipt_number,
        copy=copy,
    )
    if not copy:
        service.state = Service.State.PAPER_SERVED
        service.effective_at = timezone.make_aware(dt.datetime.combine(served_on, dt.time()))
        service.effective_channel = "paper"
        service.effective_basis = Service.Basis.PAPER
        service.save(
            update_fields=["state", "effective_at", "effective_channel", "effective_basis"]
        )
    record(
        actor,
        "delivery.paper_served",
        service,
        summary=f"{service.title} → {service.party.name}",
        changes={"route": route, "served_on": served_on, "copy": copy},
    )
    return paper


@transaction.atomic
def send_again(*, actor: User, service: Service) -> Service:
    """After "could not serve": the failed channels are queued again (an address may have
    been corrected meanwhile: they go to the current one)."""
    service = _locked_service(service.pk)
    require(actor, "manage", service)
    if service.state != Service.State.FAILED:
        raise Conflict(
            _("Only a service that could not be made is sent again."), code="delivery.not_failed"
        )
    addresses = current_addresses(service.party)
    if addresses is None or not addresses.consents_e_service:
        raise Conflict(
            _("The recipient no longer consents to electronic service."), code="delivery.no_consent"
        )
    if addresses.pk is None:
        addresses.save()
    now = timezone.now()
    for d in service.deliveries.filter(
        state=Delivery.State.FAILED, purpose=Delivery.Purpose.SERVICE
    ):
        if d.channel == Channel.EMAIL and addresses.email:
            d.address = addresses.email
        elif d.channel == Channel.SMS and addresses.phone:
            d.address = addresses.phone
        d.state = Delivery.State.QUEUED
        d.attempts = 0
        d.available_at = now
        d.last_error = ""
        d.save()
        _event(Ev.QUEUED, delivery=d, at=now, actor=actor, again=True)
    service.state = Service.State.PENDING
    service.addresses = addresses
    service.save(update_fields=["state", "addresses"])
    record(actor, "delivery.sent_again", service, summary=service.title)
    _kick()
    return service


# The proof of service (电子送达凭证) ----------------------------------------------------


def sealer(service: Service, actor: User | None = None) -> tuple[Any, User] | tuple[None, None]:
    """Whose seal the proof bears, and who applies it: the court's seal (a court case) or the
    organisation's (a direct one), by `actor`, the person who served, or the case's mediator:
    the first of them who controls that seal (documents.policies)."""
    from sutiao.accounts.roles import Role
    from sutiao.institutions.models import Court

    from .policies import courts_of

    case = service.case
    courts = courts_of(case)
    candidates = [actor, service.served_by, case.mediator.user if case.mediator_id else None]
    for user in candidates:
        if user is None or not user.is_active:
            continue
        mine = user.court_ids(Role.JUDGE, Role.COURT_CLERK)
        court_id = next((c for c in courts if c in mine), None)
        if court_id is not None:
            return Court.objects.get(pk=court_id), user
        if case.org_id and case.org_id in user.org_ids(Role.ORG_ADMIN, Role.MEDIATOR):
            return case.org, user
    return None, None


@transaction.atomic
def issue_proof(*, actor: User | None, service: Service, again: bool = False) -> Document | None:
    """Render, seal and register the proof of service of an effective service. The worker
    calls it (actor None) once every channel has settled; staff call it to seal one nobody
    could seal automatically, or (`again`) to issue a fresh one with the later events.
    Returns None when nobody who may apply the seal is at hand (it waits for staff)."""
    from sutiao.documents import actions as documents
    from sutiao.documents import signing

    from . import proof

    service = _locked_service(service.pk)
    if actor is not None:
        require(actor, "manage", service)
    if service.state != Service.State.EFFECTIVE:
        raise Conflict(
            _("The proof is issued once service has taken effect."), code="delivery.not_effective"
        )
    if service.proof_id and not again:
        return service.proof
    holder, signer = sealer(service, actor)
    if holder is None:
        if actor is not None:
            raise Forbidden(_("Only who controls the court's or organisation's seal issues it."))
        return None
    code = documents.new_verify_code()
    pdf = proof.render(service, verify_code=code, issuer=holder.name)
    signed = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(holder),
        actor=signer,
        field_name="seal",
        stamp_text_lines=[holder.name, "电子送达专用章"],
        reason="电子送达凭证",
        location=holder.name,
    )
    document = documents.register_document(
        kind=Document.Kind.SERVICE_PROOF,
        title=f"电子送达凭证（{service.title}）",
        case_number=service.case.number,
        pdf_bytes=signed,
        verify_code=code,
        actor=signer,
    )
    service.proof = document
    service.proof_due = False
    service.save(update_fields=["proof", "proof_due"])
    _event(Ev.PROOF_ISSUED, service=service, actor=actor, verify_code=code, sealed_by=holder.name)
    record(
        actor or "system",
        "delivery.proof_issued",
        service,
        summary=f"{service.title} → {service.party.name}",
        changes={"document": document.pk, "verify_code": code},
    )
    return document


# Preferences and the daily digest -----------------------------------------------------


@transaction.atomic
def set_preferences(
    *, actor: User, notices: str, sms_prompts: bool, digest_hour: int = 8
) -> Preference:
    if notices not in Preference.Notices.values:
        raise Invalid(_("Choose how you want notifications."), fields={"notices": [notices]})
    if not 0 <= int(digest_hour) <= 23:
        raise Invalid(_("An hour of the day, 0 to 23."), fields={"digest_hour": [digest_hour]})
    pref, _created = Preference.objects.select_for_update().get_or_create(user=actor)
    pref.notices, pref.sms_prompts, pref.digest_hour = notices, sms_prompts, int(digest_hour)
    pref.save()
    record(
        actor,
        "delivery.preferences",
        actor,
        changes={"notices": notices, "sms_prompts": sms_prompts, "digest_hour": digest_hour},
    )
    return pref


def enqueue_digests(*, now: dt.datetime | None = None) -> int:
    """Once a day, at each user's hour (Beijing time), one e-mail with the unread items since
    the last digest. Idempotent: the digest and the time it was sent commit together."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    count = 0
    prefs = Preference.objects.filter(notices=Preference.Notices.DIGEST).select_related("user")
    for pref in prefs:
        due = local.replace(hour=pref.digest_hour, minute=0, second=0, microsecond=0)
        if local < due or (pref.last_digest_at and pref.last_digest_at >= due):
            continue
        with transaction.atomic():
            pref = (
                Preference.objects.select_for_update(of=("self",))
                .select_related("user")
                .get(pk=pref.pk)
            )
            if pref.last_digest_at and pref.last_digest_at >= due:
                continue
            since = pref.last_digest_at or (now - dt.timedelta(days=1))
            items = list(
                InboxItem.objects.filter(
                    user=pref.user, created_at__gt=since, read_at__isnull=True
                ).select_related("case")[:50]
            )
            pref.last_digest_at = now
            pref.save(update_fields=["last_digest_at"])
            user = pref.user
            if not items or not user.email or not user.is_active:
                continue
            _enqueue(
                channel=Channel.EMAIL,
                purpose=Delivery.Purpose.DIGEST,
                address=user.email,
                key="digest",
                context={
                    "name": user.display_name,
                    "count": len(items),
                    "items": [
                        {
                            "time": messages.local_time(i.created_at),
                            "title": i.title,
                            "case_number": i.case.number if i.case_id else "",
                        }
                        for i in items
                    ],
                },
                language=messages.language_of(user),
                now=now,
                user=user,
            )
            count += 1
    return count
