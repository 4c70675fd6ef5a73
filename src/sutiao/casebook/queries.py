"""Reads of the casebook: the editors' desk, the public library, related cases and articles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from sutiao.accounts.roles import Role
from sutiao.cases.models import Case

from . import search, segment
from .models import Article, Change, State, TypicalCase


def _house_q(user: Any) -> Q:
    q = Q(pk__in=[])
    for m in user.active_memberships:
        if m.role == Role.CASEBOOK_EDITOR:
            if m.court_id:
                q |= Q(court_id=m.court_id)
            if m.ip_office_id:
                q |= Q(ip_office_id=m.ip_office_id)
    return q


def desk(user: Any) -> QuerySet[TypicalCase]:
    """The typical cases of the editor's court or IP office, newest first."""
    return (
        TypicalCase.objects.filter(_house_q(user))
        .select_related("ip_kind", "editor")
        .order_by("-id")
    )


def desk_articles(user: Any) -> QuerySet[Article]:
    return Article.objects.filter(_house_q(user)).order_by("-id")


def closed_cases(user: Any, limit: int = 50) -> list[Case]:
    """Closed cases the editor may see, to draw a typical case from (court editors: their
    court's cases)."""
    from .actions.drafting import CLOSED, editor_courts

    rows = Case.objects.filter(court_id__in=editor_courts(user), state__in=CLOSED)
    return list(rows.order_by("-ended_at", "-id")[:limit])


def closed_case_or_404(user: Any, pk: int) -> Case:
    """A closed case of the editor's court (drafting from it), else 404: the case pages stay
    closed to editors (Pub-4a), who read here only what they rewrite."""
    from .actions.drafting import CLOSED, editor_courts

    case = Case.objects.filter(pk=pk, court_id__in=editor_courts(user), state__in=CLOSED).first()
    if case is None:
        raise Http404
    return case


def changes_of(tc: TypicalCase) -> list[Change]:
    return list(tc.changes.all())


def library(query: str, filters: search.Filters, *, page: int = 1, size: int = 20):
    """One page of the public library: the hits in rank order, with their rows."""
    results = search.search(query, filters, limit=size + 1, offset=(page - 1) * size)
    rows = TypicalCase.objects.select_related("ip_kind").in_bulk([h.id for h in results.hits])
    ordered = [rows[h.id] for h in results.hits if h.id in rows]
    return results.terms, ordered[:size], len(ordered) > size


def related(tc: TypicalCase, limit: int = 3) -> list[TypicalCase]:
    """Published cases nearest to this one: its title's and dispute's words, same IP kind."""
    text = f"{tc.public_title} {tc.public_dispute}"
    filters = search.Filters(ip_kind=tc.ip_kind_id, exclude=tc.pk)
    hits = search.search(" ".join(segment.query_terms(text, limit=10)), filters, limit=limit)
    rows = TypicalCase.objects.in_bulk([h.id for h in hits.hits])
    return [rows[h.id] for h in hits.hits if h.id in rows]


def articles(ip_kind: str = "", limit: int = 10) -> list[Article]:
    rows = Article.objects.filter(state=Article.State.PUBLISHED)
    if ip_kind:
        rows = rows.filter(Q(ip_kind_id=ip_kind) | Q(ip_kind__isnull=True))
    return list(rows.order_by("-published_at")[:limit])


def published_count() -> int:
    return TypicalCase.objects.filter(state=State.PUBLISHED).count()
