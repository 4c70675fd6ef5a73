"""Reads for the subsidy pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sutiao.accounts.policies import is_platform_admin, signed_in

from .models import Scheme, Sheet, SheetLine, SheetState
from .policies import owners_of


def schemes_for(user: Any) -> QuerySet[Scheme]:
    rows = Scheme.objects.select_related("office", "court", "region")
    if signed_in(user) and is_platform_admin(user):
        return rows
    offices, courts = owners_of(user)
    return rows.filter(Q(office_id__in=offices) | Q(court_id__in=courts))


def sheets_for(user: Any) -> QuerySet[Sheet]:
    schemes = schemes_for(user).values("pk")
    return Sheet.objects.filter(scheme__in=schemes).select_related("scheme", "version")


def waiting_for(user: Any) -> list[Sheet]:
    """The sheets this person is to review or approve now (never their own)."""
    if not signed_in(user):
        return []
    to_review = Q(state=SheetState.PREPARED, version__reviewers=user)
    to_approve = Q(state=SheetState.REVIEWED, version__approvers=user) & ~Q(reviewed_by=user)
    rows = sheets_for(user).exclude(prepared_by=user).filter(to_review | to_approve)
    return list(rows.distinct().order_by("-period_start"))


def my_lines(user: Any) -> QuerySet[SheetLine]:
    """A mediator's own lines on approved sheets: their subsidy, period by period."""
    if not signed_in(user):
        return SheetLine.objects.none()
    return (
        SheetLine.objects.filter(mediator__user=user, sheet__state=SheetState.APPROVED)
        .select_related("sheet__scheme")
        .order_by("-sheet__period_start")
    )
