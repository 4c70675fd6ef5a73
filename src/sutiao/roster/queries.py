"""Reads of the roster, shaped for pages, the API and other domains (cases)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.accounts.policies import is_platform_admin
from sutiao.audit.models import AuditEntry
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from sutiao.institutions.queries import filter_listed, offices_area

from .models import ImportJob, Mediator, Recommendation, RosterEntry
from .policies import office_may_recommend_to, offices_of


def _in_force() -> Q:
    today = timezone.localdate()
    return Q(status=RosterEntry.Status.ADMITTED, term_start__lte=today) & (
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )


def entries_in_force() -> QuerySet[RosterEntry]:
    """Entries on a roster today, of mediators and organisations that are not suspended."""
    return (
        RosterEntry.objects.filter(_in_force())
        .exclude(mediator__status__in=[Mediator.Status.SUSPENDED, Mediator.Status.REMOVED])
        .exclude(org__active=False)
    )


def courts_sharing_roster(court: Court) -> list[Court]:
    """The court and its higher courts: a lower court may use a higher court's roster (SIR 5)."""
    return [court, *court.ancestors()]


@dataclass
class Eligible:
    orgs: QuerySet[MediationOrg]
    mediators: QuerySet[Mediator]


def eligible_for(court: Court) -> Eligible:
    """Organisations and mediators court C may send cases to: on the roster of C or above."""
    entries = entries_in_force().filter(court__in=courts_sharing_roster(court))
    return Eligible(
        orgs=MediationOrg.objects.filter(
            active=True, pk__in=entries.filter(org__isnull=False).values("org_id")
        ),
        mediators=Mediator.objects.filter(
            status=Mediator.Status.ACTIVE,
            pk__in=entries.filter(mediator__isnull=False).values("mediator_id"),
        ),
    )


def eligible_mediator_entries(court: Court) -> QuerySet[RosterEntry]:
    """The entries in force, of active mediators, on the rosters court C may use: the same
    mediators as `eligible_for(court).mediators`, read from the roster's side, so that a
    ranking touches only these entries and not every mediator of the country (issue 20):
    the mediators not active are few, and left out through their own index
    (`roster_mediator_inactive`) instead of a join to every mediator for the status."""
    return RosterEntry.objects.filter(
        _in_force(), court__in=courts_sharing_roster(court), mediator__isnull=False
    ).exclude(mediator_id__in=inactive_mediators())


def inactive_mediators() -> QuerySet[Mediator, Any]:
    """The ids of the mediators who are not active (suspended or removed): few of many."""
    return Mediator.objects.exclude(status=Mediator.Status.ACTIVE).values("pk")


def may_use(
    court: Court, *, mediator: Mediator | None = None, org: MediationOrg | None = None
) -> bool:
    """May court C send a case to this mediator or organisation (its roster or a higher one)?"""
    entries = entries_in_force().filter(court__in=courts_sharing_roster(court))
    if mediator is not None:
        return entries.filter(mediator=mediator).exists()
    return org is not None and entries.filter(org=org).exists()


def invited_by_jurisdiction(mediator: Mediator, courts: Iterable[Court]) -> bool:
    """OMR 9(2): a party may only choose a mediator invited by a court with jurisdiction over
    the dispute. True when one of `courts` (those with jurisdiction) may use the mediator."""
    return any(may_use(court, mediator=mediator) for court in courts)


def inviting_courts(mediator: Mediator) -> list[Court]:
    return [e.court for e in entries_in_force().filter(mediator=mediator).select_related("court")]


# Public roster ------------------------------------------------------------------------


def _public_entries() -> Prefetch:
    return Prefetch(
        "roster_entries",
        queryset=entries_in_force().select_related("court").order_by("court__name"),
        to_attr="public_entries",
    )


@dataclass(frozen=True)
class PublicFilter:
    """The filters of the public roster: a region and below, a court ("" or its id) whose
    roster (or IP roster, `ip_only`) the subject is on, an IP kind, "fee"/"free", a name."""

    region: str = ""
    court: str | int = ""
    ip_kind: str = ""
    fee: str = ""
    q: str = ""
    ip_only: bool = False


def _filter_entries(court: str | int, ip_only: bool) -> Q:
    cond = _in_force()
    if court:
        cond &= Q(court_id=court)
    if ip_only:
        cond &= Q(ip_specialty=True)
    return cond


