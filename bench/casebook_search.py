"""Time the library's search: N published typical cases (default 100,000), 100 queries.

    SUTIAO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_casebook \\
        .venv/bin/python bench/casebook_search.py [--n 100000] [--rounds 3]

Against the scratch database in SUTIAO_DATABASE_URL (the script migrates it and replaces its
typical cases), or a fresh SQLite file when it is unset. The corpus is the generator of the
must-show test (tests/casebook/corpus.py: fillers around the 20 intended cases), segmented
with jieba and indexed in bulk; each query goes through `casebook.search.search` as the
library page calls it (segmentation, the SQL, the top 20), timed end to end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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

from sutiao.accounts.models import User  # noqa: E402
from sutiao.casebook import search, segment  # noqa: E402
from sutiao.casebook.models import TEXT_FIELDS, SearchDocument, State, TypicalCase  # noqa: E402
from tests.casebook.corpus import PRODUCTS, search_corpus  # noqa: E402

TERMS = [
    "权利要求",
    "现有技术",
    "商标近似",
    "信息网络传播权",
    "赔偿",
    "停止侵权",
    "许可使用费",
    "电商平台",
    "合理使用",
    "司法确认",
]


def load(n: int) -> tuple[list[int], list[tuple[str, int]]]:
    TypicalCase.objects.all().delete()
    editor, _ = User.objects.get_or_create(
        username="bench-casebook", defaults={"real_name": "基准"}
    )
    docs, queries = search_corpus(n)
    now = timezone.now()
    ids: list[int] = []
    started = time.perf_counter()
    for at in range(0, len(docs), 5000):
        batch = docs[at : at + 5000]
        rows = TypicalCase.objects.bulk_create(
            [
                TypicalCase(
                    state=State.PUBLISHED,
                    editor=editor,
                    ip_kind_id=d.kind,
                    industry=d.industry,
                    outcome=d.outcome,
                    channel="delegated",
                    published_at=now,
                    basis="public_interest",
                    basis_note="基准",
                    **{f: getattr(d, f, "") for f in TEXT_FIELDS},
                    **{f"public_{f}": getattr(d, f, "") for f in TEXT_FIELDS},
                )
                for d in batch
            ]
        )
        SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    typical_case=r, body=segment.index_text(*(r.public(f) for f in TEXT_FIELDS))
                )
                for r in rows
            ]
        )
        ids += [r.pk for r in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE casebook_searchdocument" if connection.vendor == "postgresql" else "ANALYZE"
        )
    print(f"loaded {len(ids)} cases in {time.perf_counter() - started:.0f} s", flush=True)
    return ids, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="search the cases already loaded")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.keep and SearchDocument.objects.count() == args.n:
        ids = sorted(TypicalCase.objects.values_list("pk", flat=True))  # inserted in order
        intended = search_corpus(args.n)[1]
        if connection.vendor == "postgresql":
            from sutiao.casebook.search.postgres import rebuild_terms

            rebuild_terms()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    else:
        ids, intended = load(args.n)
    rng = random.Random(5)
    queries = [q for q, _ in intended]
    queries += [f"{rng.choice(PRODUCTS)} {rng.choice(TERMS)}" for _ in range(80)]
    segment.words("预热")  # jieba's dictionary loads once per process, not per query
    timings: dict[str, list[float]] = {"all": [], "hand-written": [], "product + legal term": []}
    for _ in range(args.rounds):
        for n, q in enumerate(queries):
            t = time.perf_counter()
            search.search(q, limit=20)
            ms = (time.perf_counter() - t) * 1000
            timings["all"].append(ms)
            timings["hand-written" if n < len(intended) else "product + legal term"].append(ms)
    found = sum(ids[i] in [h.id for h in search.search(q, limit=3).hits] for q, i in intended)
    for group, values in timings.items():
        values.sort()
        p95 = values[max(0, int(0.95 * len(values)) - 1)]
        print(
            f"{connection.vendor} · {group}: {len(values)} searches over {len(ids)} cases — "
            f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"
        )
    print(f"intended case in the top 3 for {found}/{len(intended)} queries")


if __name__ == "__main__":
    main()
