"""Keeping the summary: one case's share replaced (after an outbox event), or every share
recomputed from the raw tables (the nightly rebuild, which reports what differed)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from sutiao.cases.models import Case

from . import bulk, facts
from .models import (
    COUNTERS,
    KEYS,
    CaseShare,
    CloseDays,
    DailyFigure,
    MonthlyCloseDays,
    MonthlyFigure,
)

Key = tuple[Any, ...]
CHUNK = 20_000


@dataclass
class Totals:
    daily: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    close: Counter[Key] = field(default_factory=Counter)

    def add(self, share: facts.Share, sign: int = 1) -> None:
        if not share:
            return
        key = tuple(share["key"])
        for day, counters in share["days"].items():
            row = self.daily[(day, *key)]
            for name, n in counters.items():
                row[name] += sign * n
        if share["close"]:
            day, days = share["close"]
            self.close[(day, *key, days)] += sign


MEDIATOR = 1 + KEYS.index("mediator_id")  # its place in a row's key (day, *KEYS)


def _month_key(key: Key) -> Key:
    """A daily row's key → its monthly roll-up's: the month's first day, no mediator."""
    day = key[0] if isinstance(key[0], str) else key[0].isoformat()
    return (day[:8] + "01", *key[1:MEDIATOR], 0, *key[MEDIATOR + 1 :])


def monthly(totals: Totals) -> Totals:
    """The roll-up of daily totals (MonthlyFigure, MonthlyCloseDays)."""
    rolled = Totals()
    for key, counters in totals.daily.items():
        rolled.daily[_month_key(key)].update(counters)
    for key, n in totals.close.items():
        rolled.close[_month_key(key)] += n
    return rolled


def _plain(share: facts.Share) -> facts.Share:
    if not share:
        return {}
    return {**share, "days": {d: dict(c) for d, c in share["days"].items()}}


def _bump(model: Any, key: Key, changes: dict[str, int]) -> None:
    lookup = dict(zip(("day", *KEYS, "days"), key, strict=False))
    updates = {name: F(name) + n for name, n in changes.items() if n}
    if not updates:
        return
    if model.objects.filter(**lookup).update(**updates):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **changes)
    except IntegrityError:  # another worker created the row meanwhile
        model.objects.filter(**lookup).update(**updates)


@transaction.atomic
def refresh(case_id: int) -> bool:
    """Replace the case's share of the summary by what the raw tables say now."""
    stored = CaseShare.objects.select_for_update().filter(case_id=case_id).first()
    new = _plain(facts.shares(Case.objects.filter(pk=case_id)).get(case_id, {}))
    old = stored.share if stored else {}
    if new == old:
        return False
    delta = Totals()
    delta.add(old, -1)
    delta.add(new, +1)
    for key, counters in delta.daily.items():
        _bump(DailyFigure, key, dict(counters))
    for key, n in delta.close.items():
        _bump(CloseDays, key, {"count": n})
    rolled = monthly(delta)
    for key, counters in rolled.daily.items():
        _bump(MonthlyFigure, key, dict(counters))
    for key, n in rolled.close.items():
        _bump(MonthlyCloseDays, key, {"count": n})
    CaseShare.objects.update_or_create(case_id=case_id, defaults={"share": new})
    return True


def _chunks(
    progress: Callable[[int, int], None] | None,
) -> Iterable[dict[int, facts.Share]]:
    """Every case's share, a range of CHUNK ids at a time (memory bounded by the chunk)."""
    last = Case.objects.aggregate(m=Max("id"))["m"] or 0
    for lo in range(1, last + 1, CHUNK):
        yield facts.shares_in_range(lo, lo + CHUNK)
        if progress:
            progress(min(lo + CHUNK - 1, last), last)


def _stored(figures: Any = DailyFigure, close: Any = CloseDays) -> Totals:
    stored = Totals()
    for row in figures.objects.values_list("day", *KEYS, *COUNTERS).iterator(chunk_size=20_000):
        counts = Counter({c: n for c, n in zip(COUNTERS, row[1 + len(KEYS) :], strict=True) if n})
        stored.daily[(row[0].isoformat(), *row[1 : 1 + len(KEYS)])] = counts
    for row in close.objects.values_list("day", *KEYS, "days", "count").iterator(20_000):
        stored.close[(row[0].isoformat(), *row[1:-1])] = row[-1]
    return stored


def _differs(want: Counter[str] | None, have: Counter[str] | None) -> bool:
    if want == have:  # the common case, without building the zero-less copies
        return False
    return +(want or Counter()) != +(have or Counter())


def differences(expected: Totals, stored: Totals) -> list[str]:
    """Each summary row whose counts differ from the raw tables', in words; one line when
    the summary was empty (a first rebuild: every row would differ, millions at scale)."""
    if not stored.daily and not stored.close:
        rows = sum(1 for c in expected.daily.values() if +c)
        bins = sum(1 for n in expected.close.values() if n)
        if not rows and not bins:
            return []
        return [f"summary empty: the raw tables give {rows:,} rows and {bins:,} histogram rows"]
    found = []
    daily = [
        k
        for k in expected.daily.keys() | stored.daily.keys()
        if _differs(expected.daily.get(k), stored.daily.get(k))
    ]
    for key in sorted(daily, key=str):
        have, want = +stored.daily.get(key, Counter()), +expected.daily.get(key, Counter())
        found.append(f"{key}: summary {dict(have)} ≠ raw {dict(want)}")
    close = [
        k
        for k in expected.close.keys() | stored.close.keys()
        if expected.close.get(k, 0) != stored.close.get(k, 0)
    ]
    for key in sorted(close, key=str):
        found.append(
            f"{key} days: summary {stored.close.get(key, 0)} ≠ raw {expected.close.get(key, 0)}"
        )
    return found


def _rows(totals: Totals) -> Iterable[list[Any]]:
    for key, counters in totals.daily.items():
        if +counters:
            yield [dt.date.fromisoformat(key[0]), *key[1:], *(counters[c] for c in COUNTERS)]


def _close_rows(totals: Totals) -> Iterable[list[Any]]:
    for key, n in totals.close.items():
        if n:
            yield [dt.date.fromisoformat(key[0]), *key[1:], n]


def _write(totals: Totals) -> None:
    figures, close = ("day", *KEYS, *COUNTERS), ("day", *KEYS, "days", "count")
    bulk.write(DailyFigure, figures, _rows(totals))
    bulk.write(CloseDays, close, _close_rows(totals))
    rolled = monthly(totals)
    bulk.write(MonthlyFigure, figures, _rows(rolled))
    bulk.write(MonthlyCloseDays, close, _close_rows(rolled))


def rebuild(*, check: bool = False, progress: Callable[[int, int], None] | None = None) -> list:
    """Recompute the summary from the raw tables; return the differences found. With
    check=True the summary is left as it is (the nightly job rewrites it only on request).
    The cases are read a range of ids at a time and each range's shares written as it is
    read; only the day × key totals are held in memory."""
    stored, stored_monthly = _stored(), _stored(MonthlyFigure, MonthlyCloseDays)
    totals = Totals()
    with transaction.atomic():
        if not check:
            bulk.empty(DailyFigure, CloseDays, MonthlyFigure, MonthlyCloseDays, CaseShare)
        for chunk in _chunks(progress):
            kept = []
            for case_id, share in chunk.items():
                totals.add(share)
                if share and not check:
                    kept.append((case_id, _plain(share)))
            bulk.write(CaseShare, ("case_id", "share"), kept)
        if not check:
            _write(totals)
    return differences(totals, stored) + differences(monthly(totals), stored_monthly)
