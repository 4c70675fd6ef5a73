"""The sheet's arithmetic, apart from the database: which cases count, what each earns,
and the caps. A settled case earns the settled amount of its IP kind; a failed case earns
the partial amount only when its mediation is documented (a session record or the course of
mediation written down, OMR 25); others earn nothing and are not listed. The cap per
mediator bounds each line; when the lines together pass the cap per period, every line is
cut in the same proportion (rounded down to the fen), so that no one is favoured."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from sutiao.cases.choices import State
from sutiao.cases.models import Case, Transcript

from .models import Scheme, SchemeVersion

LOCAL = ZoneInfo("Asia/Shanghai")
FAILED = (State.FAILED, State.FILED, State.TRIAL_RESUMED)


@dataclass
class Line:
    mediator_id: int | None
    org_id: int | None
    name: str
    org_name: str
    settled: int = 0
    failed: int = 0
    amount_fen: int = 0
    paid_fen: int = 0
    cap: str = ""
    cases: list[dict[str, Any]] = field(default_factory=list)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    lo = dt.datetime.combine(start, dt.time.min, LOCAL)
    return lo, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, LOCAL)


def counted_cases(scheme: Scheme, start: dt.date, end: dt.date) -> Any:
    """The cases that ended (settled or failed) in the period, in the scheme's scope."""
    lo, hi = _bounds(start, end)
    rows = Case.objects.filter(
        state__in=(State.SETTLED, *FAILED), ended_at__gte=lo, ended_at__lt=hi
    ).filter(Q(mediator__isnull=False) | Q(org__isnull=False))
    if scheme.court_id:
        rows = rows.filter(court_id=scheme.court_id)
    elif scheme.region_id:
        code = scheme.region_id
        prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
        rows = rows.filter(
            Q(org__region__code__startswith=prefix)
            | Q(org__isnull=True, mediator__region__code__startswith=prefix)
        )
    documented = Exists(Transcript.objects.filter(case=OuterRef("pk")))
    return (
        rows.annotate(documented=documented)
        .select_related("mediator", "org")
        .order_by("ended_at", "id")
    )


def _case_fen(case: Any, version: SchemeVersion) -> tuple[str, int]:
    settled, failed = version.amounts(case.ip_kind_id or "")
    if case.state == State.SETTLED:
        return "settled", settled
    if case.documented or case.failure_course.strip():
        return "failed", failed
    return "", 0


def lines_for(cases: Any, version: SchemeVersion) -> list[Line]:
    lines: dict[tuple[Any, Any], Line] = {}
    for case in cases:
        outcome, fen = _case_fen(case, version)
        if not outcome:
            continue
        key = (case.mediator_id, None) if case.mediator_id else (None, case.org_id)
        line = lines.get(key)
        if line is None:
            name = case.mediator.name if case.mediator_id else case.org.name
            org_name = case.org.name if case.org_id else ""
            line = lines[key] = Line(key[0], key[1], name, org_name)
        setattr(line, outcome, getattr(line, outcome) + 1)
        line.amount_fen += fen
        ended = case.ended_at.astimezone(LOCAL).date().isoformat()
        line.cases.append(
            {
                "id": case.pk,
                "number": case.number,
                "ip_kind": case.ip_kind_id or "",
                "outcome": outcome,
                "ended": ended,
                "fen": fen,
            }
        )
    result = sorted(lines.values(), key=lambda ln: (ln.org_name, ln.name, ln.mediator_id or 0))
    apply_caps(result, version.cap_mediator_fen, version.cap_period_fen)
    return result


def apply_caps(lines: list[Line], per_mediator: int | None, per_period: int | None) -> None:
    for line in lines:
        line.paid_fen = line.amount_fen
        if per_mediator is not None and line.amount_fen > per_mediator:
            line.paid_fen, line.cap = per_mediator, "mediator"
    total = sum(line.paid_fen for line in lines)
    if per_period is not None and total > per_period:
        for line in lines:
            line.paid_fen = line.paid_fen * per_period // total
            line.cap = "both" if line.cap else "period"
