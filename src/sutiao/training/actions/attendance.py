"""Attendance becomes hours: an online course's watched time, reported by the page's player
in small signed heartbeats, or an on-site course's sign-in list (XLSX)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Forbidden, Invalid
from sutiao.core.policy import require

from .. import signin
from ..errors import TrainingError
from ..models import Course, Enrolment, SignInImport
from ..policies import is_trainee

BEAT_SALT = "training.heartbeat"
BEAT_EVERY = 10  # seconds between the player's reports
BEAT_MAX = 30  # no report credits more, however long the gap (a paused or hidden tab)
TOKEN_AGE = 12 * 3600
COMPLETE = Decimal("0.95")  # share of the video watched that earns the course's hours


def beat_token(enrolment: Enrolment, user: User) -> str:
    """What the page gives its player: signed for this enrolment and this person."""
    return signing.dumps({"e": enrolment.pk, "u": user.pk}, salt=BEAT_SALT)


def _check_token(token: str, enrolment: Enrolment, user: User) -> None:
    try:
        data = signing.loads(token, salt=BEAT_SALT, max_age=TOKEN_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("e") != enrolment.pk or data.get("u") != user.pk:
        raise Forbidden(
            _("This report of watched time is not valid; reload the page."),
            code=TrainingError.BAD_HEARTBEAT,
        )


def _credit(enrolment: Enrolment, hours: Decimal, on: dt.date, actor: Any, how: str) -> None:
    enrolment.hours, enrolment.credited_on = hours, on
    record(
        actor,
        "training.hours_credited",
        enrolment,
        summary=f"{enrolment.person_name} · {enrolment.course.title}",
        changes={"hours": str(hours), "how": how},
    )
    outbox.emit(
        "training.hours_credited",
        {
            "enrolment": enrolment.pk,
            "course": enrolment.course_id,
            "mediator": enrolment.mediator_id,
            "application": enrolment.application_id,
            "hours": str(hours),
        },
    )


@transaction.atomic
def heartbeat(*, actor: User, enrolment: Enrolment, token: str, seconds: int) -> Enrolment:
    """`seconds` more of the course video watched, as the player reports. A report counts no
    more than the time since the last one (plus a little), never more than BEAT_MAX, and the
    total never passes the video's length; watching it (nearly) all credits the hours.
    Progress is not audited beat by beat: the credit is."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "mediator", "application")
        .get(pk=enrolment.pk)
    )
    require(actor, "view", enrolment)
    if not is_trainee(actor, enrolment):
        raise Forbidden()
    _check_token(token, enrolment, actor)
    course = enrolment.course
    if course.mode != Course.Mode.ONLINE or course.video_seconds <= 0:
        raise Invalid(_("This course has no video."), code=TrainingError.NOT_ONLINE)
    now = timezone.now()
    gap = (now - enrolment.last_beat_at).total_seconds() + 2 if enrolment.last_beat_at else BEAT_MAX
    counted = max(0, min(int(seconds or 0), int(gap), BEAT_MAX))
    enrolment.watched_seconds = min(enrolment.watched_seconds + counted, course.video_seconds)
    enrolment.last_beat_at = now
    if (
        enrolment.credited_on is None
        and enrolment.watched_seconds >= COMPLETE * course.video_seconds
    ):
        _credit(enrolment, course.hours, timezone.localdate(now), actor, "video")
    enrolment.save()
    return enrolment


@transaction.atomic
def import_sign_in(*, actor: User, course: Course, filename: str, content: bytes) -> SignInImport:
    """An on-site course's sign-in list: each good row credits its person's hours (enrolling
    them if the list names someone not enrolled); each bad row is reported with its line and
    reasons and changes nothing. An unreadable file changes nothing at all (Invalid)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    require(actor, "manage", course)
    if course.mode != Course.Mode.ON_SITE:
        raise Invalid(
            _("A sign-in list is for a course held on site."), code=TrainingError.BAD_SIGN_IN
        )
    rows, errors = signin.read(content, course)
    today = timezone.localdate()
    credited = 0
    for row in rows:
        enrolment, _created = Enrolment.objects.select_for_update().get_or_create(
            course=course, **row.who
        )
        if enrolment.credited_on is not None and enrolment.hours >= row.hours:
            continue  # the same list imported again: nothing new
        _credit(enrolment, row.hours, min(course.ends_on, today), actor, "sign_in")
        enrolment.save()
        credited += 1
    result = SignInImport.objects.create(
        course=course,
        filename=filename[:200],
        imported_by=actor,
        credited_count=credited,
        errors=errors,
    )
    record(
        actor,
        "training.sign_in_imported",
        course,
        summary=filename[:200],
        changes={"credited": credited, "rows_with_errors": len(errors)},
    )
    return result
