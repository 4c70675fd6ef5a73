"""Cases over JSON: applications, every lifecycle step, lists, files, timeline, messages.

Steps the lifecycle table forbids answer 409 with `case.invalid_transition` and the reason;
a case the caller has no business with answers 404.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sutiao.core.errors import Invalid
from sutiao.core.lookup import visible
from sutiao.core.policy import require
from sutiao.institutions.models import Court, MediationOrg
from sutiao.roster.models import Mediator

from . import actions, lifecycle, queries, timeline
from .models import Agent, Case, CaseFile, FiledCase, MediatorChangeRequest, Party
from .policies import case_roles
from .schemas import (
    ApplicationIn,
    CaseDetailOut,
    CasePageOut,
    CourtIn,
    EndIn,
    ExtendIn,
    MediatorIn,
    PartyOut,
    ReasonIn,
    RouteIn,
)

router = Router(tags=["cases"])


def _case(request, case_id: int) -> Case:
    return visible(request.auth, Case.objects.prefetch_related("parties"), pk=case_id)


def _locked_case(request, case_id: int, *, parties: bool = False) -> Case:
    """A write's one look-up: the row locked, if this caller may see it (404, as `_case`)."""
    case = actions.lock(case_id, parties=parties)
    require(request.auth, "view", case)
    return case


def _detail(request, case: Case, *, reread: bool = True) -> Case:
    """The case with what this caller may do next (attributes the schema reads): read again,
    or the row the action saved with the parties locked with it (`reread` False)."""
    if reread:
        case = Case.objects.select_related("mediator").prefetch_related("parties").get(pk=case.pk)
    else:  # not the roles from before the step; the deadline as read back (UTC)
        vars(case).pop("_roles_cache", None)
        case.deadline_at = case.deadline_at and case.deadline_at.astimezone(UTC)
    roles = case_roles(request.auth, case)
    cd = queries.countdown(case)
    # What CaseDetailOut reads besides the row: set on this instance only.
    extra = vars(case)
    extra["countdown"] = cd and {
        "label": cd.label,
        "deadline": cd.deadline,
        "days": cd.days,
        "working_days": cd.working_days,
        "overdue": cd.overdue,
        "provisional": cd.provisional,
        "provisional_year": cd.provisional_year,
        "provisional_note": cd.provisional_note,
    }
    extra["your_roles"] = sorted(roles)
    extra["available_steps"] = [t.name for t in lifecycle.available(case, roles)]
    return case


@router.post("/cases", response={201: CaseDetailOut})
def apply(request, payload: ApplicationIn):
    """Start an application (a draft) to a court or straight to an organisation."""
    court = get_object_or_404(Court, pk=payload.court_id) if payload.court_id else None
    org = get_object_or_404(MediationOrg, pk=payload.org_id) if payload.org_id else None
    case = actions.apply_for_mediation(
        actor=request.auth,
        title=payload.title,
        court=court,
        org=org,
        ip_kind=payload.ip_kind,
        right_number=payload.right_number,
        claims=payload.claims,
        amount_fen=payload.amount_fen,
        description=payload.description,
        applicant=actions.PartyIn(role="applicant", **payload.applicant.dict()),
        respondents=[actions.PartyIn(role="respondent", **r.dict()) for r in payload.respondents],
        as_agent=payload.as_agent,
    )
    return Status(201, _detail(request, case))


