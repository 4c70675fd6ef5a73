"""A LiveKit server (an SFU the operator deploys) as the media of a session, through the
`livekit-api` package.

One LiveKit room per session, named from the session and a MAC of the platform's secret key
(`room_name`): LiveKit creates it when the first admitted participant connects. Each admitted
participant gets an access token of their own: identity = their participant id (stable for the
session), name, a VideoGrants for that one room only (join, publish, subscribe; nothing else),
valid until the session's end plus the platform's grace (MEETINGS_END_GRACE_MINUTES). When the
session ends the platform removes whoever is still in the room and deletes it (RoomService), and
no token opens it again once expired. Recording: the mediator's browser records (recording.js,
chunks.py) as in the mesh; no LiveKit Egress is needed (docs/deployment.md "LiveKit").
LiveKit's webhooks (participant joined or left) are verified and recorded by meetings/webhooks.py;
the platform's signalling WebSocket stays the one that admits and its attendance the record."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import hmac
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from . import ProviderUnavailable

T = TypeVar("T")
ROOM = re.compile(r"^sutiao-session-(\d+)-([0-9a-f]{20})$")


def _run(call: Callable[[], Awaitable[T]]) -> T:
    """livekit-api is asynchronous; the provider is called from synchronous code (a view, the
    signalling consumer's database thread, an on_commit hook): run it on a loop of its own."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(call())).result()  # type: ignore[arg-type]


@dataclass
class LiveKit:
    url: str
    api_key: str
    api_secret: str
    key: bytes
    name = "livekit"

    @classmethod
    def from_settings(cls) -> LiveKit:
        if not (settings.LIVEKIT_URL and settings.LIVEKIT_API_KEY and settings.LIVEKIT_API_SECRET):
            raise ImproperlyConfigured(
                "SUTIAO_MEETINGS_PROVIDER=livekit needs SUTIAO_LIVEKIT_URL, "
                "SUTIAO_LIVEKIT_API_KEY and SUTIAO_LIVEKIT_API_SECRET"
            )
        return cls(
            url=settings.LIVEKIT_URL,
            api_key=settings.LIVEKIT_API_KEY,
            api_secret=settings.LIVEKIT_API_SECRET,
            key=settings.SECRET_KEY.encode(),
        )

    def http_origin(self) -> str:
        """The server's HTTP(S) origin (the browsers' client asks it why a connection failed)."""
        parts = urllib.parse.urlsplit(self.url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        return f"{scheme}://{parts.netloc}"

    def _mac(self, session_id: int) -> str:
        what = f"livekit:room:{session_id}".encode()
        return hmac.new(self.key, what, hashlib.sha256).hexdigest()[:20]

    def room_name(self, session: Any) -> str:
        return f"sutiao-session-{session.pk}-{self._mac(session.pk)}"

    def session_id(self, room: str) -> int | None:
        """The session a room name is of; None for a name the platform did not make."""
        found = ROOM.match(room or "")
        if not found or not hmac.compare_digest(found[2], self._mac(int(found[1]))):
            return None
        return int(found[1])

    def token(self, session: Any, participant: Any, now: dt.datetime | None = None) -> str:
        from livekit.api import AccessToken, VideoGrants

        now = now or timezone.now()
        grace = dt.timedelta(minutes=settings.MEETINGS_END_GRACE_MINUTES)
        ttl = max(session.end + grace - now, dt.timedelta(seconds=60))
        grants = VideoGrants(
            room_join=True,
            room=self.room_name(session),
            can_publish=True,
            can_subscribe=True,
            can_publish_data=False,  # chat goes through the platform (kept with the case)
        )
        return (
            AccessToken(self.api_key, self.api_secret)
            .with_identity(str(participant.pk))
            .with_name(str(participant))
            .with_grants(grants)
            .with_ttl(ttl)
            .to_jwt()
        )

    def admit(self, session: Any, participant: Any) -> dict:
        return {
            "provider": "livekit",
            "server": self.url,
            "room": self.room_name(session),
            "token": self.token(session, participant),
        }

    def start_recording(self, session: Any, rec: Any) -> None:
        return None  # the mediator's page records what it receives, as in the mesh

    def caucus(self, session: Any) -> None:
        # Not separated on LiveKit yet (docs/meetings.md "Not built yet": per-side grants);
        # the consumer still keeps signalling and chat apart.
        return None

    def close(self, session: Any) -> None:
        """Remove whoever is still in the room, then delete it (nothing to do if LiveKit never
        made it: nobody joined)."""
        room = self.room_name(session)

        async def call() -> None:
            from livekit import api

            lk = api.LiveKitAPI(self.url, self.api_key, self.api_secret, failover=False)
            try:
                try:
                    listed = await lk.room.list_participants(api.ListParticipantsRequest(room=room))
                except api.TwirpError as exc:
                    if exc.code == api.TwirpErrorCode.NOT_FOUND:
                        return
                    raise
                for p in listed.participants:
                    await lk.room.remove_participant(
                        api.RoomParticipantIdentity(room=room, identity=p.identity)
                    )
                await lk.room.delete_room(api.DeleteRoomRequest(room=room))
            finally:
                await lk.aclose()

        try:
            _run(call)
        except Exception as exc:  # aiohttp's and twirp's errors alike: the server is not there
            raise ProviderUnavailable() from exc
