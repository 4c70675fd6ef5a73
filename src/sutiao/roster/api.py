from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sutiao.core.errors import Invalid
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import require

from . import actions, queries
from .models import ImportJob, Mediator, Recommendation, RosterEntry
from .schemas import (
    AdmitIn,
    EntryOut,
    ImportJobOut,
    MeasureIn,
    MeasureOut,
    MediatorIn,
    MediatorOut,
    MediatorPatch,
    PublicMediatorOut,
    PublicOrgOut,
    PublicRosterFilter,
    ReasonIn,
    RecommendationIn,
    RecommendationOut,
    StatusIn,
)

router = Router(tags=["roster"])


# The public roster (OMR 5): no identity numbers, no phone numbers.


@router.get("/roster/mediators", response=list[PublicMediatorOut], auth=None)
@paginate
def public_mediators(request, filters: Query[PublicRosterFilter]):
    return queries.public_mediators(filters.arguments())


@router.get("/roster/orgs", response=list[PublicOrgOut], auth=None)
@paginate
def public_orgs(request, filters: Query[PublicRosterFilter]):
    return queries.public_orgs(filters.arguments())


@router.get("/roster/courts/{court_id}/entries", response=list[EntryOut], auth=None)
@paginate
def court_entries(request, court_id: int, ip_only: bool = False):
    from sutiao.institutions.models import Court

    court = get_object_or_404(Court, pk=court_id)
    return queries.court_roster(court, ip_only=ip_only)


# Maintenance by IP offices.


def _mediator(request, pk: int) -> Mediator:
    mediator = get_object_or_404(Mediator, pk=pk)
    require(request.auth, "manage", mediator)
    return mediator


@router.get("/roster/maintained/mediators", response=list[MediatorOut])
@paginate
def maintained_mediators(request, q: str = "", status: str = ""):
    return queries.mediators_maintained_by(request.auth, q=q, status=status)


@router.post("/roster/maintained/mediators", response={201: MediatorOut})
def create_mediator(request, payload: MediatorIn):
    return Status(
        201, actions.save_mediator(actor=request.auth, mediator=None, data=payload.dict())
    )


@router.get("/roster/maintained/mediators/{pk}", response=MediatorOut)
def get_mediator(request, pk: int):
    return _mediator(request, pk)


@router.patch("/roster/maintained/mediators/{pk}", response=MediatorOut)
def patch_mediator(request, pk: int, payload: MediatorPatch):
    mediator = get_object_or_404(Mediator, pk=pk)
    return actions.save_mediator(
        actor=request.auth, mediator=mediator, data=payload.dict(exclude_none=True)
    )


@router.post("/roster/maintained/mediators/{pk}/status", response=MediatorOut)
def set_status(request, pk: int, payload: StatusIn):
    mediator = get_object_or_404(Mediator, pk=pk)
    return actions.set_mediator_status(
        actor=request.auth, mediator=mediator, status=payload.status, reason=payload.reason
    )


# Recommendation and admission.


@router.post("/roster/recommendations", response={201: RecommendationOut})
def create_recommendation(request, payload: RecommendationIn):
    from sutiao.institutions.models import Court, MediationOrg

    court = get_object_or_404(Court, pk=payload.court_id)
    mediator = get_object_or_404(Mediator, pk=payload.mediator_id) if payload.mediator_id else None
    org = get_object_or_404(MediationOrg, pk=payload.org_id) if payload.org_id else None
    rec = actions.recommend(
        actor=request.auth, court=court, mediator=mediator, org=org, note=payload.note
    )
    return Status(201, rec)


@router.get("/roster/recommendations/{pk}", response=RecommendationOut)
def get_recommendation(request, pk: int):
    return visible_or_404(request.auth, Recommendation, pk=pk)


@router.post("/roster/recommendations/{pk}/admit", response={201: EntryOut})
def admit(request, pk: int, payload: AdmitIn):
    rec = get_object_or_404(Recommendation, pk=pk)
    entry = actions.admit(actor=request.auth, recommendation=rec, **payload.dict())
    return Status(201, entry)


@router.post("/roster/recommendations/{pk}/decline", response=RecommendationOut)
def decline(request, pk: int, payload: ReasonIn):
    rec = get_object_or_404(Recommendation, pk=pk)
    return actions.decline(actor=request.auth, recommendation=rec, reason=payload.reason)


@router.post("/roster/entries/{pk}/measures", response={201: MeasureOut})
def take_measure(request, pk: int, payload: MeasureIn):
    entry = get_object_or_404(RosterEntry, pk=pk)
    return Status(
        201,
        actions.take_measure(
            actor=request.auth, entry=entry, kind=payload.kind, reason=payload.reason
        ),
    )


# Collection.


@router.post("/roster/imports", response={202: ImportJobOut})
def start_import(request, file: File[UploadedFile], kind: str = ""):
    if file.size and file.size > 50 * 1024 * 1024:
        raise Invalid(fields={"file": ["too large"]})
    job = actions.start_import(actor=request.auth, filename=file.name, data=file.read(), kind=kind)
    return Status(202, job)


@router.get("/roster/imports/{pk}", response=ImportJobOut)
def get_import(request, pk: int):
    return visible_or_404(request.auth, ImportJob, pk=pk)
