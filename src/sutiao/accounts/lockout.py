"""Failed log-ins lock one account *from one address*: five failures for a user name from an
address lock that pair for 30 minutes (SUTIAO_LOCKOUT_FAILURES, SUTIAO_LOCKOUT_HOURS). A
stranger elsewhere who types someone's name five times locks only themselves; the owner, from
their own address, logs in as before. Courts behind one NAT address share that address: if a
colleague's typos lock it, the owner unlocks with a one-time code sent to the phone or e-mail
the account registered (`send_unlock_code`, `unlock`).

Everything lives in Django's cache, keyed by a hash of name and address: a name that has no
account answers exactly as one that has, and a million tried names write no row anywhere —
each counter expires with its window."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.audit.log import record

from . import verification
from .models import User
from .throttle import Throttle

CODE_SECONDS = 600  # an unlock code is valid for 10 minutes
CODE_TRIES = 5
# Codes asked for: per name (the owner's phone is not spammed) and per address (one address
# does not spam many phones).
SENDS_PER_NAME = Throttle("unlock-send-name", 3, 3600)
SENDS_PER_ADDRESS = Throttle("unlock-send-address", 10, 3600)


def _name(username: str) -> str:
    return (username or "").strip().lower()


def _failures() -> Throttle:
    return Throttle("login-failures", settings.LOCKOUT_FAILURES, settings.LOCKOUT_SECONDS)


def is_locked(username: str, address: str) -> bool:
    return _failures().exceeded(_name(username), address)


def failed(username: str, address: str) -> bool:
    """Count one failure; True when this one locks the pair."""
    count = _failures().hit(_name(username), address)
    locked = count == settings.LOCKOUT_FAILURES
    if locked:
        user = User.objects.filter(username__iexact=_name(username)).first()
        if user is not None:
            with transaction.atomic():
                record("system", "account.locked", user, summary=address)
    return count >= settings.LOCKOUT_FAILURES


def succeeded(username: str, address: str) -> None:
    _failures().clear(_name(username), address)


def _code_key(username: str, address: str) -> str:
    return Throttle("unlock-code", 1, CODE_SECONDS).key(_name(username), address)


def _digest(code: str) -> str:
    key = hashlib.sha256(f"sutiao.unlock:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _send(user: User, code: str) -> None:
    text = _(
        "Sutiao: your code to unlock your account is %(code)s, valid for 10 minutes. "
        "If you did not ask for it, ignore this message."
    ) % {"code": code}
    if user.phone:
        verification.code_sender().send(user.phone, text)
    elif user.email:
        send_mail(_("Unlock your Sutiao account"), text, None, [user.email])


def send_unlock_code(username: str, address: str) -> None:
    """Send a code to the account's phone (or e-mail); the caller learns nothing about whether
    the name exists or a code went out: the answer is always the same."""
    name = _name(username)
    if not name:
        return
    if SENDS_PER_ADDRESS.hit(address) > SENDS_PER_ADDRESS.limit:
        return
    if SENDS_PER_NAME.hit(name) > SENDS_PER_NAME.limit:
        return
    user = User.objects.filter(username__iexact=name, is_active=True).first()
    if user is None or not (user.phone or user.email):
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(_code_key(name, address), {"digest": _digest(code), "tries": 0}, CODE_SECONDS)
    _send(user, code)


def unlock(username: str, address: str, code: str) -> bool:
    """The owner's code ends the lock of their name from this address."""
    key = _code_key(username, address)
    entry = cache.get(key)
    if not entry or entry["tries"] >= CODE_TRIES:
        return False
    if not hmac.compare_digest(entry["digest"], _digest((code or "").strip())):
        entry["tries"] += 1
        cache.set(key, entry, CODE_SECONDS)
        return False
    cache.delete(key)
    succeeded(username, address)
    user = User.objects.filter(username__iexact=_name(username)).first()
    if user is not None:
        with transaction.atomic():
            record(user, "account.unlocked", user, summary=address)
    return True
