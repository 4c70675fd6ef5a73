"""The mediator contacts every respondent of the batch's cases at once: a new invitation,
served through delivery, to each respondent not yet on its case (cases' `reach_out`)."""

from __future__ import annotations

from django.db import transaction

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases import actions as cases
from sutiao.cases.choices import PartyRole, State
from sutiao.cases.models import Case
from sutiao.core.policy import require

from ..models import Batch

WAITING = [State.SUBMITTED, State.AWAITING_ACCEPTANCE, State.MEDIATING, State.PAUSED]


@transaction.atomic
def contact_respondents(*, actor: User, batch: Batch) -> int:
    """How many respondents were contacted (those already on their case are not)."""
    require(actor, "mediate", batch)
    mine = Case.objects.filter(
        batch_link__batch=batch, mediator__user=actor, state__in=WAITING
    ).prefetch_related("parties")
    sent = 0
    for case in mine:
        for party in case.parties.all():
            if party.role == PartyRole.RESPONDENT and not (party.user_id or party.agent_id):
                cases.reach_out(actor=actor, case=case, party=party)
                sent += 1
    record(actor, "batch.contacted", batch, summary=batch.title, changes={"respondents": sent})
    return sent
