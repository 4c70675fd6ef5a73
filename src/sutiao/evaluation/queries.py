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


@dataclass
class Page:
    """What one figures page reads: the scope's summary rows over the period, grouped once
    by month and by every key the page breaks down by (one query per summary table), from
    which its totals, breakdowns and monthly chart are summed here. The sums are of
    integers and the histograms merge exactly, so each figure equals what a query of its
    own would give."""

    keys: tuple[str, ...]
    rows: list[tuple[Any, ...]]  # (*keys, month, *COUNTERS)
    close: list[tuple[Any, ...]]  # (*keys, days, count)

    def _figures(self, rows: list[tuple[Any, ...]], close: list[tuple[Any, ...]]) -> Figures:
        counts = dict.fromkeys(COUNTERS, 0)
        n = len(self.keys) + 1
        for row in rows:
            for c, v in zip(COUNTERS, row[n:], strict=True):
                counts[c] += v or 0
        days: dict[int, int] = defaultdict(int)
        for row in close:
            if row[-1]:
                days[row[-2]] += row[-1]
        return Figures(counts, dict(days))

    def figures(self) -> Figures:
        return self._figures(self.rows, self.close)

    def breakdown(self, by: str) -> dict[Any, Figures]:
        """The figures per value of one of the page's keys."""
        at = self.keys.index(by)
        rows: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.rows:
            rows[row[at]].append(row)
        close: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.close:
            close[row[at]].append(row)
        return {v: self._figures(rows[v], close.get(v, [])) for v in sorted(rows, key=str)}

    def monthly(self) -> list[dict[str, Any]]:
        """Received, settled and failed per month, for the chart."""
        at = len(self.keys)
        merged: dict[str, dict[str, int]] = {}
        wanted = {k: 1 + at + COUNTERS.index(k) for k in ("received", "settled", "failed")}
        for row in sorted(self.rows, key=lambda r: r[at]):
            month = merged.setdefault(_month(row[at]), dict.fromkeys(wanted, 0))
            for k, i in wanted.items():
                month[k] += row[i] or 0
        return [{"month": m, **v} for m, v in merged.items()]


def _month(day: Any) -> str:
    if isinstance(day, dt.datetime | dt.date):
        return day.strftime("%Y-%m")
    return str(day)[:7]


def read(scope: Scope, start: dt.date, end: dt.date, keys: tuple[str, ...] = ()) -> Page:
    """The page's two grouped queries. Grouped by `keys` and month (for the roll-up the
    month is its `day`, for daily rows the day truncated to its month); the histogram of
    days to close by `keys` and days only."""
    by = "mediator_id" if "mediator_id" in keys else ""
    figures = _period(scope, start, end, DailyFigure, by)
    if figures.model is DailyFigure:
        figures = figures.annotate(month=TruncMonth("day"))
        month = "month"
    else:
        month = "day"
    rows = (
        figures.values(*keys, month)
        .annotate(**{f"sum_{c}": Sum(c) for c in COUNTERS})
        .values_list(*keys, month, *(f"sum_{c}" for c in COUNTERS))
        .order_by()
    )
    close = (
        _period(scope, start, end, CloseDays, by)
        .values(*keys, "days")
        .annotate(n=Sum("count"))
        .values_list(*keys, "days", "n")
        .order_by()
    )
    return Page(keys, list(rows), list(close))


def figures(scope: Scope, start: dt.date, end: dt.date) -> Figures:
    return read(scope, start, end).figures()


def breakdown(scope: Scope, start: dt.date, end: dt.date, by: str) -> dict[Any, Figures]:
    """The scope's figures per value of one key (province, court_id, ip_kind, channel...)."""
    return read(scope, start, end, (by,)).breakdown(by)


def monthly(scope: Scope, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Received, settled and failed per month, for the chart."""
    return read(scope, start, end).monthly()


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
