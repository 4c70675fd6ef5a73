"""Who may see and manage courts, IP offices and organisations.

Institutions themselves are public; their staff lists and settings are private facets
(hidden rules: a stranger gets 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sutiao.accounts.policies import AnyUser, is_platform_admin, signed_in
from sutiao.accounts.roles import Role
from sutiao.core.policy import open_to_all, public, rule

from .models import Court, IPOffice, MediationOrg, Region

if TYPE_CHECKING:
    from sutiao.accounts.models import User


open_to_all(Court, "view")


@rule(Court, "view_staff", hidden=True)
def can_view_court_staff(user: User, court: Court) -> bool:
    return is_platform_admin(user) or court.pk in user.court_ids()


@rule(Court, "manage_settings", hidden=True)
def can_manage_court_settings(user: User, court: Court) -> bool:
    return is_platform_admin(user) or court.pk in user.court_ids(Role.COURT_CLERK)


open_to_all(IPOffice, "view")


def office_chain_ids(office: IPOffice) -> set[int]:
    """The office and the offices above it."""
    ids: set[int] = set()
    node: IPOffice | None = office
    while node is not None:
        ids.add(node.pk)
        node = node.parent
    return ids


@rule(IPOffice, "view_staff", hidden=True)
def can_view_office_staff(user: User, office: IPOffice) -> bool:
    # Staff of the office itself or of an office above it.
    return is_platform_admin(user) or bool(office_chain_ids(office) & user.ip_office_ids())


@rule(MediationOrg, "view")
@public
def can_view_org(user: AnyUser, org: MediationOrg) -> bool:
    return org.active or (signed_in(user) and can_manage_org(user, org))


def ip_offices_of(user: User) -> list[IPOffice]:
    """The IP offices the user works in as their staff."""
    return [
        m.ip_office
        for m in user.active_memberships
        if m.role == Role.IP_OFFICE_STAFF and m.ip_office_id and m.ip_office is not None
    ]


def offices_covering(user: User, region: Region | None) -> bool:
    return any(office.covers(region) for office in ip_offices_of(user))


@rule(MediationOrg, "manage")
def can_manage_org(user: User, org: MediationOrg) -> bool:
    return (
        is_platform_admin(user)
        or org.pk in user.org_ids(Role.ORG_ADMIN)
        or offices_covering(user, org.region)
    )


@rule(MediationOrg, "view_staff", hidden=True)
def can_view_org_staff(user: User, org: MediationOrg) -> bool:
    return can_manage_org(user, org)
