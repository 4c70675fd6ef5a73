"""Where the media of a session go: `mesh` (the browsers connect to each other; the default)
or `janus` (an SFU: each browser sends once to Janus, which forwards to the others). Chosen by
`SUTIAO_MEETINGS_PROVIDER`. Whatever the provider, the platform's signalling WebSocket admits
the participant and keeps the attendance; the provider only carries the media."""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sutiao.core.errors import DomainError

from ..errors import MeetingError


class ProviderUnavailable(DomainError):
    status = 503
    code: str = MeetingError.PROVIDER_UNAVAILABLE
    default_message = _("The media server cannot be reached; try again in a moment.")


class Provider(Protocol):
    name: str

    def admit(self, session: Any, participant: Any) -> dict:
        """Make the room ready for this admitted participant; what their page needs to join
        (sent in the signalling WebSocket's welcome)."""
        ...

    def close(self, session: Any) -> None:
        """The session ended: nobody joins its media room any more."""
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

    def start_recording(self, session: Any, rec: Any) -> None:
        return None  # the mediator's page records (recording.js) and uploads (chunks.py)


def provider() -> Provider:
    if settings.MEETINGS_PROVIDER == "janus":
        from .janus import Janus

        return Janus.from_settings()
    return Mesh()
