"""Notices and notifications (RULES §3, §9): a formal notice is served on each party like a
document, without one; any other topic goes to the platform inbox, and e-mail as preferred."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.actions.agent_invitations import agent_link_token
from sutiao.cases.actions.invitations import link_token
from sutiao.cases.models import AgentInvitation, Case, Party, PartyInvitation
from sutiao.core.errors import Invalid
from sutiao.core.links import site_link

from .. import messages
from ..errors import DeliveryError
from ..models import Channel, Delivery, Service
from ..policies import Actor
from ..queries import users_of
from .common import audit_actor, kick
from .outgoing import base_context, enqueue_each, notify_user
from .serve import serve_party


def _notify_party(
    case: Case,
    party: Party,
    topic: str,
    info: dict[str, Any],
    context: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    notified: list[int],
) -> Service | None:
    """A formal notice is served on the party; a notification goes to its accounts (whose
    ids are added to `notified`)."""
    if party.case_id != case.pk:
        raise Invalid(_("Serve only on parties of this case."), code=DeliveryError.NOT_A_PARTY)
    if info["formal"]:
        return serve_party(
            case=case,
            party=party,
            actor=actor,
            kind=info["kind"],
            now=now,
            topic=topic,
            context=context,
        )
    for user in users_of(party):
        notify_user(user, topic, case=case, context=context, now=now, party=party)
        notified.append(user.pk)
    return None


@transaction.atomic
def notify(
    *,
    case: Case,
    topic: str,
    recipients: list[Party | User] | None = None,
    context: dict[str, Any] | None = None,
    actor: Actor = None,
    sms: bool = False,
) -> list[Service]:
    """Send the notice `topic` (a key of delivery/data/templates.json, e.g. case.delegated,
        case.accepted, meeting.invitation) to parties (default: every party) and users.

        A formal notice (notice of delegation, of acceptance and time limits, an invitation to a
        session) is served on each party like a document, without one: its text is the message.
        Other topics are notifications: the platform inbox, and e-mail as the user prefers.
        `context` is passed to the message texts; `context["session"] = {start, end, title,
        url}` attaches an iCalendar invitation to the e-mail; `sms` sends users an SMS as well
    (a notice that asks them to act). Returns the services."""
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
            service = _notify_party(case, target, topic, info, context, actor, now, notified)
            if service is not None:
                services.append(service)
        elif isinstance(target, User):
            notify_user(target, topic, case=case, context=context, now=now, sms=sms)
            notified.append(target.pk)
        else:
            raise TypeError(f"cannot notify {type(target).__name__}")
    record(
        audit_actor(actor),
        "delivery.notified",
        case,
        summary=topic,
        changes={"services": [s.pk for s in services], "users": notified},
    )
    kick()
    return services


@transaction.atomic
def send_invitation(*, invitation_id: int) -> list[Delivery]:
    """OMR 15: the invitation of a party without an account on the case, by SMS and e-mail
    where the application gave them, with the link that lets them join (cases.invitations).
    A link already used, replaced or expired is not sent."""
    now = timezone.now()
    inv = (
        PartyInvitation.objects.select_related("case__court", "case__org", "case__mediator")
        .select_related("party")
        .filter(pk=invitation_id, accepted_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if inv is None:
        return []
    case, party = inv.case, inv.party
    return _send_link(
        case,
        party,
        key="case.invitation",
        link=site_link("cases:invitation", link_token(inv)),
        expires_at=inv.expires_at,
        addresses=(party.phone, party.email),
        now=now,
        event="delivery.invitation_sent",
        summary=party.name,
        changes={"party": party.pk},
    )


@transaction.atomic
def send_agent_invitation(*, invitation_id: int) -> list[Delivery]:
    """CPL 61: the link that lets an agent without an account register and join, by SMS and
    e-mail where the party gave one. A link used, expired or revoked is not sent."""
    now = timezone.now()
    inv = (
        AgentInvitation.objects.select_related(
            "agent__party__case__court", "agent__party__case__org"
        )
        .filter(pk=invitation_id, accepted_at__isnull=True, expires_at__gt=now)
        .filter(agent__revoked_at__isnull=True)
        .first()
    )
    if inv is None:
        return []
    party = inv.agent.party
    case = party.case
    return _send_link(
        case,
        party,
        key="case.agent_invitation",
        link=site_link("cases:agent_invitation", agent_link_token(inv)),
        expires_at=inv.expires_at,
        extra={"agent_name": inv.name, "scope": inv.agent.get_scope_display()},
        addresses=(inv.phone, inv.email),
        now=now,
        event="delivery.agent_invitation_sent",
        summary=inv.name,
        changes={"party": party.pk, "agent": inv.agent_id},
    )


def _send_link(
    case: Case,
    party: Party,
    *,
    key: str,
    link: str,
    expires_at: dt.datetime,
    extra: dict[str, Any] | None = None,
    addresses: tuple[str, str],
    now: dt.datetime,
    event: str,
    summary: str,
    changes: dict[str, Any],
) -> list[Delivery]:
    """An invitation link by SMS to the phone and by e-mail to the address, where given;
    audited with the channels it went by. The message names the case, the link and the day
    it expires."""
    phone, email = addresses
    context = {
        **base_context(case, party),
        **(extra or {}),
        "invitation_link": link,
        "until": messages.local_time(expires_at)[:10],
    }
    queued = enqueue_each(
        [(c, a, None) for c, a in ((Channel.SMS, phone), (Channel.EMAIL, email)) if a],
        purpose=Delivery.Purpose.NOTIFICATION,
        key=key,
        context=context,
        language=settings.LANGUAGE_CODE,
        now=now,
        case=case,
    )
    sent = [d for d in queued if d is not None]
    record(
        "system",
        event,
        case,
        summary=summary,
        changes={**changes, "channels": [d.channel for d in sent]},
    )
    kick()
    return sent
