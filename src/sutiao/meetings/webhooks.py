"""LiveKit's webhooks (POST /meetings/livekit/webhook/): a participant joined or left a room.

The request is LiveKit's only if its Authorization header is a JWT signed with the platform's
LiveKit API secret, issued by its API key, unexpired, whose `sha256` claim is the SHA-256 of
the body (livekit-api's WebhookReceiver and TokenVerifier); anything else is refused and changes
nothing. A verified joined/left of a session's own participant, in a room named by the platform
for that session (providers/livekit.py), is recorded through the attendance action; one of a
room the platform did not name, or an identity that is not a participant of that session, is
ignored and audited as such. The platform's attendance stays the record."""

from __future__ import annotations

from django.db import transaction

from sutiao.audit.log import record

from . import actions
from .models import Attendance, MeetingSession, State

KINDS = {
    "participant_joined": Attendance.Kind.JOINED,
    "participant_left": Attendance.Kind.LEFT,
    "participant_connection_aborted": Attendance.Kind.LEFT,
}
ACTOR = "livekit"


class Unverified(Exception):
    """Not signed by the LiveKit server the platform shares its API key with."""


def verify(body: bytes, authorization: str):
    """The webhook event, if LiveKit signed this body; Unverified otherwise."""
    from django.core.exceptions import ImproperlyConfigured
    from livekit.api import TokenVerifier, WebhookReceiver

    from .providers.livekit import LiveKit

    try:
        lk = LiveKit.from_settings()
    except ImproperlyConfigured as exc:  # no key and secret: nothing is LiveKit's
        raise Unverified("LiveKit is not configured") from exc
    receiver = WebhookReceiver(TokenVerifier(lk.api_key, lk.api_secret))
    token = authorization.removeprefix("Bearer ").strip()
    try:
        return receiver.receive(body.decode("utf-8"), token)
    except Exception as exc:  # bad JWT, wrong key, expired, hash mismatch, not JSON
        raise Unverified(str(exc)) from exc


def _ignored(session: MeetingSession | None, why: str, event) -> str:
    summary = (
        f"{event.event}: {why} (room {event.room.name!r}, identity {event.participant.identity!r})"
    )
    record(ACTOR, "meetings.media_webhook_ignored", session, summary=summary[:500])
    return "ignored"


@transaction.atomic
def handle(event) -> str:
    """Record a verified event: "recorded", "unchanged" (the attendance says so already),
    "ignored" (audited) or "skipped" (an event the platform does not follow)."""
    from .providers.livekit import LiveKit

    kind = KINDS.get(event.event)
    if kind is None:
        return "skipped"
    session_id = LiveKit.from_settings().session_id(event.room.name)
    session = MeetingSession.objects.filter(pk=session_id).first() if session_id else None
    if session is None:
        return _ignored(None, "not a room of the platform", event)
    identity = event.participant.identity
    participant = (
        session.participants.filter(pk=int(identity)).first()
        if identity.isascii() and identity.isdigit()
        else None
    )
    if participant is None:
        return _ignored(session, "not a participant of this session", event)
    if session.state != State.SCHEDULED and kind == Attendance.Kind.JOINED:
        return _ignored(session, "the session is not open", event)
    row = actions.record_media_attendance(participant=participant, kind=kind)
    return "recorded" if row is not None else "unchanged"
