"""Every change to people, memberships, second factors and tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sutiao.audit.log import diff, record
from sutiao.core.errors import Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from sutiao.institutions.validators import validate_uscc

from . import sessions
from .identity import validate_phone, validate_resident_id
from .models import APIToken, Membership, User
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
    _collect(errors, "password", lambda p: validate_password(p, user), password)
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
    user.save(update_fields=list(allowed))
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
