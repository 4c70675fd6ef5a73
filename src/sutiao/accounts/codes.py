"""One-time codes sent by SMS (registration, identity verification, phone change): stored as
a keyed hash per purpose, checked in constant time, a wrong try counted."""

from __future__ import annotations

import hashlib
import hmac
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from sutiao.core.errors import Invalid

from .errors import AccountError


class CodeRow(Protocol):
    token: str
    code_hash: str
    attempts: int

    def save(self, *, update_fields: list[str]) -> None: ...


def code_hash(purpose: str, token: str, code: str) -> str:
    key = hashlib.sha256(f"sutiao.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def digits(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def refusal(
    row: CodeRow | None, code: str, *, purpose: str, max_attempts: int, ask_again: str
) -> Invalid | None:
    """None when `code` is the row's; else the error to raise once the caller's transaction
    has committed the counted attempt (`ask_again` when there is no live row or no try left)."""
    if row is None or row.attempts >= max_attempts:
        return Invalid(
            ask_again, code=AccountError.VERIFICATION_CODE_NONE, fields={"code": [ask_again]}
        )
    if row.code_hash and hmac.compare_digest(row.code_hash, code_hash(purpose, row.token, code)):
        return None
    row.attempts += 1
    row.save(update_fields=["attempts"])
    message = _("The code is wrong. %(left)s attempts left.") % {
        "left": max_attempts - row.attempts
    }
    return Invalid(message, code=AccountError.VERIFICATION_CODE_WRONG, fields={"code": [message]})
