"""Figures over JSON: a scope's figures for a period (404 for a scope outside the caller's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from sutiao.core.errors import Invalid, NotFound

from . import feedback, lifecycle, performance, policies, queries
from .forms import default_period
from .models import Complaint
from .scopes import resolve

router = Router(tags=["evaluation"])
PERIOD_RULE = _("The period must start before it ends and cover at most three years.")


@router.get("/figures/{level}/{key}", response=dict[str, Any])
def scope_figures(request, level: str, key: str, start: date, end: date):
    scope = policies.require_view(request.auth, resolve(level, "" if key == "all" else key))
    if start > end or (end - start).days > 3 * 366:
        raise Invalid(fields={"end": [str(PERIOD_RULE)]})
    return {
        "scope": {"level": scope.level, "key": scope.key, "name": str(scope)},
        "start": start,
        "end": end,
        "figures": queries.figures(scope, start, end).as_dict(),
    }


# Party feedback, complaints and the performance file -----------------------------------


class SurveyIn(Schema):
    fair: int
    respect: int
    understood: int
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class ComplaintOut(Schema):
    id: int
    case: int
    mediator: int
    state: str
    reason: str
    filed_at: datetime
    decided_at: datetime | None
    decision: str
    steps: list[str]


def _complaint_out(user: Any, c: Complaint) -> dict[str, Any]:
    steps = lifecycle.COMPLAINT.available(c, lifecycle.roles(user, c))
    return {
        "id": c.pk,
        "case": c.case_id,
        "mediator": c.mediator_id,
        "state": c.state,
        "reason": c.reason,
        "filed_at": c.filed_at,
        "decided_at": c.decided_at,
        "decision": c.decision,
        "steps": [t.name for t in steps],
    }


def _complaint(user: Any, complaint_id: int) -> Complaint:
    c = Complaint.objects.select_related("case__org").filter(pk=complaint_id).first()
    if c is None or not policies.sees_complaint(user, c):
        raise NotFound()
    return c


@router.post("/cases/{case_id}/survey", response={201: dict[str, Any]})
def answer_survey(request, case_id: int, payload: SurveyIn):
    """A party's answers to the satisfaction survey of an ended case (once)."""
    answers = payload.dict()
    comment = answers.pop("comment")
    done = feedback.answer_survey(
        actor=request.auth, case_id=case_id, answers=answers, comment=comment
    )
    return Status(201, {"answered_at": done.answered_at})


@router.post("/cases/{case_id}/complaints", response={201: ComplaintOut})
def file_complaint(request, case_id: int, payload: ReasonIn):
    c = feedback.file_complaint(actor=request.auth, case_id=case_id, reason=payload.reason)
    return Status(201, _complaint_out(request.auth, c))


@router.get("/complaints/{complaint_id}", response=ComplaintOut)
def complaint(request, complaint_id: int):
    return _complaint_out(request.auth, _complaint(request.auth, complaint_id))


@router.post("/complaints/{complaint_id}/{step}", response=ComplaintOut)
def decide_complaint(request, complaint_id: int, step: str, payload: ReasonIn):
    c = feedback.decide_complaint(
        actor=request.auth,
        complaint=_complaint(request.auth, complaint_id),
        step=step,
        reason=payload.reason,
    )
    return _complaint_out(request.auth, c)


@router.get("/performance/{level}/{key}", response=dict[str, Any])
def performance_file(request, level: str, key: str, end: date | None = None):
    """Survey means and count, complaints, training hours, commendations and warnings, and
    the score under each scheme that covers the mediator or organisation."""
    scope = policies.require_view(request.auth, resolve(level, key))
    if scope.level not in {"mediator", "org"}:
        raise NotFound()
    end = end or timezone.localdate()
    found = performance.extras(scope, default_period(end)[0], end)
    return {
        "survey": found["survey"],
        "training_hours": found["training_hours"],
        "complaints": {str(label): n for label, n in found["complaints"]},
        "notes": [
            {"kind": n.kind, "reason": n.reason, "recorded_at": n.recorded_at, "by": str(n.owner)}
            for n in found["notes"]
        ],
        "scores": [
            {
                "scheme": s.version.scheme.name,
                "version": s.version.number,
                "start": s.start,
                "end": s.end,
                "total": s.total,
                "parts": [
                    {
                        "indicator": p.indicator.code,
                        "value": p.value,
                        "weight": p.weight,
                        "threshold": p.threshold,
                        "points": p.points,
                        "words": p.words(),
                    }
                    for p in s.parts
                ],
            }
            for s in found["scores"]
        ],
    }
