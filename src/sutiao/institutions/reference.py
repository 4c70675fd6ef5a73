"""Reference data shipped with the platform: regions (GB/T 2260) and IP kinds."""

from __future__ import annotations

import csv
from pathlib import Path

REGIONS_CSV = Path(__file__).parent / "data" / "regions.csv"
IP_KIND_CODES = [
    "patent",
    "trademark",
    "copyright",
    "trade_secret",
    "unfair_competition",
    "geographical_indication",
    "ic_layout",
    "plant_variety",
    "technology_contract",
    "other",
]


def load_regions(Region) -> int:
    """Insert the regions missing from the table, parents first (rows are sorted by code)."""
    existing = set(Region.objects.values_list("code", flat=True))
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["code"] not in existing]
    by_level = {"province": 0, "prefecture": 1, "county": 2}
    rows.sort(key=lambda r: (by_level[r["level"]], r["code"]))
    Region.objects.bulk_create(
        [
            Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent"] or None)
            for r in rows
        ],
        batch_size=1000,
    )
    return len(rows)


def load_ip_kinds(IPKind) -> None:
    for order, code in enumerate(IP_KIND_CODES):
        IPKind.objects.update_or_create(code=code, defaults={"order": order})
