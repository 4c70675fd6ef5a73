"""Sessions of the people who act for an institution: they end after
`SUTIAO_STAFF_IDLE_MINUTES` (30) without a request and `SUTIAO_STAFF_SESSION_HOURS` (12) after
the log-in, whatever happens in between; every session and API token of an account ends at once
when its owner logs out everywhere or the account is disabled (`User.session_epoch`, part of
the session hash Django checks on every request).

The same checks guard the live WebSocket (`live_allowed`): a session that has not passed its
second factor, or has expired, gets no channel."""

from __future__ import annotations

import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

AUTH_AT = "sutiao.auth_at"  # when the password was accepted (seconds since the epoch)
SEEN_AT = "sutiao.seen_at"  # the last request, rewritten at most once a minute
TOUCH_EVERY = 60


def group_for(user_id: int) -> str:
    """The channel group of one person's open pages (web.consumers joins it)."""
    return f"user.{user_id}"


def started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the session's clocks start."""
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now


def limited(user: Any) -> bool:
    """Whose sessions have the staff limits: everyone who needs a second factor."""
    return bool(user.is_authenticated and user.needs_second_factor)


def expiry(session: Any, user: Any, now: float | None = None) -> str:
    """ "idle", "absolute" or "" (alive). A staff session from before the limits (no clock)
    counts as expired: its owner logs in once more."""
    if not limited(user):
        return ""
    now = time.time() if now is None else now
    auth_at = session.get(AUTH_AT)
    if auth_at is None or now - float(auth_at) > settings.STAFF_SESSION_HOURS * 3600:
        return "absolute"
    seen = float(session.get(SEEN_AT, auth_at))
    if now - seen > settings.STAFF_IDLE_MINUTES * 60:
        return "idle"
    return ""


def touch(session: Any, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if now - float(session.get(SEEN_AT, 0)) >= TOUCH_EVERY:
        session[SEEN_AT] = now


def second_factor_passed(user: Any, session: Any) -> bool:
    """The session was verified with a confirmed device of this very user."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return bool(device and device.user_id == user.pk and device.confirmed)


def live_allowed(user: Any, session: Any) -> bool:
    """May this session open /ws/live/? Logged in, alive, and past its second factor if the
    person needs one: a password-only staff session is refused."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if expiry(session, user):
        return False
    return not user.needs_second_factor or second_factor_passed(user, session)


def close_live(user_id: int) -> None:
    """Close the person's open live channels (after their sessions ended)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group_for(user_id), {"type": "session.ended"})
