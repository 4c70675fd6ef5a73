"""Deadline reminders: one working day before a case's running clock ends, whoever must act
is told (web.notices handles the `deadline.due` event). Run by the scheduler; idempotent: a
reminder is emitted once per case and deadline (a moved deadline is reminded again)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sutiao.cases.models import Case
from sutiao.cases.queries import OPEN_STATES
from sutiao.core import outbox
from sutiao.core.models import OutboxEvent
from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.periods import remaining

TOPIC = "deadline.due"


def _reminded(case_id: int, deadline: str) -> bool:
    return OutboxEvent.objects.filter(
        topic=TOPIC, payload__case=case_id, payload__deadline=deadline
    ).exists()


def remind_deadlines(*, now: dt.datetime | None = None) -> list[int]:
    """Emit `deadline.due` for every open case whose deadline is at most one working day
    away (today or the next working day) and not passed; returns the cases reminded."""
    now = now or timezone.now()
    soon = Case.objects.filter(
        state__in=OPEN_STATES,
        deadline_at__gt=now,
        deadline_at__lte=now + dt.timedelta(days=12),  # a holiday week ahead at most
    ).exclude(clock="")
    done = []
    for case_id, deadline_at, clock in soon.values_list("pk", "deadline_at", "clock"):
        if deadline_at is None:
            continue
        try:
            left = remaining(deadline_at, now)
        except CalendarIncomplete:
            continue
        if left.working_days is None or left.working_days > 1:
            continue
        deadline = deadline_at.isoformat()
        with transaction.atomic():
            if _reminded(case_id, deadline):
                continue
            outbox.emit(TOPIC, {"case": case_id, "deadline": deadline, "clock": clock})
            done.append(case_id)
    return done
