"""Every change to people, memberships, second factors and tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sutiao.audit.log import diff, record
from sutiao.core import crypto
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from sutiao.institutions.validators import validate_uscc

from . import verification
from .errors import AccountError
from .identity import validate_phone, validate_resident_id
from .models import APIToken, IdentityVerification, Membership, User
from .policies import is_platform_admin
from .roles import INSTITUTION_OF_ROLE, Role

_T = TypeVar("_T")


def _collect(
    errors: dict[str, list[str]], field: str, fn: Callable[[str], _T], value: str
) -> _T | None:
    try:
        return fn(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(str(m) for m in exc.messages)
        return None


@transaction.atomic
def register_person(
    *,
    actor: User | None,
    username: str,
    password: str,
    real_name: str,
    kind: str = User.Kind.NATURAL,
    id_number: str = "",
    uscc: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account for a natural or legal person. Invalid input changes nothing."""
    if actor is not None and not is_platform_admin(actor):
        raise Forbidden()
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [_("Enter a user name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken.")]
    if not (real_name or "").strip():
        errors["real_name"] = [_("Enter the real name.")]
    if kind not in User.Kind.values:
        errors["kind"] = [_("Choose natural or legal person.")]
    user = User(username=username, real_name=real_name.strip(), kind=kind, email=email or "")
    if id_number:
        clean = _collect(errors, "id_number", validate_resident_id, id_number)
        if clean:
            user.set_id_number(clean)
            if User.objects.filter(id_number_hash=user.id_number_hash).exists():
                errors.setdefault("id_number", []).append(
                    _("An account with this identity number exists already.")
                )
    elif kind == User.Kind.NATURAL and actor is None:
        errors["id_number"] = [_("Enter the resident identity number.")]
    if uscc:
        uscc = uscc.strip().upper()
        _collect(errors, "uscc", validate_uscc, uscc)
        user.uscc = uscc
    elif kind == User.Kind.LEGAL:
        errors["uscc"] = [_("Enter the unified social credit code.")]
    if phone:
        user.phone = _collect(errors, "phone", validate_phone, phone) or ""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = [str(m) for m in exc.messages]
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    user.set_password(password)
    user.save()
    record(
        actor,
        "account.created",
        user,
        summary=user.username,
        changes={"kind": user.kind, "id_number": user.id_number_masked},
    )
    return user


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
    allowed = {"real_name", "email", "phone", "preferred_language"}
    errors: dict[str, list[str]] = {}
    before = {k: getattr(user, k) for k in allowed}
    for key, value in fields.items():
        if key not in allowed:
            continue
        if key == "phone" and value:
            value = _collect(errors, "phone", validate_phone, value) or ""
        if key == "real_name" and not (value or "").strip():
            errors["real_name"] = [_("Enter the real name.")]
        setattr(user, key, (value or "").strip())
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    after = {k: getattr(user, k) for k in allowed}
    changes = diff(before, after)
    if "phone" in changes:  # never put a phone number in a log, even an audit log
        changes["phone"] = ["***", "***"]
    fields_saved = list(allowed)
    if "real_name" in changes and user.identity_verified_at:
        # The verified name is the one checked (OLR 7): another name needs a new check.
        user.identity_verified_at = None
        fields_saved.append("identity_verified_at")
        changes["identity_verified"] = [True, False]
    user.save(update_fields=fields_saved)
    record(actor, "account.profile_updated", user, changes=changes)
    return user


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


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """An unconfirmed device; its key becomes the QR code. Replaces an earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp(*, user: User, device: TOTPDevice, token: str) -> bool:
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


# --- identity verification (实名认证, OLR 7; accounts.verification) -------------------------

VERIFICATION_VALID_FOR = timedelta(minutes=10)
VERIFICATION_MAX_ATTEMPTS = 5


def _code_hash(token: str, code: str) -> str:
    key = hashlib.sha256(f"sutiao.identity:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


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
        code_hash=_code_hash(token, code),
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
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    error: Invalid | None = None
    with transaction.atomic():
        row = (
            IdentityVerification.objects.select_for_update()
            .filter(user=actor, verified_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if row is None or row.attempts >= VERIFICATION_MAX_ATTEMPTS:
            message = _("Ask for a new code; a code is valid for 10 minutes.")
            error = Invalid(
                message, code=AccountError.VERIFICATION_CODE_NONE, fields={"code": [message]}
            )
        elif not hmac.compare_digest(row.code_hash, _code_hash(row.token, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            message = _("The code is wrong. %(left)s attempts left.") % {
                "left": VERIFICATION_MAX_ATTEMPTS - row.attempts
            }
            error = Invalid(
                message, code=AccountError.VERIFICATION_CODE_WRONG, fields={"code": [message]}
            )
        else:
            row.verified_at = now
            row.save(update_fields=["verified_at"])
            user = User.objects.select_for_update().get(pk=actor.pk)
            user.real_name = row.real_name if user.kind == User.Kind.NATURAL else user.real_name
            user.phone, user.identity_verified_at = row.phone, now
            user.save(update_fields=["real_name", "phone", "identity_verified_at"])
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
