"""Reads of the calendar for pages: which years run on the provisional rule, and what waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count

from . import clocks
from .schedule import current

# From this month on, next year's official schedule is due (the State Council publishes it
# in November or December).
NEXT_YEAR_DUE_MONTH = 11


@dataclass(frozen=True)
class YearWarning:
    year: int
    open_deadlines: int  # stored deadlines computed with this year's provisional rule
    overdue: int  # of which already past: they wait for the official year to be final


def provisional_deadlines(now: datetime) -> dict[int, tuple[int, int]]:
    """{year: (open, overdue)} over every registered clocked model."""
    counts: dict[int, list[int]] = {}
    for reg in clocks.registrations():
        qs = reg.model._default_manager.filter(
            deadline_at__isnull=False, deadline_provisional_year__isnull=False
        )
        for row in qs.values("deadline_provisional_year").annotate(n=Count("pk")):
            counts.setdefault(row["deadline_provisional_year"], [0, 0])[0] += row["n"]
        past = qs.filter(deadline_at__lt=now)
        for row in past.values("deadline_provisional_year").annotate(n=Count("pk")):
            counts.setdefault(row["deadline_provisional_year"], [0, 0])[1] += row["n"]
    return {year: (n[0], n[1]) for year, n in counts.items()}


def year_warnings(today: date, now: datetime) -> list[YearWarning]:
    """The years an administrator should enter: this year if it is not official, next year
    from 1 November, and any year that stored deadlines read provisionally."""
    cal = current()
    deadlines = provisional_deadlines(now)
    years = set(deadlines)
    years.add(today.year)
    if today.month >= NEXT_YEAR_DUE_MONTH:
        years.add(today.year + 1)
    return [
        YearWarning(y, *deadlines.get(y, (0, 0))) for y in sorted(years) if not cal.is_official(y)
    ]
