"""Judicial confirmation over JSON: the competent courts, the joint application, the court's
steps and the ruling. Errors follow DESIGN.md (409 with the reason for refused steps)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Router, Schema, Status

from sutiao.accounts.roles import Role
from sutiao.agreements.models import Agreement
from sutiao.cases.models import Case
from sutiao.core.errors import Invalid, NotFound
from sutiao.core.lookup import visible

from . import actions, competence, lifecycle, queries
from .models import ConfirmationApplication
from .policies import application_roles

router = Router(tags=["judicial"])


class CourtChoiceOut(Schema):
    court_id: int
    court: str
    basis: str
    reason: str


class ApplyIn(Schema):
    court_id: int
    subject_matter_address: str = ""
    statement: str = ""
    contact_phone: str = ""
    address: str = ""


class ObjectionWindowOut(Schema):
    party_id: int
    served_at: datetime | None
    objection_deadline_at: datetime | None
    status: str  # not_served | open | closed
    objected: bool


class RulingOut(Schema):
    outcome: str
    ground: int | None
    verify_code: str
    revoked_at: datetime | None
    objection_windows: list[ObjectionWindowOut]


class ApplicationOut(Schema):
    id: int
    case_id: int
    agreement_id: int
    court_id: int
    court_basis: str
    court_reason: str
    state: str
    number: str
    deadline_at: datetime | None
    deadline_provisional: bool
    deadline_provisional_year: int | None
    parties_submitted: list[int]
    your_steps: list[str]
    ruling: RulingOut | None


class StepIn(Schema):
    items: str = ""
    days: int = 7
    answer: str = ""
    starts_at: datetime | None = None
    place: str = ""
    notes: str = ""
    outcome: str = ""
    ground: int | None = None
    reasoning: str = ""
    reason: str = ""
    text: str = ""
    statement: str = ""
    contact_phone: str = ""
    address: str = ""


def _out(request, app: ConfirmationApplication) -> dict:
    app = ConfirmationApplication.objects.select_related("case").get(pk=app.pk)
    ruling = getattr(app, "ruling", None)
    roles = application_roles(request.auth, app)
    now = timezone.now()
    return {
        "id": app.pk,
        "case_id": app.case_id,
        "agreement_id": app.agreement_id,
        "court_id": app.court_id,
        "court_basis": app.court_basis,
        "court_reason": app.court_reason,
        "state": app.state,
        "number": app.number,
        "deadline_at": app.deadline_at,
        "deadline_provisional": app.deadline_provisional_year is not None,
        "deadline_provisional_year": app.deadline_provisional_year,
        "parties_submitted": list(app.parts.values_list("party_id", flat=True)),
        "your_steps": sorted({t.name for t in lifecycle.available(app, roles)}),
        "ruling": ruling
        and {
            "outcome": ruling.outcome,
            "ground": ruling.ground,
            "verify_code": ruling.verify_code,
            "revoked_at": ruling.revoked_at,
            "objection_windows": [
                {
                    "party_id": w.party.pk,
                    "served_at": w.served_at,
                    "objection_deadline_at": w.ends_at,
                    "status": w.status(now),
                    "objected": w.objected,
                }
                for w in queries.objection_windows(ruling)
            ],
        },
    }


def _app(request, app_id: int) -> ConfirmationApplication:
    return visible(request.auth, ConfirmationApplication.objects.select_related("case"), pk=app_id)


@router.get("/cases/{case_id}/confirmation/courts", response=list[CourtChoiceOut])
def courts(request, case_id: int, subject_matter_address: str = ""):
    """The courts that may confirm this case's agreement, and why (RULES §7)."""
    case = visible(request.auth, Case.objects, pk=case_id)
    return [
        {"court_id": c.court.pk, "court": c.court.name, "basis": c.basis, "reason": c.reason}
        for c in competence.candidates(case, subject_matter_address=subject_matter_address)
    ]


@router.post("/agreements/{agreement_id}/confirmation", response={201: ApplicationOut})
def apply(request, agreement_id: int, payload: ApplyIn):
    """A party starts the joint application and gives its part (409 `judicial.too_late`
    after 30 days; 409 `judicial.dismissed_unchanged` for content a court dismissed or refused;
    409 `judicial.sham_suspected` while a suspicion of sham mediation stands)."""
    agreement = visible(request.auth, Agreement.objects.select_related("case"), pk=agreement_id)
    app = actions.apply(actor=request.auth, agreement=agreement, **payload.dict())
    return Status(201, _out(request, app))


@router.get("/confirmations", response=list[ApplicationOut])
def queue(request, state: str = ""):
    """The applications of the caller's courts (judges and clerks)."""
    courts = request.auth.court_ids(Role.JUDGE, Role.COURT_CLERK)
    qs = ConfirmationApplication.objects.filter(court_id__in=courts).exclude(state="draft")
    if state:
        qs = qs.filter(state=state)
    return [_out(request, a) for a in qs.order_by("deadline_at", "id")[:200]]


@router.get("/confirmations/{app_id}", response=ApplicationOut)
def detail(request, app_id: int):
    return _out(request, _app(request, app_id))


@router.post("/confirmations/{app_id}/steps/{name}", response=ApplicationOut)
def step(request, app_id: int, name: str, payload: StepIn):
    """One step: submit_part, request_supplement, supplement, accept, refuse (ground 1–5 of
    CPL-I 355), schedule_questioning, rule (outcome valid|dismissed, ground 1–6 of CPL-I
    358), objection (text), review_objections (outcome upheld|dismissed, reasoning),
    withdraw, deem_withdrawn."""
    app, actor, d = _app(request, app_id), request.auth, payload
    if name == "submit_part":
        actions.submit_part(
            actor=actor,
            application=app,
            statement=d.statement,
            contact_phone=d.contact_phone,
            address=d.address,
        )
    elif name == "request_supplement":
        actions.request_supplement(actor=actor, application=app, items=d.items, days=d.days)
    elif name == "supplement":
        actions.supplement(actor=actor, application=app, answer=d.answer)
    elif name == "accept":
        actions.accept(actor=actor, application=app)
    elif name == "schedule_questioning":
        if d.starts_at is None:
            raise Invalid(fields={"starts_at": ["required"]})
        actions.schedule_questioning(
            actor=actor, application=app, starts_at=d.starts_at, place=d.place, notes=d.notes
        )
    elif name == "rule":
        actions.rule(
            actor=actor, application=app, outcome=d.outcome, ground=d.ground, reasoning=d.reasoning
        )
    elif name == "refuse":
        actions.refuse(actor=actor, application=app, ground=d.ground, reasoning=d.reasoning)
    elif name == "objection":
        ruling = getattr(app, "ruling", None)
        if ruling is None:
            raise NotFound()
        actions.object_to_ruling(actor=actor, ruling=ruling, text=d.text)
    elif name == "review_objections":
        actions.review_objections(
            actor=actor, application=app, outcome=d.outcome, reasoning=d.reasoning
        )
    elif name == "withdraw":
        actions.withdraw(actor=actor, application=app, reason=d.reason)
    elif name == "deem_withdrawn":
        actions.deem_withdrawn(actor=actor, application=app, reason=d.reason)
    else:
        raise NotFound()
    return _out(request, app)
