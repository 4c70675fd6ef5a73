"""Agreements over JSON: draft, open for signing, one-time code, sign, refuse.
A case or agreement the caller has no business with answers 404; a step the state forbids 409."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status

from sutiao.cases.models import Case
from sutiao.core.lookup import visible

from . import actions, queries
from .models import Agreement

router = Router(tags=["agreements"])


class DraftIn(Schema):
    facts: str
    terms: list[actions.TermIn]  # the action's own dataclass: one definition of a term
    issues: str = ""
    performance: str = ""
    place: str = ""


class WarningOut(Schema):
    code: str
    blocking: bool
    term: int | None
    message: str


class SignatureOut(Schema):
    field: str
    label: str
    signed: bool
    signed_by: str | None
    signed_at: datetime | None


class AgreementOut(Schema):
    id: int
    case_id: int
    state: str
    template: str
    facts: str
    issues: str
    performance: str
    terms: list[str]
    warnings: list[WarningOut]
    signatures: list[SignatureOut]
    verify_code: str
    effective_at: datetime | None
    your_signatures_due: list[str]


class ChannelIn(Schema):
    channel: str


class CodeIn(Schema):
    code: str


class ReasonIn(Schema):
    reason: str


def _out(request, agreement: Agreement) -> dict:
    agreement = Agreement.objects.select_related("case", "template_version").get(pk=agreement.pk)
    done = {s.field_name: s for s in agreement.signatures.select_related("signed_by")}
    return {
        "id": agreement.pk,
        "case_id": agreement.case_id,
        "state": agreement.state,
        "template": str(agreement.template_version),
        "facts": agreement.facts,
        "issues": agreement.issues,
        "performance": agreement.performance,
        "terms": queries.term_texts(agreement),
        "warnings": [w.__dict__ for w in queries.warnings(agreement)],
        "signatures": [
            {
                "field": s["field"],
                "label": s["label"],
                "signed": s["field"] in done,
                "signed_by": done[s["field"]].signed_by.display_name
                if s["field"] in done
                else None,
                "signed_at": done[s["field"]].signed_at if s["field"] in done else None,
            }
            for s in queries.signatories(agreement)
        ],
        "verify_code": agreement.verify_code,
        "effective_at": agreement.effective_at,
        "your_signatures_due": [s.field for s in queries.due_for(request.auth, agreement)],
    }


def _case(request, case_id: int) -> Case:
    return visible(request.auth, Case.objects, pk=case_id)


def _agreement(request, agreement_id: int) -> Agreement:
    return visible(request.auth, Agreement.objects.select_related("case"), pk=agreement_id)


def _draft(payload: DraftIn) -> actions.DraftIn:
    return actions.DraftIn(
        facts=payload.facts,
        issues=payload.issues,
        performance=payload.performance,
        place=payload.place,
        terms=list(payload.terms),
    )


@router.get("/cases/{case_id}/agreement", response=AgreementOut)
def current(request, case_id: int):
    """The case's latest agreement (404 when there is none the caller may see)."""
    case = _case(request, case_id)
    agreement = visible(request.auth, case.agreements.order_by("-id"))
    return _out(request, agreement)


@router.post("/cases/{case_id}/agreement", response={201: AgreementOut})
def draft(request, case_id: int, payload: DraftIn):
    """The mediator drafts the agreement; terms are structured items (kind + fields)."""
    agreement = actions.draft(
        actor=request.auth, case=_case(request, case_id), data=_draft(payload)
    )
    return Status(201, _out(request, agreement))


@router.put("/agreements/{agreement_id}", response=AgreementOut)
def update(request, agreement_id: int, payload: DraftIn):
    agreement = actions.update_draft(
        actor=request.auth, agreement=_agreement(request, agreement_id), data=_draft(payload)
    )
    return _out(request, agreement)


@router.post("/agreements/{agreement_id}/open", response=AgreementOut)
def open_for_signing(request, agreement_id: int):
    agreement = actions.open_for_signing(
        actor=request.auth, agreement=_agreement(request, agreement_id)
    )
    return _out(request, agreement)


@router.post("/agreements/{agreement_id}/code", response={202: dict})
def request_code(request, agreement_id: int, payload: ChannelIn):
    """Send the caller a one-time code (channel `sms` or `email`) that unlocks signing."""
    sent = actions.request_code(
        actor=request.auth, agreement=_agreement(request, agreement_id), channel=payload.channel
    )
    return Status(202, {"sent_to": sent.destination, "expires_at": sent.expires_at})


@router.post("/agreements/{agreement_id}/sign", response=AgreementOut)
def sign(request, agreement_id: int, payload: CodeIn):
    """Check the code, then add every signature the caller is due to give."""
    agreement = actions.sign(
        actor=request.auth, agreement=_agreement(request, agreement_id), code=payload.code
    )
    return _out(request, agreement)


@router.post("/agreements/{agreement_id}/refuse", response=AgreementOut)
def refuse(request, agreement_id: int, payload: ReasonIn):
    """A party refuses to sign: mediation ends (OMR 25 reason 7)."""
    agreement = actions.refuse(
        actor=request.auth, agreement=_agreement(request, agreement_id), reason=payload.reason
    )
    return _out(request, agreement)
