"""Every change to people, memberships, second factors and tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import diff, record
from sutiao.core import crypto
from sutiao.core.errors import Conflict, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPOffice, MediationOrg

from . import codes, sessions, verification
from .devices import AuthenticatorDevice
from .errors import AccountError
from .identity import normalise_phone, validate_phone, validate_resident_id
from .models import APIToken, IdentityVerification, Membership, User
from .people import _collect, checked_person, phone_taken, register_person
from .roles import INSTITUTION_OF_ROLE, Role

__all__ = ["checked_person", "phone_taken", "register_person"]  # where callers found them


@transaction.atomic
def register_party(**fields: Any) -> User:
    """Self-registration: the new account is a party; identity numbers are required."""
    if fields.get("kind") == User.Kind.LEGAL:
        fields["id_number"] = ""
    else:
        fields["uscc"] = ""
    user = register_person(actor=None, **fields)
    add_membership(actor=None, user=user, role=Role.PARTY)
    return user


@transaction.atomic
def update_profile(*, actor: User, user: User, **fields: Any) -> User:
    """A person edits their own contact details (platform admins may edit anyone's)."""
    if actor.pk != user.pk:
        require(actor, "manage", user)
    allowed = {"real_name", "email", "preferred_language"}
    errors: dict[str, list[str]] = {}
    before = {k: getattr(user, k) for k in allowed}
    if "phone" in fields:
        _phone_unchanged(user, fields["phone"])  # a new phone needs its code (phone_change)
    for key, value in fields.items():
        if key not in allowed:
            continue
        if key == "real_name" and not (value or "").strip():
            errors["real_name"] = [_("Enter the real name.")]
        setattr(user, key, (value or "").strip())
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    after = {k: getattr(user, k) for k in allowed}
    changes = diff(before, after)
    fields_saved = list(allowed)
    if "real_name" in changes and user.identity_verified_at:
        # The verified name is the one checked (OLR 7): another name needs a new check.
        user.identity_verified_at = None
        fields_saved.append("identity_verified_at")
        changes["identity_verified"] = [True, False]
    user.save(update_fields=fields_saved)
    record(actor, "account.profile_updated", user, changes=changes)
    return user


def _phone_unchanged(user: User, phone: str | None) -> None:
    """The profile's phone may be sent back as it is; another number is refused: it takes
    effect only with the code sent to it (accounts.phone_change)."""
    given = normalise_phone(phone or "")
    if given == normalise_phone(user.phone or ""):
        return
    message = _(
        "A new phone takes effect only with the code sent to it: change it under “Change phone”."
    )
    raise Invalid(message, code=AccountError.PHONE_NEEDS_CODE, fields={"phone": [message]})


@transaction.atomic
def add_membership(
    *,
    actor: User | None,
    user: User,
    role: str,
    court: Court | None = None,
    ip_office: IPOffice | None = None,
    org: MediationOrg | None = None,
) -> Membership:
    if actor is not None:
        require(actor, "manage", user)
    if role not in Role.values:
        raise Invalid(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    given: dict[str, Any] = {"court": court, "ip_office": ip_office, "org": org}
    named = [k for k, v in given.items() if v is not None]
    allowed = INSTITUTION_OF_ROLE[role]
    if (
        len(named) > 1
        or (named and named[0] not in allowed)
        or (not named and allowed and "" not in allowed)
    ):
        raise Invalid(
            _("This role does not belong to that kind of institution."),
            fields={"role": [_("This role does not belong to that kind of institution.")]},
        )
    membership, created = Membership.objects.get_or_create(user=user, role=role, **given)
    if not created:
        if membership.active:
            return membership  # nothing changes, nothing to audit
        membership.active = True
        membership.save(update_fields=["active"])
    if role == Role.PLATFORM_ADMIN and not user.is_staff:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    record(
        actor,
        "account.membership_added",
        user,
        summary=str(membership),
        changes={"role": role, "institution": str(membership.institution or "")},
    )
    user.__dict__.pop("active_memberships", None)
    user.__dict__.pop("roles", None)
    return membership


def start_totp_enrolment(*, user: User) -> AuthenticatorDevice:
    """An unconfirmed device; its key becomes the QR code. Replaces an earlier unconfirmed one."""
    AuthenticatorDevice.objects.filter(user=user, confirmed=False).delete()
    return AuthenticatorDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )


@transaction.atomic
def confirm_totp(*, user: User, device: AuthenticatorDevice, token: str) -> bool:
    if device.user_id != user.pk or not device.verify_token((token or "").strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(user, "account.second_factor_enrolled", user)
    return True


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(
    *, actor: User, name: str, days: int = APIToken.MAX_DAYS
) -> tuple[APIToken, str]:
    """Returns the token row and the raw key, shown once and never stored. Every token
    expires: `days` is 1 to `APIToken.MAX_DAYS` (90)."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Name the token."), fields={"name": [_("Name the token.")]})
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= APIToken.MAX_DAYS:
        message = _("A token is valid for 1 to %(max)d days.") % {"max": APIToken.MAX_DAYS}
        raise Invalid(message, fields={"days": [message]})
    raw = "stk_" + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days)
    token = APIToken.objects.create(
        user=actor, name=name, prefix=raw[:10], key_hash=_token_hash(raw), expires_at=expires
    )
    record(actor, "account.api_token_issued", token, summary=name)
    return token, raw


def user_for_token(raw: str) -> User | None:
    try:
        token = APIToken.objects.select_related("user").get(
            key_hash=_token_hash(raw), revoked=False
        )
    except (APIToken.DoesNotExist, IntegrityError):
        return None
    now = timezone.now()
    if token.ends_at() <= now or not token.user.is_active:
        return None
    # Touch at most once a minute; a busy integration must not write on every call.
    if not token.last_used_at or (now - token.last_used_at).total_seconds() > 60:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def revoke_api_token(*, actor: User, token: APIToken) -> None:
    if token.user_id != actor.pk:
        require(actor, "manage", token.user)
    token.revoked = True
    token.save(update_fields=["revoked"])
    record(actor, "account.api_token_revoked", token, summary=token.name)


def _end_everything(user: User) -> int:
    """Every session of the account (its session hash changes) and every API token; open live
    channels close after commit. Returns how many tokens were revoked."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    revoked = APIToken.objects.filter(user=user, revoked=False).update(revoked=True)
    transaction.on_commit(lambda: sessions.close_live(user.pk))
    return revoked


@transaction.atomic
def end_all_sessions(*, actor: User, user: User) -> int:
    """Log out everywhere: every browser session and every API token of `user` ends now."""
    if actor.pk != user.pk:
        require(actor, "manage", user)
    revoked = _end_everything(user)
    record(actor, "account.sessions_ended", user, changes={"tokens_revoked": revoked})
    return revoked


@transaction.atomic
def disable_account(*, actor: User | None, user: User) -> User:
    """The account can no longer log in; its sessions and API tokens end at once."""
    if actor is not None:
        require(actor, "manage", user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    revoked = _end_everything(user)
    record(actor or "system", "account.disabled", user, changes={"tokens_revoked": revoked})
    return user


@transaction.atomic
def change_password(*, actor: User, current: str, new: str, again: str) -> User:
    """The owner changes their password: the current one first, the new one twice, the rules
    of GB/T 22239 (accounts.passwords). Every other session of the account ends (the view
    keeps the one it came from)."""
    errors: dict[str, list[str]] = {}
    if not actor.check_password(current or ""):
        errors["current"] = [_("The current password is wrong.")]
    if (new or "") != (again or ""):
        errors["again"] = [_("The two new passwords differ.")]
    if not errors:
        _collect(errors, "new", lambda p: validate_password(p, actor), new)
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    actor.set_password(new)
    actor.save(update_fields=["password"])
    record(actor, "account.password_changed", actor)
    return actor


# --- identity verification (实名认证, OLR 7; accounts.verification) -------------------------

VERIFICATION_VALID_FOR = timedelta(minutes=10)
VERIFICATION_MAX_ATTEMPTS = 5


@dataclass
class IdentityIn:
    """What a person gives to be verified; a company adds its code and its representative."""

    real_name: str
    phone: str
    id_number: str = ""
    uscc: str = ""
    representative_name: str = ""
    representative_id: str = ""
    authorisation: UploadedFile | None = None


def _checked_identity(user: User, data: IdentityIn) -> tuple[verification.Verdict, str]:
    """The backend's verdict and the normalised phone, or Invalid with every problem."""
    errors: dict[str, list[str]] = {}
    phone = _collect(errors, "phone", validate_phone, data.phone) or ""
    if phone and phone_taken(phone, but=user):  # one account per phone
        errors["phone"] = [_("This phone number belongs to another account.")]
    if user.kind == User.Kind.LEGAL:
        uscc = (data.uscc or "").strip().upper()
        if user.uscc and uscc != user.uscc:
            errors["uscc"] = [_("Give the credit code of the account.")]
        if data.representative_id:
            _collect(errors, "representative_id", validate_resident_id, data.representative_id)
        if errors:
            raise Invalid.from_django(ValidationError(errors))
        verdict = verification.verifier().check_company(
            name=data.real_name,
            uscc=uscc,
            representative_name=data.representative_name,
            representative_id=data.representative_id,
            has_authorisation=data.authorisation is not None,
        )
    else:
        number = _collect(errors, "id_number", validate_resident_id, data.id_number)
        if number and user.id_number_hash and crypto.lookup_hash(number) != user.id_number_hash:
            errors["id_number"] = [_("Give the identity number of the account.")]
        if (
            number
            and User.objects.exclude(pk=user.pk)
            .filter(id_number_hash=crypto.lookup_hash(number))
            .exists()
        ):
            errors["id_number"] = [_("Another account is verified with this identity number.")]
        if errors:
            raise Invalid.from_django(ValidationError(errors))
        verdict = verification.verifier().check_person(
            real_name=data.real_name, id_number=number or ""
        )
    if not verdict.confirmed:
        raise Invalid(verdict.reason, code=AccountError.IDENTITY_REFUSED)
    return verdict, phone


@transaction.atomic
def start_verification(*, actor: User, data: IdentityIn) -> IdentityVerification:
    """Check the particulars with the configured backend, then send a one-time code to the
    phone given. Nothing about the account changes until the code is confirmed."""
    verdict, phone = _checked_identity(actor, data)
    now = timezone.now()
    IdentityVerification.objects.filter(user=actor, verified_at__isnull=True).update(expires_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    token = secrets.token_hex(16)
    row = IdentityVerification(
        user=actor,
        kind=actor.kind,
        real_name=data.real_name.strip(),
        uscc=(data.uscc or "").strip().upper(),
        representative_name=data.representative_name.strip(),
        phone=phone,
        backend=verdict.backend,
        token=token,
        code_hash=codes.code_hash("identity", token, code),
        created_at=now,
        expires_at=now + VERIFICATION_VALID_FOR,
    )
    number = data.id_number if actor.kind == User.Kind.NATURAL else data.representative_id
    if number:
        row.id_number_masked = crypto.mask(validate_resident_id(number), head=6, tail=4)
    if data.authorisation is not None:
        row.authorisation.save(token, data.authorisation, save=False)
    row.save()
    if actor.kind == User.Kind.NATURAL and number and not actor.id_number_hash:
        actor.set_id_number(number)
        actor.save(update_fields=["id_number_hash", "id_number_cipher", "id_number_masked"])
    record(actor, "account.verification_started", actor, changes={"backend": verdict.backend})
    text = _(
        "Sutiao identity verification code %(code)s. Valid for 10 minutes. "
        "Do not give it to anyone."
    ) % {"code": code}
    verification.code_sender().send(phone, text)
    return row


def confirm_verification(*, actor: User, code: str) -> User:
    """The code sent by `start_verification`: right, the identity is verified (the account
    takes the checked name and phone); wrong, the attempt is counted (its own transaction)."""
    now = timezone.now()
    code = codes.digits(code)
    with transaction.atomic():
        row = (
            IdentityVerification.objects.select_for_update()
            .filter(user=actor, verified_at__isnull=True, expires_at__gt=now)
            .first()
        )
        error = codes.refusal(
            row,
            code,
            purpose="identity",
            max_attempts=VERIFICATION_MAX_ATTEMPTS,
            ask_again=_("Ask for a new code; a code is valid for 10 minutes."),
        )
        if error is None:
            assert row is not None
            row.verified_at = now
            row.save(update_fields=["verified_at"])
            user = User.objects.select_for_update().get(pk=actor.pk)
            user.real_name = row.real_name if user.kind == User.Kind.NATURAL else user.real_name
            user.phone, user.identity_verified_at = row.phone, now
            user.save(update_fields=["real_name", "phone", "phone_hash", "identity_verified_at"])
            record(
                actor,
                "account.identity_verified",
                user,
                summary=user.display_name,
                changes={"backend": row.backend, "kind": row.kind},
            )
            actor.identity_verified_at = now
    if error is not None:
        raise error
    return actor


def require_verified(user: User) -> None:
    """OLR 7: consenting, signing and taking part in a session need a verified identity."""
    if not getattr(user, "identity_verified_at", None):
        raise Conflict(
            _(
                "Verify your identity (real-name verification) first: it is needed to "
                "consent, sign or take part in a session."
            ),
            code=AccountError.IDENTITY_NOT_VERIFIED,
            verify_url=reverse("accounts:verify"),
        )
