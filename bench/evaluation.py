"""Time the figures pages at scale: the national page and a provincial drill-down (the
province's page, then one of its courts and organisations), rendered by the real view from
the summary tables, on a generated data set (sutiao demo generate).

    SUTIAO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_evaluation \\
        .venv/bin/python bench/evaluation.py --cases 1000000 [--runs 30] [--reuse [--rebuild]]

The database is migrated and filled (generate + rebuild, both timed and printed once);
--reuse keeps the cases already there. Each page is requested --runs times after one
warm-up; the script prints p50 and p95 per page, its number of queries, the data size and
the load average (the machine may be shared: figures under load are not idle figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402


def _fill(cases: int, reuse: bool, rebuild_anyway: bool = False) -> None:
    from sutiao.cases.models import Case
    from sutiao.demo.generate import generate
    from sutiao.evaluation.summary import rebuild

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if reuse and have >= cases:
        if rebuild_anyway:  # e.g. after a migration added a summary table
            started = time.perf_counter()
            rebuild()
            print(f"summary rebuilt in {time.perf_counter() - started:.0f} s")
        return
    started = time.perf_counter()
    generate(cases=cases - have, seed=2026, provinces=8)
    made = time.perf_counter()
    rebuild()
    print(
        f"generated {cases - have:,} cases in {made - started:.0f} s; "
        f"summary rebuilt in {time.perf_counter() - made:.0f} s"
    )


def _time(view, user, args: list[str], runs: int, query: dict | None = None) -> list[float]:
    factory = RequestFactory()
    timings = []
    for n in range(runs + 1):
        request = factory.get("/figures/", query or {})
        request.user = user
        started = time.perf_counter()
        response = view(request, *args)
        assert response.status_code == 200, response.status_code
        if n:  # the first is the warm-up
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild anyway")
    options = parser.parse_args()
    _fill(options.cases, options.reuse, options.rebuild)

    from django.db.models import Count

    from sutiao.accounts.models import User
    from sutiao.cases.models import Case
    from sutiao.evaluation.models import DailyFigure, MonthlyFigure
    from sutiao.evaluation.views import scope_page

    user, _ = User.objects.get_or_create(
        username="bench-supervisor", defaults={"is_superuser": True}
    )
    busiest = Case.objects.values("court_id", "court__region_id").annotate(n=Count("id"))
    top = busiest.exclude(court_id=None).order_by("-n").first()
    org = Case.objects.filter(court_id=top["court_id"]).values_list("org_id", flat=True)[0]
    province = top["court__region_id"][:2] + "0000"
    pages = {
        "national page": ["nation", "all"],
        "province page": ["province", province],
        "court page (drill-down)": ["court", str(top["court_id"])],
        "organisation page (drill-down)": ["org", str(org)],
    }
    print(
        f"cases: {Case.objects.count():,}; daily summary rows: {DailyFigure.objects.count():,}; "
        f"monthly roll-up rows: {MonthlyFigure.objects.count():,}"
    )
    # The period the pages had before the roll-up (twelve months to the day): daily rows.
    today = timezone.localdate()
    day_aligned = {"start": str(today.replace(year=today.year - 1) + dt.timedelta(days=1))}
    timed = [(name, args, None) for name, args in pages.items()]
    timed.append(("national, day-aligned period", ["nation", "all"], day_aligned))
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for name, args, query in timed:
        t = sorted(_time(scope_page, user, args, options.runs, query))
        p95 = t[max(0, int(round(0.95 * len(t))) - 1)]
        queries = _queries(scope_page, user, args, query)
        print(
            f"{name:32} p50 {statistics.median(t):7.1f} ms   p95 {p95:7.1f} ms   {queries} queries"
        )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _queries(view, user, args: list[str], query: dict | None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = RequestFactory().get("/figures/", query or {})
    request.user = user
    with CaptureQueriesContext(connection) as seen:
        view(request, *args)
    return len(seen.captured_queries)


if __name__ == "__main__":
    main()
