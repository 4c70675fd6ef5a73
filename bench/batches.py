"""Time the batch must-shows: a 300-row batch (7 bad rows) uploaded, its 293 cases delegated
to 3 mediators in one action (or, `--part entrustment`, filed and then entrusted by the judge
to 3 mediators in one action), and mediator matching among 50 000 mediators.

    SUTIAO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_batches \
        .venv/bin/python bench/batches.py [--mediators 50000] [--runs 200] \
        [--part delegation|entrustment|matching [--reuse] [--explain]]

Without SUTIAO_DATABASE_URL it runs on a fresh SQLite file in a temporary data directory.
With it, the database must be a scratch one: the script migrates it and adds rows. The
spreadsheet comes from tests/batches/conftest.py, the generator the must-show test uses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")
os.environ["SUTIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="sutiao-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from sutiao.batches import actions, matching  # noqa: E402
from sutiao.batches.models import DeclaredConflict  # noqa: E402
from sutiao.cases.models import Case, MediatorLoad  # noqa: E402
from sutiao.institutions.models import Court, IPKind  # noqa: E402
from sutiao.roster.models import Mediator, RosterEntry  # noqa: E402
from tests import factories  # noqa: E402
from tests.batches.conftest import file_all, rows, upload, xlsx  # noqa: E402
from tests.cases.factories import rostered_mediator  # noqa: E402


def batch_and_delegation() -> None:
    court = factories.court(f"基准法院{time.time_ns()}")
    world = {"court": court, "holder": factories.person("party")}
    clerk = factories.person("court_clerk", court=court)
    mediators = [rostered_mediator(court, name=f"基准调解员{i}") for i in range(3)]
    data = xlsx(rows())
    t0 = time.perf_counter()
    batch, _created = upload(world, data)
    t_upload = time.perf_counter() - t0
    t0 = time.perf_counter()
    upload(world, data)
    t_again = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    done = actions.delegate_batch(actor=clerk, batch=batch, mediators=mediators)
    t_delegate, c_delegate = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"upload 300 rows (7 bad): {batch.created_count} cases in {t_upload:.2f} s; "
        f"same file again: {t_again * 1000:.0f} ms"
    )
    print(
        f"delegate {len(done)} cases to 3 mediators in one action: {t_delegate:.2f} s "
        f"(this process's CPU {c_delegate:.2f} s; load average {os.getloadavg()[0]:.1f})"
    )


def batch_and_entrustment() -> None:
    """The 293 cases of the must-show batch filed (their pre-filing mediation failed, written
    as rows; each filed through `cases.file_case`), then entrusted by a judge of the court to
    3 mediators in one `entrust_batch`: 293 new entrusted mediations."""
    court = factories.court(f"基准法院{time.time_ns()}")
    world = {
        "court": court,
        "holder": factories.person("party"),
        "clerk": factories.person("court_clerk", court=court),
    }
    judge = factories.person("judge", court=court)
    mediators = [rostered_mediator(court, name=f"基准调解员{i}") for i in range(3)]
    batch, _created = upload(world, xlsx(rows()))
    t0 = time.perf_counter()
    file_all(world, batch)
    t_file = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as ctx:
        t0, c0 = time.perf_counter(), time.process_time()
        done = actions.entrust_batch(actor=judge, batch=batch, mediators=mediators)
        t_entrust, c_entrust = time.perf_counter() - t0, time.process_time() - c0
    print(f"file {batch.created_count} cases one by one (setup): {t_file:.2f} s")
    print(
        f"entrust {len(done)} filed cases to 3 mediators in one action: {t_entrust:.2f} s "
        f"(this process's CPU {c_entrust:.2f} s; {len(ctx.captured_queries)} queries; "
        f"load average {os.getloadavg()[0]:.1f})"
    )


def roster_of(n: int) -> tuple[Court, Case]:
    """n mediators: a high court's roster of n/10 and 45 intermediate courts' of the rest;
    a third expert in copyright; 5 000 declared conflicts; stored loads and ~2 % not active
    (`carried_and_inactive`). Returns a court and a case of it."""
    admin = factories.admin()
    high = factories.court("基准高级法院", level="high", code="京")
    lowers = [factories.court(f"基准中院{i}", parent=high) for i in range(45)]
    copyright_ = IPKind.objects.get(code="copyright")
    batch = [
        Mediator(name=f"匹配调解员{i}", region_id="110108" if i % 2 else "310104") for i in range(n)
    ]
    Mediator.objects.bulk_create(batch, batch_size=5000)
    ids = list(Mediator.objects.filter(name__startswith="匹配调解员").values_list("pk", flat=True))
    through = Mediator.ip_kinds.through
    through.objects.bulk_create(
        [through(mediator_id=i, ipkind_id=copyright_.pk) for i in ids[::3]], batch_size=5000
    )
    today = timezone.localdate()
    entries = [
        RosterEntry(
            court=high if k < n // 10 else lowers[k % 45],
            mediator_id=i,
            certificate_number=f"基准{i}",
            term_start=today,
            admitted_by=admin,
        )
        for k, i in enumerate(ids)
    ]
    RosterEntry.objects.bulk_create(entries, batch_size=5000)
    DeclaredConflict.objects.bulk_create(
        [DeclaredConflict(mediator_id=i, kind="relation", name=f"某人{i}") for i in ids[:5000]],
        batch_size=5000,
    )
    carried_and_inactive()
    world = {"court": lowers[0], "holder": factories.person("party")}
    made, _c = upload(world, xlsx(rows(5, bad=False)))
    return lowers[0], Case.objects.filter(batch_link__batch=made).first()


def carried_and_inactive() -> None:
    """As on a platform in use: four in five of the bench's mediators carry 0–6 open cases
    (stored counts, `cases.load.MediatorLoad`, with no cases behind them: a scratch database
    only), and 1 in 97 is suspended, 1 in 101 removed. Done once per database."""
    ours = Mediator.objects.filter(name__startswith="匹配调解员")
    if MediatorLoad.objects.filter(mediator__in=ours).exists():
        return
    ids = list(ours.values_list("pk", flat=True))
    MediatorLoad.objects.bulk_create(
        [MediatorLoad(mediator_id=i, open_cases=i % 7) for i in ids if i % 5],
        batch_size=5000,
        ignore_conflicts=True,
    )
    ours.filter(pk__in=[i for i in ids if i % 101 == 0]).update(status=Mediator.Status.REMOVED)
    ours.filter(pk__in=[i for i in ids if i % 97 == 0]).update(status=Mediator.Status.SUSPENDED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after bulk loading


def explain_pool(case: Case) -> None:
    """EXPLAIN ANALYZE of the pool query (PostgreSQL): the query that reads the roster."""
    qs = matching._pool(matching.dispute_of(case))[: matching.POOL]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def existing_roster() -> tuple[Court, Case] | None:
    """The roster an earlier run made on this database (`--reuse`), if there is one."""
    court = Court.objects.filter(name="基准中院0").first()
    case = court and Case.objects.filter(court=court, batch_link__isnull=False).first()
    if court and case:
        carried_and_inactive()  # a database an earlier version of this script made
    return (court, case) if court and case else None


def matching_bench(n: int, runs: int, reuse: bool = False, explain: bool = False) -> None:
    t0 = time.perf_counter()
    found_before = existing_roster() if reuse else None
    court, case = found_before or roster_of(n)
    made = "reused" if found_before else f"made in {time.perf_counter() - t0:.0f} s"
    print(f"{Mediator.objects.count()} mediators on 46 rosters, {made}")
    eligible = matching.roster.eligible_for(court).mediators.count()
    with CaptureQueriesContext(connection) as ctx:
        matching.rank(matching.dispute_of(case))
    print(f"queries per ranking (dispute_of + rank): {len(ctx.captured_queries)}")
    if explain and connection.vendor == "postgresql":
        explain_pool(case)
    times, cpu = [], []
    for _i in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        found = matching.rank(matching.dispute_of(case))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    cpu.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"matching a case ({eligible} mediators the court may use, {len(found)} shown): "
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
        f"over {runs} runs (this process's CPU p50 {statistics.median(cpu):.1f} ms, "
        f"p95 {cpu[int(len(cpu) * 0.95) - 1]:.1f} ms; load average {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mediators", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=200)
    parts = ["all", "delegation", "entrustment", "matching"]
    parser.add_argument("--part", choices=parts, default="all")
    # --reuse: time matching on the roster an earlier run left in this scratch database
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--explain", action="store_true")  # the pool query's plan
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    if args.part in ("all", "delegation"):
        batch_and_delegation()
    if args.part in ("all", "entrustment"):
        batch_and_entrustment()
    if args.part in ("all", "matching"):
        matching_bench(args.mediators, args.runs, args.reuse, args.explain)


if __name__ == "__main__":
    main()
