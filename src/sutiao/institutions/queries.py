"""Reads of institutions, shaped for pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Case, Model, Q, QuerySet, Value, When

from sutiao.accounts.models import Membership, User

from .models import Court, IPOffice, MediationOrg, Region, region_names
from .policies import ip_offices_of


def region_prefix(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.prefix() if region else code


def in_region(text: str) -> Q:
    """Rows whose region is the one the user gave, or below it: a six-digit code, or a part of
    a region's name as pages show it (北京市海淀区, 海淀区, 海淀, 北京): people know the names of
    places, not their GB/T 2260 codes (issue 15). A name no region bears matches nothing.

    A region's full name holds its province's and city's names, so the regions whose full name
    holds the text are the named ones and everything below them: one `IN` over at most the
    3,511 codes of the reference table."""
    text = "".join(text.split())
    if text.isdigit():
        return Q(region__code__startswith=region_prefix(text))
    names = region_names()
    codes = [code for code in names if text in Region(code=code).full_name]
    return Q(region__code__in=codes)


_Listed = TypeVar("_Listed", bound=Model)


def filter_listed(
    qs: QuerySet[_Listed], *, region: str = "", ip_kind: str = "", fee: str = "", q: str = ""
) -> QuerySet[_Listed]:
    """The filters the directory and the public roster share for organisations and mediators:
    a region (its code or name) and below, an IP kind, "fee" or "free", a part of the name."""
    if region:
        qs = qs.filter(in_region(region))
    if ip_kind:
        qs = qs.filter(ip_kinds__code=ip_kind)
    if fee in {"free", "fee"}:
        qs = qs.filter(charges_fees=(fee == "fee"))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def courts(*, region: str = "", ip_only: bool = False, q: str = "") -> QuerySet[Court]:
    qs = Court.objects.filter(active=True).select_related("region", "parent")
    if region:
        qs = qs.filter(region__code__startswith=region_prefix(region))
    if ip_only:
        qs = qs.filter(Q(is_ip_court=True) | Q(has_ip_tribunal=True) | Q(ip_kinds__isnull=False))
    if q:
        qs = qs.filter(name__icontains=q)
    # Highest courts first, then by region: the order a user of the directory expects.
    rank = Case(
        *(When(level=lv, then=Value(i)) for i, lv in enumerate(Court.Level.values)),
        default=Value(9),
    )
    return qs.prefetch_related("ip_kinds").distinct().order_by(rank, "region_id", "name")


def ip_offices(*, region: str = "", q: str = "") -> QuerySet[IPOffice]:
    qs = IPOffice.objects.select_related("region", "parent")
    if region:
        qs = qs.filter(region__code__startswith=region_prefix(region))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def orgs(
    *,
    region: str = "",
    kind: str = "",
    ip_kind: str = "",
    fee: str = "",
    q: str = "",
    include_inactive: bool = False,
) -> QuerySet[MediationOrg]:
    qs = MediationOrg.objects.select_related("region").prefetch_related("ip_kinds")
    if not include_inactive:
        qs = qs.filter(active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return filter_listed(qs, region=region, ip_kind=ip_kind, fee=fee, q=q).distinct()


def orgs_maintained_by(user: User) -> QuerySet[MediationOrg]:
    """Organisations in the regions of the user's IP offices (all of them for the national office)."""
    area = offices_area(ip_offices_of(user))
    return orgs(include_inactive=True) if area is None else orgs(include_inactive=True).filter(area)


def offices_area(offices: Iterable[IPOffice]) -> Q | None:
    """The regions of these IP offices and below, as a condition on `region`; None when one of
    them is the national office (everywhere)."""
    offices = list(offices)
    if any(o.level == IPOffice.Level.NATIONAL for o in offices):
        return None
    cond = Q(pk__in=[])
    for office in offices:
        if office.region:
            cond |= Q(region__code__startswith=office.region.prefix())
    return cond


def staff_of(
    *, court: Court | None = None, office: IPOffice | None = None, org: MediationOrg | None = None
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(active=True).select_related("user")
    if court:
        qs = qs.filter(court=court)
    elif office:
        qs = qs.filter(ip_office=office)
    else:
        qs = qs.filter(org=org)
    return qs.order_by("role", "user__real_name")
