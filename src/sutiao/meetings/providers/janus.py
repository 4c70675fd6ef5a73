"""The Janus SFU (Debian's `janus`, VideoRoom plugin) as the media of a session.

One VideoRoom per session, created by the platform over the Janus HTTP API with the VideoRoom
`admin_key`, a room secret of its own and an `allowed` list: Janus admits to the room only a
token the platform put on that list (433 otherwise). In a separate talk (背对背调解) each side
has a room of its own (`caucus`). Each admitted participant gets a token of
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


def caucus_room(session_id: int) -> int:
    """The VideoRoom of a session's separate talk (背对背调解); the main room is the session id."""
    return CAUCUS_ROOMS + session_id


def insiders(session: Any, party: bool = True) -> set[int]:
    """The participants (ids) on the separate talk's side: the mediator(s) and the party."""
    found = set(session.participants.filter(role="mediator").values_list("pk", flat=True))
    if party and session.caucus_with_id is not None:
        found.add(session.caucus_with_id)
    return found


CAUCUS_ROOMS = 10**12  # above any session id; below 2**53 (a JavaScript number)
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
        """This participant's token on the list of the room of their side: the separate
        talk's room while they are in one, the main room otherwise."""
        token = self.token(session, participant)
        inside = session.caucus_with_id is not None and participant.pk in insiders(session)
        room = caucus_room(session.pk) if inside else session.pk
        self._create(session, room, [])
        self._allow(session, room, "add", [token])
        return {
            "provider": "janus",
            "server": self.ws_url,
            "room": room,
            "rooms": {"main": session.pk, "caucus": caucus_room(session.pk)},
            "mediators": sorted(insiders(session, party=False)),
            "caucus": session.caucus_with_id,
            "token": token,
            "display": str(participant.pk),
        }

    def _create(self, session: Any, room: int, allowed: list[str]) -> None:
        """The room, if it does not exist yet: the main room records when the platform says
        (lock_record); a separate talk's room never records."""
        main = room == session.pk
        self.videoroom(
            {
                "request": "create",
                "room": room,
                "admin_key": self.admin_key,
                "secret": self.room_secret(session),
                "description": f"session {session.pk}" + ("" if main else " caucus"),
                "publishers": PUBLISHERS,
                "allowed": allowed,
                "is_private": True,
                # A subscription names the private id of a publisher of the room, so only a page
                # that joined it with a token of its list can subscribe to anything in it.
                "require_pvtid": True,
                "lock_record": True,  # only the room secret (the platform) records
                "record": False,
                "rec_dir": str(session_rec_dir(session.pk)),
            },
            ok=(ROOM_EXISTS,),
        )

    def _allow(self, session: Any, room: int, action: str, tokens: list[str]) -> None:
        if tokens:
            self.videoroom(
                {
                    "request": "allowed",
                    "room": room,
                    "secret": self.room_secret(session),
                    "action": action,
                    "allowed": tokens,
                }
            )

    def _destroy(self, session: Any, room: int) -> None:
        self.videoroom(
            {"request": "destroy", "room": room, "secret": self.room_secret(session)},
            ok=(NO_SUCH_ROOM,),
        )

    def caucus(self, session: Any) -> None:
        """Make Janus carry the media as `session.caucus_with` says. Apart: a room of the
        separate talk's own (only the mediator's and that party's tokens are on its list), and
        the main room destroyed (every publisher and subscription in it ends at once, whatever
        a page does) and created again with only the other side's tokens, so that no page of
        one side can publish to or subscribe from the other. Together: the separate talk's
        room destroyed and the mediator's and the party's tokens back on the main room's list.
        """
        admitted = session.participants.filter(pk__in=session.attendance.values("participant"))
        everyone = {p.pk: self.token(session, p) for p in admitted}  # tokens handed out
        inside = insiders(session)
        if session.caucus_with_id is None:
            self._destroy(session, caucus_room(session.pk))
            self._create(session, session.pk, [])
            self._allow(session, session.pk, "add", list(everyone.values()))
            return
        self._destroy(session, caucus_room(session.pk))  # a talk with another party before
        self._create(session, caucus_room(session.pk), [everyone[p] for p in inside])
        recording = self._recording_folder(session)
        self._destroy(session, session.pk)
        self._create(session, session.pk, [t for p, t in everyone.items() if p not in inside])
        if recording is not None:  # the other side's streams are still recorded
            self._record_into(session, recording)

    def _recording_folder(self, session: Any) -> Path | None:
        if session.recording_since is None:
            return None
        rec = session.recordings.filter(state="on").first()
        return rec_dir(rec) if rec is not None else None

    def start_recording(self, session: Any, rec: Any) -> None:
        """Every publisher of the room, and any that joins, is recorded into the recording's
        folder (`.mjr` files named by Janus) until `stop_recording`."""
        self._record_into(session, rec_dir(rec))

    def _record_into(self, session: Any, folder: Path) -> None:
        secret = self.room_secret(session)
        self.videoroom(
            {"request": "edit", "room": session.pk, "secret": secret, "new_rec_dir": str(folder)}
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
        self._destroy(session, caucus_room(session.pk))
        self._destroy(session, session.pk)

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
