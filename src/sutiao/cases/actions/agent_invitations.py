"""Inviting an agent who has no account (CPL 61): the party names the agent by real name and
mobile phone; when no single account has both, the agent is recorded as invited and a link
with a one-time token (hash kept, encrypted for the messages) goes by SMS, and e-mail where
given. Whoever opens it, logs in with a verified identity (OLR 7) of that real name, becomes
the agent within the scope the party gave; the phone number alone never makes anyone one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import crypto, outbox
from sutiao.core.errors import Conflict, NotFound

from ..errors import CaseError
from ..models import Agent, AgentInvitation, Case, Party
from ._steps import _event, _locked, _now


def _hash(token: str) -> str:
    return hashlib.sha256(f"sutiao.agent-invitation:{token}".encode()).hexdigest()


def agent_link_token(invitation: AgentInvitation) -> str:
    """The token the messages carry (delivery builds the link from it)."""
    return crypto.decrypt(invitation.token_cipher)


def invite_agent(
    agent: Agent, *, name: str, phone: str, email: str, at: datetime
) -> AgentInvitation:
    """In `name_agent`'s transaction: the link for an agent without an account."""
    token = secrets.token_urlsafe(24)
    invitation = AgentInvitation.objects.create(
        agent=agent,
        name=name.strip(),
        phone=phone,
        email=email.strip(),
        token_hash=_hash(token),
        token_cipher=crypto.encrypt(token),
        created_at=at,
        expires_at=at + timedelta(days=settings.INVITATION_VALID_DAYS),
        channels=["sms", "email"] if email.strip() else ["sms"],
    )
    outbox.emit("case.agent_invited", {"invitation": invitation.pk, "case": agent.party.case_id})
    return invitation


def agent_invitation_for(token: str, *, at: datetime | None = None) -> AgentInvitation:
    """The live invitation of a link, or NotFound: unknown, used, expired or revoked look
    alike (a link tells a stranger nothing)."""
    found = (
        AgentInvitation.objects.select_related("agent__party__case")
        .filter(
            token_hash=_hash(token or ""),
            accepted_at__isnull=True,
            expires_at__gt=_now(at),
            agent__revoked_at__isnull=True,
            agent__user__isnull=True,
        )
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _may_join(actor: User, invitation: AgentInvitation, party: Party) -> None:
    if (actor.real_name or "").strip() != invitation.name:
        raise Conflict(
            _(
                "Your verified name is not the one the party gave for its agent. Ask the "
                "party to name you again with the name of your account."
            ),
            code=CaseError.INVITATION_OTHER_PERSON,
        )
    others = Party.objects.filter(case_id=party.case_id).exclude(pk=party.pk)
    if actor.pk == party.user_id or any(
        actor.pk in (o.user_id, o.agent_id) for o in others if o.role != party.role
    ):
        raise Conflict(
            _("You are a party of this case, or act for its other side."),
            code=CaseError.INVITATION_OTHER_PERSON,
        )


@transaction.atomic
def accept_agent_invitation(*, actor: User, token: str, at: datetime | None = None) -> Agent:
    """The invited agent, logged in with a verified identity of the name given, joins."""
    at = _now(at)
    invitation = agent_invitation_for(token, at=at)
    require_verified(actor)
    case = _locked(invitation.agent.party.case_id)
    agent = Agent.objects.select_for_update().get(pk=invitation.agent_id)
    party = Party.objects.select_for_update().get(pk=agent.party_id)
    if agent.revoked_at is not None or agent.user_id is not None:
        raise NotFound()
    _may_join(actor, invitation, party)
    agent.user = actor
    agent.save(update_fields=["user"])
    party.agent = actor
    party.save(update_fields=["agent"])
    invitation.accepted_at = at
    invitation.save(update_fields=["accepted_at"])
    summary = f"{party.name}: {actor.display_name} · {agent.get_scope_display()}"
    _agent_fact(case, actor, "agent_joined", at=at, summary=summary, party=party, agent=agent)
    return agent


def _agent_fact(
    case: Case,
    actor: User,
    kind: str,
    *,
    at: datetime,
    summary: str,
    party: Party,
    agent: Agent,
    notice: dict | None = None,
) -> None:
    """An agent joined or left a party: the timeline, the audit log and the outbox (`case.`
    and `kind`) say so; the outbox names the agent row unless `notice` says what it tells."""
    _event(case, actor, kind, at=at, summary=summary, party=party.pk, agent=agent.pk)
    record(
        actor,
        f"case.{kind}",
        case,
        summary=summary,
        changes={"party": party.pk, "agent": agent.pk},
    )
    outbox.emit(
        f"case.{kind}",
        {"case": case.pk, "party": party.pk, **(notice or {"agent": agent.pk})},
    )
