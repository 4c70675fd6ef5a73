"""Signing with a one-time code, the two posts every signing page shares: ask for a code on
a channel, then sign with it. Agreements and mediation documents both use it
(`signing_views`); the domain gives its forms and its actions, so this module imports no
domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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


def signing_views(
    subject: Callable[..., Any],
    *,
    code_form: Callable[[Any], forms.Form],
    sign_form: Callable[[Any], forms.Form],
    send: Callable[[Any, Any, str], Any],
    sign: Callable[[Any, Any, str], Any],
    signed: str | Callable[[Any], str],
    then: Callable[[Any, str], str],
    show: Callable[[Any, Any, str, forms.Form], HttpResponse],
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """The two views of a page where one signs a domain's document with a one-time code:
    (ask for a code, sign with it), each a POST by a logged-in user.

    `subject(request, **url kwargs)` finds the document; `code_form(request)` and
    `sign_form(request)` are the posted forms; `send(user, document, channel)` and
    `sign(user, document, code)` are the domain's actions; `signed` is the success message;
    `then(document, step)` is where each step ("code", "sign") goes when done and
    `show(request, document, step, form)` the page again with the form's errors."""

    @login_required
    @require_POST
    def code_view(request, **kwargs: Any) -> HttpResponse:
        document = subject(request, **kwargs)
        return request_code(
            request,
            code_form(request),
            lambda channel: send(request.user, document, channel),
            then=then(document, "code"),
            show=lambda form: show(request, document, "code", form),
        )

    @login_required
    @require_POST
    def sign_view(request, **kwargs: Any) -> HttpResponse:
        document = subject(request, **kwargs)
        return sign_with_code(
            request,
            sign_form(request),
            lambda code: sign(request.user, document, code),
            success=signed,
            then=then(document, "sign"),
            show=lambda form: show(request, document, "sign", form),
        )

    return code_view, sign_view
