"""Who sees and makes reports: staff whose own figures scope (evaluation.policies) contains
the report's scope — the national supervisor every report, a provincial IP office its
province's and those of the courts and offices in it, a court its own. An issued report is
also seen by the members of the joint meeting it was served to. Anyone else: 404.
Mediators and organisations have no report scope, so they see none."""

from __future__ import annotations

from typing import Any

from sutiao.core.policy import rule
from sutiao.evaluation import policies as figures
from sutiao.evaluation.scopes import Scope, resolve

from .models import LocalReport, Report


def scope_of(report: Report) -> Scope | None:
    return resolve(report.scope_level, report.scope_key)


def _staff_of(user: Any, report: Report) -> bool:
    scope = scope_of(report)
    return scope is not None and figures.can_view(user, scope)


@rule(Report, "view")
def can_view(user: Any, report: Report) -> bool:
    if _staff_of(user, report):
        return True
    return (
        report.state == Report.State.ISSUED and report_members(report).filter(pk=user.pk).exists()
    )


@rule(Report, "manage")
def can_manage(user: Any, report: Report) -> bool:
    """Write the commentary, issue: the scope's staff (a member of the meeting only reads)."""
    return _staff_of(user, report)


def may_request(user: Any, scope: Scope) -> bool:
    return scope.level in {"nation", "province", "court", "office"} and figures.can_view(
        user, scope
    )


def report_members(report: Report) -> Any:
    from sutiao.accounts.models import User

    return User.objects.filter(
        is_active=True,
        joint_meetings__scope_level=report.scope_level,
        joint_meetings__scope_key=report.scope_key,
    )


@rule(LocalReport, "view")
def can_view_local(user: Any, local: LocalReport) -> bool:
    if local.filed_by_id == user.pk:
        return True
    province = resolve("province", local.province) if local.province else None
    if local.forwarded and figures.can_view(user, Scope("nation")):
        return True
    return province is not None and figures.can_view(user, province)
