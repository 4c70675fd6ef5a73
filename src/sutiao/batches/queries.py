"""Reads of batches for the pages and the API: each batch as one line with its counts by
state, and a batch's cases with who answered."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases.choices import PartyRole, State
from sutiao.cases.load import OPEN_STATES
from sutiao.cases.models import Case, Party

from .models import Batch


def batches_of(user: User) -> QuerySet[Batch]:
    """The batches `user` has business with (policies.can_view, as one query)."""
    seen = Q(created_by=user) | Q(
        court_id__in=[*user.court_ids(Role.COURT_CLERK), *user.court_ids(Role.JUDGE)]
    )
    orgs = list(user.org_ids(Role.ORG_ADMIN))
    if orgs:
        seen |= Q(links__case__org_id__in=orgs)
    seen |= Q(links__case__mediator__user=user)
    return Batch.objects.filter(pk__in=Batch.objects.filter(seen).values("pk")).select_related(
        "court"
    )


def counts_by_state(batch_ids: list[int], cases: QuerySet[Case] | None = None) -> dict:
    """{batch id: [(state label, count), ...]} in the lifecycle's order."""
    qs = cases if cases is not None else Case.objects.all()
    rows = (
        qs.filter(batch_link__batch_id__in=batch_ids)
        .order_by()
        .values_list("batch_link__batch_id", "state")
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict[str, int]] = {}
    for bid, state, n in rows:
        found.setdefault(bid, {})[state] = n
    labels = dict(State.choices)
    return {bid: [(labels[s], by[s]) for s in State.values if s in by] for bid, by in found.items()}


def cases_of(batch: Batch, user: User) -> QuerySet[Case]:
    """The batch's cases `user` may see: all for its uploader and its court; an
    organisation's or a mediator's own for them."""
    qs = Case.objects.filter(batch_link__batch=batch)
    staff = batch.court_id in (*user.court_ids(Role.COURT_CLERK), *user.court_ids(Role.JUDGE))
    if batch.created_by_id != user.pk and not staff:
        qs = qs.filter(Q(org_id__in=list(user.org_ids(Role.ORG_ADMIN))) | Q(mediator__user=user))
    return qs.select_related("mediator", "org", "batch_link").order_by("batch_link__line")


# A filed case with one of its mediations in these states is not entrusted again.
UNDER_WAY = [*OPEN_STATES, State.SETTLED]


def filed_cases(batch: Batch) -> Q:
    """The batch's cases filed as lawsuits whose filed case no mediation holds now: the
    ones the judge may entrust (a filter on Case)."""
    busy = Case.objects.filter(filed_case__isnull=False, state__in=UNDER_WAY).values(
        "filed_case_id"
    )
    return Q(batch_link__batch=batch, state=State.FILED, filed_as__isnull=False) & ~Q(
        filed_as__in=busy
    )


def entrustable(batch: Batch) -> list[Case]:
    """The batch's filed cases the judge may entrust now, for the page's form and matching."""
    qs = Case.objects.filter(filed_cases(batch)).select_related("filed_as")
    return list(qs.order_by("batch_link__line"))


def entrusted_as(cases: list[Case]) -> dict[int, Case]:
    """For each filed case of `cases`, its latest entrusted mediation (one query), which the
    court's staff see beside the row."""
    found: dict[int, Case] = {}
    rows = (
        Case.objects.filter(filed_case__origin__in=[c.pk for c in cases if c.state == State.FILED])
        .select_related("mediator", "org", "filed_case")
        .order_by("pk")
    )
    for m in rows:
        found[m.filed_case.origin_id] = m
    return found


def respondents(cases: list[Case]) -> dict[int, Party]:
    """Each case's respondent (a batch case has one)."""
    return {
        p.case_id: p
        for p in Party.objects.filter(
            case_id__in=[c.pk for c in cases], role=PartyRole.RESPONDENT
        ).order_by("id")
    }
