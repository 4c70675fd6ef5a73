"""Who may see a case and take its steps: only the people who have business with it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.core.policy import rule

from .choices import PartyRole, State
from .models import Agent, Case, CaseFile, FiledCase, Message, Party, Transcript


def case_roles(user: User | AnonymousUser | str | None, case: Case) -> set[str]:
    """The roles `user` holds in this one case (see lifecycle's docstring)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    cached = getattr(case, "_roles_cache", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    roles: set[str] = set()
    for party in case.parties.all():
        if user.pk in (party.user_id, party.agent_id):
            roles.add("party")
            if party.role == PartyRole.APPLICANT:
                roles.add("applicant")
    if case.state != State.DRAFT:
        if case.court_id and case.court_id in user.court_ids(Role.COURT_CLERK):
            roles.add("court_clerk")
        if case.court_id and case.court_id in user.court_ids(Role.JUDGE):
            roles.add("judge")
        if case.org_id and case.org_id in user.org_ids(Role.ORG_ADMIN):
            roles.add("org_admin")
        if case.mediator_id and case.mediator and case.mediator.user_id == user.pk:
            roles.add("mediator")
    case._roles_cache = (user.pk, roles)
    return roles


def parties_of(user: User, case: Case) -> list[Party]:
    return [p for p in case.parties.all() if user.pk in (p.user_id, p.agent_id)]


def acting_agent(party: Party) -> Agent | None:
    """The agent acting for `party` now, with the scope of the power of attorney."""
    if party.agent_id is None:
        return None
    return (
        Agent.objects.filter(party=party, user_id=party.agent_id, revoked_at__isnull=True)
        .order_by("-named_at")
        .first()
    )


def may_settle_for(user: User, party: Party) -> bool:
    """CPL 62, CPL-I 89: the party itself, or an agent with special authorisation, settles
    (signs an agreement, records or confirms one reached offline); an agent with a general
    authorisation acts on everything else."""
    if party.user_id == user.pk:
        return True
    if party.agent_id != user.pk:
        return False
    agent = acting_agent(party)
    return agent is not None and agent.special


def settling_parties(user: User, case: Case) -> list[Party]:
    """The parties `user` may settle for."""
    return [p for p in parties_of(user, case) if may_settle_for(user, p)]


def lacks_special_authority(user: User, case: Case) -> list[Party]:
    """The parties `user` acts for as an agent without the authority to settle."""
    return [p for p in parties_of(user, case) if not may_settle_for(user, p)]


def may_name_agent(user: User, party: Party) -> bool:
    """The party itself names and revokes its agents (CPL 61–62); an agent does not appoint
    another. Only while the case is open."""
    return party.user_id == user.pk and party.case.state in {
        State.DRAFT,
        State.SUBMITTED,
        State.AWAITING_ACCEPTANCE,
        State.MEDIATING,
        State.PAUSED,
        State.SETTLED,
    }


@rule(Case, "view")
def can_view_case(user: User, case: Case) -> bool:
    return bool(case_roles(user, case))


@rule(Case, "edit_draft")
def can_edit_draft(user: User, case: Case) -> bool:
    return case.state == State.DRAFT and "applicant" in case_roles(user, case)


@rule(Case, "upload")
def can_upload(user: User, case: Case) -> bool:
    roles = case_roles(user, case)
    if "party" in roles:
        return case.state in {
            State.DRAFT,
            State.SUBMITTED,
            State.AWAITING_ACCEPTANCE,
            State.MEDIATING,
            State.PAUSED,
        }
    return bool(roles & {"mediator", "court_clerk", "judge"})


@rule(Case, "mediate")
def can_mediate(user: User, case: Case) -> bool:
    """Record sessions, transcripts, identity checks, disclosures."""
    return "mediator" in case_roles(user, case) and case.state in {
        State.MEDIATING,
        State.PAUSED,
        State.AWAITING_ACCEPTANCE,
    }


@rule(Case, "post_message")
def can_post_message(user: User, case: Case) -> bool:
    roles = case_roles(user, case)
    return bool(roles & {"party", "mediator"}) and case.state in {
        State.AWAITING_ACCEPTANCE,
        State.MEDIATING,
        State.PAUSED,
    }


def visible_message(user: User, message: Message) -> bool:
    """Everyone in the case reads the open thread; a caucus is for its party and the mediator."""
    roles = case_roles(user, message.case)
    if message.caucus_party_id is None:
        return bool(roles & {"party", "mediator", "org_admin"})
    if "mediator" in roles:
        return True
    return any(p.pk == message.caucus_party_id for p in parties_of(user, message.case))


@rule(CaseFile, "view")
def can_view_file(user: User, f: CaseFile) -> bool:
    return can_view_case(user, f.case)


@rule(Transcript, "confirm")
def can_confirm_transcript(user: User, t: Transcript) -> bool:
    return "party" in case_roles(user, t.case)


@rule(FiledCase, "view")
def can_view_filed_case(user: User, fc: FiledCase) -> bool:
    """A filed case is the court's: its clerks and judges see it (others: 404)."""
    return fc.court_id in user.court_ids(Role.COURT_CLERK, Role.JUDGE)


@rule(FiledCase, "entrust", hidden=True)
def can_entrust(user: User, fc: FiledCase) -> bool:
    """The judges of its court entrust it to mediation; to anyone else it does not exist."""
    return fc.court_id in user.court_ids(Role.JUDGE)
