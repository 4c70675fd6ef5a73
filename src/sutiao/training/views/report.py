"""The training report: each mediator the viewer oversees with their hours (page and XLSX)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sutiao.core.lazy import lazy

from .. import queries
from ..policies import may_see_report

if TYPE_CHECKING:
    import openpyxl
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")


COLUMNS = [
    "姓名",
    "地区",
    "本年度学时",
    "年度要求学时",
    "尚缺学时",
    "入册前培训学时",
    "入册前要求学时",
    "是否达标",
]


@login_required
def report(request):
    if not may_see_report(request.user):
        raise PermissionDenied
    below = request.GET.get("below") == "1"
    q = request.GET.get("q", "").strip()
    rows = queries.report(request.user, below_only=below, q=q)
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows)
    return render(
        request,
        "training/report.html",
        {
            "rows": rows,
            "below": below,
            "q": q,
            "year": timezone.localdate().year,
            "below_count": sum(1 for r in rows if r.status.below),
        },
    )


def _xlsx(rows: list[queries.ReportRow]) -> HttpResponse:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "培训学时"
    sheet.append(COLUMNS)
    for r in rows:
        s = r.status
        sheet.append(
            [
                r.mediator.name,
                r.mediator.region.full_name,
                float(s.year_hours),
                float(s.per_year),
                float(s.missing),
                float(s.pre_joining_hours),
                float(s.before_joining),
                "未达标" if s.below else "达标",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="training-report-{stamp}.xlsx"'
    return response
