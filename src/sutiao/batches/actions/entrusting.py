"""The judge entrusts a batch's filed cases in one action (诉中委托): all of them, or a
selection, to one organisation or spread over several mediators by their current load. Each
filed case becomes its own entrusted mediation through the cases domain's bulk entrustment
(its own number, audit entry, acceptance deadline and, once accepted, the 15- or 7-day period
of its procedure: OMR 24; SIR 27). A selected case that may not be entrusted refuses the whole
action, naming it: nothing changes. One transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.cases.actions.bulk import entrust_many
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict
from sutiao.core.policy import require
from sutiao.institutions.models import MediationOrg
from sutiao.roster.models import Mediator

from ..errors import BatchError
from ..models import Batch
from ..queries import filed_cases
from .assigning import check_target, recorded, targets_of


def _entrustable(batch: Batch, selection: list[int] | None) -> list[Case]:
    qs = Case.objects.filter(filed_cases(batch)).select_related("filed_as", "court")
    if selection is not None:
        qs = qs.filter(pk__in=selection)
    found = list(qs.order_by("batch_link__line"))
    if selection is not None:
        refused = sorted(set(selection) - {c.pk for c in found})
        if refused:
            named = Case.objects.filter(pk__in=refused, batch_link__batch=batch)
            names = [str(c) for c in named.order_by("batch_link__line")]
            names += [f"#{pk}" for pk in refused if pk not in {c.pk for c in named}]
            raise Conflict(
                _(
                    "Only the batch's filed cases with no mediation under way can be "
                    "entrusted; not: %(cases)s. Nothing was entrusted."
                )
                % {"cases": "、".join(names)},
                code=BatchError.NOT_ENTRUSTABLE,
                cases=refused,
            )
    if not found:
        raise Conflict(
            _("No case of this batch (or of the selection) can take this step."),
            code=BatchError.NO_CASES,
        )
    return found


@transaction.atomic
def entrust_batch(
    *,
    actor: User,
    batch: Batch,
    org: MediationOrg | None = None,
    mediators: list[Mediator] | None = None,
    selection: list[int] | None = None,
    procedure: str | None = None,
    at: datetime | None = None,
) -> dict[int, int | None]:
    """The judge entrusts the batch's filed cases (or the selected ones):
    {new mediation: mediator (None: sent to the organisation)}."""
    require(actor, "entrust", batch)
    mediators = list(dict.fromkeys(mediators or []))
    check_target(org, mediators)
    at = at or timezone.now()
    filed = _entrustable(batch, selection)
    # The parties of the mediation are the filed case's (its origin's): their declared
    # conflicts bar a mediator the same way; the pre-filing joint choice does not bind.
    targets = targets_of(org, mediators, filed, joint=False)
    made = entrust_many(
        actor=actor,
        plan=[(c.filed_as, targets[c.pk]) for c in filed],
        procedure=procedure,
        at=at,
    )
    done: dict[int, int | None] = {m.pk: m.mediator_id for m in made}
    recorded(actor, batch, "batch.entrusted", done, org)
    return done