def public_mediators(f: PublicFilter | None = None) -> QuerySet[Mediator]:
    f = f or PublicFilter()
    entries = RosterEntry.objects.filter(
        _filter_entries(f.court, f.ip_only), mediator__isnull=False
    )
    qs = Mediator.objects.filter(
        status=Mediator.Status.ACTIVE, pk__in=entries.values("mediator_id")
    ).select_related("region")
    qs = filter_listed(qs, region=f.region, ip_kind=f.ip_kind, fee=f.fee, q=f.q)
    # Rows through an id subquery rather than DISTINCT over every column: the count and the
    # page then need no sort of the whole table (issue 14).
    return (
        Mediator.objects.filter(pk__in=qs.values("pk"))
        .select_related("region")
        .prefetch_related("ip_kinds", "orgs", _public_entries())
        .order_by("name", "pk")
    )


def public_orgs(f: PublicFilter | None = None) -> QuerySet[MediationOrg]:
    f = f or PublicFilter()
    entries = RosterEntry.objects.filter(_filter_entries(f.court, f.ip_only), org__isnull=False)
    qs = MediationOrg.objects.filter(active=True, pk__in=entries.values("org_id")).select_related(
        "region"
    )
    qs = filter_listed(qs, region=f.region, ip_kind=f.ip_kind, fee=f.fee, q=f.q)
    return (
        MediationOrg.objects.filter(pk__in=qs.values("pk"))
        .select_related("region")
        .prefetch_related("ip_kinds", _public_entries())
        .order_by("name", "pk")
    )


def court_roster(court: Court, *, ip_only: bool = False) -> QuerySet[RosterEntry]:
    qs = entries_in_force().filter(court=court)
    if ip_only:
        qs = qs.filter(ip_specialty=True)
    return (
        qs.select_related("mediator__region", "org__region")
        .prefetch_related("mediator__ip_kinds", "org__ip_kinds", "measures")
        .order_by("org__name", "mediator__name")
    )


def roster_courts() -> QuerySet[Court]:
    """Courts that have a roster (for the filter)."""
    admitted = RosterEntry.objects.filter(status=RosterEntry.Status.ADMITTED)
    return Court.objects.filter(pk__in=admitted.values("court_id")).order_by("name", "pk")


def public_notices(entries: Iterable[RosterEntry]) -> dict[int, list]:
    return {e.pk: [m for m in e.measures.all() if m.kind == "notice"] for e in entries}


# Maintenance --------------------------------------------------------------------------


def _area(user: User) -> Q | None:
    """Region condition for what the user maintains; None for everything."""
    if is_platform_admin(user):
        return None
    return offices_area(offices_of(user))


def mediators_maintained_by(user: User, *, q: str = "", status: str = "") -> QuerySet[Mediator]:
    qs = Mediator.objects.select_related("region").prefetch_related("ip_kinds", "orgs")
    area = _area(user)
    if area is not None:
        qs = qs.filter(area)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(orgs__name__icontains=q)).distinct()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "pk")


def orgs_maintained_by(user: User, *, q: str = "") -> QuerySet[MediationOrg]:
    qs = MediationOrg.objects.select_related("region").prefetch_related("ip_kinds")
    area = _area(user)
    if area is not None:
        qs = qs.filter(area)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("name", "pk")


def courts_for_recommendation(user: User) -> list[Court]:
    """Courts with IP jurisdiction over the area of one of the user's offices."""
    offices = offices_of(user)
    courts = Court.objects.filter(active=True).select_related("region").prefetch_related("ip_kinds")
    return [c for c in courts if any(office_may_recommend_to(o, c) for o in offices)]


def recommendations_for_office(user: User) -> QuerySet[Recommendation]:
    ids = {o.pk for o in offices_of(user)}
    ids |= set(IPOffice.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return Recommendation.objects.filter(office_id__in=ids).select_related(
        "court", "mediator", "org", "office"
    )


def pending_for(court: Court) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(court=court, status=Recommendation.Status.PENDING)
        .select_related("office", "mediator__region", "org__region")
        .prefetch_related("mediator__ip_kinds", "org__ip_kinds")
        .order_by("created_at")
    )


def history(mediator: Mediator) -> QuerySet[AuditEntry]:
    """Who changed what and when: the audit entries about this mediator, newest first."""
    return AuditEntry.objects.filter(
        object_type="roster.mediator", object_id=str(mediator.pk)
    ).order_by("-id")


def imports_of(user: User) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.all()
    if not is_platform_admin(user):
        qs = qs.filter(created_by=user)
    return qs[:20]


def my_entries(mediator: Mediator) -> QuerySet[RosterEntry]:
    return (
        mediator.roster_entries.select_related("court")
        .prefetch_related("measures")
        .order_by("-admitted_at")
    )
