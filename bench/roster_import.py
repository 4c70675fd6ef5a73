"""Time the collection import: an XLSX of N mediators (25 bad rows), imported twice.

    .venv/bin/python bench/roster_import.py [--n 10000] [--keep]

Runs against a fresh SQLite file in a temporary data directory (migrated first), or against
the database named by SUTIAO_DATABASE_URL when it is set (it must be a scratch database:
the script migrates it and adds rows). The rows come from tests/roster/factories.py, the
same generator the must-show test uses: 25 bad rows of seven kinds, the rest valid.
"""

from __future__ import annotations

import argparse
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

from sutiao.institutions.models import MediationOrg  # noqa: E402
from sutiao.roster import actions, importing  # noqa: E402
from sutiao.roster.models import ImportJob, Mediator  # noqa: E402
from tests.roster.factories import mediator_sheet  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    org, _ = MediationOrg.objects.get_or_create(
        name="基准测试调解中心", defaults={"kind": "protection_centre", "region_id": "110108"}
    )
    Mediator.objects.filter(name__startswith="批量调解员").delete()

    t0 = time.perf_counter()
    data, bad = mediator_sheet(args.n, org_name=org.name)
    t_make = time.perf_counter() - t0
    print(
        f"database: {connection.vendor}; rows: {args.n}; bad rows: {len(bad)}; "
        f"file: {len(data) / 1e6:.1f} MB, generated in {t_make:.1f} s"
    )

    for label in ("first import", "same file again"):
        t0 = time.perf_counter()
        job = actions.start_import(actor=None, filename="bench.xlsx", data=data, queue=False)
        job = importing.run(job.pk, actor="bench")
        seconds = time.perf_counter() - t0
        assert job.status == ImportJob.Status.DONE, job.failure
        print(
            f"{label:>16}: {seconds:6.1f} s  ({args.n / seconds:,.0f} rows/s)  created "
            f"{job.created_count}, already there {job.existing_count}, errors {job.error_count}"
        )


if __name__ == "__main__":
    main()
