"""Signing with a one-time code, the two posts every signing page shares: ask for a code on
a channel, then sign with it. Agreements and mediation documents both use it; the domain
gives its forms and its actions, so this module imports no domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .forms import run_action

Show = Callable[[forms.Form], HttpResponse]


def _code_sent(sent: Any) -> str:
    return _("A code was sent to %(to)s. It is valid for 10 minutes.") % {"to": sent.destination}


def request_code(
    request, form: forms.Form, send: Callable[[str], Any], *, then: str, show: Show
) -> HttpResponse:
    """`form` has a `channel`; `send(channel)` returns the code sent (its `destination` is
    masked). Sent: its message and a redirect to `then`; refused or invalid: `show(form)`."""
    done = run_action(
        request,
        form,
        lambda d: send(d["channel"]),
        success=_code_sent,
        then=then,
        refusal="form",
    )
    return done or show(form)


def sign_with_code(
    request,
    form: forms.Form,
    sign: Callable[[str], Any],
    *,
    success: str | Callable[[Any], str],
    then: str,
    show: Show,
) -> HttpResponse:
    """`form` has a `code`; `sign(code)` takes the step it unlocks. Signed: `success` and a
    redirect to `then`; a wrong code or a refused step: the message on `show(form)`."""
    done = run_action(
        request, form, lambda d: sign(d["code"]), success=success, then=then, refusal="form"
    )
    return done or show(form)
