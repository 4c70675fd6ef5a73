"""Scoring a mediator or an organisation under a version of a scoring scheme.

The indicators a scheme may name are a fixed registry (INDICATORS): each is computed from the
figures' summary, the survey answers, the complaints or the training hours of the period.
A version names some of them with a weight and a threshold: an indicator that meets its
threshold earns its whole weight, one that falls short a share of it in proportion (value ÷
threshold, or threshold ÷ value where lower is better), one without data nothing. The score
is the points earned ÷ the weights × 100. A published version never changes, so a score
under it is the same whenever it is computed from the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .scopes import Scope


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    unit: str  # "%", "days", "points", "count", "hours"
    higher_is_better: bool
    value: Callable[[dict[str, Any]], float | None]


def _pct(key: str) -> Callable[[dict[str, Any]], float | None]:
    def read(inputs: dict[str, Any]) -> float | None:
        v = inputs["figures"].get(key)
        return None if v is None else round(v * 100, 1)

    return read


INDICATORS = {
    i.code: i
    for i in (
        Indicator("success_rate", gettext_lazy("Success rate"), "%", True, _pct("success_rate")),
        Indicator(
            "median_days",
            gettext_lazy("Median days to close"),
            "days",
            False,
            lambda x: x["figures"].get("median_days"),
        ),
        Indicator(
            "accepted_3wd",
            gettext_lazy("Accepted within 3 working days"),
            "%",
            True,
            _pct("accepted_3wd_rate"),
        ),
        Indicator(
            "video_share", gettext_lazy("Share held by video"), "%", True, _pct("video_share")
        ),
        Indicator(
            "satisfaction",
            gettext_lazy("Party satisfaction (mean, 1–5)"),
            "points",
            True,
            lambda x: x["satisfaction"],
        ),
        Indicator(
            "complaints_upheld",
            gettext_lazy("Complaints upheld"),
            "count",
            False,
            lambda x: float(x["complaints_upheld"]),
        ),
        Indicator(
            "training_hours",
            gettext_lazy("Training hours credited"),
            "hours",
            True,
            lambda x: x["training_hours"],
        ),
    )
}


def period_of(period: str, end: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year that contains `end`, up to `end`."""
    if period == "year":
        return dt.date(end.year, 1, 1), end
    if period == "quarter":
        return dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    return end.replace(day=1), end


def inputs_of(scope: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Everything the indicators read, for a mediator or an organisation: five queries."""
    from sutiao.training.models import Enrolment

    from . import queries
    from .models import Complaint, SurveyAnswer

    field = "mediator" if scope.level == "mediator" else "org"
    key = int(scope.key)
    answers = SurveyAnswer.objects.filter(
        **{f"survey__{field}_id": key},
        answered_at__date__gte=start,
        answered_at__date__lte=end,
    ).aggregate(
        fair=Avg("fair"), respect=Avg("respect"), understood=Avg("understood"), n=Count("id")
    )
    means = [answers[k] for k in ("fair", "respect", "understood") if answers[k] is not None]
    upheld = Complaint.objects.filter(
        **({"mediator_id": key} if field == "mediator" else {"case__org_id": key}),
        state="upheld",
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    ).count()
    credited = Enrolment.objects.filter(credited_on__gte=start, credited_on__lte=end)
    training: float | None
    if field == "mediator":
        hours = credited.filter(mediator_id=key).aggregate(h=Sum("hours"))["h"]
        training = float(hours or 0)
    else:
        # The organisation's mean per mediator on its list.
        rows = credited.filter(mediator__orgs__id=key).aggregate(h=Sum("hours"))
        people = scope.obj.mediators.count()
        training = round(float(rows["h"] or 0) / people, 1) if people else None
    return {
        "figures": queries.figures(scope, start, end).as_dict(),
        "satisfaction": round(sum(means) / len(means), 2) if means else None,
        "answers": answers,
        "complaints_upheld": upheld,
        "training_hours": training,
    }


@dataclass(frozen=True)
class Part:
    indicator: Indicator
    value: float | None
    weight: int
    threshold: float
    points: float

    @property
    def met(self) -> bool:
        return self.points >= self.weight

    def words(self) -> str:
        unit = {"%": "%", "days": _(" days"), "hours": _(" hours")}.get(self.indicator.unit, "")
        if self.value is None:
            return _("%(name)s: no data in the period, 0 of %(weight)s points.") % {
                "name": self.indicator.label,
                "weight": self.weight,
            }
        text = (
            _(
                "%(name)s %(value)s%(unit)s (threshold %(threshold)s%(unit)s, met): %(points)s of %(weight)s points."
            )
            if self.met
            else _(
                "%(name)s %(value)s%(unit)s (threshold %(threshold)s%(unit)s, not met): %(points)s of %(weight)s points."
            )
        )
        return text % {
            "name": self.indicator.label,
            "value": _num(self.value),
            "unit": unit,
            "threshold": _num(self.threshold),
            "points": _num(round(self.points, 1)),
            "weight": self.weight,
        }


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass(frozen=True)
class Score:
    version: Any
    start: dt.date
    end: dt.date
    parts: list[Part]

    @property
    def total(self) -> float | None:
        weights = sum(p.weight for p in self.parts)
        return round(sum(p.points for p in self.parts) / weights * 100, 1) if weights else None


def _points(ind: Indicator, value: float | None, weight: int, threshold: float) -> float:
    if value is None:
        return 0.0
    if (value >= threshold) if ind.higher_is_better else (value <= threshold):
        return float(weight)
    if ind.higher_is_better:
        share = value / threshold if threshold > 0 else 0.0
    else:
        share = threshold / value if value > 0 else 0.0
    return weight * max(0.0, min(1.0, share))


def score(version: Any, inputs: dict[str, Any], start: dt.date, end: dt.date) -> Score:
    """The score of `inputs` under `version`'s terms (pure: the same terms and records give
    the same score)."""
    parts = []
    for term in version.indicators:
        ind = INDICATORS[term["code"]]
        value = ind.value(inputs)
        weight, threshold = int(term["weight"]), float(term["threshold"])
        parts.append(Part(ind, value, weight, threshold, _points(ind, value, weight, threshold)))
    return Score(version, start, end, parts)
