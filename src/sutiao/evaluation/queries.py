"""The figures of a scope and period, from the summary tables only (never the cases), so a
national page costs the same at ten million cases as at ten thousand. The counting rules
are docs/evaluation.md's; the derived figures are computed here, in one place."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
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
    own would give.

    `marginal` (PostgreSQL): the rows are GROUPING SETS — one set per key and one by month
    for the counters, one by days and one per key × days for the histogram — so a column
    the row's set does not group is NULL (the summary's keys never are), and each figure
    sums only its own set's rows. Otherwise every row is grouped by every key."""

    keys: tuple[str, ...]
    rows: list[tuple[Any, ...]]  # (*keys, month, *COUNTERS)
    close: list[tuple[Any, ...]]  # (*keys, days, count)
    marginal: bool = False

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

    def _by_month(self) -> list[tuple[Any, ...]]:
        at = len(self.keys)
        return [r for r in self.rows if r[at] is not None] if self.marginal else self.rows

    def figures(self) -> Figures:
        close = self.close
        if self.marginal:
            close = [r for r in close if all(v is None for v in r[: len(self.keys)])]
        return self._figures(self._by_month(), close)

    def breakdown(self, by: str) -> dict[Any, Figures]:
        """The figures per value of one of the page's keys."""
        at = self.keys.index(by)
        rows: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.rows:
            if row[at] is not None or not self.marginal:
                rows[row[at]].append(row)
        close: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.close:
            if row[at] is not None or not self.marginal:
                close[row[at]].append(row)
        return {v: self._figures(rows[v], close.get(v, [])) for v in sorted(rows, key=str)}

    def monthly(self) -> list[dict[str, Any]]:
        """Received, settled and failed per month, for the chart."""
        at = len(self.keys)
        merged: dict[str, dict[str, int]] = {}
        wanted = {k: 1 + at + COUNTERS.index(k) for k in ("received", "settled", "failed")}
        for row in sorted(self._by_month(), key=lambda r: r[at]):
            month = merged.setdefault(_month(row[at]), dict.fromkeys(wanted, 0))
            for k, i in wanted.items():
                month[k] += row[i] or 0
        return [{"month": m, **v} for m, v in merged.items()]


def _month(day: Any) -> str:
    if isinstance(day, dt.datetime | dt.date):
        return day.strftime("%Y-%m")
    return str(day)[:7]


def _grouping_sets(rows: Any, columns: list[str], sums: list[str], sets: list[list[str]]) -> list:
    """`rows` (a queryset of plain values) summed per GROUPING SETS (PostgreSQL)."""
    inner, params = rows.query.sql_with_params()
    q = connection.ops.quote_name
    listed = ", ".join(q(c) for c in columns)
    summed = ", ".join(f"SUM({q(c)})" for c in sums)
    grouped = ", ".join("(" + ", ".join(q(c) for c in group) + ")" for group in sets)
    # Column names from the models; the filter's values stay parameters of the inner query.
    sql = f"SELECT {listed}, {summed} FROM ({inner}) AS t GROUP BY GROUPING SETS ({grouped})"  # noqa: S608 # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _read_marginal(figures: Any, close: Any, keys: tuple[str, ...], month: str) -> Page:
    rows = _grouping_sets(
        figures.values(*keys, month, *COUNTERS).order_by(),
        [*keys, month],
        list(COUNTERS),
        [[month], *([k] for k in keys)],
    )
    bins = _grouping_sets(
        close.values(*keys, "days", "count").order_by(),
        [*keys, "days"],
        ["count"],
        [["days"], *([k, "days"] for k in keys)],
    )
    return Page(keys, rows, bins, marginal=True)


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
    close = _period(scope, start, end, CloseDays, by)
    if keys and connection.vendor == "postgresql":
        return _read_marginal(figures, close, keys, month)
    rows = (
        figures.values(*keys, month)
        .annotate(**{f"sum_{c}": Sum(c) for c in COUNTERS})
        .values_list(*keys, month, *(f"sum_{c}" for c in COUNTERS))
        .order_by()
    )
    bins = (
        close.values(*keys, "days")
        .annotate(n=Sum("count"))
        .values_list(*keys, "days", "n")
        .order_by()
    )
    return Page(keys, list(rows), list(bins))


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
