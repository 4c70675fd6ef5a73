"""Who may see and manage courts, IP offices and organisations.

Institutions themselves are public; their staff lists and settings are private facets
(hidden rules: a stranger gets 404).
"""

from __future__ import annotations

from sutiao.accounts.policies import is_platform_admin
from sutiao.accounts.roles import Role
from sutiao.core.policy import public, rule

from .models import Court, IPOffice, MediationOrg


@rule(Court, "view")
@public
def can_view_court(user, court: Court) -> bool:
    return True


@rule(Court, "view_staff", hidden=True)
def can_view_court_staff(user, court: Court) -> bool:
    return is_platform_admin(user) or court.pk in user.court_ids()


@rule(Court, "manage_settings", hidden=True)
def can_manage_court_settings(user, court: Court) -> bool:
    return is_platform_admin(user) or court.pk in user.court_ids(Role.COURT_CLERK)


@rule(IPOffice, "view")
@public
def can_view_ip_office(user, office: IPOffice) -> bool:
    return True


def _office_chain_ids(office: IPOffice) -> set[int]:
    ids, node = set(), office
    while node is not None:
        ids.add(node.pk)
        node = node.parent
    return ids


@rule(IPOffice, "view_staff", hidden=True)
def can_view_office_staff(user, office: IPOffice) -> bool:
    # Staff of the office itself or of an office above it.
    return is_platform_admin(user) or bool(_office_chain_ids(office) & user.ip_office_ids())


@rule(MediationOrg, "view")
@public
def can_view_org(user, org: MediationOrg) -> bool:
    return org.active or (user.is_authenticated and can_manage_org(user, org))


def offices_covering(user, region) -> bool:
    return any(
        m.ip_office.covers(region)
        for m in user.active_memberships
        if m.role == Role.IP_OFFICE_STAFF and m.ip_office_id
    )


@rule(MediationOrg, "manage")
def can_manage_org(user, org: MediationOrg) -> bool:
    return (
        is_platform_admin(user)
        or org.pk in user.org_ids(Role.ORG_ADMIN)
        or offices_covering(user, org.region)
    )


@rule(MediationOrg, "view_staff", hidden=True)
def can_view_org_staff(user, org: MediationOrg) -> bool:
    return can_manage_org(user, org)
