"""Who may serve, see a service and its proof, record paper service, change addresses."""

from __future__ import annotations

from typing import Any, Literal

from django.apps import apps

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import case_roles
from sutiao.core.policy import rule

from .models import InboxItem, Service

# Who acts in delivery: a person, or the platform itself (None or "system": the worker and
# the flows that serve on their own, e.g. an agreement that took effect).
Actor = User | Literal["system"] | None

STAFF = {"court_clerk", "judge", "mediator", "org_admin"}
COURT = {"court_clerk", "judge"}


def is_system(actor: Actor) -> bool:
    return actor is None or actor == "system"


def represents(user: Any, party: Party) -> bool:
    """The party itself or its agent: who receives what is served on the party."""
    return bool(user and user.is_authenticated and user.pk in (party.user_id, party.agent_id))


def courts_of(case: Case) -> list[int]:
    """The courts with business in a case: its own, and a court its agreement was taken to
    for judicial confirmation (RULES §7: not always the case's court), whose rulings are
    served here too. The case's own court first."""
    courts = [case.court_id] if case.court_id else []
    if apps.is_installed("sutiao.judicial") and hasattr(case, "confirmation_applications"):
        for court_id in case.confirmation_applications.values_list("court_id", flat=True):
            if court_id not in courts:
                courts.append(court_id)
    return courts


def court_staff(user: Any, case: Case) -> bool:
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    mine = user.court_ids(Role.JUDGE, Role.COURT_CLERK)
    return bool(mine) and any(c in mine for c in courts_of(case))


def is_staff(user: Any, case: Case) -> bool:
    """Court staff, the case's mediator and organisation: they see every service of it."""
    return bool(case_roles(user, case) & STAFF) or court_staff(user, case)


def may_serve(actor: Actor, case: Case, kind: str) -> bool:
    """Court staff and the case's mediator or organisation serve; an agreement is also served
    by the platform when its last signature (a party's) makes it take effect (RULES §6)."""
    if is_system(actor):
        return True
    if is_staff(actor, case):
        return True
    return kind == "agreement" and "party" in case_roles(actor, case)


def service_roles(user: Actor, service: Service) -> set[str]:
    """The roles `user` holds towards one service (delivery/lifecycle.py's docstring)."""
    if is_system(user):
        return {"system"}
    roles = case_roles(user, service.case) & {"mediator", "org_admin"}
    if court_staff(user, service.case):
        roles.add("court_staff")
    if represents(user, service.party):
        roles.add("recipient")
    return roles


@rule(Service, "view")
def can_view_service(user: User, service: Service) -> bool:
    return represents(user, service.party) or is_staff(user, service.case)


@rule(Service, "record_paper")
def can_record_paper(user: User, service: Service) -> bool:
    """Court cases are served on paper by the court; direct ones by the organisation."""
    if courts_of(service.case):
        return court_staff(user, service.case)
    return bool(case_roles(user, service.case) & {"mediator", "org_admin"})


@rule(Service, "manage")
def can_manage(user: User, service: Service) -> bool:
    """Send again what could not be served; issue the proof of service."""
    return is_staff(user, service.case)


@rule(Service, "request_paper")
def can_request_paper(user: User, service: Service) -> bool:
    return represents(user, service.party)


@rule(Party, "change_addresses")
def can_change_addresses(user: User, party: Party) -> bool:
    return represents(user, party)


@rule(Party, "record_addresses")
def can_record_addresses(user: User, party: Party) -> bool:
    """A clerk records a confirmation the party signed on paper, or an address it gave."""
    return bool(case_roles(user, party.case) & COURT)


@rule(InboxItem, "view")
def can_view_item(user: User, item: InboxItem) -> bool:
    return item.user_id == user.pk


def paper_scope(user: User) -> dict[str, set[int]]:
    """The courts and organisations whose paper service a user does."""
    return {
        "courts": user.court_ids(Role.COURT_CLERK, Role.JUDGE),
        "orgs": user.org_ids(Role.ORG_ADMIN),
    }
