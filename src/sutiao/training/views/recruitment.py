"""Recruitment: the public call, applying, and the office's review of an application."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.core.forms import form_page, run_action
from sutiao.core.lookup import visible_or_404

from .. import lifecycle, queries
from ..actions import recruitment
from ..forms import AnswerForm, ApplicationForm, CallForm, TextForm
from ..models import Application, ApplicationState, Call


def call_page(request, pk: int):
    """Public: what the office looks for, and the way to apply."""
    call = visible_or_404(request.user, Call.objects.select_related("office", "course"), pk=pk)
    return render(request, "training/call.html", {"call": call})


@login_required
def call_new(request):
    if not request.user.ip_office_ids():
        raise PermissionDenied
    form = CallForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: recruitment.save_call(actor=request.user, **d),
        template="training/call_form.html",
        context={"form": form},
        success=_("The call is published."),
        then=lambda c: reverse("training:call", args=[c.pk]),
    )


@login_required
def apply(request, pk: int):
    call = visible_or_404(request.user, Call.objects.select_related("office__region"), pk=pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, office=call.office)
    return form_page(
        request,
        form,
        lambda d: recruitment.apply(actor=request.user, call=call, data=d),
        template="training/apply.html",
        context={"form": form, "call": call},
        success=_("Your application is sent to the IP office."),
        then=lambda a: reverse("training:application", args=[a.pk]),
        refusal="form",
    )


@login_required
def application_list(request):
    if not request.user.ip_office_ids():
        raise PermissionDenied
    state = request.GET.get("state", "")
    return render(
        request,
        "training/applications.html",
        {
            "applications": queries.applications_for(request.user, state=state)[:200],
            "states": ApplicationState.choices,
            "state": state,
        },
    )


def _application(request, pk: int) -> Application:
    rows = Application.objects.select_related("call__office", "call__course", "region", "mediator")
    return visible_or_404(request.user, rows, pk=pk)


@login_required
def application_detail(request, pk: int):
    a = _application(request, pk)
    done, required = queries.application_hours(a)
    roles = lifecycle.roles(request.user, a)
    steps = {t.name for t in lifecycle.machine.available(a, roles)}
    return render(
        request,
        "training/application.html",
        {
            "application": a,
            "steps": steps,
            "roles": roles,
            "done": done,
            "required": required,
            "enrolments": a.enrolments.select_related("course"),
            "text_form": TextForm(),
            "answer_form": AnswerForm(),
        },
    )


_TEXT_STEPS = {
    "ask_more": (
        lambda u, a, t, f: recruitment.ask_more(actor=u, application=a, request=t),
        gettext_lazy("The applicant is asked for more."),
    ),
    "reject": (
        lambda u, a, t, f: recruitment.reject(actor=u, application=a, reason=t),
        gettext_lazy("The application is not accepted."),
    ),
    "answer": (
        lambda u, a, t, f: recruitment.answer(actor=u, application=a, answer=t, files=f),
        gettext_lazy("Your answer is sent."),
    ),
    "accept": (
        lambda u, a, t, f: recruitment.accept(actor=u, application=a),
        gettext_lazy("Accepted into pre-joining training."),
    ),
    "withdraw": (
        lambda u, a, t, f: recruitment.withdraw(actor=u, application=a),
        gettext_lazy("The application is withdrawn."),
    ),
    "join": (
        lambda u, a, t, f: recruitment.join(actor=u, application=a),
        gettext_lazy("Entered into the roster collection."),
    ),
}


@login_required
@require_POST
def application_step(request, pk: int, step: str):
    a = _application(request, pk)
    if step not in _TEXT_STEPS:
        raise PermissionDenied
    act, success = _TEXT_STEPS[step]
    then = reverse("training:application", args=[pk])
    form: forms.Form | None = None
    if step in {"ask_more", "reject"}:
        form = TextForm(request.POST)
    elif step == "answer":
        form = AnswerForm(request.POST, request.FILES)
    done = run_action(
        request,
        form,
        lambda d: act(request.user, a, d.get("text", ""), d.get("files", [])),
        success=success,
        then=then,
    )
    if done:
        return done
    errors = " ".join(str(e) for errs in form.errors.values() for e in errs) if form else ""
    from django.contrib import messages

    messages.error(request, errors or _("Check the form."))
    from django.shortcuts import redirect

    return redirect(then)
