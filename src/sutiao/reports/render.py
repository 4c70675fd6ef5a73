"""The report's PDF: the frozen content, the commentary and the charts laid out by the
documents' template machinery (WeasyPrint, the embedded CJK fonts, the verification code
and QR code in every footer), with a signature field for the issuer's seal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sutiao.documents.render import render_pdf

from . import charts, content
from .models import LocalReport, Report

TITLES = {Report.Kind.ANALYSIS: "调解工作分析报告", Report.Kind.BULLETIN: "联席会议通报"}


def title_of(report: Report) -> str:
    return f"{report.scope_name}{report_period(report)}{TITLES[Report.Kind(report.kind)]}"


def report_period(report: Report) -> str:
    return str(
        report.content.get("period_label") or content.period_label(report.period, report.start)
    )


def chart_uris(data: dict[str, Any]) -> dict[str, str]:
    by_kind = next((t for t in data["tables"] if t["name"] == "ip_kind"), None)
    return {
        "trend": charts.data_uri(data["charts"]["trend"]),
        "ip_kind": charts.data_uri(data["charts"]["ip_kind"])
        if by_kind and by_kind["rows"]
        else "",
    }


def local_items(report: Report) -> list[dict[str, str]]:
    """The experience and problem reports that reached the bulletin's scope in its period."""
    if report.kind != Report.Kind.BULLETIN:
        return []
    rows = LocalReport.objects.filter(
        filed_at__date__gte=report.start, filed_at__date__lte=report.end
    ).select_related("court", "office")
    from .policies import scope_of

    scope = scope_of(report)
    level = scope.region_level if scope is not None else ""
    if level == "nation":
        rows = rows.filter(forwarded=True)
    elif level == "province":
        rows = rows.filter(province=scope.region_code if scope else "")
    else:
        return []
    return [
        {
            "kind": str(LocalReport.Kind(r.kind).label),
            "title": r.title,
            "text": r.text,
            "by": str(r.court or r.office or ""),
        }
        for r in rows.order_by("filed_at")
    ]


def pdf(report: Report, *, verify_code: str, issuer: str, date: dt.date) -> bytes:
    data = report.content
    tables = [{**t, "cells": content.shown(t)} for t in data["tables"]]
    context = {
        "title": title_of(report),
        "case_number": "",
        "author": issuer,
        "content": data,
        "bulletin": report.kind == Report.Kind.BULLETIN,
        "commentary": [p for p in report.commentary.splitlines() if p.strip()],
        "summary": tables[0],
        "breakdowns": tables[1:],
        "charts": chart_uris(data),
        "local_reports": local_items(report),
        "issuer": issuer,
        "date": date,
    }
    return render_pdf("reports/report.html", context, verify_code=verify_code)
