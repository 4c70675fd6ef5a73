"""Helpers shared by the pages of every domain (below them all: imports no domain)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sutiao.core.errors import DomainError, Invalid, NotFound


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def yuan_field(label) -> forms.DecimalField:
    """An optional amount in yuan, to the fen: what a form asks for money (the actions take
    fen, `int(yuan * 100)`)."""
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False
    )


def apply_errors(form: forms.Form, exc: Invalid) -> None:
    """Put an action's field errors beside the fields of the form that called it."""
    for field, texts in exc.details.get("fields", {"__all__": [exc.message]}).items():
        target = field if field in form.fields else None
        for message in texts:
            form.add_error(target, message)


def run_action(
    request,
    form: forms.Form | None,
    call,
    *,
    success,
    then,
    refused: str = "",
    refusal: str = "redirect",
    catch: tuple[type[DomainError], ...] = (DomainError,),
    level: int = messages.SUCCESS,
):
    """The shape every form or step that calls an action shares.

    Valid form (or no form: a button) → `call(cleaned_data)` (`{}` without a form).
    Success: the message `success` at `level` (a string, or a function of what the action
    returned; empty: no message) and a redirect to `then` (a URL or name, or a function of
    what the action returned). Bad input (Invalid): the errors beside the fields and None, so
    that the caller shows the form again; without a form it is a refusal. A refused step (an
    error of `catch`: Conflict, Forbidden…) by `refusal`: "redirect" — its message, then a
    redirect to `refused` (default `then`); "form" — the message at the top of the form and
    None; "message" — its message and None. Other errors, and NotFound, go on to the error
    page (404, 403…).
    """
    if form is not None and not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data if form is not None else {})
    except NotFound:
        raise
    except Invalid as exc:
        if form is not None:
            apply_errors(form, exc)
            return None
        if not isinstance(exc, catch):
            raise
        return _refused(request, None, exc, refusal, refused or then)
    except catch as exc:
        return _refused(request, form, exc, refusal, refused or then)
    text = success(result) if callable(success) else success
    if text:
        messages.add_message(request, level, text)
    return redirect(then(result) if callable(then) else then)


def _refused(request, form, exc: DomainError, refusal: str, to):
    if refusal == "form" and form is not None:
        form.add_error(None, str(exc.message))
        return None
    messages.error(request, str(exc.message))
    if refusal == "message":
        return None
    return redirect(to)


def form_page(request, form: forms.Form, call, *, template: str, context: dict, **run):
    """A page with a form that calls an action: GET shows `template` with `context` (the form
    in it); POST runs `call` through `run_action` (`run` holds its keywords: success, then…)
    and answers its redirect, or shows the page again with the form's errors."""
    if request.method == "POST":
        done = run_action(request, form, call, **run)
        if done:
            return done
    return render(request, template, context)


def step_view(get, call, *, success, then, refused=None, **run):
    """The view of a button that runs one action on one object, the shape many steps share.

    Logged in, POST only. `get(request, **url_kwargs)` finds the object (404 for strangers),
    `call(actor, obj)` runs the action through `run_action`, then a redirect to `then(obj)`
    (a refusal to `refused(obj)`, default the same). `success` is lazy text (translated when
    the message is stored) or a function of what the action returned; `run` holds run_action's
    other keywords (catch, level…)."""

    @login_required
    @require_POST
    def view(request, **kwargs):
        obj = get(request, **kwargs)
        return run_action(
            request,
            None,
            lambda _d: call(request.user, obj),
            success=success,
            then=then(obj),
            refused=refused(obj) if refused else "",
            **run,
        )

    return view


def steps_view(get, steps, *, then, name: str, key: str = "name", **run):
    """The view of a row of named buttons on one object, each as `step_view`: `steps` maps the
    name in the URL (its keyword `key`) to `(action, success)` or `(action, success, fields)`,
    the action called as `action(actor=…, <name>=obj)` plus each POST field of `fields` (as
    text: the action refuses what is missing); an unknown name is a 404."""

    @login_required
    @require_POST
    def view(request, **kwargs):
        step = kwargs.pop(key)
        obj = get(request, **kwargs)
        if step not in steps:
            raise Http404
        action, success, *fields = steps[step]
        posted = {f: request.POST.get(f, "") for f in (fields[0] if fields else ())}
        return run_action(
            request,
            None,
            lambda _d: action(actor=request.user, **{name: obj}, **posted),
            success=success,
            then=then(obj),
            **run,
        )

    return view
