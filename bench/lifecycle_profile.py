"""The lifecycle writes one at a time, in the process (issue 14): queries and ms per write.

On a database filled by bench/generate (production settings, the same pools as bench/run's
`lifecycle_writes.pools`: each case's own mediator with a bearer token), every write is a POST
through the Django test client to /api/v1/cases/{id}/accept, …/transcripts or …/end, each on a
different case, with every query captured (CaptureQueriesContext, which also counts what runs
after commit: the audit chain's linking). One warming request per path (a refused one, 409 or
422, which writes nothing) loads the code first. The writes change the cases: run it on a copy
(`createdb -T`) and append several rounds to one file when a pool is smaller than the samples.

    SUTIAO_DATABASE_URL=postgres://… python bench/lifecycle_profile.py --out F.json [--per 10]
    python bench/lifecycle_profile.py --report F.json [--samples 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")


def _post(client, item: tuple[str, str, str]):
    url, token, body = item
    return client.post(
        url,
        data=body or "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_HOST="127.0.0.1",
    )


def _shape(sql: str) -> str:
    """A query's kind and table, to see where the queries go."""
    words = sql.replace('"', "").split()
    verb = words[0].upper() if words else "?"
    table = ""
    for key in ("FROM", "INTO", "UPDATE"):
        if key in words:
            at = words.index(key) + 1
            table = words[at] if at < len(words) else ""
            break
    if verb == "UPDATE":
        table = words[1] if len(words) > 1 else ""
    return f"{verb} {table}"


def measure(per: int, show: bool) -> dict[str, list[dict]]:
    import django

    django.setup()
    import lifecycle_writes
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    writes, _warming = lifecycle_writes.pools(1, warm=0)
    client = Client()
    found: dict[str, list[dict]] = {}
    for w in writes:
        items = w.per_run[0][:per]
        if not items:
            continue
        # Warm this path with a refused request (another pool's case: 409, or 404 for
        # another mediator's), which writes nothing.
        other = next(x for x in writes if x is not w and x.per_run[0])
        slug = items[0][0].rsplit("/", 1)[1]
        other_case = other.per_run[0][-1][0].split("/")[-2]
        _post(client, (f"/api/v1/cases/{other_case}/{slug}", items[0][1], items[0][2]))
        rows = []
        for item in items:
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                answer = _post(client, item)
                ms = (time.perf_counter() - start) * 1000
            if answer.status_code >= 300:
                raise SystemExit(f"{w.step} {item[0]}: {answer.status_code} {answer.content!r}")
            rows.append({"queries": len(queries), "ms": round(ms, 2)})
            if show and len(rows) == 1:
                print(f"--- {w.step}: {len(queries)} queries")
                for q in queries.captured_queries:
                    print(f"  {q['time']:>6}  {q['sql'][:160]}")
                print(Counter(_shape(q["sql"]) for q in queries.captured_queries).most_common())
        found[w.step] = rows
    return found


def report(path: Path, samples: int) -> None:
    rounds = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for step in ("accept", "record a session", "end"):
        rows = [r for found in rounds for r in found.get(step, [])][:samples]
        if not rows:
            continue
        qs = sorted({r["queries"] for r in rows})
        print(
            f"{step:>18}: {len(rows)} writes, queries {qs}, "
            f"median {statistics.median(r['ms'] for r in rows):.1f} ms "
            f"(min {min(r['ms'] for r in rows):.1f}, max {max(r['ms'] for r in rows):.1f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="append this round's figures (JSON lines)")
    parser.add_argument("--per", type=int, default=10, help="writes per path in this round")
    parser.add_argument("--show", action="store_true", help="print the first write's queries")
    parser.add_argument("--report", type=Path, help="medians over the rounds in this file")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    if args.report:
        report(args.report, args.samples)
        return
    found = measure(args.per, args.show)
    if args.out:
        with args.out.open("a") as out:
            out.write(json.dumps(found) + "\n")
    for step, rows in found.items():
        print(step, [r["queries"] for r in rows], statistics.median(r["ms"] for r in rows))


if __name__ == "__main__":
    main()
