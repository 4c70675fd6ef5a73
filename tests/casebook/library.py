"""The search corpus in the database: published typical cases indexed by the real backend."""

from __future__ import annotations

from django.utils import timezone

from sutiao.casebook import search
from sutiao.casebook.models import TEXT_FIELDS, State, TypicalCase
from sutiao.institutions.models import IPKind

from .corpus import Doc, search_corpus


def load(editor, docs: list[Doc]) -> list[TypicalCase]:
    """Published rows (their public text as written: the corpus holds no personal data)."""
    kinds = set(IPKind.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = TypicalCase.objects.bulk_create(
        [
            TypicalCase(
                state=State.PUBLISHED,
                editor=editor,
                court_id=None,
                ip_kind_id=d.kind if d.kind in kinds else "other",
                industry=d.industry,
                outcome=d.outcome,
                channel="delegated",
                published_at=now,
                basis="public_interest",
                basis_note="典型意义",
                **{f: getattr(d, f, "") for f in TEXT_FIELDS},
                **{f"public_{f}": getattr(d, f, "") for f in TEXT_FIELDS},
            )
            for d in docs
        ]
    )
    for row in rows:
        search.index(row.pk, *(row.public(f) for f in TEXT_FIELDS))
    return rows


def corpus(editor, n: int = 1000):
    docs, queries = search_corpus(n)
    return load(editor, docs), queries
