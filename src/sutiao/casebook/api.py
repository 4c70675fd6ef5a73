"""The public library over JSON (no token): search, one typical case, similar outcomes."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sutiao.core.errors import Invalid
from sutiao.core.lookup import visible

from . import outcomes, queries, search
from .errors import CasebookError
from .models import Industry, TypicalCase

router = Router(tags=["casebook"])


class HitOut(Schema):
    id: int
    title: str
    ip_kind: str
    industry: str
    outcome: str
    channel: str
    published_at: datetime | None


class CaseOut(HitOut):
    facts: str
    dispute: str
    mediation: str
    result: str
    commentary: str


class FiguresOut(Schema):
    sample: int
    enough: bool
    settled_percent: int | None
    median_days: int | None
    amount_range_yuan: list[int] | None


class OutcomesOut(Schema):
    ip_kind: str
    industry: str
    min_sample: int
    cases: FiguresOut
    typical_cases: FiguresOut


class SearchIn(Schema):
    q: str = ""
    ip_kind: str = ""
    industry: str = ""
    outcome: str = ""
    channel: str = ""
    page: int = 1


def _hit(tc: TypicalCase) -> dict:
    return {
        "id": tc.pk,
        "title": tc.public_title,
        "ip_kind": tc.ip_kind_id,
        "industry": tc.industry,
        "outcome": tc.outcome,
        "channel": tc.channel,
        "published_at": tc.published_at,
    }


@router.get("/casebook/search", response=list[HitOut], auth=None)
def search_cases(request, params: Query[SearchIn]):
    if params.page < 1 or len(params.q) > 200:
        raise Invalid(
            _("The page is 1 or more and the words at most 200 characters."),
            code=CasebookError.BAD_QUERY,
        )
    filters = search.Filters(
        ip_kind=params.ip_kind,
        industry=params.industry,
        outcome=params.outcome,
        channel=params.channel,
    )
    _terms, rows, _more = queries.library(params.q, filters, page=params.page)
    return [_hit(tc) for tc in rows]


@router.get("/casebook/cases/{case_id}", response=CaseOut, auth=None)
def typical_case(request, case_id: int):
    tc = visible(getattr(request, "auth", None), TypicalCase, pk=case_id)  # auth=None: public
    return {
        **_hit(tc),
        **{name: tc.public(name) for name in ("facts", "dispute", "mediation", "result")},
        "commentary": tc.public_commentary,
    }


def _figures(f: outcomes.Figures) -> dict:
    return {
        "sample": f.sample,
        "enough": f.enough,
        "settled_percent": f.rate,
        "median_days": f.median_days,
        "amount_range_yuan": list(f.amount_range) if f.amount_range else None,
    }


@router.get("/casebook/outcomes", response=OutcomesOut, auth=None)
def similar_outcomes(request, ip_kind: str, industry: str = ""):
    if industry and industry not in Industry.values:
        message = _("There is no such industry.")
        raise Invalid(message, code=CasebookError.BAD_QUERY, fields={"industry": [message]})
    return {
        "ip_kind": ip_kind,
        "industry": industry,
        "min_sample": outcomes.MIN_SAMPLE,
        "cases": _figures(outcomes.from_cases(ip_kind)),
        "typical_cases": _figures(outcomes.from_typical_cases(ip_kind, industry)),
    }
