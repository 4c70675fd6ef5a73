"""One agreement template for the batch, with each respondent's own amount: the mediator
drafts the agreement of every case it mediates whose parties have all consented, and opens
them for signing in one action. Each goes through the agreements domain's own actions, so
each respondent signs only the agreement of its own case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.agreements import actions as agreements
from sutiao.agreements.models import Agreement
from sutiao.audit.log import record
from sutiao.cases.choices import PartyRole, State
from sutiao.cases.lifecycle import PARTIES_CONSENTED
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict
from sutiao.core.policy import require

from ..errors import BatchError
from ..models import Batch

OPEN = [Agreement.State.DRAFT, Agreement.State.SIGNING]


@dataclass
class TemplateIn:
    """The shared text; the amount of each agreement is its case's amount claimed, unless
    `amounts` ({case id: fen}) names another (what that respondent agreed to pay)."""

    facts: str
    subject: str
    due_date: date
    amounts: dict[int, int] | None = None


def ready_cases(actor: User, batch: Batch) -> list[Case]:
    """The actor's cases of the batch under mediation, every party consented, no agreement
    being drafted or signed."""
    mine = (
        Case.objects.filter(batch_link__batch=batch, mediator__user=actor, state=State.MEDIATING)
        .exclude(agreements__state__in=OPEN)
        .prefetch_related("parties")
        .order_by("batch_link__line")
    )
    return [c for c in mine if PARTIES_CONSENTED.holds(c)]


@transaction.atomic
def send_agreements(*, actor: User, batch: Batch, template: TemplateIn) -> list[Agreement]:
    require(actor, "mediate", batch)
    cases = ready_cases(actor, batch)
    if not cases:
        raise Conflict(
            _("No case of this batch (or of the selection) can take this step."),
            code=BatchError.NO_CASES,
        )
    sent = []
    for case in cases:
        parties = {p.role: p for p in case.parties.all()}
        amount = (template.amounts or {}).get(case.pk, case.amount_fen)
        data = agreements.DraftIn(
            facts=template.facts,
            terms=[
                agreements.TermIn(
                    kind="pay",
                    obligor=parties[PartyRole.RESPONDENT].pk,
                    beneficiary=parties[PartyRole.APPLICANT].pk,
                    subject=template.subject,
                    amount_fen=amount,
                    due_date=template.due_date,
                )
            ],
        )
        drafted = agreements.draft(actor=actor, case=case, data=data)
        sent.append(agreements.open_for_signing(actor=actor, agreement=drafted))
    record(actor, "batch.agreements_sent", batch, summary=batch.title, changes={"n": len(sent)})
    return sent
