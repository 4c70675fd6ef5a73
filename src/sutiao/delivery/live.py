"""Pushes to a user's open pages over the live channel (/ws/live/, web.consumers).

Delivery sends through the channel layer itself, to the group every page of the user joins
(accounts.sessions.group_for), so that the pages above the domains (web) may read delivery."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from sutiao.accounts.sessions import group_for


def push_to_user(user_id: int, payload: dict[str, Any]) -> None:
    """Send an event to every open page of one user (call after commit)."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(group_for(user_id), {"type": "live.event", "payload": payload})
