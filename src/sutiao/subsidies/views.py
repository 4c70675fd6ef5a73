"""Subsidy pages: schemes (with every version), sheets and their steps, the XLSX, and a
mediator's own subsidies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.core.forms import form_page, run_action, steps_view
from sutiao.core.lookup import visible_or_404

from . import actions, lifecycle, queries, sheets
from .forms import NewSchemeForm, PeriodForm, ReasonForm, SchemeForm, initial_of
from .models import Scheme, Sheet, SheetState
from .policies import owners_of


@login_required
def index(request):
    offices, courts = owners_of(request.user)
    return render(
        request,
        "subsidies/index.html",
        {
            "staff": bool(offices or courts),
            "schemes": queries.schemes_for(request.user)[:100],
            "waiting": queries.waiting_for(request.user),
            "sheets": queries.sheets_for(request.user)[:50],
            "lines": queries.my_lines(request.user)[:100],
        },
    )


@login_required
def scheme_new(request):
    offices, courts = owners_of(request.user)
    if not (offices or courts):
        raise PermissionDenied
    form = NewSchemeForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda d: actions.create_scheme(
            actor=request.user, name=d["name"], owner=form.chosen_owner(), terms=form.terms()
        ),
        template="subsidies/scheme_form.html",
        context={"form": form, "scheme": None},
        success=_("The scheme is saved."),
        then=lambda s: reverse("subsidies:scheme", args=[s.pk]),
        refusal="form",
    )


def _scheme(request, pk: int) -> Scheme:
    rows = Scheme.objects.select_related("office", "court", "region")
    return visible_or_404(request.user, rows, pk=pk)


@login_required
def scheme_detail(request, pk: int):
    scheme = _scheme(request, pk)
    form = PeriodForm(request.POST or None)
    versions = scheme.versions.prefetch_related("reviewers", "approvers")
    return form_page(
        request,
        form,
        lambda d: sheets.prepare_sheet(
            actor=request.user, scheme=scheme, start=d["period_start"], end=d["period_end"]
        ),
        template="subsidies/scheme.html",
        context={
            "scheme": scheme,
            "versions": versions,
            "form": form,
            "sheets": scheme.sheets.all(),
        },
        success=_("The sheet is computed."),
        then=lambda s: reverse("subsidies:sheet", args=[s.pk]),
        refusal="form",
    )


@login_required
def scheme_edit(request, pk: int):
    scheme = _scheme(request, pk)
    initial = initial_of(scheme.current)
    form = SchemeForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.change_scheme(actor=request.user, scheme=scheme, terms=form.terms()),
        template="subsidies/scheme_form.html",
        context={"form": form, "scheme": scheme},
        success=_("The scheme is changed: a new version is in force."),
        then=reverse("subsidies:scheme", args=[scheme.pk]),
        refusal="form",
    )


def _sheet(request, pk: int) -> Sheet:
    rows = Sheet.objects.select_related(
        "scheme__office", "scheme__court", "version", "prepared_by", "reviewed_by", "approved_by"
    )
    return visible_or_404(request.user, rows, pk=pk)


@login_required
def sheet_detail(request, pk: int):
    sheet = _sheet(request, pk)
    roles = lifecycle.roles(request.user, sheet)
    steps = {t.name for t in lifecycle.machine.available(sheet, roles)}
    return render(
        request,
        "subsidies/sheet.html",
        {"sheet": sheet, "lines": sheet.lines.all(), "steps": steps, "reason_form": ReasonForm()},
    )


def _sheet_url(sheet: Sheet) -> str:
    return reverse("subsidies:sheet", args=[sheet.pk])


_sheet_steps = steps_view(
    _sheet,
    {
        "review": (sheets.review_sheet, gettext_lazy("The sheet is marked as reviewed.")),
        "approve": (sheets.approve_sheet, gettext_lazy("The sheet is approved.")),
        "recompute": (sheets.recompute, gettext_lazy("The sheet is computed again.")),
    },
    then=_sheet_url,
    name="sheet",
    key="step",
)


@login_required
@require_POST
def sheet_step(request, pk: int, step: str):
    if step != "send_back":
        return _sheet_steps(request, pk=pk, step=step)
    sheet = _sheet(request, pk)
    form = ReasonForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: sheets.send_back(actor=request.user, sheet=sheet, reason=d["reason"]),
        success=_("The sheet is sent back."),
        then=_sheet_url(sheet),
    )
    if done is None:
        messages.error(request, _("Say why the sheet is sent back."))
        return redirect(_sheet_url(sheet))
    return done


@login_required
def sheet_xlsx(request, pk: int):
    """The stored file of an approved sheet, byte for byte."""
    sheet = _sheet(request, pk)
    if sheet.state != SheetState.APPROVED or not sheet.xlsx:
        raise Http404
    response = HttpResponse(
        bytes(sheet.xlsx),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"subsidy-sheet-{sheet.pk}-{sheet.period_start}-{sheet.period_end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
