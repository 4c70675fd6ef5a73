"""Helpers shared by the pages of every domain."""

from __future__ import annotations

from django import forms

from sutiao.core.errors import Invalid


def apply_errors(form: forms.Form, exc: Invalid) -> None:
    """Put an action's field errors beside the fields of the form that called it."""
    for field, messages in exc.details.get("fields", {"__all__": [exc.message]}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def run_action(
    request,
    form: forms.Form,
    call,
    *,
    success,
    then: str,
    refused: str = "",
    refusal_on_form: bool = False,
):
    """The shape every form that calls an action shares.

    Valid form → `call(cleaned_data)`. Success: the message `success` (a string, or a function
    of what the action returned) and a redirect to `then`. Bad input (Invalid): the errors
    beside the fields and None, so that the caller shows the form again. A refused step
    (Conflict, Forbidden…): its message, then a redirect to `refused` (default `then`) — or,
    with refusal_on_form, the message at the top of the form and None. NotFound goes on to
    become a 404.
    """
    from django.contrib import messages
    from django.shortcuts import redirect

    from sutiao.core.errors import DomainError, NotFound

    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except Invalid as exc:
        apply_errors(form, exc)
        return None
    except NotFound:
        raise
    except DomainError as exc:
        if refusal_on_form:
            form.add_error(None, str(exc.message))
            return None
        messages.error(request, str(exc.message))
        return redirect(refused or then)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then)
