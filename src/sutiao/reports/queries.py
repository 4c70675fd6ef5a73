"""Reads for the reports pages: the reports a person may see, newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from . import policies
from .models import Report

PAGE = 50


def visible_reports(user: Any) -> list[Report]:
    """Reports of the scopes the person's figures scope contains, and issued reports of the
    joint meetings they sit in. The scopes are few (a person's memberships), so the policy
    is asked once per scope, not once per report."""
    rows: QuerySet[Report] = Report.objects.order_by("-start", "-id")
    verdict: dict[tuple[str, str], bool] = {}
    found = []
    for report in rows.iterator(chunk_size=500):
        key = (report.scope_level, report.scope_key)
        if key not in verdict:
            verdict[key] = policies.can_manage(user, report)
        if verdict[key] or policies.can_view(user, report):
            found.append(report)
        if len(found) >= PAGE:
            break
    return found


def report_for(user: Any, pk: int) -> Report:
    from sutiao.core.policy import require

    report = Report.objects.filter(pk=pk).select_related("document").first()
    if report is None:
        from sutiao.core.errors import NotFound

        raise NotFound()
    require(user, "view", report)
    return report
