"""Creating an account: the particulars checked, and the rule that an identity number and a
phone number belong to one account only. Only a platform administrator is told which of
them already has an account; self-registration never tells (accounts.registration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.core import crypto
from sutiao.core.errors import Forbidden, Invalid
from sutiao.institutions.validators import validate_uscc

from .identity import validate_phone, validate_resident_id
from .models import User
from .policies import is_platform_admin

_T = TypeVar("_T")


def _collect(
    errors: dict[str, list[str]], field: str, fn: Callable[[str], _T], value: str
) -> _T | None:
    try:
        return fn(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(str(m) for m in exc.messages)
        return None


def checked_person(
    *,
    username: str,
    password: str,
    real_name: str,
    kind: str = User.Kind.NATURAL,
    id_number: str = "",
    uscc: str = "",
    phone: str = "",
    email: str = "",
    errors: dict[str, list[str]] | None = None,
    id_number_required: bool = False,
) -> User:
    """An unsaved account with every particular checked (the password set), or Invalid with
    every problem. Whether the identity number or phone has an account is not checked here:
    a stranger must not learn it (accounts.registration); the callers who may, check."""
    errors = {} if errors is None else errors
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
    elif kind == User.Kind.NATURAL and id_number_required:
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
    return user


def phone_taken(phone: str, *, but: User | None = None) -> bool:
    """Whether another account has this (normalised) phone number: one account per phone."""
    found = User.objects.filter(phone_hash=crypto.lookup_hash(phone))
    if but is not None:
        found = found.exclude(pk=but.pk)
    return bool(phone) and found.exists()


@transaction.atomic
def register_person(*, actor: User | None, **fields: Any) -> User:
    """Create an account for a natural or legal person (a platform administrator, or the
    platform itself once a registration's phone code is confirmed). Invalid input changes
    nothing; the administrator is told when the identity number or phone has an account."""
    if actor is not None and not is_platform_admin(actor):
        raise Forbidden()
    errors: dict[str, list[str]] = {}
    try:
        user = checked_person(**fields, errors=errors, id_number_required=actor is None)
    except Invalid:
        user = None
    hashes = {f: v for f, v in _lookup_hashes(fields).items() if v}
    if hashes.get("id_number") and User.objects.filter(id_number_hash=hashes["id_number"]).exists():
        errors.setdefault("id_number", []).append(
            _("An account with this identity number exists already.")
        )
    if hashes.get("phone") and User.objects.filter(phone_hash=hashes["phone"]).exists():
        errors.setdefault("phone", []).append(
            _("An account with this phone number exists already.")
        )
    if errors or user is None:
        raise Invalid.from_django(ValidationError(errors))
    user.save()
    record(
        actor,
        "account.created",
        user,
        summary=user.username,
        changes={"kind": user.kind, "id_number": user.id_number_masked},
    )
    return user


def _lookup_hashes(fields: dict[str, Any]) -> dict[str, str]:
    """The look-up hashes of the identity number and phone given, when they are valid."""
    found = {}
    for name, check in (("id_number", validate_resident_id), ("phone", validate_phone)):
        try:
            found[name] = (
                crypto.lookup_hash(check(fields.get(name) or "")) if fields.get(name) else ""
            )
        except ValidationError:
            found[name] = ""
    return found
