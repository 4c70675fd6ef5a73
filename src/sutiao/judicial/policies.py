"""Who may see an application, a ruling or a mediation document: the parties of the case
(and their agents), the judges and clerks of the court concerned."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sutiao.accounts.roles import Role
from sutiao.cases.policies import case_roles, parties_of
from sutiao.core.policy import rule

from .models import ConfirmationApplication, MediationDocument

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def application_roles(user: User | None, app: ConfirmationApplication) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    roles: set[str] = set()
    if parties_of(user, app.case):
        roles.add("party")
    if app.state != "draft":
        if app.court_id in user.court_ids(Role.JUDGE):
            roles.add("judge")
        if app.court_id in user.court_ids(Role.COURT_CLERK):
            roles.add("court_clerk")
    if "mediator" in case_roles(user, app.case) or "org_admin" in case_roles(user, app.case):
        roles.add("mediation")  # sees the outcome of its mediation
    return roles


@rule(ConfirmationApplication, "view")
def can_view(user: User, app: ConfirmationApplication) -> bool:
    return bool(application_roles(user, app))


def document_roles(user: User, md: MediationDocument) -> set[str]:
    roles: set[str] = set()
    if parties_of(user, md.case):
        roles.add("party")
    if md.case.court_id in user.court_ids(Role.JUDGE, Role.COURT_CLERK):
        roles.add("court")
    if case_roles(user, md.case) & {"mediator", "org_admin"}:
        roles.add("mediation")
    return roles


@rule(MediationDocument, "view")
def can_view_document(user: User, md: MediationDocument) -> bool:
    return bool(document_roles(user, md))
