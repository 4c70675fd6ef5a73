"""The live channel of a logged-in user: pages subscribe once and receive their updates.

Each user joins the group `user.<id>`; domains push events to it
(`delivery.live.push_to_user`: inbox counts, case updates). Anonymous sockets are refused, and so is a session that has not
passed its second factor (staff) or has expired (accounts.sessions.live_allowed); when the
person's sessions end (log out everywhere, account disabled) the open sockets close.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from sutiao.accounts.sessions import group_for, live_allowed


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        session = self.scope.get("session")
        if (
            not user
            or session is None
            or not await database_sync_to_async(live_allowed)(user, session)
        ):
            await self.close(code=4401)
            return
        self.group = group_for(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def live_event(self, event):
        await self.send_json(event["payload"])

    async def session_ended(self, event):
        await self.close(code=4401)
