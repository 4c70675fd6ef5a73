"""Who may see and change mediators, recommendations and court rosters.

- IP office staff maintain the organisations and mediators of their office's region and below
  (the national office: all), and recommend them to courts.
- A court's clerks admit recommended ones to that court's roster, and warn, publish notices
  and remove; no one else's roster.
- The roster is public; a mediator not (or no longer) on any roster is visible only to those
  who maintain them, and to the mediator.
"""

from __future__ import annotations

from sutiao.accounts.models import User
from sutiao.accounts.policies import AnyUser, is_platform_admin, signed_in
from sutiao.accounts.roles import Role
from sutiao.core.policy import open_to_all, public, rule
from sutiao.institutions.models import Court, IPOffice, MediationOrg, Region
from sutiao.institutions.policies import ip_offices_of, office_chain_ids, offices_covering

from .models import ImportJob, Mediator, Recommendation, RosterEntry


def offices_of(user: AnyUser) -> list[IPOffice]:
    if not signed_in(user):
        return []
    return ip_offices_of(user)


def covers(user: User, region: Region | None) -> bool:
    """The user may maintain records of this region (their office's region and below)."""
    return is_platform_admin(user) or offices_covering(user, region)


def office_may_recommend_to(office: IPOffice, court: Court) -> bool:
    """A court with IP jurisdiction over (part of) the office's area."""
    if not court.active or not court.has_ip_jurisdiction:
        return False
    if office.level == IPOffice.Level.NATIONAL:
        return True
    return office.covers(court.region) or court.region.contains(office.region)


def _on_a_roster(mediator: Mediator) -> bool:
    return mediator.roster_entries.filter(status=RosterEntry.Status.ADMITTED).exists()


@rule(Mediator, "view")
@public
def can_view_mediator(user: AnyUser, mediator: Mediator) -> bool:
    if mediator.status == Mediator.Status.ACTIVE and _on_a_roster(mediator):
        return True
    if not signed_in(user):
        return False
    return mediator.user_id == user.pk or can_manage_mediator(user, mediator)


@rule(Mediator, "manage")
def can_manage_mediator(user: User, mediator: Mediator) -> bool:
    return covers(user, mediator.region)


@rule(Mediator, "recommend")
def can_recommend_mediator(user: User, mediator: Mediator) -> bool:
    return (
        bool(offices_of(user))
        and offices_covering(user, mediator.region)
        and mediator.status == Mediator.Status.ACTIVE
    )


@rule(MediationOrg, "recommend")
def can_recommend_org(user: User, org: MediationOrg) -> bool:
    return offices_covering(user, org.region) and org.active


@rule(Recommendation, "view")
def can_view_recommendation(user: User, rec: Recommendation) -> bool:
    return (
        is_platform_admin(user)
        or rec.court_id in user.court_ids()
        or bool(office_chain_ids(rec.office) & user.ip_office_ids())
    )


@rule(Recommendation, "decide")
def can_decide_recommendation(user: User, rec: Recommendation) -> bool:
    return is_platform_admin(user) or rec.court_id in user.court_ids(Role.COURT_CLERK)


open_to_all(RosterEntry, "view")


@rule(RosterEntry, "manage")
def can_manage_entry(user: User, entry: RosterEntry) -> bool:
    return is_platform_admin(user) or entry.court_id in user.court_ids(Role.COURT_CLERK)


@rule(Court, "manage_roster", hidden=True)
def can_manage_court_roster(user: User, court: Court) -> bool:
    return is_platform_admin(user) or court.pk in user.court_ids(Role.COURT_CLERK)


@rule(ImportJob, "view", hidden=True)
def can_view_import(user: User, job: ImportJob) -> bool:
    return is_platform_admin(user) or job.created_by_id == user.pk


def may_import(user: AnyUser) -> bool:
    return signed_in(user) and (is_platform_admin(user) or bool(offices_of(user)))
