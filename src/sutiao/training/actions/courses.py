"""Courses, their materials, enrolment and the regions' hour requirements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.policies import is_platform_admin
from sutiao.audit.log import record
from sutiao.core.errors import Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPOffice, Region

from ..errors import TrainingError
from ..models import Course, Enrolment, HourRequirement, Material
from ..policies import court_staff_of, office_staff_of

COURSE_FIELDS = ("title", "topic", "description", "mode", "starts_on", "ends_on", "hours")


def _bad(field: str, message: str) -> Invalid:
    return Invalid(message, code=TrainingError.BAD_COURSE, fields={field: [message]})


def _organiser(
    actor: User, kind: str, court: Court | None, office: IPOffice | None
) -> tuple[Court | None, IPOffice | None]:
    """The organiser's court or office, which the actor must work in. SPC is a court of the
    supreme level, CNIPA the national office."""
    if kind in {Course.Organiser.SPC, Course.Organiser.COURT}:
        if court is None or (kind == Course.Organiser.SPC and court.level != "supreme"):
            raise _bad("court", _("Choose the organising court."))
        if not court_staff_of(actor, court):
            raise Forbidden(_("You do not work at this court."))
        return court, None
    if kind in {Course.Organiser.CNIPA, Course.Organiser.IP_OFFICE}:
        national = office is not None and office.level == IPOffice.Level.NATIONAL
        if office is None or (kind == Course.Organiser.CNIPA and not national):
            raise _bad("office", _("Choose the organising IP office."))
        if not office_staff_of(actor, office):
            raise Forbidden(_("You do not work at this IP office."))
        return None, office
    raise _bad("organiser_kind", _("Choose who organises the course."))


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _bad("hours", _("Enter the hours as a number.")) from None
    if hours <= 0 or hours > 500:
        raise _bad("hours", _("Enter between 0.5 and 500 hours."))
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def save_course(*, actor: User, course: Course | None = None, data: dict[str, Any]) -> Course:
    """Create or edit a course; `data` as the course form cleans it."""
    if course is not None:
        course = Course.objects.select_for_update().get(pk=course.pk)
        require(actor, "manage", course)
    else:
        course = Course(created_by=actor)
    kind = data.get("organiser_kind") or course.organiser_kind
    course.court, course.office = _organiser(
        actor, kind, data.get("court", course.court), data.get("office", course.office)
    )
    course.organiser_kind = kind
    for key in ("title", "topic", "description", "place"):
        if key in data:
            setattr(course, key, (data[key] or "").strip())
    if not course.title:
        raise _bad("title", _("This field is required."))
    if data.get("mode") not in Course.Mode.values:
        raise _bad("mode", _("Choose online or on site."))
    course.mode = data["mode"]
    course.starts_on, course.ends_on = data["starts_on"], data["ends_on"]
    if course.ends_on < course.starts_on:
        raise _bad("ends_on", _("The course ends before it starts."))
    course.hours = _hours(data.get("hours"))
    course.pre_joining = bool(data.get("pre_joining"))
    _video(course, data)
    created = course.pk is None
    course.save()
    record(
        actor,
        "training.course_saved",
        course,
        summary=course.title,
        changes={"created": created, "hours": str(course.hours), "mode": course.mode},
    )
    return course


def _video(course: Course, data: dict[str, Any]) -> None:
    """An online course needs its video and the video's length (the cap of watched time)."""
    if data.get("video"):
        course.video = data["video"]
    if data.get("video_seconds") is not None:
        course.video_seconds = int(data["video_seconds"])
    if course.mode == Course.Mode.ONLINE and course.video_seconds <= 0:
        raise _bad("video_seconds", _("Give the length of the course video in seconds."))


@transaction.atomic
def add_material(*, actor: User, course: Course, title: str, file: UploadedFile) -> Material:
    require(actor, "manage", course)
    title = (title or "").strip() or file.name or ""
    material = Material.objects.create(course=course, title=title[:200], file=file)
    record(actor, "training.material_added", course, summary=material.title)
    return material


@transaction.atomic
def enrol(*, actor: User, course: Course) -> Enrolment:
    """The signed-in mediator enrols themselves (an applicant is enrolled on acceptance)."""
    from sutiao.roster.models import Mediator

    require(actor, "view", course)
    mediator = Mediator.objects.filter(user=actor, status=Mediator.Status.ACTIVE).first()
    if mediator is None:
        raise Forbidden(_("Only a mediator on the platform enrols in a course."))
    enrolment, created = Enrolment.objects.get_or_create(course=course, mediator=mediator)
    if created:
        record(actor, "training.enrolled", enrolment, summary=f"{mediator.name} · {course.title}")
    return enrolment


@transaction.atomic
def set_requirement(
    *, actor: User, region: Region | None, before_joining: Decimal, per_year: Decimal
) -> HourRequirement:
    """A region's hours (SIR 7: configurable); None: the national default. Platform
    administrators set the national one; an office sets its own region's."""
    if region is None and not is_platform_admin(actor):
        raise Forbidden()
    if region is not None and not (
        is_platform_admin(actor)
        or IPOffice.objects.filter(pk__in=actor.ip_office_ids(), region=region).exists()
    ):
        raise Forbidden(_("You set the requirement of your own office's region."))
    for name, value in (("before_joining", before_joining), ("per_year", per_year)):
        if value is None or value < 0 or value > 1000:
            raise _bad(name, _("Enter between 0 and 1000 hours."))
    row = HourRequirement.objects.select_for_update().filter(region=region).first()
    row = row or HourRequirement(region=region)
    row.before_joining, row.per_year = before_joining, per_year
    row.save()
    record(
        actor,
        "training.requirement_set",
        row,
        summary=str(row),
        changes={"before_joining": str(before_joining), "per_year": str(per_year)},
    )
    return row
