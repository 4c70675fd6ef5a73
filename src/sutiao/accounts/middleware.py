"""Everyone who acts for an institution does nothing until their second factor is verified,
and their sessions end after 30 idle minutes and 12 hours (accounts.sessions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import sessions

OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/api/", "/ws/")


class SessionLimitsMiddleware:
    """An expired staff session is ended before anything else runs: a page goes to the log-in
    (saying why), the API answers as to anyone without a session (401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if sessions.limited(user):
            why = sessions.expiry(request.session, user)
            if why:
                logout(request)
                if request.path.startswith(("/api/", "/ws/")) or request.method != "GET":
                    return self.get_response(request)
                query = urlencode({"next": request.get_full_path(), "ended": why})
                return redirect(f"{reverse('accounts:login')}?{query}")
            sessions.touch(request.session)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:second_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
