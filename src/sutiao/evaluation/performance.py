"""The performance file of a mediator or an organisation (SIR 10; OMR 27): its cases of the
period, how they ended, and its refusals. Party feedback, commendations and warnings are
not recorded yet (docs/evaluation.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from sutiao.cases.choices import State
from sutiao.cases.models import Case

from .facts import LOCAL
from .scopes import Scope

SHOWN = 50


def file_of(scope: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    field = "mediator" if scope.level == "mediator" else "org"
    since = dt.datetime.combine(start, dt.time.min, LOCAL)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, LOCAL)
    cases = Case.objects.filter(
        **{f"{field}_id": int(scope.key)}, submitted_at__gte=since, submitted_at__lt=until
    )
    by_state = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    outcomes = [(State(s).label, n) for s, n in sorted(by_state.items()) if s in State.values]
    return {
        "total": sum(by_state.values()),
        "outcomes": outcomes,
        "refusals": by_state.get(State.DECLINED, 0),
        "cases": cases.select_related("ip_kind", "court").order_by("-submitted_at")[:SHOWN],
        "shown": SHOWN,
    }
