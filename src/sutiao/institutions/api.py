from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import require

from . import actions, queries
from .models import Court, IPOffice, MediationOrg, Region
from .schemas import (
    CourtOut,
    CourtSettingsIn,
    CourtSettingsOut,
    OfficeOut,
    OrgIn,
    OrgOut,
    OrgPatch,
    RegionOut,
    StaffOut,
)

router = Router(tags=["institutions"])


@router.get("/regions", response=list[RegionOut], auth=None)
@paginate
def list_regions(request, parent: str = "", q: str = "", level: str = ""):
    qs = Region.objects.select_related("parent")
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("/regions/{code}", response=RegionOut, auth=None)
def get_region(request, code: str):
    return get_object_or_404(Region.objects.select_related("parent"), code=code)


@router.get("/courts", response=list[CourtOut], auth=None)
@paginate
def list_courts(request, region: str = "", ip_only: bool = False, q: str = ""):
    return queries.courts(region=region, ip_only=ip_only, q=q)


@router.get("/courts/{court_id}", response=CourtOut, auth=None)
def get_court(request, court_id: int):
    return get_object_or_404(Court, pk=court_id)


@router.get("/courts/{court_id}/staff", response=list[StaffOut])
def court_staff(request, court_id: int):
    court = get_object_or_404(Court, pk=court_id)
    require(request.auth, "view_staff", court)
    return list(queries.staff_of(court=court))


@router.get("/courts/{court_id}/settings", response=CourtSettingsOut)
def get_court_settings(request, court_id: int):
    court = get_object_or_404(Court, pk=court_id)
    require(request.auth, "manage_settings", court)
    return court


@router.patch("/courts/{court_id}/settings", response=CourtSettingsOut)
def patch_court_settings(request, court_id: int, payload: CourtSettingsIn):
    court = get_object_or_404(Court, pk=court_id)
    return actions.update_court_settings(
        actor=request.auth, court=court, data=payload.dict(exclude_none=True)
    )


@router.get("/ip-offices", response=list[OfficeOut], auth=None)
@paginate
def list_offices(request, region: str = "", q: str = ""):
    return queries.ip_offices(region=region, q=q)


@router.get("/ip-offices/{office_id}", response=OfficeOut, auth=None)
def get_office(request, office_id: int):
    return get_object_or_404(IPOffice, pk=office_id)


@router.get("/orgs", response=list[OrgOut], auth=None)
@paginate
def list_orgs(
    request, region: str = "", kind: str = "", ip_kind: str = "", fee: str = "", q: str = ""
):
    return queries.orgs(region=region, kind=kind, ip_kind=ip_kind, fee=fee, q=q)


@router.get("/orgs/{org_id}", response=OrgOut, auth=None)
def get_org(request, org_id: int):
    return visible_or_404(request.user, MediationOrg, pk=org_id)


@router.post("/orgs", response={201: OrgOut})
def create_org(request, payload: OrgIn):
    return Status(201, actions.save_org(actor=request.auth, org=None, data=payload.dict()))


@router.patch("/orgs/{org_id}", response=OrgOut)
def patch_org(request, org_id: int, payload: OrgPatch):
    org = get_object_or_404(MediationOrg, pk=org_id)
    return actions.save_org(actor=request.auth, org=org, data=payload.dict(exclude_none=True))
