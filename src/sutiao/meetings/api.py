"""Sessions over JSON: a participant's sessions and a session's attendance (404 for others)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from sutiao.core.lookup import visible

from . import queries
from .models import MeetingSession

router = Router(tags=["meetings"])


class SessionOut(Schema):
    id: int
    case: int
    title: str
    state: str
    start: datetime | None
    end: datetime | None


class AttendanceOut(Schema):
    participant: int
    name: str
    kind: str
    at: datetime


@router.get("/meetings/", response=list[SessionOut])
def my_sessions(request):
    return [
        SessionOut(id=s.pk, case=s.case_id, title=s.title, state=s.state, start=s.start, end=s.end)
        for s in queries.sessions_of(request.auth)
    ]


@router.get("/meetings/{session_id}/attendance", response=list[AttendanceOut])
def attendance(request, session_id: int):
    session = visible(request.auth, MeetingSession, pk=session_id)
    return [
        AttendanceOut(participant=a.participant_id, name=str(a.participant), kind=a.kind, at=a.at)
        for a in queries.attendance_of(session)
    ]
