"""OMR 19–20: an agreement takes effect when every party has signed it; the mediator's
signature and the organisation's seal may follow, and no timer undoes it meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sutiao.cases import actions as case_actions
from sutiao.cases import lifecycle
from sutiao.cases.models import Case, CaseEvent
from sutiao.core.errors import Conflict
from sutiao.judicial.queries import application_deadline
from sutiao.workdays.periods import deadline
from tests.clock import WORKING_MONDAY

from . import factories

pytestmark = [pytest.mark.time_machine(WORKING_MONDAY, tick=False)]


def _signed_by_parties(world):
    agreement = factories.draft(world)
    agreement = factories.actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    factories.sign_as(world.applicant, agreement, channel="email")
    return factories.sign_as(world.respondent, agreement)


@pytest.mark.rule("OMR-19b")
def test_omr_19_period_expiry_does_not_end_a_case_every_party_signed(world, time_machine):
    agreement = _signed_by_parties(world)
    parties_signed_at = agreement.effective_at
    assert parties_signed_at is not None and agreement.state == "signing"

    time_machine.move_to(WORKING_MONDAY + timedelta(days=45))  # well past the 30 days
    assert case_actions.expire_overdue() == []
    case = world.reload()
    assert case.state == "mediating"
    assert not CaseEvent.objects.filter(case=case, kind="expire").exists()
    # The table says why, for the API and for anyone who tries the step directly.
    with pytest.raises(Conflict) as refused:
        lifecycle.check(case, "expire", {"system"})
    assert refused.value.details["precondition"] == "no_agreement_signed_by_parties"

    # The mediator (and the seal) sign later; the case settles then.
    agreement = factories.sign_as(world.mediator_user, agreement)
    assert agreement.state == "signed"
    assert world.reload().state == "settled"
    # The agreement's effect and the 30 days to apply run from the parties' last signature.
    agreement.refresh_from_db()
    assert agreement.effective_at == parties_signed_at
    assert agreement.completed_at > parties_signed_at
    assert application_deadline(agreement) == deadline(
        parties_signed_at, "confirmation_application"
    )


@pytest.mark.rule("OMR-19b")
def test_omr_19_a_case_one_party_has_not_signed_still_expires(world, time_machine):
    agreement = factories.draft(world)
    agreement = factories.actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    factories.sign_as(world.applicant, agreement, channel="email")
    time_machine.move_to(timezone.now() + timedelta(days=45))
    assert case_actions.expire_overdue() == [world.case.pk]
    assert Case.objects.get(pk=world.case.pk).state == "failed"