@router.get("/cases", response=CasePageOut)
def list_cases(
    request,
    view: str = "party",
    state: str = "",
    q: str = "",
    cursor: int | None = None,
    size: int = 25,
):
    """`view`: party, clerk, judge, org or mediator — the caller's own list of that kind."""
    if view not in queries.LISTS:
        message = _("“view” must be one of: %(views)s.") % {"views": ", ".join(queries.LISTS)}
        raise Invalid(message, fields={"view": [message]})
    page = queries.page(
        queries.LISTS[view](request.auth),
        state=state,
        q=q,
        cursor=cursor,
        size=max(1, min(size, 100)),
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    return _detail(request, _case(request, case_id))


class EventOut(Schema):
    at: datetime
    kind: str
    state_before: str
    state_after: str
    summary: str
    actor: str | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.display_name if obj.actor else None


@router.get("/cases/{case_id}/events", response=list[EventOut])
def events(request, case_id: int):
    return list(queries.timeline(_case(request, case_id)))


class TimelineOut(Schema):
    at: datetime
    name: str  # the registered name of the fact (docs/api.md lists them)
    domain: str
    label: str
    summary: str
    actor: str

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.title)


@router.get("/cases/{case_id}/timeline", response=list[TimelineOut])
def case_timeline(request, case_id: int):
    """Every fact of every domain about the case, oldest first, as far as the caller may see."""
    case = _case(request, case_id)
    return timeline.for_viewer(request.auth, case)


class ConsentIn(Schema):
    party_id: int
    online: bool
    e_service: bool
    service_email: str = ""
    service_phone: str = ""
    # SIR 14: the notice of rights and duties (shown beside the consent form) was read.
    notice_acknowledged: bool = False
    # OMR 15: with `online` false, the party refuses mediation and the case ends.
    refuses_mediation: bool = False


@router.post("/cases/{case_id}/consent", response=PartyOut)
def consent(request, case_id: int, payload: ConsentIn):
    case = _case(request, case_id)
    party = get_object_or_404(Party, pk=payload.party_id, case=case)
    return actions.give_consent(
        actor=request.auth,
        case=case,
        party=party,
        online=payload.online,
        e_service=payload.e_service,
        service_email=payload.service_email,
        service_phone=payload.service_phone,
        notice_acknowledged=payload.notice_acknowledged,
        refuses_mediation=payload.refuses_mediation,
    )


class FileOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str


@router.post("/cases/{case_id}/files", response={201: FileOut})
def upload(request, case_id: int, kind: str = "evidence", file: UploadedFile = File(...)):  # noqa: B008
    case = _case(request, case_id)
    return Status(201, actions.add_file(actor=request.auth, case=case, upload=file, kind=kind))


class AgentOut(Schema):
    id: int
    party_id: int
    user: str
    kind: str
    scope: str
    licence_number: str
    firm: str
    relationship: str
    power_of_attorney_id: int
    named_at: datetime
    joined: bool  # False while the agent is invited by a link and has not joined

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.display_name


@router.get("/cases/{case_id}/agents", response=list[AgentOut])
def agents(request, case_id: int):
    """The agents acting now for the parties of the case (CPL 61–62)."""
    return list(queries.acting_agents(_case(request, case_id)).values())


@router.post("/cases/{case_id}/parties/{party_id}/agent", response={201: AgentOut})
def name_agent(
    request,
    case_id: int,
    party_id: int,
    name: str = Form(...),  # noqa: B008
    phone: str = Form(...),  # noqa: B008
    kind: str = Form(...),  # noqa: B008
    scope: str = Form(...),  # noqa: B008
    licence_number: str = Form(""),  # noqa: B008
    firm: str = Form(""),  # noqa: B008
    relationship: str = Form(""),  # noqa: B008
    email: str = Form(""),  # noqa: B008
    power_of_attorney: UploadedFile = File(...),  # noqa: B008
):
    """The party names its agent with the signed power of attorney (a PDF, multipart); an
    agent without an account is invited by SMS (and `email`) and `joined` stays false."""
    case = _case(request, case_id)
    party = get_object_or_404(Party, pk=party_id, case=case)
    data = actions.AgentIn(name, phone, kind, scope, licence_number, firm, relationship, email)
    agent = actions.name_agent(
        actor=request.auth,
        case=case,
        party=party,
        data=data,
        power_of_attorney=power_of_attorney,
    )
    return Status(201, agent)


