"""Who sees which figures: a scope is visible to a person whose own scope contains it — the
national supervisor and the national IP office everything, a provincial or municipal IP
office its region (and the courts, organisations and mediators in it), a court itself and
the organisations and mediators who work on its cases, an organisation itself and its
mediators, a mediator their own file. Anyone else gets 404 (core.errors.NotFound)."""

from __future__ import annotations

from typing import Any

from sutiao.accounts.models import Membership
from sutiao.accounts.roles import Role
from sutiao.cases.models import Case
from sutiao.core.errors import NotFound
from sutiao.roster.models import Mediator

from .scopes import Scope

STAFF_ROLES = {
    Role.NATIONAL_SUPERVISOR,
    Role.IP_OFFICE_STAFF,
    Role.COURT_CLERK,
    Role.JUDGE,
    Role.ORG_ADMIN,
}


def own_scopes(user: Any) -> list[Scope]:
    """The scopes a person's memberships give, widest first."""
    if not user.is_authenticated:
        return []
    if (
        user.is_superuser
        or Membership.objects.filter(
            user=user, active=True, role__in=[Role.NATIONAL_SUPERVISOR, Role.PLATFORM_ADMIN]
        ).exists()
    ):
        return [Scope("nation")]
    found: list[Scope] = []
    rows = Membership.objects.filter(user=user, active=True, role__in=STAFF_ROLES)
    for m in rows.select_related("ip_office__region", "court", "org"):
        if m.ip_office_id:
            found.append(Scope("office", str(m.ip_office_id), m.ip_office))
        elif m.court_id:
            found.append(Scope("court", str(m.court_id), m.court))
        elif m.org_id:
            found.append(Scope("org", str(m.org_id), m.org))
    mediator = Mediator.objects.filter(user=user).first()
    if mediator:
        found.append(Scope("mediator", str(mediator.pk), mediator))
    return sorted(set(found), key=lambda s: s.region_level != "nation")


def _region_of(scope: Scope) -> str:
    """The region code that places a scope (a court's, an organisation's, a mediator's)."""
    if scope.level in {"province", "city"}:
        return scope.key
    if scope.level == "office":
        return scope.region_code
    return getattr(scope.obj, "region_id", "") or ""


def contains(outer: Scope, inner: Scope) -> bool:
    level = outer.region_level
    if level == "nation":
        return True
    if level in {"province", "city"}:
        prefix = outer.region_code[: 2 if level == "province" else 4]
        if inner.level == "nation" or inner.region_level == "nation":
            return False
        if (
            inner.level == "mediator"
            and inner.obj.orgs.filter(region__code__startswith=prefix).exists()
        ):
            return True
        return _region_of(inner).startswith(prefix)
    if outer == inner or (outer.level, outer.key) == (inner.level, inner.key):
        return True
    if outer.level == "org" and inner.level == "mediator":
        return inner.obj.orgs.filter(pk=int(outer.key)).exists()
    if outer.level == "court" and inner.level in {"org", "mediator"}:
        return Case.objects.filter(court_id=int(outer.key), **{inner.level: inner.obj}).exists()
    return False


def can_view(user: Any, scope: Scope) -> bool:
    return any(contains(own, scope) for own in own_scopes(user))


def require_view(user: Any, scope: Scope | None) -> Scope:
    if scope is None or not can_view(user, scope):
        raise NotFound()
    return scope


# Scoring schemes, complaints, commendations and warnings ---------------------------------


def owners_for(user: Any, scope: Scope) -> list[Any]:
    """The IP offices and courts this person works for whose own scope contains `scope`:
    those on whose behalf they may record a commendation or warning there, and whose
    scoring schemes are shown on its performance file to them."""
    from sutiao.accounts.policies import signed_in
    from sutiao.institutions.models import Court, IPOffice

    if not signed_in(user):
        return []
    found: list[Any] = []
    for office in IPOffice.objects.filter(pk__in=user.ip_office_ids()):
        if contains(Scope("office", str(office.pk), office), scope):
            found.append(office)
    for court in Court.objects.filter(pk__in=user.court_ids(Role.COURT_CLERK, Role.JUDGE)):
        if contains(Scope("court", str(court.pk), court), scope):
            found.append(court)
    return found


def decides_complaint(user: Any, complaint: Any) -> bool:
    """The staff of the case's court, or of an IP office whose region holds the case's
    organisation (the staff with business with it), decide a complaint."""
    from sutiao.accounts.policies import signed_in

    if not signed_in(user):
        return False
    case = complaint.case
    if case.court_id and case.court_id in user.court_ids(Role.COURT_CLERK, Role.JUDGE):
        return True
    if case.org_id is None:
        return False
    org = Scope("org", str(case.org_id), case.org)
    return any(o.level == "office" and contains(o, org) for o in own_scopes(user))


def sees_complaint(user: Any, complaint: Any) -> bool:
    return complaint.filed_by_id == getattr(user, "pk", None) or decides_complaint(user, complaint)
