"""Court-style case numbers, e.g. （2026）京73民诉前调1号, from each court's patterns."""

from __future__ import annotations

from datetime import datetime

from sutiao.institutions.models import Court, MediationOrg
from sutiao.workdays.periods import local_date

from .models import CaseNumberSequence

KINDS = {
    "pre_filing": "pre_filing_number_pattern",
    "entrusted": "entrusted_number_pattern",
    "filing": "filing_number_pattern",
}


def _next(scope: str, year: int, kind: str, count: int = 1) -> int:
    """The last of `count` numbers reserved (a bulk delegation takes them in one go)."""
    # Must run inside the caller's transaction: the row lock serialises concurrent numbering.
    seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(
        scope=scope, year=year, kind=kind
    )
    seq.last += count
    seq.save(update_fields=["last"])
    return seq.last


def court_number(court: Court, kind: str, at: datetime) -> str:
    year = local_date(at).year
    pattern = getattr(court, KINDS[kind])
    return pattern.format(
        year=year,
        code=court.case_number_code or court.name,
        seq=_next(f"court:{court.pk}", year, kind),
    )


def court_numbers(court: Court, kind: str, at: datetime, count: int) -> list[str]:
    """`count` consecutive numbers of the court's series, reserved under one row lock."""
    year = local_date(at).year
    pattern = getattr(court, KINDS[kind])
    last = _next(f"court:{court.pk}", year, kind, count)
    code = court.case_number_code or court.name
    return [pattern.format(year=year, code=code, seq=n) for n in range(last - count + 1, last + 1)]


def org_number(org: MediationOrg, at: datetime) -> str:
    """Direct applications carry the organisation's own number."""
    year = local_date(at).year
    return f"（{year}）调{org.pk}字第{_next(f'org:{org.pk}', year, 'direct')}号"


def court_sequence(court: Court, kind: str, at: datetime) -> tuple[int, int]:
    """(year, next number) of the court's own sequence `kind` (rulings of other domains)."""
    year = local_date(at).year
    return year, _next(f"court:{court.pk}", year, kind)
