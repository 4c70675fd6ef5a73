"""Reads for the session pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases.models import Case

from .models import Attendance, MeetingSession, Participant, ProposedTime, State


def sessions_of(user) -> QuerySet[MeetingSession]:
    return (
        MeetingSession.objects.filter(participants__user=user)
        .select_related("case")
        .order_by("-id")[:50]
    )


def sessions_of_case(user, case: Case) -> QuerySet[MeetingSession]:
    return MeetingSession.objects.filter(case=case, participants__user=user).order_by("-id")


def attendance_of(session: MeetingSession) -> QuerySet[Attendance]:
    return session.attendance.select_related("participant__party", "participant__user")


def participants_of(session: MeetingSession) -> QuerySet[Participant]:
    return session.participants.select_related("party", "user", "accepted_time")


def checked_today(participant: Participant) -> bool:
    return participant.checks.filter(day=timezone.localdate()).exists()


def present(session_id: int) -> list[int]:
    """Participants whose last attendance in the session is a join or a reconnection."""
    last: dict[int, str] = {}
    for pid, kind in Attendance.objects.filter(session_id=session_id).values_list(
        "participant_id", "kind"
    ):
        last[pid] = kind
    return [pid for pid, kind in last.items() if kind != Attendance.Kind.LEFT]


def _with_people(qs: QuerySet[MeetingSession]) -> QuerySet[MeetingSession]:
    return qs.select_related("case").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("party", "user"))
    )


def calendar_of(user, monday: dt.date) -> dict:
    """The mediator's sessions of the week from `monday` (Beijing days), by day and time, and
    those whose time is not agreed yet (with their proposed times)."""
    mine = MeetingSession.objects.filter(
        participants__user=user, participants__role=Participant.Role.MEDIATOR
    )
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    week = _with_people(
        mine.filter(start__gte=start, start__lt=start + dt.timedelta(days=7)).order_by("start")
    )
    days: dict[dt.date, list[MeetingSession]] = {monday + dt.timedelta(d): [] for d in range(7)}
    for s in week:
        days[timezone.localdate(s.start)].append(s)
    proposed = _with_people(mine.filter(state=State.PROPOSED).order_by("id")).prefetch_related(
        Prefetch("times", queryset=ProposedTime.objects.filter(withdrawn=False))
    )
    return {"days": days, "proposed": list(proposed)}


def my_sessions(user, now: dt.datetime | None = None) -> dict:
    """A participant's sessions: coming (scheduled, not over) first, soonest first; the rest."""
    now = now or timezone.now()
    mine = _with_people(MeetingSession.objects.filter(participants__user=user))
    coming = mine.filter(state=State.SCHEDULED, end__gt=now).order_by("start")
    others = mine.exclude(pk__in=coming.values("pk")).order_by("-id")[:50]
    return {"coming": list(coming), "others": list(others)}


def judges_to_invite(session: MeetingSession) -> list[User]:
    """The active judges of the case's court not in the session yet (the mediator's choice)."""
    if not session.case.court_id:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role=Role.JUDGE,
            memberships__court_id=session.case.court_id,
        )
        .exclude(pk__in=session.participants.values("user"))
        .distinct()
        .order_by("pk")
    )
