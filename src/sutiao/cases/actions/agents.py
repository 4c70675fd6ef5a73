"""Agents (委托诉讼代理人, CPL 61–62): a party names a person to act for it in one case, with
a power of attorney (a PDF through the hostile-upload checks) and its scope; the party may
revoke it. The agent is the platform account the party identifies by its real name and mobile
phone together, or, when no single account has both, a person invited by a link to register
and join (`agent_invitations`); it then sees and acts on that case only, within the scope
(`policies.may_settle_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.identity import validate_phone
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import crypto, outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound

from ..choices import PartyRole, State
from ..errors import CaseError
from ..models import Agent, Case, CaseFile, Party
from ..policies import case_roles, may_name_agent
from ._steps import _event, _locked, _now
from .agent_invitations import _agent_fact, invite_agent
from .files import _store_file

LICENSED = {Agent.Kind.LAWYER, Agent.Kind.LEGAL_WORKER}


@dataclass
class AgentIn:
    name: str
    phone: str
    kind: str
    scope: str
    licence_number: str = ""
    firm: str = ""
    relationship: str = ""
    email: str = ""  # where an invitation also goes, for an agent without an account


def _party_of(actor: User, case: Case, party: Party) -> Party:
    """The party, locked with its case; 404 for a stranger, 403 for anyone but the party."""
    if party.case_id != case.pk or not case_roles(actor, case):
        raise NotFound()
    party = Party.objects.select_related("case").get(pk=party.pk)
    if not may_name_agent(actor, party):
        raise Forbidden(
            _("Only the party itself names or revokes its agent, while the case is open."),
            code=CaseError.AGENT_NOT_YOURS,
        )
    return party


def _checked(data: AgentIn, errors: dict[str, list[str]]) -> AgentIn:
    if not (data.name or "").strip():
        errors["name"] = [_("Enter the agent's real name.")]
    try:
        data.phone = validate_phone(data.phone or "")
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    return _checked_authority(data, errors)


def authority_errors(data: AgentIn) -> dict[str, list[str]]:
    """What is wrong with who the agent is and the scope (for a form to show first)."""
    errors: dict[str, list[str]] = {}
    _checked_authority(data, errors)
    return errors


def _checked_authority(data: AgentIn, errors: dict[str, list[str]]) -> AgentIn:
    """Who the agent is (CPL 61) and the scope (CPL 62), with what each kind must show."""
    if data.kind not in Agent.Kind.values:
        errors["kind"] = [_("Choose who the agent is.")]
    if data.scope not in Agent.Scope.values:
        errors["scope"] = [_("Choose the scope of the power of attorney.")]
    if data.kind in LICENSED:
        if not data.licence_number.strip():
            errors["licence_number"] = [_("Enter the agent's practising licence number.")]
        if not data.firm.strip():
            errors["firm"] = [_("Enter the law firm or legal service office.")]
    elif data.kind in Agent.Kind.values and not data.relationship.strip():
        errors["relationship"] = [
            _(
                "Say how the agent is related to the party, or which community, unit or "
                "organisation recommends them (CPL 61)."
            )
        ]
    return data


def _agent_user(
    case: Case, party: Party, data: AgentIn, errors: dict[str, list[str]]
) -> User | None:
    """The account of the agent: real name and mobile phone must both match one account;
    None when none (or more than one) does: the agent is then invited by a link."""
    matches = list(
        User.objects.filter(
            phone_hash=crypto.lookup_hash(data.phone),
            real_name=data.name.strip(),
            is_active=True,
        )[:2]
    )
    if len(matches) != 1:
        return None
    user = matches[0]
    if user.pk == party.user_id:
        errors["name"] = [_("You cannot name yourself as your own agent.")]
    for other in case.parties.all():
        if (
            other.pk != party.pk
            and other.role != party.role
            and user.pk
            in (
                other.user_id,
                other.agent_id,
            )
        ):
            errors["name"] = [_("This person acts for the other side of the case.")]
    return user


def _power_of_attorney(actor: User, case: Case, party: Party, upload: File | None) -> CaseFile:
    """The signed power of attorney: a PDF, through the same checks as every upload."""
    if upload is None:
        raise Invalid(
            _("Upload the signed power of attorney (PDF)."),
            fields={"power_of_attorney": [_("Upload the signed power of attorney (PDF).")]},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        message = _("The power of attorney must be a PDF file.")
        raise Invalid(
            message, code=CaseError.FILE_TYPE_REFUSED, fields={"power_of_attorney": [message]}
        )
    try:
        return _store_file(actor, case, upload, CaseFile.Kind.POWER_OF_ATTORNEY, party)
    except Invalid as exc:  # a refused file (hostile content, wrong type): said at its field
        raise Invalid(
            exc.message, code=exc.code, fields={"power_of_attorney": [exc.message]}
        ) from None


@transaction.atomic
def name_agent(
    *,
    actor: User,
    case: Case,
    party: Party,
    data: AgentIn,
    power_of_attorney: File | None,
    at: datetime | None = None,
) -> Agent:
    """The party names its agent; an agent acting before is revoked by the new one."""
    at = _now(at)
    case = _locked(case.pk)
    party = _party_of(actor, case, party)
    errors: dict[str, list[str]] = {}
    data = _checked(data, errors)
    user = _agent_user(case, party, data, errors) if "phone" not in errors else None
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    poa = _power_of_attorney(actor, case, party, power_of_attorney)
    agent = _acting(actor, case, party, user, data, poa, at)
    if user is None:
        invite_agent(agent, name=data.name, phone=data.phone, email=data.email, at=at)
    return agent


def _acting(
    actor: User,
    case: Case,
    party: Party,
    user: User | None,
    data: AgentIn,
    poa: CaseFile,
    at: datetime,
) -> Agent:
    """`user` acts for `party` from now on, revoking the agent acting before (None: the
    agent is invited and acts once joined)."""
    replaced = Agent.objects.filter(party=party, revoked_at__isnull=True)
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(revoked_at=at, revoked_by=actor)
    agent = Agent.objects.create(
        party=party,
        user=user,
        kind=data.kind,
        scope=data.scope,
        licence_number=data.licence_number.strip(),
        firm=data.firm.strip(),
        relationship=data.relationship.strip(),
        power_of_attorney=poa,
        named_by=actor,
        named_at=at,
    )
    party.agent = user
    party.save(update_fields=["agent"])
    who = user.display_name if user else data.name.strip()
    summary = f"{party.name}: {who} · {agent.get_scope_display()}"
    _event(
        case,
        actor,
        "agent_named",
        at=at,
        summary=summary,
        party=party.pk,
        agent=agent.pk,
        scope=agent.scope,
        replaced=replaced_ids,
    )
    record(
        actor,
        "case.agent_named",
        case,
        summary=summary,
        changes={
            "party": party.pk,
            "agent": agent.pk,
            "kind": agent.kind,
            "scope": agent.scope,
            "power_of_attorney": poa.pk,
            "replaced": replaced_ids,
        },
    )
    outbox.emit(
        "case.agent_named",
        {"case": case.pk, "party": party.pk, "user": user.pk if user else None, "agent": agent.pk},
    )
    return agent


@transaction.atomic
def declare_agency(
    *, actor: User, case: Case, data: AgentIn, power_of_attorney: File | None
) -> Agent:
    """An agent who applies for its party (`apply_for_mediation(as_agent=True)`) records the
    power of attorney it holds and its scope, while the application is a draft."""
    at = _now(None)
    case = _locked(case.pk)
    party = case.parties.filter(role=PartyRole.APPLICANT, agent=actor).first()
    if party is None:
        raise NotFound()
    if case.state != State.DRAFT or party.agents.filter(revoked_at__isnull=True).exists():
        raise Conflict(
            _("The power of attorney of this application is recorded already."),
            code=CaseError.AGENT_NOT_YOURS,
        )
    errors: dict[str, list[str]] = {}
    data = _checked_authority(data, errors)
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    poa = _power_of_attorney(actor, case, party, power_of_attorney)
    return _acting(actor, case, party, actor, data, poa, at)


@transaction.atomic
def revoke_agent(*, actor: User, case: Case, agent: Agent, at: datetime | None = None) -> Agent:
    """The party revokes its agent (CPL 64 asks it to tell the court: the timeline does)."""
    at = _now(at)
    case = _locked(case.pk)
    agent = Agent.objects.select_related("party", "user").get(pk=agent.pk)
    party = _party_of(actor, case, agent.party)
    if agent.revoked_at is not None:
        raise Conflict(_("This agent was revoked already."), code=CaseError.AGENT_REVOKED)
    agent.revoked_at, agent.revoked_by = at, actor
    agent.save(update_fields=["revoked_at", "revoked_by"])
    if party.agent_id == agent.user_id:
        party.agent = None
        party.save(update_fields=["agent"])
    summary = f"{party.name}: {agent.display_name}"
    _agent_fact(
        case,
        actor,
        "agent_revoked",
        at=at,
        summary=summary,
        party=party,
        agent=agent,
        notice={"user": agent.user_id},
    )
    return agent
