"""The password backend with the lock-out in front of it: every log-in form (ours, the admin's)
goes through `authenticate`, so every one of them counts failures and refuses a locked pair of
name and address (accounts.lockout)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout
from .throttle import client_address


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and lockout.is_locked(username or "", client_address(request)):
            raise PermissionDenied  # no password is checked for a locked pair
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_failure(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    """user_login_failed: one more failure for this name from this address."""
    if request is not None:
        lockout.failed(credentials.get("username", ""), client_address(request))


def clear_failures(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the owner got in from this address; their count starts again."""
    if request is not None and getattr(request, "META", None):
        lockout.succeeded(user.get_username(), client_address(request))
