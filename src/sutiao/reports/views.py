"""The reports pages: the list with a request form, a report's page (its progress while it
is generated, then its tables, charts, commentary and the issue button), the downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.accounts.models import User
from sutiao.core.errors import NotFound
from sutiao.core.forms import run_action
from sutiao.core.lazy import lazy
from sutiao.core.policy import can
from sutiao.evaluation.policies import own_scopes

from . import actions, queries, workbook
from .forms import CommentaryForm, RequestForm
from .models import Report

if TYPE_CHECKING:
    from . import render as report_render
else:  # loaded on first use (sutiao.core.lazy): WeasyPrint, matplotlib
    report_render = lazy("sutiao.reports.render")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scopes(user) -> list[tuple[str, str]]:
    return [
        (f"{s.level}:{s.key}", str(s))
        for s in own_scopes(user)
        if s.level in {"nation", "province", "court", "office"}
    ]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: never anonymous here


def _report(request: HttpRequest, pk: int) -> Report:
    try:
        return queries.report_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def list_page(request: HttpRequest) -> HttpResponse:
    scopes = _scopes(request.user)
    form = RequestForm(request.POST or None, scopes=scopes)
    if request.method == "POST":

        def call(data):
            level, key = data["scope"].split(":", 1)
            return actions.request_report(
                actor=request.user,
                kind=data["kind"],
                scope_level=level,
                scope_key=key,
                period=data["period"],
                start=data["start"],
            )

        done = run_action(
            request,
            form,
            call,
            success=_("The report is being generated."),
            then=lambda r: reverse("reports:detail", args=[r.pk]),
            refusal="form",
        )
        if done:
            return done
    context = {"form": form, "reports": queries.visible_reports(request.user), "scopes": scopes}
    return render(request, "reports/list.html", context)


def _context(request: HttpRequest, report: Report) -> dict:
    data = report.content or {}
    tables = []
    if data:
        from . import content

        tables = [{**t, "cells": content.shown(t)} for t in data["tables"]]
    return {
        "report": report,
        "title": report_render.title_of(report) if data else str(report),
        "tables": tables,
        "charts": report_render.chart_uris(data) if data else {},
        "manage": can(request.user, "manage", report),
        "form": CommentaryForm(initial={"commentary": report.commentary}),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(request, "reports/detail.html", _context(request, report))


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = render(request, "reports/_progress.html", {"report": report})
    if report.finished:
        response["HX-Refresh"] = "true"  # the whole page now has the tables to show
    return response


@require_POST
@login_required
def commentary(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = CommentaryForm(request.POST)
    then = reverse("reports:detail", args=[pk])
    done = run_action(
        request,
        form,
        lambda d: actions.write_commentary(
            actor=_actor(request), report=report, text=d["commentary"]
        ),
        success=_("The commentary is saved."),
        then=then,
    )
    if done:
        return done
    context = {**_context(request, report), "form": form}
    return render(request, "reports/detail.html", context, status=400)


@require_POST
@login_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    then = reverse("reports:detail", args=[pk])
    return run_action(
        request,
        None,
        lambda d: actions.issue_report(actor=_actor(request), report=report),
        success=_("The report is issued, signed and served to the joint meeting's members."),
        then=then,
    )


@login_required
def pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = _report(request, pk)
    if report.document is None:
        raise Http404
    name = f"report-{report.pk}-{report.document.verify_code}.pdf"
    return FileResponse(
        report.document.file.open("rb"), content_type="application/pdf", filename=name
    )


@login_required
def xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The issued workbook as kept; a draft's, built now from its content."""
    report = _report(request, pk)
    if report.state == Report.State.ISSUED:
        return FileResponse(report.xlsx.open("rb"), content_type=XLSX, filename=f"report-{pk}.xlsx")
    if not report.content:
        raise Http404
    data = workbook.workbook(report.content, title=report_render.title_of(report))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="report-{pk}-draft.xlsx"'
    return response
