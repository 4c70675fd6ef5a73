"""Training over JSON: the hours of mediators (for evaluation and matching by other
platforms' staff) and one's own enrolments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from sutiao.core.errors import Forbidden

from . import queries
from .policies import may_see_report

router = Router(tags=["training"])


class HoursOut(Schema):
    mediator: int
    name: str
    year: int
    year_hours: Decimal
    per_year: Decimal
    pre_joining_hours: Decimal
    before_joining: Decimal
    below: bool


class EnrolmentOut(Schema):
    id: int
    course: int
    title: str
    watched_seconds: int
    hours: Decimal
    credited_on: date | None


@router.get("/training/hours", response=list[HoursOut])
def hours(request, below: bool = False):
    """The training report: mediators the caller oversees, with their hours this year."""
    if not may_see_report(request.auth):
        raise Forbidden()
    return [
        HoursOut(
            mediator=r.mediator.pk,
            name=r.mediator.name,
            year=r.status.year,
            year_hours=r.status.year_hours,
            per_year=r.status.per_year,
            pre_joining_hours=r.status.pre_joining_hours,
            before_joining=r.status.before_joining,
            below=r.status.below,
        )
        for r in queries.report(request.auth, below_only=below)
    ]


@router.get("/training/enrolments", response=list[EnrolmentOut])
def my_enrolments(request):
    return [
        EnrolmentOut(
            id=e.pk,
            course=e.course_id,
            title=e.course.title,
            watched_seconds=e.watched_seconds,
            hours=e.hours,
            credited_on=e.credited_on,
        )
        for e in queries.enrolments_of(request.auth)
    ]
