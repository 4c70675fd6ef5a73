"""Figures over JSON: a scope's figures for a period (404 for a scope outside the caller's)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Router

from sutiao.core.errors import Invalid

from . import policies, queries
from .scopes import resolve

router = Router(tags=["evaluation"])
PERIOD_RULE = _("The period must start before it ends and cover at most three years.")


@router.get("/figures/{level}/{key}", response=dict[str, Any])
def scope_figures(request, level: str, key: str, start: date, end: date):
    scope = policies.require_view(request.auth, resolve(level, "" if key == "all" else key))
    if start > end or (end - start).days > 3 * 366:
        raise Invalid(fields={"end": [str(PERIOD_RULE)]})
    return {
        "scope": {"level": scope.level, "key": scope.key, "name": str(scope)},
        "start": start,
        "end": end,
        "figures": queries.figures(scope, start, end).as_dict(),
    }
