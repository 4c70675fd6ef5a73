"""Time the clerk's queue and home page reads over N cases of one court.

    .venv/bin/python bench/queues.py [--n 20000]

Runs against a fresh SQLite file in a temporary data directory (migrated first), or against
the scratch database named by SUTIAO_DATABASE_URL. The cases are inserted in bulk (reads are
measured, not the actions that make cases); each has two parties and a running deadline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")
if not os.environ.get("SUTIAO_DATABASE_URL"):
    os.environ["SUTIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="sutiao-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from sutiao.cases import queues, views_queue  # noqa: E402
from sutiao.cases.models import Case, Party  # noqa: E402
from sutiao.institutions.models import IPKind  # noqa: E402
from sutiao.web import todo  # noqa: E402
from tests import factories  # noqa: E402


def _cases(court, by, n: int) -> None:
    now = timezone.now()
    IPKind.objects.get_or_create(code="trademark")
    rows = [
        Case(
            number=f"（2026）京73民诉前调{i + 1}号",
            channel="delegated",
            state="submitted" if i % 3 else "mediating",
            court=court,
            title=f"基准公司{i}诉乙公司商标侵权纠纷",
            created_by=by,
            ip_kind_id="trademark",
            submitted_at=now - dt.timedelta(minutes=i),
            clock="assign_mediator",
            deadline_at=now + dt.timedelta(hours=(i % 200) - 20),
        )
        for i in range(n)
    ]
    Case.objects.bulk_create(rows, batch_size=2000)
    parties = []
    for case in Case.objects.filter(court=court).only("pk"):
        parties.append(Party(case=case, role="applicant", name=f"申请人{case.pk}"))
        parties.append(Party(case=case, role="respondent", name=f"被申请人{case.pk}"))
    Party.objects.bulk_create(parties, batch_size=2000)


def _best(fn, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    court = factories.court("基准知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    t0 = time.perf_counter()
    _cases(court, clerk, args.n)
    print(
        f"database: {connection.vendor}; cases: {args.n}; made in {time.perf_counter() - t0:.1f} s"
    )

    def page(**kw):
        return queues.queue(clerk, "clerk", queues.QueueFilter(**kw))

    deep = page(sort="-submitted")
    for _ in range(20):  # the 21st page
        deep = page(sort="-submitted", cursor=deep.next_cursor)
    figures = {
        "first page, nearest deadline (25 rows + counts)": lambda: page(),
        "21st page by keyset, newest first": lambda: page(
            sort="-submitted", cursor=deep.next_cursor
        ),
        "search by party name": lambda: page(q="被申请人1234"),
        "overdue only": lambda: page(overdue=True),
        "rows of the XLSX export (25)": lambda: [views_queue.row_of(c) for c in page().items],
        "clerk's home list (todo_for)": lambda: todo.todo_for(clerk),
    }
    for label, fn in figures.items():
        print(f"{label:50s} {_best(fn) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
