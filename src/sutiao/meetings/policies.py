"""Who may see a session: only its participants; strangers get 404."""

from __future__ import annotations

from sutiao.core.policy import rule

from .models import MeetingSession


def participant_of(user, session: MeetingSession):
    return next((p for p in session.participants.all() if p.user_id == user.pk), None)


@rule(MeetingSession, "view")
def can_view_session(user, session: MeetingSession) -> bool:
    return participant_of(user, session) is not None


@rule(MeetingSession, "manage")
def can_manage_session(user, session: MeetingSession) -> bool:
    p = participant_of(user, session)
    return p is not None and p.role == "mediator"
