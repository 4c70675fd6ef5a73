"""The public library (no log-in): search, a typical case, an article, similar outcomes."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from sutiao.core.lookup import visible_or_404
from sutiao.institutions.models import IPKind

from . import outcomes, queries, search
from .forms import SearchForm
from .models import Article, Industry, TypicalCase


def library(request):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("ip_kind")
    filters = search.Filters(
        ip_kind=kind.pk if kind else "",
        industry=data.get("industry") or "",
        outcome=data.get("outcome") or "",
        channel=data.get("channel") or "",
    )
    page = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
    terms, rows, more = queries.library(data.get("q") or "", filters, page=max(1, page))
    context = {
        "form": form,
        "terms": terms,
        "rows": rows,
        "page": page,
        "more": more,
        "articles": queries.articles(filters.ip_kind),
        "query": request.GET.urlencode(),
    }
    return render(request, "casebook/library.html", context)


def detail(request, pk: int):
    tc = visible_or_404(request.user, TypicalCase.objects.select_related("ip_kind"), pk=pk)
    return render(
        request,
        "casebook/detail.html",
        {
            "tc": tc,
            "related": queries.related(tc) if tc.state == "published" else [],
            "articles": queries.articles(tc.ip_kind_id, limit=3),
        },
    )


def article(request, pk: int):
    row = visible_or_404(request.user, Article, pk=pk)
    return render(request, "casebook/article.html", {"article": row})


def similar_outcomes(request):
    """Figures of similar closed cases, as a page or (fragment=1) the panel the application
    form reloads when the IP kind changes."""
    kind = IPKind.objects.filter(pk=request.GET.get("ip_kind") or "").first()
    industry = request.GET.get("industry") or ""
    if industry and industry not in Industry.values:
        raise Http404
    context = outcome_context(kind, industry)
    template = (
        "casebook/_outcomes.html" if request.GET.get("fragment") else "casebook/outcomes.html"
    )
    return render(request, template, context)


def outcome_context(kind: IPKind | None, industry: str = "") -> dict:
    return {
        "kind": kind,
        "industry": industry,
        "industry_label": Industry(industry).label if industry else "",
        "kinds": IPKind.objects.all(),
        "industries": Industry.choices,
        "cases": outcomes.from_cases(kind.pk) if kind else None,
        "typical": outcomes.from_typical_cases(kind.pk, industry) if kind else None,
        "min_sample": outcomes.MIN_SAMPLE,
    }
