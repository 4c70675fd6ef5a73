"""1,000 applications pushed by one partner with 8 concurrent clients against a live
instance (`sutiao serve`, a real process on loopback), each POST with its own
Idempotency-Key as docking.client sends it; then 100 of them again under the same key and
100 under a new key (a replay and a duplicate reference): throughput, p50/p95 and the
count of cases, which must be exactly 1,000 (0 duplicates).

    createdb -h 127.0.0.1 -U postgres h_docking
    SUTIAO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_docking \
        .venv/bin/python bench/docking.py [--n 1000] [--clients 8]

The database must be a scratch one: the script migrates it and adds rows. Without
SUTIAO_DATABASE_URL it uses a fresh SQLite file in a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sutiao.docking.client import Remote  # noqa: E402
from tests.docking.live import Instance  # noqa: E402


def _instance() -> Instance:
    where = Path(tempfile.mkdtemp(prefix="sutiao-bench-docking-"))
    url = os.environ.get("SUTIAO_DATABASE_URL")
    inst = Instance(where, SUTIAO_DOCKING_POLL_SECONDS="2")
    if url:  # PostgreSQL is production: the keys must come from the environment
        inst.env["SUTIAO_DATABASE_URL"] = url
        inst.env["SUTIAO_MASTER_KEY"] = secrets.token_urlsafe(32)
        inst.env["SUTIAO_FIELD_KEY"] = secrets.token_urlsafe(32)
    return inst


def _setup(inst: Instance) -> tuple[int, str, str]:
    inst.run("migrate", "--no-input", timeout=1800)
    run = f"bench-{uuid.uuid4().hex[:6]}"
    org = inst.run(
        "shell",
        "-c",
        "from sutiao.institutions.models import MediationOrg as M; "
        f"print(M.objects.create(name='压测调解组织{run}', kind='protection_centre', "
        "region_id='110108').pk)",
    ).split()[-1]
    out = inst.run("docking", "partner", "add", f"压测平台{run}", "--scopes", "applications:write")
    creds = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return int(org), creds["client_id"], creds["client_secret"]


def _body(org: int, ref: str) -> dict:
    return {
        "reference": ref,
        "title": "商标侵权纠纷",
        "org_id": org,
        "amount_fen": 500_000,
        "applicant": {"name": "甲公司", "kind": "legal"},
        "respondents": [{"name": "乙公司", "kind": "legal"}],
    }


def _push(remotes: list[Remote], jobs: list[tuple[int, str, str]], org: int):
    def one(job):
        i, ref, key = job
        t0 = time.perf_counter()
        answer = remotes[i % len(remotes)].post("/applications", _body(org, ref), key=key)
        return time.perf_counter() - t0, answer.status, answer.body.get("case")

    with ThreadPoolExecutor(len(remotes)) as pool:
        return list(pool.map(one, jobs))


def _count(inst: Instance, org: int) -> tuple[int, int]:
    out = inst.run(
        "shell",
        "-c",
        "from sutiao.cases.models import Case; from sutiao.docking.models import Submission; "
        f"print(Case.objects.filter(org_id={org}).count(), "
        f"Submission.objects.filter(case__org_id={org}).count())",
    )
    cases, subs = out.split()[-2:]
    return int(cases), int(subs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    o = parser.parse_args()
    inst = _instance()
    org, cid, secret = _setup(inst)
    inst.start()
    try:
        base = f"{inst.url}/api/docking/v1"
        remotes = [Remote(base, cid, secret, timeout=60) for _ in range(o.clients)]
        for r in remotes:
            r.token()
        jobs = [(i, f"BENCH-{i:05d}", f"key-{i}") for i in range(o.n)]
        t0 = time.perf_counter()
        results = _push(remotes, jobs, org)
        wall = time.perf_counter() - t0
        again = _push(remotes, jobs[:100], org)  # same keys: replayed
        fresh = _push(remotes, [(i, r, f"new-{k}") for i, r, k in jobs[100:200]], org)
        cases, subs = _count(inst, org)
    finally:
        inst.stop()
    times = sorted(t for t, _s, _c in results)
    statuses = sorted({s for _t, s, _c in results})
    p95 = times[int(0.95 * len(times)) - 1]
    print(f"{o.n} applications, {o.clients} clients: {wall:.1f} s, {o.n / wall:.0f} req/s")
    print(f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(
        f"statuses {statuses}; replays {sorted({s for _t, s, _c in again})}; "
        f"new keys {sorted({s for _t, s, _c in fresh})}"
    )
    print(
        f"cases {cases}, submissions {subs}, distinct cases answered "
        f"{len({c for _t, _s, c in results})}; duplicates {cases - o.n}"
    )
    print(os.popen("uptime").read().strip())  # noqa: S605 - a fixed command


if __name__ == "__main__":
    main()
