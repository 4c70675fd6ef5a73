"""Standard Webhooks signatures: `webhook-id`, `webhook-timestamp`, `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), secrets `whsec_<base64>`.
`sign` for what Sutiao sends; `verify` for what it receives (±5 minutes)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

from django.utils.translation import gettext as _

from sutiao.core.errors import DomainError

from .errors import DockingError

TOLERANCE_SECONDS = 5 * 60
PREFIX = "whsec_"


class BadSignature(DomainError):
    status = 401
    code = DockingError.BAD_SIGNATURE


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(secret: str, msg_id: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, msg_id, timestamp, body),
    }


def verify(
    secrets_: list[str], headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> None:
    """Accept a webhook signed with any of `secrets_` (two during a rotation), sent within
    ±5 minutes; otherwise raise BadSignature (401)."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id", "")
    try:
        timestamp = int(lower.get("webhook-timestamp", ""))
    except ValueError:
        raise BadSignature(_("The webhook has no valid timestamp.")) from None
    current = time.time() if now is None else now
    if not msg_id or abs(current - timestamp) > TOLERANCE_SECONDS:
        raise BadSignature(_("The webhook's timestamp is too old or in the future."))
    given = [s for s in lower.get("webhook-signature", "").split() if s.startswith("v1,")]
    for secret in secrets_:
        expected = signature(secret, msg_id, timestamp, body)
        if any(hmac.compare_digest(expected, g) for g in given):
            return
    raise BadSignature(_("The webhook's signature does not match."))
