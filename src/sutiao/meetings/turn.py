"""Short-lived TURN credentials by coturn's shared-secret REST scheme (`use-auth-secret` with
`static-auth-secret`; draft-uberti-behave-turn-rest): the username is "<expiry>:<user id>",
the credential base64(HMAC-SHA1(secret, username)). coturn checks the MAC and refuses the
username once its expiry (a Unix time) has passed, so nothing is stored on either side."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.conf import settings


def credential(secret: str, username: str) -> str:
    mac = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def ice_servers(user_id: int, *, now: float | None = None) -> list[dict]:
    """The RTCPeerConnection `iceServers` for one participant; none without SUTIAO_TURN_URLS
    and SUTIAO_TURN_SECRET (the browsers then use their host candidates, as on a LAN)."""
    if not (settings.TURN_URLS and settings.TURN_SECRET):
        return []
    expiry = int(now if now is not None else time.time()) + settings.TURN_TTL
    username = f"{expiry}:{user_id}"
    return [
        {
            "urls": list(settings.TURN_URLS),
            "username": username,
            "credential": credential(settings.TURN_SECRET, username),
        }
    ]


def ice_policy() -> str:
    """The RTCPeerConnection `iceTransportPolicy`: "relay" (media only through the TURN
    server, no direct path, no participant's address shown to another) with
    SUTIAO_TURN_RELAY_ONLY and TURN configured, "all" otherwise."""
    relay = settings.TURN_RELAY_ONLY and settings.TURN_URLS and settings.TURN_SECRET
    return "relay" if relay else "all"
