"""Reads for the session pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from sutiao.cases.models import Case

from .models import Attendance, MeetingSession, Participant


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
