"""Gaps of issue 11 closed: the OMR 15 clock on entrusted cases too; once every party signed,
nobody ends the case by refusing mediation or every mediator; an organisation joins through
its own verified account or its named legal representative, an employee only as its agent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sutiao.accounts import actions as accounts
from sutiao.accounts.models import User
from sutiao.cases import actions, lifecycle
from sutiao.cases.actions import PartyIn
from sutiao.cases.actions.invitations import link_token
from sutiao.cases.models import Case, PartyInvitation
from sutiao.core.errors import Conflict
from sutiao.workdays import periods
from tests import factories
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]


def entrusted_and_accepted():
    court = factories.court("北京市海淀区人民法院", code="京0108")
    judge = factories.person("judge", court=court)
    mediator = cf.rostered_mediator(court)
    filed = actions.register_filed_case(
        actor=judge,
        court=court,
        title="张三诉李四商标侵权纠纷",
        parties=[{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "李四"}],
    )
    case = actions.entrust(actor=judge, filed_case=filed, mediator=mediator)
    return judge, actions.accept(actor=mediator.user, case=case)


@pytest.mark.rule("OMR-15")
def test_omr_15_an_entrusted_case_nobody_answers_ends_and_goes_back_to_the_judge(time_machine):
    judge, case = entrusted_and_accepted()
    expected = periods.end_of_day(periods.add_working_days(WORKING_MONDAY.date(), 3))
    clocks = PartyInvitation.objects.filter(case=case, deadline_at__isnull=False)
    assert clocks.count() == 2  # each party still to answer is reached
    assert {(i.clock, i.deadline_at) for i in clocks} == {("reach_other_side", expected)}

    time_machine.shift(timedelta(days=2))
    assert actions.end_unanswered() == []
    time_machine.move_to(expected + timedelta(hours=1))
    assert actions.end_unanswered() == [case.pk]
    case = Case.objects.get(pk=case.pk)
    assert case.state == "failed" and case.end_reason == 3
    assert "张三" in case.failure_reasons and "李四" in case.failure_reasons
    # The materials go back: the judge who entrusted it resumes the trial.
    assert "resume_trial" in {t.name for t in lifecycle.available(case, {"judge"})}
    assert actions.resume_trial(actor=judge, case=case).state == "trial_resumed"


@pytest.mark.rule("OMR-15")
def test_omr_15_an_entrusted_party_that_answers_in_time_stops_its_clock(time_machine):
    _judge, case = entrusted_and_accepted()
    for party in case.parties.all():
        user = factories.person("party")
        latest = party.invitations.latest("created_at", "id")
        actions.accept_invitation(actor=user, token=link_token(latest))
        cf.consent(case, user, party)
    time_machine.shift(timedelta(days=10))
    assert actions.end_unanswered() == []
    assert Case.objects.get(pk=case.pk).state == "mediating"


@pytest.fixture
def signed_by_parties(db, media):
    seed_templates()
    world = af.mediating_case()
    agreement = af.draft(world)
    agreement = af.actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    af.sign_as(world.applicant, agreement, channel="email")
    af.sign_as(world.respondent, agreement)
    return world


@pytest.mark.rule("OMR-14", "OMR-19b")
def test_omr_19_after_every_party_signed_refusing_every_mediator_ends_nothing(signed_by_parties):
    world = signed_by_parties
    with pytest.raises(Conflict) as refused:
        actions.refuse_mediation(actor=world.respondent, case=world.case, reason="不想调了")
    assert refused.value.details["precondition"] == "parties_not_agreed"
    # Nor does a request for another mediator, once granted, take this one off the case.
    (request,) = actions.request_other_mediator(
        actor=world.respondent, case=world.case, reason="调解员偏向对方"
    )
    with pytest.raises(Conflict) as refused:
        actions.decide_change_request(actor=world.org_admin, request=request, grant=True)
    assert refused.value.details["precondition"] == "parties_not_agreed"
    case = world.reload()
    assert case.state == "mediating" and case.mediator_id == world.mediator.pk
    assert not case.events.filter(kind__in=["refuse_mediation", "replace_mediator"]).exists()
    # The mediator's signature completes the agreement; the case settles.
    agreement = case.agreements.get()
    af.sign_as(world.mediator_user, agreement)
    assert world.reload().state == "settled"


@pytest.mark.rule("OMR-15")
def test_omr_15_refusing_at_consent_after_every_party_signed_ends_nothing(signed_by_parties):
    world = signed_by_parties
    party = world.case.parties.get(role="respondent")
    with pytest.raises(Conflict) as refused:
        actions.give_consent(
            actor=world.respondent,
            case=world.case,
            party=party,
            online=False,
            e_service=False,
            notice_acknowledged=True,
            refuses_mediation=True,
        )
    assert refused.value.details["precondition"] == "parties_not_agreed"
    assert world.reload().state == "mediating"


def company_respondent(court) -> Case:
    applicant = factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="甲诉乙公司专利侵权纠纷",
        court=court,
        ip_kind="patent",
        applicant=PartyIn(role="applicant", name="甲"),
        respondents=[
            PartyIn(
                role="respondent",
                name="乙科技有限公司",
                kind="legal",
                uscc="91110108MA01ABCDEN",
                representative="王经理",
                phone="13912345678",
            )
        ],
    )
    cf.consent(case, applicant, case.parties.get(role="applicant"))
    return actions.submit(actor=applicant, case=case)


def named(name: str) -> User:
    user = factories.person("party")
    User.objects.filter(pk=user.pk).update(real_name=name)
    return User.objects.get(pk=user.pk)


@pytest.mark.rule("OLR-7")
def test_an_organisation_joins_through_its_representative_not_any_employee(db):
    court = factories.court("北京知识产权法院", code="京73")
    case = company_respondent(court)
    token = link_token(PartyInvitation.objects.get(case=case))
    with pytest.raises(Conflict) as refused:  # an employee, verified, is not the company
        actions.accept_invitation(actor=named("赵员工"), token=token)
    assert refused.value.code == "case.invitation_other_person"
    party = actions.accept_invitation(actor=named("王经理"), token=token)
    assert party.user.real_name == "王经理"


@pytest.mark.rule("OLR-7")
def test_an_organisation_joins_with_its_own_account_of_the_same_credit_code(db):
    court = factories.court("北京知识产权法院", code="京73")

    def company(uscc: str, username: str, phone: str) -> User:
        user = accounts.register_party(
            username=username,
            password=factories.PASSWORD,
            real_name="乙科技有限公司",
            kind="legal",
            uscc=uscc,
            phone=phone,  # a phone belongs to one account only
        )
        User.objects.filter(pk=user.pk).update(identity_verified_at=WORKING_MONDAY)
        return User.objects.get(pk=user.pk)

    case = company_respondent(court)
    token = link_token(PartyInvitation.objects.get(case=case))
    with pytest.raises(Conflict):
        actions.accept_invitation(
            actor=company("91110000MA02XRP12M", "other", "13800138001"), token=token
        )
    party = actions.accept_invitation(
        actor=company("91110108MA01ABCDEN", "yi", "13800138002"), token=token
    )
    assert party.user.username == "yi"
