"""The work queues of clerks and judges (cases.queues): the page, and its XLSX export of
exactly the rows shown (same filters, same page)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sutiao.accounts.roles import Role
from sutiao.institutions.models import Court, IPKind, MediationOrg

from . import queries, queues
from .choices import Channel, State
from .models import Case

# Which queue each role works in: key -> (role, title).
QUEUES = {
    "clerk": (Role.COURT_CLERK, gettext_lazy("Case queue")),
    "judge": (Role.JUDGE, gettext_lazy("Entrusted cases")),
}
SORT_LABELS = {
    "deadline": gettext_lazy("Nearest deadline first"),
    "-submitted": gettext_lazy("Newest application first"),
    "submitted": gettext_lazy("Oldest application first"),
}


def _which(request, which: str) -> str:
    if which not in QUEUES or not request.user.has_role(QUEUES[which][0]):
        raise Http404
    return which


def _columns() -> list[str]:
    return [
        _("Case number"),
        _("Title"),
        _("Parties"),
        _("State"),
        _("IP kind"),
        _("Channel"),
        _("Court"),
        _("Mediation organisation"),
        _("Submitted"),
        _("Deadline"),
    ]


def _day(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def row_of(case: Case) -> list[str]:
    """One case as the page's table and the export print it."""
    return [
        case.number or "",
        case.title,
        "、".join(p.name for p in case.parties.all()),
        case.get_state_display(),
        str(case.ip_kind) if case.ip_kind else "",
        case.get_channel_display(),
        case.court.name if case.court else "",
        case.org.name if case.org else "",
        _day(case.submitted_at),
        _day(case.deadline_at),
    ]


def _choices(user, which: str) -> dict:
    scope = queues.scope(user, which)
    return {
        "states": State.choices,
        "channels": Channel.choices,
        "ip_kinds": list(IPKind.objects.all()),
        "courts": list(Court.objects.filter(pk__in=scope.values("court_id")).order_by("name")),
        "orgs": list(MediationOrg.objects.filter(pk__in=scope.values("org_id")).order_by("name")),
        "sorts": list(SORT_LABELS.items()),
    }


@login_required
def queue_page(request, which: str):
    which = _which(request, which)
    f = queues.QueueFilter.from_params(request.GET)
    result = queues.queue(request.user, which, f)
    context = {
        "which": which,
        "title": QUEUES[which][1],
        "filter": f,
        "result": result,
        "rows": [
            {"case": c, "cells": row_of(c), "countdown": queries.countdown(c)} for c in result.items
        ],
        "columns": _columns(),
        "query": urlencode(f.params(cursor=f.cursor)),
        "state_links": [(c, urlencode(f.params(state=c["state"]))) for c in result.counts],
        "all_states": urlencode(f.params(state="")),
        "next": urlencode(f.params(cursor=result.next_cursor)) if result.next_cursor else "",
        **_choices(request.user, which),
    }
    return render(request, "cases/queue.html", context)


@login_required
def queue_export(request, which: str):
    """The rows the page shows for the same query string, as an Excel workbook."""
    from openpyxl import Workbook

    which = _which(request, which)
    f = queues.QueueFilter.from_params(request.GET)
    result = queues.queue(request.user, which, f)
    book = Workbook()
    sheet = book.active
    sheet.title = str(QUEUES[which][1])[:31]
    sheet.append(_columns())
    for case in result.items:
        sheet.append(row_of(case))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="queue-{which}-{stamp}.xlsx"'
    return response
