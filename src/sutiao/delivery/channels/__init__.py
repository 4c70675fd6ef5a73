"""The channels a delivery goes through, behind one small interface.

A channel's `send(delivery)` hands the message over and returns an `Outcome`; it raises
`Permanent` when the far side refused it for good (retrying would not help) and any other
exception for a failure worth retrying. The platform inbox is not here: storing an inbox item
is a database write, done in the transaction that records it (actions.deliver_to_inbox).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class Outcome:
    arrived: bool  # the recipient's system has it now (else: sent, a receipt may follow)
    ref: str = ""  # the far side's id for it
    detail: dict[str, Any] = field(default_factory=dict)


class Permanent(Exception):  # noqa: N818 - reads as "raise Permanent(...)"
    """The far side refused the message for good (unknown mailbox, invalid number)."""


class ChannelBackend(Protocol):
    def send(self, delivery) -> Outcome: ...


def backend_for(channel: str) -> ChannelBackend:
    from django.conf import settings

    from sutiao.core.backends import chosen

    if channel == "email":
        from .email import FileEmail, SmtpEmail

        builtin: dict[str, Callable[[], ChannelBackend]] = {"smtp": SmtpEmail, "file": FileEmail}
        return chosen(settings.DELIVERY_EMAIL_BACKEND, builtin)
    if channel == "sms":
        from .sms import SmsChannel

        return SmsChannel()
    raise ValueError(f"no backend for channel {channel!r}")
