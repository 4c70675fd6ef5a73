"""Signalling for the room: /ws/meetings/<session id>/.

Admits only a scheduled participant of that session, in its window, checked today
(actions.admitted); records joins, reconnections and leaves; relays WebRTC signalling to one
peer and chat to everyone. Peers are named by their participant id."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from sutiao.core.errors import DomainError, NotFound

from . import actions, queries
from .models import Attendance


def room_group(session_id: int) -> str:
    return f"meeting.{session_id}"


def peer_group(session_id: int, participant_id: int) -> str:
    return f"meeting.{session_id}.p{participant_id}"


class RoomConsumer(AsyncJsonWebsocketConsumer):
    participant = None

    async def connect(self):
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        try:
            self.participant = await database_sync_to_async(actions.admitted)(
                self.scope.get("user"), session_id
            )
        except NotFound:
            await self.close(code=4404)
            return
        except DomainError:
            await self.close(code=4403)
            return
        p = self.participant
        self.room = room_group(session_id)
        self.mine = peer_group(session_id, p.pk)
        await self.channel_layer.group_add(self.room, self.channel_name)
        await self.channel_layer.group_add(self.mine, self.channel_name)
        await self.accept()
        row = await database_sync_to_async(actions.record_attendance)(
            participant=p, kind=Attendance.Kind.JOINED
        )
        present = await database_sync_to_async(queries.present)(p.session_id)
        await self.send_json(
            {
                "type": "welcome",
                "me": p.pk,
                "name": str(p),
                "present": [pk for pk in present if pk != p.pk],
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

    async def _to_room(self, payload: dict) -> None:
        await self.channel_layer.group_send(self.room, {"type": "room.event", "payload": payload})

    async def room_event(self, event):
        await self.send_json(event["payload"])
