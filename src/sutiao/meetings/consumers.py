"""Signalling for the room: /ws/meetings/<session id>/.

Admits only a scheduled participant of that session, in its window, checked today
(actions.admitted); records joins, reconnections and leaves; relays WebRTC signalling to one
peer and chat to everyone. Peers are named by their participant id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from sutiao.core.errors import DomainError, NotFound

from . import actions, chunks, queries, recording, sharing, turn
from .models import Attendance


def room_group(session_id: int) -> str:
    return f"meeting.{session_id}"


def peer_group(session_id: int, participant_id: int) -> str:
    return f"meeting.{session_id}.p{participant_id}"


def caucus_event(session) -> dict:
    """Who is in the separate talk: the mediator and `with` (None: everyone together)."""
    return {"type": "caucus", "with": session.caucus_with_id}


def _mediator_and_caucus(session_id: int) -> tuple[int | None, int | None]:
    from .models import MeetingSession, Participant

    session = MeetingSession.objects.get(pk=session_id)
    mediator = session.participants.filter(role=Participant.Role.MEDIATOR).first()
    return (mediator.pk if mediator else None), session.caucus_with_id


def _join(user, session_id: int) -> tuple | None:
    """Admit `user` (actions.admitted: its errors close the socket), make the media room ready
    (None if the provider cannot), record the join (a join without consent stops a recording):
    the participant, its media, the attendance row, who is present and the recording state."""
    from .models import MeetingSession

    p = actions.admitted(user, session_id)
    try:  # the media room (Janus: this participant's token on the room's list)
        media = actions.media_for(p)
    except DomainError:
        return None
    row = actions.record_attendance(participant=p, kind=Attendance.Kind.JOINED)
    recording.joined_without_consent(participant=p)
    session = MeetingSession.objects.get(pk=session_id)
    return p, media, row, queries.present(session_id), recording.recording_event(session)


class RoomConsumer(AsyncJsonWebsocketConsumer):
    participant: Any = None  # the admitted Participant, once connected
    mediator: int | None = None
    caucus: int | None = None
    showing: dict | None = None  # the document this participant shows the room, if any
    screen = False  # this participant shows their screen

    def _side(self, pid: int) -> bool:
        """True for the separate talk's side (the mediator and the one party)."""
        return pid in (self.mediator, self.caucus)

    def _apart(self, sender: int) -> bool:
        return self.caucus is not None and self._side(sender) != self._side(self.participant.pk)

    async def connect(self):
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        try:  # one trip to the database thread: the joins of a crowd queue there one by one
            joined = await database_sync_to_async(_join)(self.scope.get("user"), session_id)
        except NotFound:
            await self.close(code=4404)
            return
        except DomainError:
            await self.close(code=4403)
            return
        if joined is None:  # the media room (Janus) cannot be reached: never joined
            await self.close(code=4503)
            return
        p, media, row, present, rec = joined
        self.participant = p
        self.room = room_group(session_id)
        self.mine = peer_group(session_id, p.pk)
        await self.channel_layer.group_add(self.room, self.channel_name)
        await self.channel_layer.group_add(self.mine, self.channel_name)
        self.mediator, self.caucus = await database_sync_to_async(_mediator_and_caucus)(session_id)
        await self.accept()
        await self.send_json(
            {
                "type": "welcome",
                "me": p.pk,
                "name": str(p),
                "present": [pk for pk in present if pk != p.pk],
                "mediator": self.mediator,
                "caucus": self.caucus,
                "media": media,
                "ice": turn.ice_servers(p.user_id),  # TURN credentials, when configured
                "ice_policy": turn.ice_policy(),  # "relay": through TURN only
                "recording": rec,
            }
        )
        await self._to_room(
            {
                "type": "attendance",
                "peer": p.pk,
                "name": str(p),
                "kind": row.kind,
                "at": row.at.isoformat(),
            }
        )

    async def disconnect(self, code):
        if self.participant is None:
            return
        await self.channel_layer.group_discard(self.room, self.channel_name)
        await self.channel_layer.group_discard(self.mine, self.channel_name)
        row = await database_sync_to_async(actions.record_attendance)(
            participant=self.participant, kind=Attendance.Kind.LEFT
        )
        await self._to_room(
            {
                "type": "attendance",
                "peer": self.participant.pk,
                "name": str(self.participant),
                "kind": row.kind,
                "at": row.at.isoformat(),
            }
        )
        await self._recorder_left()

    async def _recorder_left(self) -> None:
        """The recorder's page is gone: its recording becomes a case document from the chunks
        it uploaded (ffmpeg off the database thread)."""
        p = self.participant
        waits = await database_sync_to_async(chunks.left_behind)(p.user_id, p.session_id)
        for rec_id, wait in waits:
            await asyncio.sleep(wait)
            await database_sync_to_async(chunks.assemble, thread_sensitive=False)(
                rec_id, actor=p.user, reason="recorder_left"
            )

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        me = self.participant.pk
        if kind == "signal" and isinstance(content.get("to"), int):
            await self.channel_layer.group_send(
                peer_group(self.participant.session_id, content["to"]),
                {
                    "type": "room.event",
                    "payload": {"type": "signal", "from": me, "data": content.get("data")},
                },
            )
        elif kind == "caucus":
            await self._caucus(content)
        elif kind == "end":
            await self._end()
        elif kind in ("consent", "record"):
            await self._recording(kind, bool(content.get("on")))
        elif kind == "share":
            await self._share(content)
        elif kind == "page" and self.showing is not None:
            page = content.get("page")
            if isinstance(page, int) and 1 <= page <= self.showing["pages"]:
                self.showing["page"] = page
                await self._to_room({**self.showing, "from": me, "sharer": str(self.participant)})
        elif kind == "chat":
            body = str(content.get("body", ""))[:2000]
            try:
                msg = await database_sync_to_async(actions.post_chat)(
                    participant=self.participant, body=body
                )
            except DomainError as exc:
                await self.send_json({"type": "error", "message": str(exc.message)})
                return
            await self._to_room(
                {
                    "type": "chat",
                    "from": me,
                    "name": str(self.participant),
                    "body": msg.body,
                    "at": msg.at.isoformat(),
                }
            )

    async def _caucus(self, content) -> None:
        with_ = content.get("with")
        try:
            if with_ is None:
                await database_sync_to_async(self._end_caucus)()
            else:
                await database_sync_to_async(self._start_caucus)(int(with_))
        except (DomainError, ValueError, TypeError) as exc:
            await self.send_json({"type": "error", "message": str(getattr(exc, "message", exc))})

    async def _share(self, content) -> None:
        """The screen shown or no longer (media go peer to peer; the room is told who shares),
        or a case document shown (sharing.share_document checks it) or no longer."""
        me, what = self.participant.pk, content.get("kind")
        event: dict = {"type": "share", "from": me, "sharer": str(self.participant)}
        try:
            if what == "screen" and content.get("on"):
                if not self.screen:  # announced again (to a newcomer): audited once
                    await database_sync_to_async(sharing.share_screen)(participant=self.participant)
                self.screen = True
                event["kind"] = "screen"
            elif what == "document" and isinstance(content.get("file"), int):
                call = self._in_language(
                    lambda: sharing.share_document(
                        participant=self.participant,
                        file_id=content["file"],
                        page=int(content.get("page") or 1),
                    )
                )
                self.showing = await database_sync_to_async(call)()
                event.update(self.showing)
            else:  # the screen or the document is no longer shown
                if what == "screen":
                    self.screen = False
                else:
                    self.showing = None
                event.update(kind="none", stopped="screen" if what == "screen" else "document")
        except (DomainError, ValueError, TypeError) as exc:
            code = str(getattr(exc, "code", "") or "")
            message = str(getattr(exc, "message", exc))
            await self.send_json({"type": "error", "code": code, "message": message})
            return
        await self._to_room(event)

    async def _may_see(self, file_id: int) -> bool:
        """This socket's user may see the document shown: asked at every share and page turn
        (human-paced), so that an access lost in the meantime shows nothing more."""
        return await database_sync_to_async(sharing.may_see)(self.participant.user, file_id)

    async def _end(self) -> None:
        """The mediator ends the session: everyone is told, and the room closes (actions.close)."""
        try:
            await database_sync_to_async(self._end_session)()
        except DomainError as exc:
            await self.send_json({"type": "error", "message": str(exc.message)})
        # every page is told "ended" by the action, once committed (actions.close)

    async def _recording(self, kind: str, on: bool) -> None:
        """Consent given or withdrawn (anyone), recording started or stopped (the mediator)."""
        user, session = self.participant.user, self.participant.session
        call: Callable[[], object]
        if kind == "consent":
            call = lambda: recording.set_consent(actor=user, session=session, consent=on)  # noqa: E731
        elif on:
            call = lambda: recording.start(actor=user, session=session)  # noqa: E731
        else:
            call = lambda: recording.stop(actor=user, session=session)  # noqa: E731
        try:
            await database_sync_to_async(self._in_language(call))()
        except DomainError as exc:
            await self.send_json(
                {"type": "error", "code": str(exc.code or ""), "message": str(exc.message)}
            )

    def _in_language(self, call):
        """Run `call` in the user's language (their language cookie, else the browser's)."""

        def run():
            with translation.override(self._language()):  # messages are made when raised
                return call()

        return run

    def _language(self) -> str:
        cookies = self.scope.get("cookies") or {}
        wanted = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if not wanted:
            headers = dict(self.scope.get("headers") or [])
            accept = headers.get(b"accept-language", b"").decode("latin-1")
            wanted = accept.split(",")[0].split(";")[0].strip()
        try:
            return translation.get_supported_language_variant(wanted or settings.LANGUAGE_CODE)
        except LookupError:
            return settings.LANGUAGE_CODE

    async def room_recording(self, event):
        await self.send_json(event["payload"])

    def _end_session(self) -> None:
        actions.end_session(actor=self.participant.user, session=self.participant.session)

    async def room_ended(self, event):
        await self.send_json({"type": "ended"})
        await self.close(code=4000)

    def _start_caucus(self, pid: int) -> None:
        from .models import Participant

        session = self.participant.session
        other = Participant.objects.filter(session=session, pk=pid).first()
        if other is None:
            raise NotFound()
        actions.start_caucus(actor=self.participant.user, session=session, participant=other)

    def _end_caucus(self) -> None:
        actions.end_caucus(actor=self.participant.user, session=self.participant.session)

    async def _to_room(self, payload: dict) -> None:
        await self.channel_layer.group_send(self.room, {"type": "room.event", "payload": payload})

    async def room_event(self, event):
        payload = event["payload"]
        if "from" in payload and self._apart(payload["from"]):
            return  # the sides are apart: no signalling, chat or sharing across
        document = payload.get("type") == "share" and "file" in payload
        if document and not await self._may_see(payload["file"]):
            return  # a document this user may not see is never announced to them
        await self.send_json(payload)

    async def room_caucus(self, event):
        self.caucus = event["payload"]["with"]
        await self.send_json(event["payload"])


class PingConsumer(AsyncJsonWebsocketConsumer):
    """The device check's network test: a logged-in user's page measures the round trip of
    a WebSocket message to the platform (the room's own path and proxy). It echoes only."""

    async def connect(self):
        user = self.scope.get("user")
        if not getattr(user, "is_authenticated", False):
            await self.close(code=4401)
            return
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "t": content.get("t")})
