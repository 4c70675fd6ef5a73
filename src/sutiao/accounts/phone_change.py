"""A person changes the phone of their account: the new number takes effect only when the
code sent to it (the SMS interface registration uses, accounts.verification.code_sender) is
entered. One account per phone; codes are limited per account and per phone, valid for 10
minutes and 5 attempts; a wrong or expired code changes nothing. The old phone is told."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.core.errors import Invalid

from . import codes, verification
from .errors import AccountError
from .identity import mask_phone, validate_phone
from .models import PhoneChange, User
from .people import phone_taken
from .registration import SENDS_PER_PHONE
from .throttle import Throttle

VALID_FOR = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Codes asked for per account (SENDS_PER_PHONE, shared with registration, bounds each phone).
STARTS_PER_ACCOUNT = Throttle("phone-change-account", 5, 3600)


def _refused(message: str, code: AccountError) -> Invalid:
    return Invalid(message, code=code, fields={"phone": [message]})


def _checked_phone(user: User, phone: str) -> str:
    try:
        phone = validate_phone(phone or "")
    except ValidationError as exc:
        raise Invalid.from_django(ValidationError({"phone": exc.messages})) from exc
    if phone == user.phone:
        raise _refused(_("This is already the phone of your account."), AccountError.PHONE_SAME)
    if phone_taken(phone, but=user):  # one account per phone
        raise _refused(_("This phone number belongs to another account."), AccountError.PHONE_TAKEN)
    return phone


@transaction.atomic
def start_phone_change(*, actor: User, phone: str) -> PhoneChange:
    """Check the new number and send a code to it; the account keeps its phone until the
    code is confirmed. A new request replaces the one pending."""
    phone = _checked_phone(actor, phone)
    if STARTS_PER_ACCOUNT.hit(str(actor.pk)) > STARTS_PER_ACCOUNT.limit or (
        SENDS_PER_PHONE.hit(phone) > SENDS_PER_PHONE.limit
    ):
        raise _refused(
            _("Too many codes asked for; try again in an hour."),
            AccountError.PHONE_CHANGE_THROTTLED,
        )
    now = timezone.now()
    PhoneChange.objects.filter(user=actor, confirmed_at__isnull=True).update(expires_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    token = secrets.token_hex(16)
    row = PhoneChange.objects.create(
        user=actor,
        phone=phone,
        token=token,
        code_hash=codes.code_hash("phone_change", token, code),
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    record(actor, "account.phone_change_started", actor, changes={"phone": mask_phone(phone)})
    text = _(
        "Sutiao: your code to make this the phone of your account is %(code)s, valid for 10 "
        "minutes. Do not give it to anyone."
    ) % {"code": code}
    verification.code_sender().send(phone, text)
    return row


def pending_change(user: User) -> PhoneChange | None:
    return (
        PhoneChange.objects.filter(
            user=user, confirmed_at__isnull=True, expires_at__gt=timezone.now()
        )
        .filter(attempts__lt=MAX_ATTEMPTS)
        .first()
    )


def confirm_phone_change(*, actor: User, code: str) -> User:
    """The code sent by `start_phone_change`: right, the account takes the new phone; wrong,
    the attempt is counted (in its own transaction) and nothing else changes."""
    code = codes.digits(code)
    with transaction.atomic():
        row = (
            PhoneChange.objects.select_for_update()
            .filter(user=actor, confirmed_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        error = codes.refusal(
            row,
            code,
            purpose="phone_change",
            max_attempts=MAX_ATTEMPTS,
            ask_again=_("Ask for a new code: a code is valid for 10 minutes and 5 attempts."),
        )
        if error is None:
            assert row is not None
            return _take(actor, row)
    assert error is not None
    raise error


def _take(actor: User, row: PhoneChange) -> User:
    """The account takes the confirmed phone (in the caller's transaction)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    old = user.phone
    if phone_taken(row.phone, but=user):  # taken by another account since the code was sent
        raise _refused(_("This phone number belongs to another account."), AccountError.PHONE_TAKEN)
    user.phone = row.phone
    try:
        with transaction.atomic():
            user.save(update_fields=["phone", "phone_hash"])
    except IntegrityError as exc:  # the same race, caught by the unique constraint
        raise _refused(
            _("This phone number belongs to another account."), AccountError.PHONE_TAKEN
        ) from exc
    row.confirmed_at = timezone.now()
    row.save(update_fields=["confirmed_at"])
    # Never a phone number in a log: the masked numbers say enough.
    record(
        actor,
        "account.phone_changed",
        user,
        changes={"phone": [mask_phone(old), mask_phone(user.phone)], "verified_by_code": True},
    )
    if old:
        text = _(
            "Sutiao: the phone of your account %(username)s was changed to %(phone)s. If you "
            "did not do this, contact the platform at once."
        ) % {"username": user.username, "phone": mask_phone(user.phone)}
        transaction.on_commit(lambda: verification.code_sender().send(old, text))
    actor.phone = user.phone
    return user
