"""The Janus SFU (Debian's `janus`, VideoRoom plugin) as the media of a session.

One VideoRoom per session, created by the platform over the Janus HTTP API with the VideoRoom
`admin_key`, a room secret of its own and an `allowed` list: Janus admits to the room only a
token the platform put on that list (433 otherwise). Each admitted participant gets a token of
their own, derived from the secret key, so nothing needs storing; the room is destroyed when the
session ends. Recording (providers/janus_media.py): the room is created with `lock_record`, so
that no page can start or stop it; the platform points the room's `rec_dir` at a folder of the
recording's own and turns the room's recording on and off with the room secret. Browsers reach Janus over its WebSocket transport (`SUTIAO_JANUS_WS_URL`); the
platform over HTTP (`SUTIAO_JANUS_URL`), which must not be public."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import ProviderUnavailable


def rec_root() -> Path:
    """Where Janus writes recordings and the platform reads them: one path, the same for both
    (the same machine, or a volume mounted at the same place)."""
    configured = settings.JANUS_REC_DIR
    return Path(configured) if configured else Path(settings.DATA_DIR) / "janus-recordings"


def session_rec_dir(session_id: int) -> Path:
    return rec_root() / f"session-{session_id}"


def rec_dir(rec: Any) -> Path:
    """The folder of one recording's .mjr files (the room's `rec_dir` while it runs)."""
    return session_rec_dir(rec.session_id) / f"recording-{rec.pk}"


ROOM_EXISTS = 427
NO_SUCH_ROOM = 426
PUBLISHERS = 6  # mediation sessions have 2-6 people


@dataclass
class Janus:
    url: str
    ws_url: str
    admin_key: str
    key: bytes
    name = "janus"

    @classmethod
    def from_settings(cls) -> Janus:
        return cls(
            url=settings.JANUS_URL.rstrip("/"),
            ws_url=settings.JANUS_WS_URL,
            admin_key=settings.JANUS_ADMIN_KEY,
            key=settings.SECRET_KEY.encode(),
        )

    def _mac(self, what: str) -> str:
        return hmac.new(self.key, f"janus:{what}".encode(), hashlib.sha256).hexdigest()[:40]

    def room_secret(self, session: Any) -> str:
        return self._mac(f"room:{session.pk}")

    def token(self, session: Any, participant: Any) -> str:
        return self._mac(f"token:{session.pk}:{participant.pk}")

    def admit(self, session: Any, participant: Any) -> dict:
        token = self.token(session, participant)
        self.videoroom(
            {
                "request": "create",
                "room": session.pk,
                "admin_key": self.admin_key,
                "secret": self.room_secret(session),
                "description": f"session {session.pk}",
                "publishers": PUBLISHERS,
                "allowed": [],
                "is_private": True,
                "lock_record": True,  # only the room secret (the platform) records
                "record": False,
                "rec_dir": str(session_rec_dir(session.pk)),
            },
            ok=(ROOM_EXISTS,),
        )
        self.videoroom(
            {
                "request": "allowed",
                "room": session.pk,
                "secret": self.room_secret(session),
                "action": "add",
                "allowed": [token],
            }
        )
        return {
            "provider": "janus",
            "server": self.ws_url,
            "room": session.pk,
            "token": token,
            "display": str(participant.pk),
        }

    def start_recording(self, session: Any, rec: Any) -> None:
        """Every publisher of the room, and any that joins, is recorded into the recording's
        folder (`.mjr` files named by Janus) until `stop_recording`."""
        secret = self.room_secret(session)
        self.videoroom(
            {
                "request": "edit",
                "room": session.pk,
                "secret": secret,
                "new_rec_dir": str(rec_dir(rec)),
            }
        )
        self.videoroom(
            {"request": "enable_recording", "room": session.pk, "secret": secret, "record": True}
        )

    def stop_recording(self, session: Any) -> dict[int, str]:
        """Janus closes the room's recorders; the publishers' Janus ids and their display (a
        participant id), to name the recording's tracks."""
        secret = self.room_secret(session)
        listed = self.videoroom(
            {"request": "listparticipants", "room": session.pk}, ok=(NO_SUCH_ROOM,)
        )
        self.videoroom(
            {"request": "enable_recording", "room": session.pk, "secret": secret, "record": False},
            ok=(NO_SUCH_ROOM,),
        )
        return {int(p["id"]): str(p.get("display", "")) for p in listed.get("participants", [])}

    def close(self, session: Any) -> None:
        self.videoroom(
            {"request": "destroy", "room": session.pk, "secret": self.room_secret(session)},
            ok=(NO_SUCH_ROOM,),
        )

    # The Janus API over HTTP: a Janus session, a handle on the VideoRoom, one request.
    def _post(self, path: str, body: dict) -> dict:
        if not self.url.startswith(("http://", "https://")):
            raise ImproperlyConfigured("SUTIAO_JANUS_URL must be an http(s) URL")
        body = {**body, "transaction": secrets.token_hex(8)}
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            # nosec B310: the configured http(s) URL, checked above
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  # nosec B310
                answer = json.load(response)
        except (OSError, ValueError) as exc:
            raise ProviderUnavailable() from exc
        if answer.get("janus") == "error":
            raise ProviderUnavailable(janus_error=answer.get("error", {}).get("code"))
        return answer

    def videoroom(self, body: dict, ok: tuple[int, ...] = ()) -> dict:
        """One synchronous VideoRoom request; its answer (`plugindata.data`)."""
        session_id = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(
                f"/{session_id}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}
            )["data"]["id"]
            answer = self._post(f"/{session_id}/{handle}", {"janus": "message", "body": body})
        finally:
            with contextlib.suppress(ProviderUnavailable):  # it times out by itself
                self._post(f"/{session_id}", {"janus": "destroy"})
        data = answer.get("plugindata", {}).get("data", {})
        code = data.get("error_code")
        if code and code not in ok:
            raise ProviderUnavailable(janus_error=code, reason=data.get("error"))
        return data
