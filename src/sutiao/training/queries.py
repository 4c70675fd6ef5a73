"""Reads of training: hours per mediator against their region's requirement (for the roster
pages, the report, evaluation and matching), course and application lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from sutiao.accounts.policies import is_platform_admin
from sutiao.accounts.roles import Role
from sutiao.institutions.models import IPOffice
from sutiao.institutions.queries import offices_area
from sutiao.roster.models import Mediator, RosterEntry

from .models import Application, Course, Enrolment, HourRequirement

# The provincial example of RULES.md (5 days before starting, 10 days a year, 8 hours a day),
# for a platform whose administrators have entered no requirement yet.
DEFAULT_BEFORE_JOINING = Decimal("40")
DEFAULT_PER_YEAR = Decimal("80")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Requirement:
    before_joining: Decimal
    per_year: Decimal


@dataclass(frozen=True)
class HoursStatus:
    year: int
    year_hours: Decimal
    per_year: Decimal
    pre_joining_hours: Decimal
    before_joining: Decimal

    @property
    def below(self) -> bool:
        """Fewer hours this year than the region asks (SIR 7: trained during the term)."""
        return self.year_hours < self.per_year

    @property
    def missing(self) -> Decimal:
        return max(self.per_year - self.year_hours, ZERO)


class Requirements:
    """Every requirement row, read once; a region takes its own or its nearest ancestor's."""

    def __init__(self) -> None:
        rows = list(HourRequirement.objects.all())
        self.by_code = {r.region_id: r for r in rows if r.region_id}
        national = next((r for r in rows if r.region_id is None), None)
        self.national = (
            Requirement(national.before_joining, national.per_year)
            if national
            else Requirement(DEFAULT_BEFORE_JOINING, DEFAULT_PER_YEAR)
        )

    def of(self, region_code: str) -> Requirement:
        for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
            row = self.by_code.get(code)
            if row is not None:
                return Requirement(row.before_joining, row.per_year)
        return self.national


def requirement_for(region_code: str) -> Requirement:
    return Requirements().of(region_code)


def hours_status(
    mediators: Iterable[Mediator], *, year: int | None = None
) -> dict[int, HoursStatus]:
    """Hours credited to each mediator (this year, and in pre-joining courses) against the
    requirement of their region: two queries whatever the number of mediators."""
    mediators = list(mediators)
    year = year or timezone.localdate().year
    requirements = Requirements()
    sums = {
        row["mediator_id"]: row
        for row in Enrolment.objects.filter(
            mediator_id__in=[m.pk for m in mediators], credited_on__isnull=False
        )
        .values("mediator_id")
        .annotate(
            year_hours=Sum("hours", filter=Q(credited_on__year=year)),
            pre=Sum("hours", filter=Q(course__pre_joining=True)),
        )
    }
    found: dict[int, HoursStatus] = {}
    for m in mediators:
        req = requirements.of(m.region_id)
        row = sums.get(m.pk, {})
        found[m.pk] = HoursStatus(
            year=year,
            year_hours=row.get("year_hours") or ZERO,
            per_year=req.per_year,
            pre_joining_hours=row.get("pre") or ZERO,
            before_joining=req.before_joining,
        )
    return found


def application_hours(application: Application) -> tuple[Decimal, Decimal]:
    """Hours the applicant has been credited, and the hours their region asks before joining."""
    done = Enrolment.objects.filter(application=application, credited_on__isnull=False).aggregate(
        h=Sum("hours")
    )["h"]
    return done or ZERO, requirement_for(application.region_id).before_joining


def mediators_of_viewer(user: Any) -> QuerySet[Mediator]:
    """Whom the training report covers: an IP office's area, a court's roster, or everyone."""
    active = Mediator.objects.filter(status=Mediator.Status.ACTIVE)
    if is_platform_admin(user):
        return active
    offices = list(IPOffice.objects.filter(pk__in=user.ip_office_ids()).select_related("region"))
    courts = user.court_ids(Role.COURT_CLERK)
    cond = Q(pk__in=[])
    if offices:
        area = offices_area(offices)
        if area is None:
            return active
        cond |= area
    if courts:
        cond |= Q(
            pk__in=RosterEntry.objects.filter(
                court_id__in=courts, status=RosterEntry.Status.ADMITTED, mediator__isnull=False
            ).values("mediator_id")
        )
    return active.filter(cond)


@dataclass(frozen=True)
class ReportRow:
    mediator: Mediator
    status: HoursStatus


def report(user: Any, *, below_only: bool = False, q: str = "") -> list[ReportRow]:
    """The training report: each mediator the viewer oversees with their hours; the ones
    below their requirement first."""
    qs = mediators_of_viewer(user).select_related("region").order_by("name")
    if q:
        qs = qs.filter(name__icontains=q)
    mediators = list(qs)
    status = hours_status(mediators)
    rows = [ReportRow(m, status[m.pk]) for m in mediators]
    if below_only:
        rows = [r for r in rows if r.status.below]
    return sorted(rows, key=lambda r: (not r.status.below, r.mediator.name))


def courses_for(user: Any) -> QuerySet[Course]:
    return Course.objects.select_related("court", "office").order_by("-starts_on", "-pk")


def enrolments_of(user: Any) -> QuerySet[Enrolment]:
    """The signed-in person's own enrolments, as a mediator or as an applicant."""
    return (
        Enrolment.objects.filter(Q(mediator__user=user) | Q(application__applicant=user))
        .select_related("course", "certificate")
        .order_by("-created_at")
    )


def applications_for(user: Any, *, state: str = "") -> QuerySet[Application]:
    """The applications an IP office reviews: to its calls and those of offices below it."""
    qs = Application.objects.select_related("call__office", "region")
    if not is_platform_admin(user):
        ids = set(user.ip_office_ids())
        below = set(ids)
        for office in IPOffice.objects.exclude(pk__in=ids).select_related("parent"):
            node = office.parent
            while node is not None:
                if node.pk in ids:
                    below.add(office.pk)
                    break
                node = node.parent
        qs = qs.filter(call__office_id__in=below)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-submitted_at")