@router.post("/cases/{case_id}/agents/{agent_id}/revoke", response=AgentOut)
def revoke_agent(request, case_id: int, agent_id: int):
    case = _case(request, case_id)
    agent = get_object_or_404(Agent, pk=agent_id, party__case=case)
    return actions.revoke_agent(actor=request.auth, case=case, agent=agent)


@router.get("/cases/{case_id}/files", response=list[FileOut])
def files(request, case_id: int):
    return list(CaseFile.objects.filter(case=_case(request, case_id)))


def _route(payload: RouteIn) -> dict:
    return {
        "org": get_object_or_404(MediationOrg, pk=payload.org_id) if payload.org_id else None,
        "mediator": get_object_or_404(Mediator, pk=payload.mediator_id)
        if payload.mediator_id
        else None,
    }


def _reason(payload: ReasonIn) -> dict[str, Any]:
    return {"reason": payload.reason}


def _mediator(payload: MediatorIn) -> dict[str, Any]:
    return {"mediator": get_object_or_404(Mediator, pk=payload.mediator_id)}


def _extension(payload: ExtendIn) -> dict[str, Any]:
    return {"consenting_parties": payload.consenting_parties, "days": payload.days}


def _ending(payload: EndIn) -> dict[str, Any]:
    return payload.dict()


def _court(payload: CourtIn) -> dict[str, Any]:
    return {"court": get_object_or_404(Court, pk=payload.court_id)}


# The lifecycle steps over JSON: POST /cases/{id}/<step> with the step's body (or none),
# through the action of the same name; the answer is the case as the caller now sees it.
# Steps answered from the row they saved (no party changes, no write after the save).
FROM_ROW = frozenset({"accept", "end"})
STEPS: dict[str, tuple[type[Schema] | None, Callable[[Any], dict[str, Any]] | None]] = {
    "submit": (None, None),
    "withdraw": (ReasonIn, _reason),
    "delegate": (RouteIn, _route),
    "assign": (MediatorIn, _mediator),
    "accept": (None, None),
    "decline": (ReasonIn, _reason),
    "recuse": (ReasonIn, _reason),
    "extend": (ExtendIn, _extension),
    "pause": (ReasonIn, _reason),
    "refuse_mediation": (ReasonIn, _reason),
    "resume": (None, None),
    "settle": (None, None),
    "end": (EndIn, _ending),
    "resume_trial": (None, None),
    "push_to_court": (CourtIn, _court),
}


def _step_endpoint(
    name: str, schema: type[Schema] | None, arguments: Callable[[Any], dict[str, Any]] | None
) -> None:
    action = getattr(actions, name)

    from_row = name in FROM_ROW

    def handler(request: Any, case_id: int, payload: Any = None) -> Case:
        with transaction.atomic():
            case = _locked_case(request, case_id, parties=from_row)
            kwargs = arguments(payload) if arguments is not None else {}
            with actions.holding(case):
                done = action(actor=request.auth, case=case, **kwargs)
        return _detail(request, done, reread=not from_row)

    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("case_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int),
    ]
    if schema is not None:
        params.append(
            inspect.Parameter("payload", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=schema)
        )
    handler.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    # The name and module of the handler it replaces: the OpenAPI operation ids stay.
    handler.__name__ = handler.__qualname__ = name
    router.post(f"/cases/{{case_id}}/{name.replace('_', '-')}", response=CaseDetailOut)(handler)


for _name, (_schema, _arguments) in STEPS.items():
    _step_endpoint(_name, _schema, _arguments)


class ChangeRequestOut(Schema):
    id: int
    party_id: int
    mediator_id: int
    reason: str
    state: str
    decision_note: str


class DecisionIn(Schema):
    grant: bool
    note: str = ""


class ReportIn(Schema):
    course: str
    reasons: str
    cost_conduct: str = ""
    notes_for_court: str = ""


