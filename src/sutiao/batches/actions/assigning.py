"""Sending a batch's cases on in one action: the clerk delegates all of them, or a selection,
to one organisation or spread over several mediators; the organisation's administrator
assigns its cases to its mediators. Each case goes through the cases domain's own action
(its audit entry, its own deadline); the spread follows the mediators' current load, so
that after the action no mediator holds more than one case above another (where their
declared conflicts and the parties' joint choice allow). All or nothing: one transaction."""

from __future__ import annotations

import heapq
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.audit.log import record
from sutiao.cases import actions as cases
from sutiao.cases.actions import joint_choice
from sutiao.cases.actions.bulk import delegate_many
from sutiao.cases.choices import State
from sutiao.cases.models import Case, MediatorChoice
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import MediationOrg
from sutiao.roster.models import Mediator

from .. import matching
from ..errors import BatchError
from ..models import Batch


def _cases(batch: Batch, selection: list[int] | None, **state) -> list[Case]:
    qs = (
        Case.objects.filter(batch_link__batch=batch, **state)
        .select_related("mediator")
        .order_by("batch_link__line")
    )
    if selection is not None:
        qs = qs.filter(pk__in=selection)
    found = list(qs)
    if not found:
        raise Conflict(
            _("No case of this batch (or of the selection) can take this step."),
            code=BatchError.NO_CASES,
        )
    return found


def spread(
    cases_: list[Case],
    mediators: list[Mediator],
    barred: dict[int, set[int]],
    *,
    joint: bool = True,
) -> dict[int, Mediator]:
    """Each case to the least loaded mediator it may go to (ties: the order given); a case
    whose parties chose a mediator jointly goes to that one (OMR 10) unless `joint` is off
    (entrustment: the choice was of the pre-filing mediation)."""
    load = matching.loads(m.pk for m in mediators)
    by_id = {m.pk: m for m in mediators}
    order = {m.pk: i for i, m in enumerate(mediators)}
    heap = [(load[m.pk], order[m.pk], m.pk) for m in mediators]
    heapq.heapify(heap)
    plan: dict[int, Mediator] = {}
    choosing = (
        set(MediatorChoice.objects.filter(case__in=cases_).values_list("case_id", flat=True))
        if joint
        else set()
    )
    for case in cases_:
        chosen = joint_choice(case) if case.pk in choosing else None
        if chosen is not None:
            plan[case.pk] = chosen
            continue
        skipped = []
        while heap and heap[0][2] in barred.get(case.pk, ()):
            skipped.append(heapq.heappop(heap))
        if not heap:
            raise Conflict(
                _("Every mediator chosen declared a conflict with a party of case %(case)s.")
                % {"case": case},
                code=BatchError.CONFLICTED,
                case=case.pk,
            )
        n, i, mid = heapq.heappop(heap)
        plan[case.pk] = by_id[mid]
        heapq.heappush(heap, (n + 1, i, mid))
        for item in skipped:
            heapq.heappush(heap, item)
    return plan


def targets_of(
    org: MediationOrg | None, mediators: list[Mediator], waiting: list[Case], *, joint: bool = True
) -> dict[int, tuple[MediationOrg | None, Mediator | None]]:
    """{case: (org, mediator)}: every case to the organisation, or spread over the mediators."""
    if org is not None:
        return {case.pk: (org, None) for case in waiting}
    barred = matching.conflicts_by_case(waiting, [m.pk for m in mediators])
    plan = spread(waiting, mediators, barred, joint=joint)
    return {case.pk: (None, plan[case.pk]) for case in waiting}


def check_target(org: MediationOrg | None, mediators: list[Mediator]) -> None:
    if bool(org) == bool(mediators):
        message = _("Choose one organisation or at least one mediator.")
        raise Invalid(message, code=BatchError.NO_MEDIATOR, fields={"mediators": [message]})


@transaction.atomic
def delegate_batch(
    *,
    actor: User,
    batch: Batch,
    org: MediationOrg | None = None,
    mediators: list[Mediator] | None = None,
    selection: list[int] | None = None,
    at: datetime | None = None,
) -> dict[int, int | None]:
    """The clerk delegates the batch's waiting cases (or the selected ones): {case: mediator}."""
    require(actor, "delegate", batch)
    mediators = list(dict.fromkeys(mediators or []))
    check_target(org, mediators)
    at = at or timezone.now()
    waiting = _cases(batch, selection, state=State.SUBMITTED)
    targets = targets_of(org, mediators, waiting)
    # One bulk step: each case still its own checks, number, deadline, event and audit entry.
    delegate_many(actor=actor, plan=[(case, targets[case.pk]) for case in waiting], at=at)
    done: dict[int, int | None] = {
        pk: mediator.pk if mediator else None for pk, (_org, mediator) in targets.items()
    }
    recorded(actor, batch, "batch.delegated", done, org)
    return done


@transaction.atomic
def assign_batch(
    *,
    actor: User,
    batch: Batch,
    org: MediationOrg,
    mediators: list[Mediator],
    selection: list[int] | None = None,
    at: datetime | None = None,
) -> dict[int, int | None]:
    """The organisation's administrator spreads the batch's cases sent to it over its
    mediators, balanced by their current load."""
    require(actor, "assign", batch)
    if org.pk not in actor.org_ids(Role.ORG_ADMIN):
        raise Forbidden()
    mediators = list(dict.fromkeys(mediators))
    check_target(None, mediators)
    waiting = _cases(
        batch, selection, state=State.AWAITING_ACCEPTANCE, org=org, mediator__isnull=True
    )
    barred = matching.conflicts_by_case(waiting, [m.pk for m in mediators])
    plan = spread(waiting, mediators, barred)
    done: dict[int, int | None] = {}
    for case in waiting:
        cases.assign(actor=actor, case=case, mediator=plan[case.pk], at=at)
        done[case.pk] = plan[case.pk].pk
    recorded(actor, batch, "batch.assigned", done, org)
    return done


def recorded(actor: User, batch: Batch, name: str, done, org: MediationOrg | None) -> None:
    counts: dict[str, int] = {}
    for mid in done.values():
        counts[str(mid or "org")] = counts.get(str(mid or "org"), 0) + 1
    record(
        actor,
        name,
        batch,
        summary=batch.title,
        changes={"cases": len(done), "org": org and org.pk, "per_mediator": counts},
    )
    outbox.emit(name, {"batch": batch.pk, "cases": len(done)})
