"""The figures pages: one per scope, with drill-down to the scopes below it and an XLSX
export of every table. Only the summary tables are read (queries), never the cases, except
for the list of a mediator's cases on their performance file."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sutiao.core.errors import NotFound

from . import export, performance, policies, queries, tables
from .forms import NoteForm, PeriodForm, default_period
from .models import Complaint, ComplaintState
from .scopes import LEVELS, resolve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's own (widest) scope."""
    own = policies.own_scopes(request.user)
    if not own:
        raise Http404
    return redirect("evaluation:scope", own[0].level, own[0].key or "all")


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = default_period()
    return form, start, end


def _note_form(request: HttpRequest, scope: Any) -> NoteForm | None:
    if scope.level not in {"mediator", "org"}:
        return None
    owners = policies.owners_for(request.user, scope)
    return NoteForm(owners=owners) if owners else None


def _open_complaints(request: HttpRequest, scope: Any) -> list[Any]:
    """The open complaints on this file that the person decides (links to decide them)."""
    if scope.level not in {"mediator", "org"}:
        return []
    field = "mediator_id" if scope.level == "mediator" else "case__org_id"
    rows = Complaint.objects.filter(**{field: int(scope.key)}, state=ComplaintState.OPEN)
    rows = rows.select_related("case__org")[:50]
    return [c for c in rows if policies.decides_complaint(request.user, c)]


@login_required
def scope_page(request: HttpRequest, level: str, key: str) -> HttpResponse:
    scope = resolve(level, "" if key == "all" else key)
    try:
        policies.require_view(request.user, scope)
    except NotFound as exc:
        raise Http404 from exc
    assert scope is not None
    form, start, end = _period(request)
    query = "?" + urlencode({"start": start, "end": end})
    keys = (*scope.children, "ip_kind", "channel")
    page = queries.read(scope, start, end, keys)  # two grouped queries for the whole page
    figures = page.figures()
    every = [tables.summary(figures)]
    every += [tables.by_key(scope, start, end, by, query, page) for by in keys]
    wanted = request.GET.get("export")
    if wanted:
        table = next((t for t in every if t.name == wanted), None)
        if table is None:
            raise Http404
        heading = f"{scope} · {table.title} · {start} – {end}"
        response = HttpResponse(export.workbook(table, heading=heading), content_type=XLSX)
        name = f"figures-{scope.level}-{scope.key or 'all'}-{table.name}-{start}-{end}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        "scope": scope,
        "level_label": LEVELS[scope.level],
        "form": form,
        "start": start,
        "end": end,
        "query": query,
        "figures": figures.as_dict(),
        "tables": every,
        "chart": {
            "monthly": page.monthly(),
            "ip_kind": [[r[0], r[1]] for r in every[-2].rows],
            "labels": {"received": _("Received"), "settled": _("Settled"), "failed": _("Failed")},
        },
        "file": performance.file_of(scope, start, end)
        if scope.level in {"mediator", "org"}
        else None,
        "note_form": _note_form(request, scope),
        "open_complaints": _open_complaints(request, scope),
    }
    return render(request, "evaluation/scope.html", context)
