"""Time drafting, rendering and signing a mediation agreement through the real actions:
`agreements.actions.draft` (structured terms from the seeded template version), then
`open_for_signing` (WeasyPrint render with the signature fields, registered as version 1),
then each signer asks for a one-time code and signs (`request_code` + `sign`: the code is
checked, the signer's key unlocked, a PAdES signature with a visible stamp added as an
incremental update, the new version registered, the audit entries written).

    .venv/bin/python bench/agreements.py [--runs 7]

Two shapes: 3 signatures (two parties and a mediator without an organisation) and 4 (with the
organisation's seal, added by the mediator in the same step). A fresh SQLite file in a
temporary data directory, or the scratch database in SUTIAO_DATABASE_URL. The signers'
certificates exist before the timed runs (issued once per signer in production); building
each run's case (apply, delegate, accept) is not timed.
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
os.environ.setdefault("SUTIAO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if not os.environ.get("SUTIAO_DATABASE_URL"):
    os.environ["SUTIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="sutiao-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from sutiao.agreements import actions  # noqa: E402
from sutiao.documents import actions as documents  # noqa: E402
from sutiao.documents import fonts  # noqa: E402
from tests import factories  # noqa: E402
from tests.agreements import factories as af  # noqa: E402


def one_run(world) -> tuple[float, dict]:
    parts = {}
    t0 = time.perf_counter()
    agreement = af.draft(world)
    parts["draft"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    parts["render + register"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    af.sign_as(world.applicant, agreement)
    af.sign_as(world.respondent, agreement)
    agreement = af.sign_as(world.mediator_user, agreement)
    parts["signatures (codes + sign + register)"] = time.perf_counter() - t2
    assert agreement.state == "signed", agreement.state
    return time.perf_counter() - t0, parts


def bench(label: str, runs: int, court, with_org: bool) -> None:
    totals, parts_all = [], []
    for i in range(runs + 1):
        world = af.mediating_case(
            court=court, with_org=with_org, org_name=f"调解中心{time.time_ns() % 10**9}"
        )
        for user in (world.applicant, world.respondent, world.mediator_user):
            documents.signer_certificate_for(user)
        documents.signer_certificate_for(world.org)
        total, parts = one_run(world)
        if i:  # the first run warms up WeasyPrint's font cache
            totals.append(total)
            parts_all.append(parts)
    print(
        f"{label}: median {statistics.median(totals):.3f} s "
        f"(min {min(totals):.3f}, max {max(totals):.3f}, {runs} runs)"
    )
    for key in parts_all[0]:
        print(f"    {key}: median {statistics.median(p[key] for p in parts_all):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    fonts.stamp_font_slim()
    court = factories.court(f"北京知识产权法院{time.time_ns() % 10**6}", region="110108")
    bench("draft + render + 3 signatures (2 parties, mediator)", args.runs, court, False)
    bench("draft + render + 4 signatures (… and the organisation's seal)", args.runs, court, True)
    print("load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
