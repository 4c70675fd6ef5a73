"""Collection: organisations and mediators imported from a spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from sutiao.core.errors import NotFound
from sutiao.core.forms import form_page
from sutiao.core.lookup import visible_or_404

from .. import actions, queries, spreadsheets
from ..forms import ImportForm
from ..models import ImportJob
from ..policies import may_import
from ._common import office_only, xlsx


@login_required
def import_page(request):
    if not may_import(request.user):
        office_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda d: actions.start_import(
            actor=request.user, filename=d["file"].name, data=d["file"].read(), kind=d["kind"]
        ),
        success="",
        then=lambda job: reverse("roster:import_job", args=[job.pk]),
        catch=(),
        template="roster/import.html",
        context={"form": form, "jobs": queries.imports_of(request.user)},
    )


def _job(request, pk: int) -> ImportJob:
    return visible_or_404(request.user, ImportJob, pk=pk)


@login_required
def import_job(request, pk: int):
    return render(request, "roster/import_job.html", {"job": _job(request, pk)})


@login_required
def import_progress(request, pk: int):
    """The part of the job page that htmx reloads every second until the import ends."""
    return render(request, "roster/_import_progress.html", {"job": _job(request, pk)})


@login_required
def import_errors(request, pk: int):
    job = _job(request, pk)
    return xlsx(spreadsheets.error_report(job), f"import-{job.pk}-errors.xlsx")


def import_template(request, kind: str):
    if kind not in ImportJob.Kind.values:
        raise NotFound()
    return xlsx(spreadsheets.template(kind), f"sutiao-{kind}-template.xlsx")