@router.post("/cases/{case_id}/mediator-change-requests", response={201: list[ChangeRequestOut]})
def request_other_mediator(request, case_id: int, payload: ReasonIn):
    """OMR 14: a party asks for another mediator, with a reason."""
    case = _case(request, case_id)
    made = actions.request_other_mediator(actor=request.auth, case=case, reason=payload.reason)
    return Status(201, made)


@router.post(
    "/cases/{case_id}/mediator-change-requests/{request_id}/decision",
    response=ChangeRequestOut,
)
def decide_change_request(request, case_id: int, request_id: int, payload: DecisionIn):
    """The organisation or the court grants (another mediator) or refuses, with a reason."""
    case = _case(request, case_id)
    change = get_object_or_404(MediatorChangeRequest, pk=request_id, case=case)
    return actions.decide_change_request(
        actor=request.auth, request=change, grant=payload.grant, note=payload.note
    )


@router.post("/cases/{case_id}/failure-report", response=CaseDetailOut)
def report_failure(request, case_id: int, payload: ReportIn):
    """OMR 21: the failure report of a case that ended without one (the period expired)."""
    case = _case(request, case_id)
    return _detail(request, actions.report_failure(actor=request.auth, case=case, **payload.dict()))


class FiledCaseOut(Schema):
    id: int
    number: str
    title: str
    procedure: str
    court_id: int
    origin_id: int | None
    filed_at: datetime


@router.post("/cases/{case_id}/file", response={201: FiledCaseOut})
def file_case(request, case_id: int):
    """立案: the failed case becomes a lawsuit; its materials stay with it (origin)."""
    return Status(201, actions.file_case(actor=request.auth, case=_case(request, case_id)))


class FiledCaseIn(Schema):
    court_id: int
    title: str
    procedure: str = "ordinary"
    ip_kind: str = ""
    parties: list[dict] = []  # {"role", "name", "kind": natural | legal | other_org}


@router.post("/filed-cases", response={201: FiledCaseOut})
def register_filed_case(request, payload: FiledCaseIn):
    court = get_object_or_404(Court, pk=payload.court_id)
    return Status(
        201,
        actions.register_filed_case(
            actor=request.auth,
            court=court,
            title=payload.title,
            procedure=payload.procedure,
            ip_kind=payload.ip_kind,
            parties=payload.parties,
        ),
    )


class EntrustIn(RouteIn):
    procedure: str | None = None


@router.post("/filed-cases/{filed_id}/entrust", response=CaseDetailOut)
def entrust(request, filed_id: int, payload: EntrustIn):
    filed = get_object_or_404(FiledCase, pk=filed_id)
    route = _route(payload)
    require(request.auth, "entrust", filed)  # as the action checks it: a stranger gets 404
    case = actions.entrust(
        actor=request.auth, filed_case=filed, procedure=payload.procedure, **route
    )
    return _detail(request, case)


class ChoiceIn(Schema):
    mediator_id: int


@router.post("/cases/{case_id}/mediator-choice", response=CaseDetailOut)
def choose_mediator(request, case_id: int, payload: ChoiceIn):
    """A party names the mediator it wants (OMR 10); the court follows a joint choice."""
    case = _case(request, case_id)
    mediator = get_object_or_404(Mediator, pk=payload.mediator_id)
    actions.choose_mediator(actor=request.auth, case=case, mediator=mediator)
    return _detail(request, case)


class DraftIn(Schema):
    title: str | None = None
    ip_kind: str | None = None
    right_number: str | None = None
    claims: str | None = None
    amount_fen: int | None = None
    description: str | None = None


@router.patch("/cases/{case_id}", response=CaseDetailOut)
def update_draft(request, case_id: int, payload: DraftIn):
    """Edit a saved application before it is submitted."""
    case = _case(request, case_id)
    return _detail(
        request,
        actions.update_draft(actor=request.auth, case=case, data=payload.dict(exclude_unset=True)),
    )
