"""The scheduler's part (sutiao.scheduler, hourly): each joint meeting with a schedule gets
the analysis report of the month or quarter just ended, queued once; reports left queued
by a server that stopped are generated."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from . import actions, content
from .models import JointMeeting, Report

log = logging.getLogger("sutiao.reports")
STUCK = dt.timedelta(minutes=2)


def last_period(schedule: str, today: dt.date) -> dt.date:
    """The first day of the month or quarter before the one `today` is in."""
    first = today.replace(day=1)
    if schedule == JointMeeting.Schedule.QUARTERLY:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    return content.previous(schedule, first)[0]


def scheduled(today: dt.date | None = None) -> list[Report]:
    today = today or timezone.localdate()
    made = []
    for meeting in JointMeeting.objects.exclude(schedule=""):
        start = last_period(meeting.schedule, today)
        if Report.objects.filter(
            kind=Report.Kind.ANALYSIS,
            scope_level=meeting.scope_level,
            scope_key=meeting.scope_key,
            start=start,
        ).exists():
            continue
        made.append(
            actions.request_report(
                actor=None,
                kind=Report.Kind.ANALYSIS,
                scope_level=meeting.scope_level,
                scope_key=meeting.scope_key,
                period=meeting.schedule,
                start=start,
            )
        )
    stuck = Report.objects.filter(state=Report.State.QUEUED, created_at__lt=timezone.now() - STUCK)
    for pk in stuck.values_list("pk", flat=True):
        actions.generate(pk)
    if made:
        log.info("scheduled reports queued", extra={"reports": len(made)})
    return made
