"""What a report says: its tables, read from the figures' summary (evaluation.queries and
evaluation.tables, so a report's table is the figures page's table), frozen as plain JSON
in Chinese when the report is generated. The PDF, the XLSX and the page read only this."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from sutiao.evaluation import queries, tables
from sutiao.evaluation.scopes import Scope

# Which breakdowns a report lists below its scope (evaluation.scopes.CHILDREN, by region level).
BELOW = {
    "nation": ("province",),
    "province": ("court_id", "org_id"),
    "city": ("court_id", "org_id"),
    "court": ("org_id", "mediator_id"),
}
TREND_MONTHS = 12


def period_of(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter that begins on `start` (its first and last day)."""
    months = 3 if kind == "quarter" else 1
    year, month = divmod(start.month - 1 + months, 12)
    following = dt.date(start.year + year, month + 1, 1)
    return start, following - dt.timedelta(days=1)


def previous(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    months = 3 if kind == "quarter" else 1
    year, month = divmod(start.month - 1 - months, 12)
    return period_of(kind, dt.date(start.year + year, month + 1, 1))


def period_label(kind: str, start: dt.date) -> str:
    if kind == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年{start.month}月"


def _plain(table: tables.Table) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": str(table.title),
        "headers": [str(h) for h in table.headers],
        "rows": [[str(row[0]), *row[1:]] for row in table.rows],
        "columns": ["", *[k for k, _label in tables.INDICATORS if k in tables.COLUMNS]],
        "rate_columns": sorted(table.rate_columns),
        "rate_rows": sorted(table.rate_rows),
    }


def _summary(scope: Scope, kind: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The indicators of the period beside those of the period before (环比)."""
    now = queries.figures(scope, start, end).as_dict()
    before_start, before_end = previous(kind, start)
    before = queries.figures(scope, before_start, before_end).as_dict()
    rows = [[str(label), now[key], before[key]] for key, label in tables.INDICATORS]
    return {
        "name": "summary",
        "title": "主要指标",
        "headers": ["指标", period_label(kind, start), period_label(kind, before_start)],
        "rows": rows,
        "keys": [key for key, _label in tables.INDICATORS],
        "rate_columns": [],
        "rate_rows": [i for i, (k, _l) in enumerate(tables.INDICATORS) if k in tables.RATES],
    }


def _trend(scope: Scope, end: dt.date) -> list[dict[str, Any]]:
    year, month = divmod(end.month - TREND_MONTHS, 12)
    first = dt.date(end.year + year, month + 1, 1)
    return queries.monthly(scope, first, end)


def build(scope: Scope, kind: str, start: dt.date, step: Any = None) -> dict[str, Any]:
    """The report's content; `step(percent, text)` is told as each part is done."""
    step = step or (lambda percent, text: None)
    start, end = period_of(kind, start)
    with translation.override("zh-hans"):
        summary = _summary(scope, kind, start, end)
        step(30, "主要指标")
        parts = [summary]
        for by in (*BELOW.get(scope.region_level, ()), "ip_kind", "channel"):
            parts.append(_plain(tables.by_key(scope, start, end, by, "")))
        step(55, "分项统计")
        trend = _trend(scope, end)
    return {
        "scope": str(scope),
        "period_label": period_label(kind, start),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "tables": parts,
        "trend": trend,
    }


def figure(content: dict[str, Any], key: str) -> Any:
    """One indicator of the period (the summary table's first value column)."""
    summary = content["tables"][0]
    return summary["rows"][summary["keys"].index(key)][1]


def shown(table: dict[str, Any]) -> list[list[str]]:
    """The table's cells as printed: rates as percentages, missing figures as —."""
    rates, rate_rows = set(table["rate_columns"]), set(table["rate_rows"])
    out = []
    for r, row in enumerate(table["rows"]):
        cells = [row[0]]
        for c, value in enumerate(row[1:], start=1):
            cells.append(tables.show(value, rate=c in rates or r in rate_rows))
        out.append(cells)
    return out
