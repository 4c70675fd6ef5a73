"""Where the media of a session go: `mesh` (the browsers connect to each other; the default),
`janus` (an SFU: each browser sends once to Janus, which forwards to the others) or `livekit`
(an SFU the operator deploys: LiveKit, through livekit-api's tokens and RoomService). Chosen by
`SUTIAO_MEETINGS_PROVIDER`. Whatever the provider, the platform's signalling WebSocket admits
the participant and keeps the attendance; the provider only carries the media."""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sutiao.core.errors import DomainError

from ..errors import MeetingError


class ProviderUnavailable(DomainError):
    status = 503
    code: str = MeetingError.PROVIDER_UNAVAILABLE
    default_message = _("The media server cannot be reached; try again in a moment.")


class CaucusNotApplied(DomainError):
    status = 503
    code: str = MeetingError.CAUCUS_NOT_APPLIED


class Provider(Protocol):
    name: str

    def admit(self, session: Any, participant: Any) -> dict:
        """Make the room ready for this admitted participant; what their page needs to join
        (sent in the signalling WebSocket's welcome)."""
        ...

    def close(self, session: Any) -> None:
        """The session ended: nobody joins its media room any more."""
        ...

    def caucus(self, session: Any) -> None:
        """A separate talk started or ended (`session.caucus_with`, not yet committed): the
        media server carries nothing between the sides while they are apart. Raises
        ProviderUnavailable if it cannot (the caller then starts or ends nothing)."""
        ...

    def start_recording(self, session: Any, rec: Any) -> None:
        """A recording starts (consent checked): the media server records, if it does."""
        ...


class Mesh:
    """The browsers connect to each other; the signalling consumer relays their offers."""

    name = "mesh"

    def admit(self, session: Any, participant: Any) -> dict:
        return {"provider": "mesh"}

    def close(self, session: Any) -> None:
        return None

    def caucus(self, session: Any) -> None:
        return None  # the consumer stops relaying signalling across; the pages stop sending

    def start_recording(self, session: Any, rec: Any) -> None:
        return None  # the mediator's page records (recording.js) and uploads (chunks.py)


def provider() -> Provider:
    if settings.MEETINGS_PROVIDER == "janus":
        from .janus import Janus

        return Janus.from_settings()
    if settings.MEETINGS_PROVIDER == "livekit":
        from .livekit import LiveKit

        return LiveKit.from_settings()
    return Mesh()


def apply_caucus(session: Any, before: int | None) -> None:
    """The media server follows `session.caucus_with` (changed from `before`, in the caller's
    transaction). If it cannot, it is put back as it was (as far as it answers) and the start
    or end of the separate talk fails: the caller's transaction rolls back, so the platform
    never says the sides are apart while the media server still carries them across."""
    media = provider()
    try:
        media.caucus(session)
    except ProviderUnavailable as exc:
        now = session.caucus_with_id
        session.caucus_with_id = before
        with contextlib.suppress(ProviderUnavailable):
            media.caucus(session)
        session.caucus_with_id = now
        if now is None:
            message = _("The media server did not answer: the separate talk goes on. Try again.")
        else:
            message = _("The media server did not answer: the separate talk did not start.")
        raise CaucusNotApplied(message) from exc
