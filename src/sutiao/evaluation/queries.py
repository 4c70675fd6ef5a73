"""The figures of a scope and period, from the summary tables only (never the cases), so a
national page costs the same at ten million cases as at ten thousand. The counting rules
are docs/evaluation.md's; the derived figures are computed here, in one place."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import COUNTERS, CloseDays, DailyFigure, MonthlyCloseDays, MonthlyFigure
from .scopes import Scope


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Figures:
    counts: dict[str, int]
    close_days: dict[int, int] = field(default_factory=dict)  # days → cases

    def __getitem__(self, name: str) -> Any:
        return self.as_dict()[name]

    @property
    def concluded(self) -> int:
        """Mediations that ended with an outcome: the denominator of the success rate."""
        return self.counts["settled"] + self.counts["failed"]

    def _nth(self, index: int) -> int:
        """The index-th smallest days to close (0-based) of the histogram."""
        seen = 0
        for days, n in sorted(self.close_days.items()):
            seen += n
            if seen > index:
                return days
        raise IndexError(index)

    def median_days(self) -> float | None:
        total = sum(self.close_days.values())
        if not total:
            return None
        if total % 2:
            return float(self._nth(total // 2))
        return (self._nth(total // 2 - 1) + self._nth(total // 2)) / 2

    def mean_days(self) -> float | None:
        total = sum(self.close_days.values())
        if not total:
            return None
        return round(sum(d * n for d, n in self.close_days.items()) / total, 2)

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        services = c["services_electronic"] + c["services_other"]
        return {
            **c,
            "concluded": self.concluded,
            "assigned_3wd_rate": _ratio(c["assigned_3wd"], c["received"]),
            "accepted_3wd_rate": _ratio(c["accepted_3wd"], c["received"]),
            "success_rate": _ratio(c["settled"], self.concluded),
            "video_share": _ratio(c["by_video"], self.concluded),
            "e_service_rate": _ratio(c["services_electronic"], services),
            "median_days": self.median_days(),
            "mean_days": self.mean_days(),
        }


MONTHLY = {DailyFigure: MonthlyFigure, CloseDays: MonthlyCloseDays}


def whole_months(scope: Scope, start: dt.date, end: dt.date, by: str = "") -> bool:
    """Whether the monthly roll-up answers: the period starts on a month's first day and
    ends on a month's last day or today (nothing has happened after today), and neither the
    scope nor the breakdown is a mediator (the roll-up has no mediator key)."""
    if start.day != 1 or scope.region_level == "mediator" or by == "mediator_id":
        return False
    return (end + dt.timedelta(days=1)).day == 1 or end >= timezone.localdate()


def _period(scope: Scope, start: dt.date, end: dt.date, model: Any, by: str = "") -> Any:
    """Rows of the scope from `start` to `end`, both included: the monthly roll-up's for
    whole months (independent of the number of cases), else the daily rows'."""
    if whole_months(scope, start, end, by):
        model = MONTHLY[model]
    return model.objects.filter(scope.q(), day__gte=start, day__lte=end)


def figures(scope: Scope, start: dt.date, end: dt.date) -> Figures:
    sums = _period(scope, start, end, DailyFigure).aggregate(**{c: Sum(c) for c in COUNTERS})
    close = (
        _period(scope, start, end, CloseDays)
        .values("days")
        .annotate(n=Sum("count"))
        .values_list("days", "n")
    )
    return Figures({c: sums[c] or 0 for c in COUNTERS}, {d: n for d, n in close if n})


def breakdown(scope: Scope, start: dt.date, end: dt.date, by: str) -> dict[Any, Figures]:
    """The scope's figures per value of one key (province, court_id, ip_kind, channel...)."""
    rows = (
        _period(scope, start, end, DailyFigure, by)
        .values(by)
        .annotate(**{c: Sum(c) for c in COUNTERS})
        .order_by(by)
    )
    found = {r[by]: Figures({c: r[c] or 0 for c in COUNTERS}) for r in rows}
    close = (
        _period(scope, start, end, CloseDays, by)
        .values(by, "days")
        .annotate(n=Sum("count"))
        .values_list(by, "days", "n")
    )
    for value, days, n in close:
        if value in found and n:
            found[value].close_days[days] = n
    return found


def monthly(scope: Scope, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Received, settled and failed per month, for the chart."""
    rows = (
        _period(scope, start, end, DailyFigure)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(received=Sum("received"), settled=Sum("settled"), failed=Sum("failed"))
        .order_by("month")
    )
    merged: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        merged[r["month"].strftime("%Y-%m")] = {
            k: r[k] or 0 for k in ("received", "settled", "failed")
        }
    return [{"month": m, **v} for m, v in merged.items()]


def scope_figures(user: Any, today: dt.date | None = None) -> dict[str, Any] | None:
    """A staff member's own (widest) scope and its figures of the last twelve months, for
    a home page: `{% include "evaluation/_scope_figures.html" %}` with this as `scope_figures`."""
    from .forms import default_period
    from .policies import own_scopes

    own = own_scopes(user)
    if not own:
        return None
    start, end = default_period(today)
    return {"scope": own[0], "start": start, "end": end, **figures(own[0], start, end).as_dict()}
