"""What the platform does by the clock, run by the scheduler (sutiao/scheduler.py): it ends a
session at its end time whatever the provider, and reminds every participant the day before
and 30 minutes before. Both are idempotent and lock the session, so a job run twice, or two
schedulers at once, do nothing twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sutiao.delivery.actions import notify

from . import actions, lifecycle
from .models import MeetingSession, Reminder, State

# (kind, how long before the start it is due). A reminder is sent from its moment until the
# next one is due (the day's not once the 30 minutes' is), never after the start.
REMINDERS = (
    (Reminder.Kind.DAY, dt.timedelta(days=1)),
    (Reminder.Kind.SOON, dt.timedelta(minutes=30)),
)


def grace() -> dt.timedelta:
    return dt.timedelta(minutes=settings.MEETINGS_END_GRACE_MINUTES)


def end_overdue(*, now: dt.datetime | None = None) -> list[int]:
    """End every scheduled session whose end time passed more than the grace ago, through the
    same steps as the mediator's "end" (actions.close); returns the sessions ended."""
    now = now or timezone.now()
    due = MeetingSession.objects.filter(state=State.SCHEDULED, end__lte=now - grace())
    ended = []
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            session = actions._locked(pk)
            if session.state != State.SCHEDULED or session.end is None:
                continue  # ended or rescheduled meanwhile
            if session.end > now - grace():
                continue
            t = lifecycle.machine.check(session, "end", {"system"})
            actions.close(session, t, "system")
            ended.append(pk)
    return ended


def _due(session: MeetingSession, now: dt.datetime) -> str | None:
    """The reminder due now for the session's start, if any."""
    assert session.start is not None
    if now >= session.start:
        return None
    for (kind, before), nxt in zip(REMINDERS, [*REMINDERS[1:], None], strict=True):
        opens = session.start - before
        closes = session.start - nxt[1] if nxt else session.start
        if opens <= now < closes:
            return kind
    return None


def send_reminders(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Remind every participant of each scheduled session whose reminder is due; a reminder
    row per (session, kind, start) makes each be sent once. Returns (session, kind) sent."""
    now = now or timezone.now()
    soon = MeetingSession.objects.filter(
        state=State.SCHEDULED, start__gt=now, start__lte=now + REMINDERS[0][1]
    )
    sent = []
    for pk in soon.values_list("pk", flat=True):
        with transaction.atomic():
            session = actions._locked(pk)
            if session.state != State.SCHEDULED or session.start is None:
                continue
            kind = _due(session, now)
            if kind is None:
                continue
            _row, created = Reminder.objects.get_or_create(
                session=session, kind=kind, start=session.start, defaults={"sent_at": now}
            )
            if created:
                _remind(session, kind)
                sent.append((pk, kind))
    return sent


def _remind(session: MeetingSession, kind: str) -> None:
    """Through delivery, to each participant's account: the inbox, e-mail as they prefer and
    an SMS (the notice asks them to be there)."""
    users = [p.user for p in session.participants.select_related("user")]
    notify(
        case=session.case,
        topic="meeting.reminder",
        recipients=list(users),
        context={
            "session": {
                "start": session.start,
                "end": session.end,
                "title": session.title,
                "url": actions.join_url(session),
            },
            "reminder": kind,
        },
        actor="system",
        sms=True,
    )
