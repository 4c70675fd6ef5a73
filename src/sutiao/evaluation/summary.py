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

from . import facts
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


def compute(progress: Callable[[int, int], None] | None = None) -> tuple[Totals, dict]:
    totals, shares = Totals(), {}
    last = Case.objects.aggregate(m=Max("id"))["m"] or 0
    for lo in range(1, last + 1, CHUNK):
        for case_id, share in facts.shares_in_range(lo, lo + CHUNK).items():
            totals.add(share)
            if share:
                shares[case_id] = _plain(share)
        if progress:
            progress(min(lo + CHUNK - 1, last), last)
    return totals, shares


def _stored(figures: Any = DailyFigure, close: Any = CloseDays) -> Totals:
    stored = Totals()
    for row in figures.objects.values("day", *KEYS, *COUNTERS).iterator(chunk_size=5000):
        key = (row["day"].isoformat(), *(row[k] for k in KEYS))
        stored.daily[key] = Counter({c: row[c] for c in COUNTERS if row[c]})
    for row in close.objects.values_list("day", *KEYS, "days", "count").iterator():
        stored.close[(row[0].isoformat(), *row[1:-1])] = row[-1]
    return stored


def differences(expected: Totals, stored: Totals) -> list[str]:
    """Each summary row whose counts differ from the raw tables', in words."""
    found = []
    for key in sorted(set(expected.daily) | set(stored.daily), key=str):
        want = +expected.daily.get(key, Counter())
        have = +stored.daily.get(key, Counter())
        if want != have:
            found.append(f"{key}: summary {dict(have)} ≠ raw {dict(want)}")
    for key in sorted(set(expected.close) | set(stored.close), key=str):
        if expected.close.get(key, 0) != stored.close.get(key, 0):
            found.append(
                f"{key} days: summary {stored.close.get(key, 0)} ≠ raw {expected.close.get(key, 0)}"
            )
    return found


def _rows(totals: Totals, model: Any = DailyFigure) -> Iterable[Any]:
    for key, counters in totals.daily.items():
        if +counters:
            values = dict(zip(("day", *KEYS), key, strict=True))
            values["day"] = dt.date.fromisoformat(values["day"])
            yield model(**values, **counters)


def _close_rows(totals: Totals, model: Any = CloseDays) -> Iterable[Any]:
    for key, n in totals.close.items():
        if n:
            values = dict(zip(("day", *KEYS, "days"), key, strict=True))
            values["day"] = dt.date.fromisoformat(values["day"])
            yield model(**values, count=n)


def rebuild(*, check: bool = False, progress: Callable[[int, int], None] | None = None) -> list:
    """Recompute the summary from the raw tables; return the differences found. With
    check=True the summary is left as it is (the nightly job rewrites it only on request)."""
    totals, shares = compute(progress)
    found = differences(totals, _stored())
    found += differences(monthly(totals), _stored(MonthlyFigure, MonthlyCloseDays))
    if check:
        return found
    with transaction.atomic():
        for model in (DailyFigure, CloseDays, MonthlyFigure, MonthlyCloseDays, CaseShare):
            model.objects.all().delete()
        DailyFigure.objects.bulk_create(_rows(totals), batch_size=5000)
        CloseDays.objects.bulk_create(_close_rows(totals), batch_size=5000)
        rolled = monthly(totals)
        MonthlyFigure.objects.bulk_create(_rows(rolled, MonthlyFigure), batch_size=5000)
        MonthlyCloseDays.objects.bulk_create(_close_rows(rolled, MonthlyCloseDays), batch_size=5000)
        CaseShare.objects.bulk_create(
            (CaseShare(case_id=k, share=v) for k, v in shares.items()), batch_size=5000
        )
    return found
