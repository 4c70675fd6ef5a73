"""What happened to similar disputes, shown before a party chooses mediation: how often
mediation settled disputes of this IP kind (and industry), how long it took, the amounts
agreed. Honest about small samples: below MIN_SAMPLE cases a figure is not given."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case

from .models import Outcome, State, TypicalCase

MIN_SAMPLE = 10  # fewer closed cases than this: "too few cases to say"
SETTLED = (CaseState.SETTLED,)
NOT_SETTLED = (CaseState.FAILED, CaseState.FILED, CaseState.TRIAL_RESUMED)


@dataclass(frozen=True)
class Figures:
    sample: int  # closed cases the figures are drawn from
    settled: int
    days: list[int]
    amounts_fen: list[int]

    @property
    def enough(self) -> bool:
        return self.sample >= MIN_SAMPLE

    @property
    def rate(self) -> int | None:
        """Settled, in per cent of the closed cases."""
        return round(100 * self.settled / self.sample) if self.enough else None

    @property
    def median_days(self) -> int | None:
        return round(statistics.median(self.days)) if len(self.days) >= MIN_SAMPLE else None

    @property
    def amount_range(self) -> tuple[int, int] | None:
        """The middle half of the amounts agreed (25th to 75th percentile), in yuan."""
        if len(self.amounts_fen) < MIN_SAMPLE:
            return None
        q = statistics.quantiles(self.amounts_fen, n=4)
        return round(q[0] / 100), round(q[2] / 100)


def from_cases(ip_kind: str) -> Figures:
    """The platform's closed cases of this IP kind (a case records no industry, and its amount
    is the one claimed, not agreed: amounts come from the typical cases)."""
    rows = Case.objects.filter(ip_kind_id=ip_kind, state__in=[*SETTLED, *NOT_SETTLED]).values_list(
        "state", "accepted_at", "ended_at"
    )
    sample = settled = 0
    spans: list[int] = []
    for state, accepted, ended in rows:
        sample += 1
        if state in SETTLED:
            settled += 1
            if accepted and ended:
                spans.append(max(0, (ended - accepted).days))
    return Figures(sample, settled, spans, [])


def from_typical_cases(ip_kind: str, industry: str = "") -> Figures:
    """The published typical cases of this IP kind and industry: these also carry the amount
    agreed."""
    rows = TypicalCase.objects.filter(state=State.PUBLISHED, ip_kind_id=ip_kind)
    if industry:
        rows = rows.filter(industry=industry)
    values = list(rows.values_list("outcome", "days_to_settle", "amount_fen"))
    settled = [v for v in values if v[0] in (Outcome.SETTLED, Outcome.PARTLY)]
    return Figures(
        len(values),
        len(settled),
        [d for _, d, _ in settled if d is not None],
        [a for _, _, a in settled if a is not None],
    )
