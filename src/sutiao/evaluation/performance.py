"""The performance file of a mediator or an organisation (SIR 10; OMR 27): its cases of the
period, how they ended, its refusals, the parties' survey (means and count only), complaints,
training hours, commendations and warnings, and its score under each scoring scheme that
covers it (docs/evaluation.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from sutiao.cases.choices import State
from sutiao.cases.models import Case

from . import scoring
from .facts import LOCAL
from .models import Complaint, ScoringVersion
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
        **extras(scope, start, end),
    }


def extras(scope: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    from .models import ComplaintState, PerformanceNote

    inputs = scoring.inputs_of(scope, start, end)
    field = "mediator" if scope.level == "mediator" else "org"
    complaints = Complaint.objects.filter(
        **(
            {"mediator_id": int(scope.key)}
            if field == "mediator"
            else {"case__org_id": int(scope.key)}
        ),
        filed_at__date__gte=start,
        filed_at__date__lte=end,
    )
    by_state = dict(complaints.order_by().values_list("state").annotate(n=Count("id")))
    notes = PerformanceNote.objects.filter(**{f"{field}_id": int(scope.key)})
    return {
        "survey": inputs["answers"],
        "satisfaction": inputs["satisfaction"],
        "training_hours": inputs["training_hours"],
        "complaints": [
            (ComplaintState(s).label, by_state.get(s, 0)) for s in ComplaintState.values
        ],
        "notes": notes.select_related("office", "court", "recorded_by")[:SHOWN],
        "scores": scores_of(scope, end),
    }


def scores_of(scope: Scope, end: dt.date) -> list[scoring.Score]:
    """The score under the current (latest published) version of each scheme whose owner's
    scope holds this mediator or organisation, over the version's period that ends at `end`."""
    from .policies import contains

    found = []
    versions = ScoringVersion.objects.filter(published_at__isnull=False).select_related(
        "scheme__office__region", "scheme__court"
    )
    latest: dict[int, ScoringVersion] = {}
    for v in versions.order_by("scheme_id", "number"):
        latest[v.scheme_id] = v
    for version in latest.values():
        owner = version.scheme.owner
        level = "office" if version.scheme.office_id else "court"
        if not contains(Scope(level, str(owner.pk), owner), scope):
            continue
        start, stop = scoring.period_of(version.period, end)
        found.append(scoring.score(version, scoring.inputs_of(scope, start, stop), start, stop))
    return found
