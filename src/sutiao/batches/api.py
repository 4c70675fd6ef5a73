"""Batches over JSON: upload (multipart, the same checks as the page), one batch with its
counts and row errors, its matched mediators, and delegation, entrustment or assignment in
one call."""

from __future__ import annotations

from django.core.files import File
from ninja import File as FileParam
from ninja import Form, Router, Schema, Status
from ninja.files import UploadedFile

from sutiao.cases.actions import PartyIn
from sutiao.cases.choices import State
from sutiao.core.errors import Forbidden
from sutiao.core.lookup import visible
from sutiao.institutions.models import Court, MediationOrg
from sutiao.roster.models import Mediator

from . import actions, matching, queries
from .models import Batch
from .policies import admin_orgs

router = Router(tags=["batches"])


class RowError(Schema):
    line: int
    column: str
    reason: str


class BatchOut(Schema):
    id: int
    title: str
    court: int
    total: int
    created_count: int
    error_count: int
    errors: list[RowError]
    created: bool = True
    by_state: dict[str, int] = {}


def _out(batch: Batch, created: bool = True) -> BatchOut:
    counts = queries.counts_by_state([batch.pk]).get(batch.pk, [])
    labels = {str(label): value for value, label in State.choices}
    return BatchOut(
        id=batch.pk,
        title=batch.title,
        court=batch.court_id,
        total=batch.total,
        created_count=batch.created_count,
        error_count=batch.error_count,
        errors=batch.errors,
        created=created,
        by_state={labels[str(label)]: n for label, n in counts},
    )


@router.post("/batches/", response={201: BatchOut, 200: BatchOut})
def upload(
    request,
    court: int = Form(...),  # noqa: B008
    title: str = Form(...),  # noqa: B008
    ip_kind: str = Form(...),  # noqa: B008
    claims: str = Form(...),  # noqa: B008
    applicant_name: str = Form(...),  # noqa: B008
    applicant_kind: str = Form("legal"),  # noqa: B008
    applicant_code: str = Form(""),  # noqa: B008
    applicant_phone: str = Form(""),  # noqa: B008
    service_email: str = Form(""),  # noqa: B008
    service_phone: str = Form(""),  # noqa: B008
    notice_acknowledged: bool = Form(False),  # noqa: B008
    description: str = Form(""),  # noqa: B008
    as_agent: bool = Form(False),  # noqa: B008
    spreadsheet: UploadedFile = FileParam(...),  # noqa: B008
    evidence: list[UploadedFile] = FileParam(None),  # noqa: B008
    power_of_attorney: UploadedFile | None = FileParam(None),  # noqa: B008
):
    """200 with the earlier batch when the same spreadsheet was uploaded before."""
    natural = applicant_kind == "natural"
    files: list[tuple[File, str]] = [(f, "evidence") for f in evidence or []]
    if power_of_attorney is not None:
        files.append((power_of_attorney, "power_of_attorney"))
    batch, created = actions.upload_batch(
        actor=request.auth,
        court=visible(request.auth, Court, pk=court),
        title=title,
        ip_kind=ip_kind,
        claims=claims,
        description=description,
        applicant=PartyIn(
            role="applicant",
            name=applicant_name,
            kind=applicant_kind,
            uscc="" if natural else applicant_code,
            id_number=applicant_code if natural else "",
            phone=applicant_phone,
        ),
        consent=actions.ConsentIn(service_email, service_phone, notice_acknowledged),
        spreadsheet_file=spreadsheet,
        files=files,
        as_agent=as_agent,
    )
    return Status(201 if created else 200, _out(batch, created))


@router.get("/batches/{batch_id}", response=BatchOut)
def batch(request, batch_id: int):
    return _out(visible(request.auth, Batch, pk=batch_id))


class MatchOut(Schema):
    mediator: int
    name: str
    score: float
    binding: bool
    reasons: list[dict[str, object]]


@router.get("/batches/{batch_id}/matching", response=list[MatchOut])
def matched(request, batch_id: int):
    """The mediators for the batch's waiting cases, ranked, with the reasons of each score
    (clerks of its court and the administrators of organisations holding its cases)."""
    b = visible(request.auth, Batch, pk=batch_id)
    waiting = list(queries.cases_of(b, request.auth).filter(state=State.SUBMITTED))
    d = matching.dispute_of_cases(b.court, b.ip_kind, waiting)
    orgs = admin_orgs(request.auth, b)
    among = Mediator.objects.filter(orgs__in=orgs) if orgs else None
    if among is None and b.court_id not in request.auth.court_ids("court_clerk"):
        raise Forbidden()
    return [
        MatchOut(
            mediator=m.mediator.pk,
            name=m.mediator.name,
            score=m.score,
            binding=m.binding,
            reasons=[{"part": p.key, "points": p.points, "reason": p.reason} for p in m.parts],
        )
        for m in matching.rank(d, among=among)
    ]


class DelegateIn(Schema):
    mediators: list[int] = []
    org: int | None = None
    cases: list[int] | None = None  # a selection; none: every waiting case


class DelegatedOut(Schema):
    cases: dict[int, int | None]  # case id -> mediator id (None: sent to the organisation)


def _routed(request, batch_id: int, data: DelegateIn, action, **extra) -> dict:
    """Delegation and entrustment: the organisation, mediators and selection as posted."""
    return action(
        actor=request.auth,
        batch=visible(request.auth, Batch, pk=batch_id),
        org=MediationOrg.objects.filter(pk=data.org).first() if data.org else None,
        mediators=list(Mediator.objects.filter(pk__in=data.mediators)),
        selection=data.cases,
        **extra,
    )


@router.post("/batches/{batch_id}/delegate", response=DelegatedOut)
def delegate(request, batch_id: int, data: DelegateIn):
    return DelegatedOut(cases=_routed(request, batch_id, data, actions.delegate_batch))


class EntrustIn(DelegateIn):
    cases: list[int] | None = None  # a selection of the batch's filed cases; none: every one
    procedure: str | None = None  # "ordinary" or "simple"; none: as filed


class EntrustedOut(Schema):
    # the new entrusted mediation's id -> mediator id (None: sent to the organisation)
    cases: dict[int, int | None]


@router.post("/batches/{batch_id}/entrust", response=EntrustedOut)
def entrust(request, batch_id: int, data: EntrustIn):
    """The judge entrusts the batch's filed cases (诉中委托): each becomes its own entrusted
    mediation. 409 `batch.not_entrustable` names selected cases that may not be entrusted."""
    done = _routed(request, batch_id, data, actions.entrust_batch, procedure=data.procedure)
    return EntrustedOut(cases=done)


@router.post("/batches/{batch_id}/assign", response=DelegatedOut)
def assign(request, batch_id: int, data: DelegateIn):
    b = visible(request.auth, Batch, pk=batch_id)
    orgs = admin_orgs(request.auth, b)
    if not orgs:
        raise Forbidden()
    done = actions.assign_batch(
        actor=request.auth,
        batch=b,
        org=MediationOrg.objects.get(pk=data.org if data.org in orgs else orgs[0]),
        mediators=list(Mediator.objects.filter(pk__in=data.mediators)),
        selection=data.cases,
    )
    return DelegatedOut(cases=done)
