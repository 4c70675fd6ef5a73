"""Audit entries for what is not a change of state but must be traced (GB/T 22239-2019
8.1.4.3): log-ins, failed log-ins, log-outs, and pages or API answers that show someone's
identity number or phone number unmasked. Each is its own small transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from sutiao.core.crypto import mask

from . import log


def _address(request: Any) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


def _logged_in(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    with transaction.atomic():
        log.record(user, "security.login", user, changes={"address": _address(request)})


def _logged_out(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        log.record(user, "security.logout", user, changes={"address": _address(request)})


def _login_failed(sender: Any, credentials: dict | None = None, request: Any = None, **_: Any):
    # The name typed may be a phone or identity number: it is kept masked.
    typed = str((credentials or {}).get("username", ""))[:150]
    with transaction.atomic():
        log.record(
            "anonymous",
            "security.login_failed",
            summary=mask(typed, head=2, tail=2) if typed else "",
            changes={"address": _address(request)},
        )


def personal_data_read(actor: Any, person: Any, *fields: str, where: str = "") -> None:
    """Record that `actor` was shown `fields` ("id_number", "phone") of `person` unmasked."""
    with transaction.atomic():
        log.record(
            actor,
            "security.personal_data_read",
            person,
            summary=where[:200],
            changes={"fields": sorted(fields)},
        )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
