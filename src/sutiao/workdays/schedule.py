"""The calendar as an in-memory snapshot, cached per process.

Deadlines are computed often (every case page shows a countdown) and the schedule changes
once or twice a year, so each process keeps one immutable `Calendar` built from the two
tables and reuses it:

- a change made in this process (admin, `load_year`) drops the snapshot at once, through
  the model signals and again when its transaction commits;
- while this thread's own change is not yet committed, computations read the tables
  afresh and do not share what they read (it may still roll back);
- a change made by another process is noticed within `RECHECK_SECONDS`: after that long
  the snapshot is compared with the tables through a cheap fingerprint (row counts and the
  latest update time) and rebuilt only if they differ.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from . import provisional
from .errors import CalendarIncomplete

RECHECK_SECONDS = 30.0

HOLIDAY = "holiday"
WORKDAY = "workday"


class Calendar:
    """Which days are working days. Immutable.

    A year whose official schedule is entered (complete) follows it; any other year follows
    the provisional rule computed from the law (`provisional`), and every computation that
    reads such a day can say so (`provisional_years`). Only a year outside the provisional
    rule's range raises CalendarIncomplete.
    """

    __slots__ = ("complete_years", "holidays", "workdays", "fingerprint")

    def __init__(
        self,
        complete_years: Iterable[int],
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
        fingerprint: Any = None,
    ):
        self.complete_years = frozenset(complete_years)
        self.holidays = dict(holidays)
        self.workdays = dict(workdays)
        self.fingerprint = fingerprint

    @classmethod
    def from_days(
        cls, complete_years: Iterable[int], days: Iterable[tuple[date, str, str]], **kw: Any
    ) -> Calendar:
        holidays = {d: name for d, kind, name in days if kind == HOLIDAY}
        workdays = {d: name for d, kind, name in days if kind == WORKDAY}
        return cls(complete_years, holidays, workdays, **kw)

    def with_year(self, year: int, days: Iterable[tuple[date, str, str]]) -> Calendar:
        """This calendar with `year`'s official schedule replaced by `days` (for previews)."""
        kept = [
            (d, kind, name)
            for table, kind in ((self.holidays, HOLIDAY), (self.workdays, WORKDAY))
            for d, name in table.items()
            if d.year != year
        ]
        return Calendar.from_days(self.complete_years | {year}, [*kept, *days])

    def is_official(self, year: int) -> bool:
        return year in self.complete_years

    def is_working_day(self, d: date) -> bool:
        if d.year in self.complete_years:
            if d in self.workdays:
                return True
            if d in self.holidays:
                return False
        elif provisional.FIRST_YEAR <= d.year <= provisional.LAST_YEAR:
            if d in provisional.holidays(d.year):
                return False
        else:
            raise CalendarIncomplete(d.year)
        return d.weekday() < 5

    def provisional_years(self, first: date, last: date) -> list[int]:
        """The years from `first` to `last` (inclusive) that follow the provisional rule."""
        return [y for y in range(first.year, last.year + 1) if y not in self.complete_years]

    def name(self, d: date) -> str:
        """The holiday or make-up day's name; empty for an ordinary day."""
        if d.year not in self.complete_years:
            try:
                return provisional.holidays(d.year).get(d, "")
            except ValueError:
                return ""
        return self.holidays.get(d) or self.workdays.get(d) or ""

    def __repr__(self) -> str:
        years = sorted(self.complete_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<Calendar official years {span} ({len(years)}), provisional otherwise>"


# --- loading and caching ------------------------------------------------------------------

_cached: Calendar | None = None
_checked_at = 0.0
_local = threading.local()  # .dirty: this thread changed the calendar, not yet committed


def _fingerprint() -> tuple[Any, ...]:
    from .models import CalendarDay, CalendarYear

    y = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    d = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (y["n"], y["t"], d["n"], d["t"])


def load() -> Calendar:
    """Build a snapshot from the tables (not cached)."""
    from .models import CalendarDay, CalendarYear

    fingerprint = _fingerprint()
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    days = CalendarDay.objects.values_list("date", "kind", "name")
    return Calendar.from_days(list(years), list(days), fingerprint=fingerprint)


def _in_transaction() -> bool:
    return transaction.get_connection().in_atomic_block


def current() -> Calendar:
    """The calendar to compute with."""
    global _cached, _checked_at
    if getattr(_local, "dirty", False):
        if _in_transaction():
            return load()  # our own uncommitted change: see it, but keep it to ourselves
        _local.dirty = False  # committed or rolled back since
        _cached = None
    cal = _cached
    now = time.monotonic()
    if cal is not None:
        if now - _checked_at < RECHECK_SECONDS:
            return cal
        if _fingerprint() == cal.fingerprint:
            _checked_at = now
            return cal
    cal = load()
    _cached, _checked_at = cal, now
    return cal


def invalidate() -> None:
    global _cached
    _cached = None


def reset() -> None:
    """Forget the snapshot and this thread's pending change (tests call it between tests)."""
    invalidate()
    _local.dirty = False


def _committed() -> None:
    _local.dirty = False
    invalidate()


def changed() -> None:
    """The tables were written in the current transaction (signals and bulk writes call it)."""
    invalidate()
    if _in_transaction():
        _local.dirty = True
    transaction.on_commit(_committed)


def _on_change(sender: Any, **kwargs: Any) -> None:
    changed()


def connect_signals() -> None:
    from .models import CalendarDay, CalendarYear

    for model in (CalendarYear, CalendarDay):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"workdays.save.{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"workdays.delete.{model.__name__}"
        )
