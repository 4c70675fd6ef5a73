"""The mediation document of an entrusted case: issued by the judge (signed, court seal), in
effect when every party has signed for it; before that a party may withdraw and the case
returns to trial."""

from __future__ import annotations

import pytest

from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict
from sutiao.documents import verify
from sutiao.judicial import actions
from sutiao.judicial.choices import MediationDocumentState
from tests.agreements import factories as af
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.fixture
def entrusted(world):
    """The same people; an entrusted case of the court, settled by a signed agreement."""
    filed = case_actions.register_filed_case(
        actor=world.judge,
        court=world.court,
        title="甲诉乙商标侵权纠纷",
        parties=[
            {"role": "applicant", "name": "张三丰", "user_id": world.applicant.pk},
            {"role": "respondent", "name": "李四海", "user_id": world.respondent.pk},
        ],
    )
    case = case_actions.entrust(actor=world.judge, filed_case=filed, org=world.org)
    for user, role in ((world.applicant, "applicant"), (world.respondent, "respondent")):
        cf.consent(case, user, case.parties.get(role=role))  # OMR 4, 8: each party consents
    case = case_actions.assign(actor=world.org_admin, case=case, mediator=world.mediator)
    world.case = case_actions.accept(actor=world.mediator_user, case=case)
    af.signed_agreement(world)
    assert world.reload().state == "settled"
    return world


def _issue(world):
    return actions.issue_mediation_document(
        actor=world.judge,
        case=world.case,
        claims="判令被告停止侵权，赔偿损失。",
        facts="被告销售了侵权商品。",
        result="一、被告停止销售侵权商品。\n二、被告赔偿原告3万元。",
        clerk_name="刘书记",
    )


def sign_for(user, md):
    actions.request_receipt_code(actor=user, mediation_document=md, channel="sms")
    return actions.sign_for(actor=user, mediation_document=md, code=af.code_for(user))


@pytest.mark.rule("CPL-100a", "CPL-100b")
def test_it_takes_effect_when_both_parties_have_signed_for_it(entrusted):
    world = entrusted
    md = _issue(world)
    with md.document.file.open("rb") as fh:
        verdict = verify.verify_pdf(fh.read())
    assert verdict.status == "valid"
    assert [s.holder_kind for s in verdict.signatures] == ["person", "court_seal"]
    md = sign_for(world.applicant, md)
    assert md.state == MediationDocumentState.ISSUED
    md = sign_for(world.respondent, md)
    assert md.state == MediationDocumentState.EFFECTIVE and md.effective_at
    with pytest.raises(Conflict):
        actions.withdraw_from_mediation_document(
            actor=world.respondent, mediation_document=md, reason="反悔"
        )


@pytest.mark.rule("CPL-100c")
def test_a_party_withdraws_before_it_takes_effect_and_the_trial_resumes(entrusted):
    world = entrusted
    md = sign_for(world.applicant, _issue(world))
    md = actions.withdraw_from_mediation_document(
        actor=world.respondent, mediation_document=md, reason="不同意赔偿数额"
    )
    assert md.state == MediationDocumentState.WITHDRAWN
    assert Case.objects.get(pk=world.case.pk).state == "trial_resumed"


@pytest.mark.rule("CPL-100a")
def test_only_a_judge_of_the_court_issues_it(entrusted):
    from sutiao.core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.issue_mediation_document(
            actor=entrusted.clerk,
            case=entrusted.case,
            claims="x",
            facts="x",
            result="x",
            clerk_name="x",
        )
    assert cf  # the case factories build the entrusted world above


@pytest.mark.rule("CPL-100b", "CPL-100c")
def test_the_parties_sign_for_it_and_withdraw_through_the_pages(entrusted):
    from tests import factories

    world = entrusted
    _issue(world)
    page = f"/judicial/case/{world.case.pk}/mediation-document/"
    applicant = factories.client_for(world.applicant)
    response = applicant.post(page + "code/", {"channel": "sms"})
    assert response.status_code == 302 and response["Location"] == page
    wrong = applicant.post(page + "sign/", {"code": "000000"})
    assert wrong.status_code == 200  # the form again, the refusal beside it
    assert world.case.mediation_documents.get().state == MediationDocumentState.ISSUED
    assert applicant.post(page + "sign/", {"code": af.code_for(world.applicant)}).status_code == 302
    respondent = factories.client_for(world.respondent)
    assert respondent.post(page + "withdraw/", {"reason": ""}).status_code == 200
    done = respondent.post(page + "withdraw/", {"reason": "不同意赔偿数额"})
    assert done.status_code == 302 and done["Location"] == f"/cases/{world.case.pk}/"
    assert Case.objects.get(pk=world.case.pk).state == "trial_resumed"
