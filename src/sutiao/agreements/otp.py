"""One-time codes that confirm a signing step, sent to the signer's phone or e-mail.

A code is 6 digits, kept only as an HMAC, valid for 10 minutes and 5 attempts; a new code
replaces the earlier ones of the same purpose. E-mail goes through Django's e-mail backend.
SMS goes through `sutiao.delivery`'s SMS gateway (SUTIAO_SMS_BACKEND: its local backend records
the messages in delivery's SmsRecord table, where tests read them) when that app is installed;
otherwise, or when SUTIAO_SMS_SENDER names another class with `send(phone, text)`, through that
sender — `LocalSmsSender` (messages kept in memory) by default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sutiao.accounts.identity import mask_phone
from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Invalid

from .errors import AgreementError
from .models import OneTimeCode

VALID_FOR = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=30)
MAX_PER_HOUR = 8


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass
class SentSms:
    phone: str
    text: str
    at: dt.datetime


class LocalSmsSender:
    """Keeps the messages in `outbox` (this process only): the embedded default."""

    outbox: list[SentSms] = []
    _lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        with self._lock:
            LocalSmsSender.outbox.append(SentSms(phone, text, timezone.now()))
            del LocalSmsSender.outbox[:-200]


class DeliverySmsSender:
    """Through sutiao.delivery's gateway backend (local record, or the HTTP JSON gateway)."""

    def send(self, phone: str, text: str) -> None:
        from sutiao.delivery.channels.sms import backend

        backend().send(to=phone, text=text, key=f"otp-{secrets.token_hex(12)}")


def sms_sender() -> SmsSender:
    path = getattr(settings, "SMS_SENDER", "")
    if path:
        return import_string(path)()
    from django.apps import apps

    if apps.is_installed("sutiao.delivery"):
        try:
            from sutiao.delivery.channels.sms import backend  # noqa: F401
        except ImportError:
            return LocalSmsSender()
        return DeliverySmsSender()
    return LocalSmsSender()


def _hash(user_id: int, purpose: str, code: str) -> str:
    key = hashlib.sha256(f"sutiao.otp:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{user_id}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def mask_email(email: str) -> str:
    name, _sep, domain = email.partition("@")
    return (name[:1] + "***@" + domain) if domain else "***"


def channels_of(user) -> list[tuple[str, str]]:
    """(channel, masked destination) the user can receive a code on."""
    found = []
    if user.phone:
        found.append((OneTimeCode.Channel.SMS, mask_phone(user.phone)))
    if user.email:
        found.append((OneTimeCode.Channel.EMAIL, mask_email(user.email)))
    return found


@transaction.atomic
def send_code(*, user, purpose: str, channel: str, what: str) -> OneTimeCode:
    """Send a new code for `purpose` (e.g. "agreement:12:sign"); `what` names the step in the
    message ("签署调解协议（2026）…号")."""
    now = timezone.now()
    available = dict(channels_of(user))
    if channel not in available:
        raise Invalid(
            _("You have no verified address of this kind."),
            fields={"channel": [_("Choose your phone or your e-mail.")]},
        )
    recent = OneTimeCode.objects.select_for_update().filter(
        user=user, purpose=purpose, created_at__gte=now - dt.timedelta(hours=1)
    )
    last = recent.order_by("-created_at").first()
    if last and now - last.created_at < RESEND_AFTER:
        raise Conflict(
            _("A code was just sent. Wait half a minute before asking again."),
            code=AgreementError.OTP_TOO_SOON,
        )
    if recent.count() >= MAX_PER_HOUR:
        raise Conflict(
            _("Too many codes were asked for. Try again in an hour."),
            code=AgreementError.OTP_TOO_MANY,
        )
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        destination=available[channel],
        code_hash=_hash(user.pk, purpose, code),
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    text = _(
        "Sutiao verification code %(code)s, to %(what)s. Valid for 10 minutes. "
        "Do not give it to anyone."
    ) % {"code": code, "what": what}
    record(user, "otp.sent", row, summary=purpose, changes={"channel": channel})
    # Sent at once: if this transaction rolled back, the code would only be unusable.
    if channel == OneTimeCode.Channel.SMS:
        sms_sender().send(user.phone, text)
    else:
        send_mail(_("Sutiao verification code"), text, settings.DEFAULT_FROM_EMAIL, [user.email])
    return row


def verify_code(*, user, purpose: str, code: str) -> OneTimeCode:
    """Check `code` and use it up; raises Invalid (message for the field "code") otherwise.

    Call it before the transaction of the step it unlocks: its own transaction commits the
    use of the code, or the count of a wrong attempt, whatever the step does afterwards."""
    now = timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    error: Invalid | None = None
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            error = Invalid(
                _("Ask for a code first; a code is valid for 10 minutes."),
                code=AgreementError.OTP_NONE,
                fields={"code": [_("Ask for a new code.")]},
            )
        elif row.attempts >= MAX_ATTEMPTS:
            message = _("Too many wrong codes. Ask for a new code.")
            error = Invalid(message, code=AgreementError.OTP_LOCKED, fields={"code": [message]})
        elif not hmac.compare_digest(row.code_hash, _hash(user.pk, purpose, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - row.attempts
            message = (
                _("The code is wrong. %(left)s attempts left.") % {"left": left}
                if left
                else _("Too many wrong codes. Ask for a new code.")
            )
            error = Invalid(message, code=AgreementError.OTP_WRONG, fields={"code": [message]})
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            record(user, "otp.used", row, summary=purpose)
    if error is not None:
        raise error
    return row
