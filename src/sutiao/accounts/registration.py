"""Self-registration of a party in two steps: the particulars, then the one-time code sent to
the phone given. The account opens only with the code (the phone is the person's), and a
registration is never an oracle: whether or not the identity number or the phone already has
an account, the person registering gets the same answer ("a code was sent to 138****8000")
and the same page. When one has, no code goes out, the account's owner is told by SMS (or
e-mail) that someone tried, and no code can open the registration."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.core import crypto
from sutiao.core.errors import Invalid

from . import actions, codes, verification
from .errors import AccountError
from .models import Registration, User
from .people import checked_person
from .roles import Role
from .throttle import Throttle

VALID_FOR = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Registrations started per client address, and codes (or notices) sent per phone.
STARTS_PER_ADDRESS = Throttle("register-address", 10, 3600)
SENDS_PER_PHONE = Throttle("register-phone", 3, 3600)


def _throttled() -> Invalid:
    return Invalid(
        _("Too many registrations from your address; try again in an hour."),
        code=AccountError.REGISTRATION_THROTTLED,
    )


def _holders(candidate: User) -> list[User]:
    """The accounts that already have the identity number or the phone given."""
    match = Q(phone_hash=crypto.lookup_hash(candidate.phone))
    if candidate.id_number_hash:
        match |= Q(id_number_hash=candidate.id_number_hash)
    return list(User.objects.filter(match))


def _notify(holder: User) -> None:
    """Tell an account's owner that someone registered with its identity number or phone."""
    text = _(
        "Sutiao: someone tried to open an account with the identity number or phone number of "
        "your account %(username)s. If it was you, log in to it; if not, ignore this message."
    ) % {"username": holder.username}
    if holder.phone:
        verification.code_sender().send(holder.phone, text)
    elif holder.email:
        send_mail(
            _("Someone tried to open an account with your particulars"), text, None, [holder.email]
        )
    record("system", "account.registration_notice", holder, summary=holder.username)


@transaction.atomic
def start_registration(*, address: str, **fields: Any) -> Registration:
    """Check the particulars (every mistake in them is shown), then send the code; Invalid
    changes nothing. The answer does not depend on whether an account has them."""
    fields["kind"] = fields.get("kind") or User.Kind.NATURAL
    errors: dict[str, list[str]] = {}
    if not (fields.get("phone") or "").strip():
        errors["phone"] = [
            _("Enter the mobile phone number: the code to open the account goes there.")
        ]
    natural = fields["kind"] != User.Kind.LEGAL
    fields["uscc" if natural else "id_number"] = ""
    candidate = checked_person(**fields, errors=errors, id_number_required=True)
    if STARTS_PER_ADDRESS.hit(address) > STARTS_PER_ADDRESS.limit:
        raise _throttled()
    if SENDS_PER_PHONE.hit(candidate.phone) > SENDS_PER_PHONE.limit:
        raise _throttled()
    now = timezone.now()
    Registration.objects.filter(expires_at__lt=now).delete()
    row = Registration(
        token=secrets.token_hex(16),
        username=candidate.username,
        kind=candidate.kind,
        real_name=candidate.real_name,
        uscc=candidate.uscc,
        email=candidate.email,
        phone=candidate.phone,
        password=candidate.password,
        id_number_hash=candidate.id_number_hash,
        id_number_cipher=candidate.id_number_cipher,
        id_number_masked=candidate.id_number_masked,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    holders = _holders(candidate)
    code = f"{secrets.randbelow(1_000_000):06d}"
    if not holders:
        row.code_hash = codes.code_hash("registration", row.token, code)
    row.save()
    for holder in holders:
        _notify(holder)
    if not holders:
        text = _(
            "Sutiao: your code to open your account is %(code)s, valid for 10 minutes. "
            "Do not give it to anyone."
        ) % {"code": code}
        verification.code_sender().send(row.phone, text)
    return row


def pending(token: str) -> Registration | None:
    return Registration.objects.filter(token=token or "-", expires_at__gt=timezone.now()).first()


def complete_registration(*, token: str, code: str) -> User:
    """The code sent by `start_registration`: right, the account opens (a party) and the
    registration is deleted; wrong, the attempt is counted (in its own transaction)."""
    code = codes.digits(code)
    with transaction.atomic():
        row = (
            Registration.objects.select_for_update()
            .filter(token=token or "-", expires_at__gt=timezone.now())
            .first()
        )
        error = codes.refusal(
            row,
            code,
            purpose="registration",
            max_attempts=MAX_ATTEMPTS,
            ask_again=_("Start again: a code is valid for 10 minutes and 5 attempts."),
        )
        if error is None:
            assert row is not None
            return _open_account(row)
    assert error is not None
    raise error


def _open_account(row: Registration) -> User:
    """The account of a confirmed registration (in the caller's transaction)."""
    taken = User.objects.filter(
        Q(username__iexact=row.username)
        | Q(phone_hash=row.phone_hash)
        | (Q(id_number_hash=row.id_number_hash) if row.id_number_hash else Q(pk__in=[]))
    ).exists()
    if taken:  # opened by another registration between the two steps
        row.delete()
        raise Invalid(
            _("An account with these particulars was opened meanwhile: log in to it instead."),
            code=AccountError.REGISTRATION_CONFLICT,
        )
    user = User(
        username=row.username,
        kind=row.kind,
        real_name=row.real_name,
        uscc=row.uscc,
        email=row.email,
        phone=row.phone,
        password=row.password,
    )
    user.id_number_hash, user.id_number_cipher = row.id_number_hash, row.id_number_cipher
    user.id_number_masked = row.id_number_masked
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same race, caught by the unique constraints
        raise Invalid(
            _("An account with these particulars was opened meanwhile: log in to it instead."),
            code=AccountError.REGISTRATION_CONFLICT,
        ) from exc
    record(
        None,
        "account.created",
        user,
        summary=user.username,
        changes={"kind": user.kind, "id_number": user.id_number_masked, "phone_verified": True},
    )
    actions.add_membership(actor=None, user=user, role=Role.PARTY)
    row.delete()
    return user
