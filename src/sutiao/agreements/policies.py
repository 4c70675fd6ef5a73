"""Who may see an agreement and take its steps: those with business in the case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import case_roles, settling_parties
from sutiao.core.policy import rule

from .models import Agreement

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def roles(user: User, agreement: Agreement) -> set[str]:
    return case_roles(user, agreement.case)


@rule(Agreement, "view")
def can_view(user: User, agreement: Agreement) -> bool:
    r = roles(user, agreement)
    if agreement.state == Agreement.State.DRAFT and not agreement.offline:
        return bool(r & {"mediator", "org_admin"})  # a draft is the mediator's work
    # One a party recorded offline waits for the other party: the parties see it.
    return bool(r)


@rule(Agreement, "edit")
def can_edit(user: User, agreement: Agreement) -> bool:
    return (
        "mediator" in roles(user, agreement)
        and agreement.state == Agreement.State.DRAFT
        and agreement.case.state in {CaseState.MEDIATING, CaseState.PAUSED}
    )


def may_draft(user: User, case: Case) -> bool:
    return "mediator" in case_roles(user, case) and case.state == CaseState.MEDIATING


def signing_parties(user: User, agreement: Agreement) -> list[Party]:
    """The parties `user` signs for: itself, or as their agent with special authorisation
    (CPL 62; an agent with a general authorisation does not sign)."""
    return settling_parties(user, agreement.case)
