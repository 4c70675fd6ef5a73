"""Time 100,000 deadline computations (sutiao.workdays.periods.deadline).

    .venv/bin/python bench/workdays.py [--n 100000]

Start times are spread over 2025-01-01 .. 2026-11-30 (Asia/Shanghai), the rules cycle
through all twelve of RULES.md §3/§7. The calendar is the one the migration seeds, built
here from the chinese-calendar package so that no database is needed; "cached" goes
through the process cache (`schedule.current()`) as production calls do, "explicit"
passes the snapshot in; the last row starts in 2027–2028, years without an official schedule
(the provisional rule of `workdays.provisional`).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")

import django  # noqa: E402

django.setup()

from sutiao.workdays import periods, provisional, reference, schedule  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    years = reference.package_years()
    days = [day for y in years for day in reference.package_days(y)]
    cal = schedule.Calendar.from_days(years, days)
    # Prime the process cache with the same snapshot, as the first request would.
    schedule._cached, schedule._checked_at = cal, time.monotonic()  # noqa: SLF001
    schedule.RECHECK_SECONDS = 1e9

    rng = random.Random(2026)
    base = datetime(2025, 1, 1, tzinfo=periods.SHANGHAI)
    span = int(timedelta(days=698).total_seconds())
    rules = list(periods.RULES)
    work = [
        (base + timedelta(seconds=rng.randrange(span)), rules[i % len(rules)])
        for i in range(args.n)
    ]

    def run(explicit: bool) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            if explicit:
                for start, rule in work:
                    periods.deadline(start, rule, cal=cal)
            else:
                for start, rule in work:
                    periods.deadline(start, rule)
            best = min(best, time.perf_counter() - t0)
        return best

    def report(label: str, best: float) -> None:
        print(
            f"{label:30s} {args.n:,} deadlines in {best:.3f} s "
            f"({best / args.n * 1e6:.1f} µs each, {args.n / best:,.0f}/s; best of {args.repeat})"
        )

    for label, explicit in (("cached (schedule.current())", False), ("explicit snapshot", True)):
        report(label, run(explicit))

    # Years with no official schedule follow the rule computed from the law: the first use of
    # a year computes its holidays (lunar dates, solar term), later ones reuse them.
    t0 = time.perf_counter()
    provisional.holidays(2031)
    print(f"first use of a provisional year (2031): {(time.perf_counter() - t0) * 1e3:.1f} ms")
    pbase = datetime(2027, 1, 1, tzinfo=periods.SHANGHAI)
    work[:] = [
        (pbase + timedelta(seconds=rng.randrange(span)), rules[i % len(rules)])
        for i in range(args.n)
    ]
    report("provisional years 2027–2028", run(True))


if __name__ == "__main__":
    main()
