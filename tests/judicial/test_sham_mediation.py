"""Suspected sham mediation (SIR 18; OMR 23): the mediator of the case or its court
suspends mediation and reports the suspicion with a reason; the case page shows the report
to the mediation side and the court (the parties see only that mediation is suspended);
judicial confirmation is refused while it stands; the court clears it (mediation goes on
where it stopped, the days suspended not counted) or confirms it (mediation ends, OMR 25
(8), with the finding)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions as case_actions
from sutiao.cases.choices import EndReason, ShamOutcome, State
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.judicial import actions
from sutiao.judicial.choices import State as AppState
from tests import factories
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
    pytest.mark.rule("SIR-18"),  # with OMR 23: the register keeps them as one rule
]

REASON = "双方对侵权事实无任何争议且赔偿金额明显畸高，疑似串通损害案外人权利。"


def _page(user, case) -> str:
    return factories.client_for(user).get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_sir_18_omr_23_the_mediator_suspends_and_reports_and_the_court_clears(world, time_machine):
    case = world.reload()
    before = case.deadline_at
    with pytest.raises(Forbidden):  # a party does not suspend its own mediation
        case_actions.suspend_sham(actor=world.applicant, case=case, reason=REASON)
    with pytest.raises(Invalid):  # a reason is required; nothing changes without one
        case_actions.suspend_sham(actor=world.mediator_user, case=case, reason="  ")
    assert world.reload().state == State.MEDIATING and not case.sham_reports.exists()

    case = case_actions.suspend_sham(actor=world.mediator_user, case=case, reason=REASON)
    assert case.state == State.SUSPENDED
    report = case.sham_reports.get()
    assert report.outcome == ShamOutcome.OPEN and report.state_before == State.MEDIATING
    entry = AuditEntry.objects.filter(action="case.suspend_sham").latest("id")
    assert REASON in str(entry.changes)
    # The mediator and the court read the report; the parties only that mediation is suspended.
    for staff in (world.mediator_user, world.judge):
        page = _page(staff, case)
        assert 'id="sham-reports"' in page and REASON in page
        assert 'id="step-clear_sham"' in page or staff != world.judge
    party_page = _page(world.applicant, case)
    assert 'id="sham-suspended"' in party_page
    assert REASON not in party_page and 'id="sham-reports"' not in party_page
    with pytest.raises(Forbidden):  # the mediator reports; the court decides
        case_actions.clear_sham(actor=world.mediator_user, case=case, reason="无")

    time_machine.move_to(WORKING_MONDAY + timedelta(days=3), tick=True)
    case = case_actions.clear_sham(
        actor=world.judge, case=case, reason="经审查，赔偿金额有合理依据，未发现串通。"
    )
    assert case.state == State.MEDIATING
    assert case.deadline_at >= before + timedelta(days=3)  # the days suspended not counted
    report.refresh_from_db()
    assert report.outcome == ShamOutcome.CLEARED and report.decided_by == world.judge


def test_sir_18_omr_23_no_confirmation_while_the_suspicion_stands_and_a_confirmed_sham_ends(
    world,
):
    agreement = af.signed_agreement(world)
    app = actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    app = actions.submit_part(actor=world.respondent, application=app)
    case = world.reload()
    assert case.state == State.SETTLED
    # The court suspects the settlement: nothing is accepted or confirmed while it stands.
    case = case_actions.suspend_sham(actor=world.judge, case=case, reason=REASON)
    assert case.state == State.SUSPENDED
    with pytest.raises(Conflict) as refused:
        actions.accept(actor=world.judge, application=app)
    assert refused.value.details.get("precondition") == "no_sham_suspicion"
    assert "sham" in str(refused.value.message) or "虚假" in str(refused.value.message)
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED
    actions.withdraw(actor=world.applicant, application=app, reason="重新申请")
    with pytest.raises(Conflict) as again:
        actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    assert again.value.code == "judicial.sham_suspected"

    case = case_actions.confirm_sham(
        actor=world.judge, case=case, reason="双方串通虚构债务，损害案外人利益。"
    )
    assert case.state == State.FAILED and case.end_reason == EndReason.OTHER_OBSTACLE
    assert "SIR 18" in case.failure_reasons or "虚假" in case.failure_reasons
    assert case.sham_reports.get().outcome == ShamOutcome.CONFIRMED
    with pytest.raises(Conflict) as still:  # a confirmed sham is never confirmed
        actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    assert still.value.code == "judicial.sham_suspected"
