"""The rules of issue 12 that live in the case table and its jobs: time limits that act
(OMR 10, 12, 29), disclosure and recusal (OMR 13–14), the extension and the pause (OMR 24,
26), the failure report of an expired case (OMR 21) and the court told of every outcome
(the Notice, §10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.models import Case, CaseEvent, MediatorChangeRequest
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.delivery import engine
from sutiao.delivery.models import Delivery
from sutiao.institutions.models import Court
from sutiao.roster.models import RosterEntry
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]

NEXT_MONDAY = WORKING_MONDAY + timedelta(days=7)  # 5 working days later


def _told(user, text: str) -> bool:
    """`user` got a notification (inbox) whose title says `text`."""
    engine.run_once()
    return Delivery.objects.filter(user=user, subject__contains=text).exists()


def _court_world(*, org: bool = False):
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    applicant = factories.person("party")
    respondent = factories.person("party")
    the_org = cf.rostered_org(court) if org else None
    mediator = cf.rostered_mediator(court, org=the_org)
    case = cf.submitted_case(court, applicant=applicant, respondent_user=respondent)
    return court, clerk, applicant, respondent, the_org, mediator, case


# OMR 10 ------------------------------------------------------------------------------------


@pytest.mark.rule("OMR-10b")
def test_omr_10_no_assignment_in_3_working_days_escalates_to_the_head_of_filing(time_machine):
    court, clerk, *_, case = _court_world()
    head = factories.person("court_clerk", court=court)
    Court.objects.filter(pk=court.pk).update(filing_head=head)
    assert actions.escalate_unassigned() == []  # within the 3 working days: nothing

    time_machine.move_to(NEXT_MONDAY)
    assert actions.escalate_unassigned() == [case.pk]
    assert actions.escalate_unassigned() == []  # idempotent: escalated once
    case.refresh_from_db()
    assert case.escalated_at is not None and case.state == "submitted"
    event = CaseEvent.objects.get(case=case, kind="escalated")
    assert event.actor is None  # the system
    assert AuditEntry.objects.filter(action="case.escalated", actor__isnull=True).exists()
    assert _told(head, "超期未指派调解员")
    assert not Delivery.objects.filter(user=clerk, subject__contains="超期").exists()

    # The clerk's queue shows the flag.
    page = factories.client_for(clerk).get(reverse("cases:queue")).content.decode()
    assert 'data-testid="escalated"' in page


# OMR 12 and 29 -----------------------------------------------------------------------------


@pytest.mark.rule("OMR-12", "OMR-29b")
def test_omr_12_no_answer_in_3_working_days_returns_the_case_as_a_refusal(time_machine):
    court, clerk, applicant, _r, _o, mediator, case = _court_world()
    actions.delegate(actor=clerk, case=case, mediator=mediator)
    assert actions.return_unanswered() == []

    time_machine.move_to(NEXT_MONDAY)
    assert actions.return_unanswered() == [case.pk]
    assert actions.return_unanswered() == []  # idempotent
    case.refresh_from_db()
    assert case.state == "submitted" and case.mediator is None and case.clock == "assign_mediator"
    lapse = CaseEvent.objects.get(case=case, kind="lapse")
    assert lapse.actor is None and lapse.data["declined_mediator"] == mediator.pk
    entry = RosterEntry.objects.get(court=court, mediator=mediator)
    assert (entry.declined_count, entry.unanswered_count) == (0, 1)
    # Everyone concerned hears of it: the parties, the mediator who left, the court.
    assert _told(applicant, "调解员更换通知")
    assert Delivery.objects.filter(user=mediator.user, subject__contains="调解员更换").exists()
    assert Delivery.objects.filter(user=clerk, subject__contains="调解员更换").exists()

    # OMR 29: the court sees the count on the mediator's roster entry; the public does not.
    url = reverse("roster:entry", args=[entry.pk])
    page = factories.client_for(factories.admin()).get(url).content.decode()
    assert 'data-unanswered="1"' in page
    assert 'id="refusals"' not in factories.client_for(applicant).get(url).content.decode()


@pytest.mark.rule("OMR-29b")
def test_omr_29_a_decline_counts_on_the_roster_entry_of_the_court():
    court, clerk, *_, mediator, case = _court_world()
    actions.delegate(actor=clerk, case=case, mediator=mediator)
    actions.decline(actor=mediator.user, case=case, reason="时间冲突")
    entry = RosterEntry.objects.get(court=court, mediator=mediator)
    assert (entry.declined_count, entry.unanswered_count) == (1, 0)


# OMR 13–14 ---------------------------------------------------------------------------------


def _mediating(org: bool = True):
    court, clerk, applicant, respondent, the_org, mediator, case = _court_world(org=org)
    if org:
        case = actions.delegate(actor=clerk, case=case, org=the_org)
        case = actions.assign(
            actor=factories.person("org_admin", org=the_org), case=case, mediator=mediator
        )
    else:
        case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    return clerk, applicant, respondent, the_org, mediator, case


@pytest.mark.rule("OMR-13")
def test_omr_13_one_party_refusing_after_the_disclosure_takes_the_mediator_off():
    clerk, applicant, respondent, _org, mediator, case = _mediating(org=False)
    disclosure = actions.disclose(actor=mediator.user, case=case, statement="曾与申请人同事")
    actions.answer_disclosure(actor=applicant, disclosure=disclosure, consents=True)
    assert Case.objects.get(pk=case.pk).mediator_id == mediator.pk  # one yes is not enough
    actions.answer_disclosure(actor=respondent, disclosure=disclosure, consents=False)
    case.refresh_from_db()
    # Delegated to a mediator by the court: back to the court, which assigns another.
    assert case.state == "submitted" and case.mediator is None
    assert case.clock == "assign_mediator"
    assert CaseEvent.objects.filter(case=case, kind="mediator_rejected").exists()
    assert _told(applicant, "调解员更换通知")
    assert Delivery.objects.filter(user=mediator.user, subject__contains="调解员更换").exists()
    assert Delivery.objects.filter(user=clerk, subject__contains="调解员更换").exists()


@pytest.mark.rule("OMR-14")
def test_omr_14_a_party_asks_for_another_mediator_and_the_organisation_decides():
    _clerk, applicant, respondent, org, mediator, case = _mediating(org=True)
    admin = factories.person("org_admin", org=org)
    with pytest.raises(Invalid):
        actions.request_other_mediator(actor=applicant, case=case, reason="  ")
    [first] = actions.request_other_mediator(actor=applicant, case=case, reason="调解员与对方相识")
    with pytest.raises(Conflict):
        actions.request_other_mediator(actor=applicant, case=case, reason="再次申请")
    assert _told(admin, "当事人申请更换调解员")
    with pytest.raises(Forbidden):  # the mediator does not decide about themself
        actions.decide_change_request(actor=mediator.user, request=first, grant=True)
    with pytest.raises(Invalid):  # a refusal gives its reason
        actions.decide_change_request(actor=admin, request=first, grant=False)
    refused = actions.decide_change_request(actor=admin, request=first, grant=False, note="无依据")
    assert refused.state == "refused" and Case.objects.get(pk=case.pk).mediator_id == mediator.pk
    assert _told(applicant, "更换调解员申请未获准许")

    [second] = actions.request_other_mediator(actor=respondent, case=case, reason="调解员偏袒")
    granted = actions.decide_change_request(actor=admin, request=second, grant=True)
    assert granted.state == "granted"
    case.refresh_from_db()
    # The organisation assigns another of its mediators.
    assert case.state == "awaiting_acceptance" and case.mediator is None and case.org_id == org.pk
    with pytest.raises(Conflict):
        actions.decide_change_request(actor=admin, request=second, grant=False, note="x")
    assert MediatorChangeRequest.objects.filter(case=case, state="pending").count() == 0


@pytest.mark.rule("OMR-14", "OMR-21b")
def test_omr_14_refusing_every_mediator_is_refusing_mediation():
    clerk, applicant, _r, _org, mediator, case = _mediating(org=False)
    case = actions.refuse_mediation(actor=applicant, case=case, reason="不接受任何调解员")
    assert case.state == "failed" and case.end_reason == 4
    assert "不接受任何调解员" in case.failure_reasons
    assert _told(clerk, "调解结果通知")
    # The mediator then writes the failure report, as for any failure.
    assert actions.report_missing(case)
    actions.report_failure(
        actor=mediator.user, case=case, course="两次视频调解", reasons="申请人拒绝调解"
    )
    assert not actions.report_missing(Case.objects.get(pk=case.pk))


# OMR 21, 25 (6) and seed §10 ---------------------------------------------------------------


@pytest.mark.rule("OMR-21b", "OMR-25", "SIR-26")
def test_omr_21_an_expired_case_gets_its_failure_report_and_the_court_hears(time_machine):
    clerk, applicant, _r, _org, mediator, case = _mediating(org=False)
    time_machine.move_to(WORKING_MONDAY + timedelta(days=40))
    assert actions.expire_overdue() == [case.pk]
    case.refresh_from_db()
    assert actions.report_missing(case)
    assert _told(clerk, "调解结果通知")
    with pytest.raises(Forbidden):
        actions.report_failure(actor=applicant, case=case, course="x", reasons="y")
    with pytest.raises(Invalid):
        actions.report_failure(actor=mediator.user, case=case, course="", reasons="")
    actions.report_failure(
        actor=mediator.user,
        case=case,
        course="调解三次，双方分歧较大",
        reasons="期限届满未达成协议",
        cost_conduct="被申请人两次无故缺席",
    )
    case.refresh_from_db()
    assert case.failure_course == "调解三次，双方分歧较大" and case.cost_conduct
    with pytest.raises(Conflict):
        actions.report_failure(actor=mediator.user, case=case, course="x", reasons="y")
    page = factories.client_for(clerk).get(reverse("cases:detail", args=[case.pk]))
    assert "被申请人两次无故缺席" in page.content.decode()


@pytest.mark.rule("SIR-26")
def test_notice_10_the_court_is_told_of_a_settlement_too():
    clerk, *_, mediator, case = _mediating(org=False)
    actions.settle(actor=mediator.user, case=case)
    assert _told(clerk, "调解结果通知")


# OMR 24 and the 2024 opinion, OMR 26 -------------------------------------------------------


def _entrusted():
    court = factories.court("北京市海淀区人民法院", code="京0108")
    judge = factories.person("judge", court=court)
    mediator = cf.rostered_mediator(court)
    filed = actions.register_filed_case(
        actor=judge,
        court=court,
        title="甲公司诉乙公司商标侵权纠纷",
        parties=[{"role": "applicant", "name": "甲公司"}, {"role": "respondent", "name": "乙公司"}],
    )
    case = actions.entrust(actor=judge, filed_case=filed, mediator=mediator)
    return judge, mediator, actions.accept(actor=mediator.user, case=case), filed


@pytest.mark.rule("Opinion-2024b", "OMR-24c")
def test_omr_24_an_entrusted_extension_is_the_length_the_parties_agreed():
    _judge, mediator, case, filed = _entrusted()
    parties = list(case.parties.values_list("pk", flat=True))
    before = case.deadline_at
    with pytest.raises(Invalid) as too_long:
        actions.extend(actor=mediator.user, case=case, consenting_parties=parties, days=31)
    assert too_long.value.code == "case.extension_too_long"
    case = actions.extend(actor=mediator.user, case=case, consenting_parties=parties, days=10)
    assert (case.deadline_at - before).days == 10
    # Not counted in the trial period: the filed case's clock is not touched.
    filed.refresh_from_db()
    assert not hasattr(filed, "deadline_at") or filed.deadline_at is None


@pytest.mark.rule("OMR-26")
def test_omr_26_appraisal_pauses_the_period_only_before_filing():
    _judge, mediator, case, _filed = _entrusted()
    with pytest.raises(Conflict) as refused:
        actions.pause(actor=mediator.user, case=case, reason="鉴定")
    assert refused.value.details["precondition"] == "before_filing"
    *_, pre_filing = _mediating(org=False)
    paused = actions.pause(actor=pre_filing.mediator.user, case=pre_filing, reason="鉴定")
    assert paused.state == "paused"


# The half fee (诉讼费用交纳办法 13, 15; RULES §8) -----------------------------------------


@pytest.mark.rule("Fees-15")
@pytest.mark.parametrize(
    ("amount_yuan", "fee_yuan"),
    [
        (5_000, "50.00"),
        (10_000, "50.00"),
        (100_000, "2300.00"),  # 50 + 90,000 × 2.5%
        (150_000, "3300.00"),  # + 50,000 × 2%
        (1_000_000, "13800.00"),
        (30_000_000, "191800.00"),
        (12_345.67, "108.64"),  # 50 + 2,345.67 × 2.5% = 108.64175
    ],
)
def test_fees_15_acceptance_fee_by_the_bands_of_article_13(amount_yuan, fee_yuan):
    from decimal import Decimal

    from sutiao.cases import fees

    fen = int(Decimal(str(amount_yuan)) * 100)
    assert f"{Decimal(fees.acceptance_fee_fen(fen)) / 100:.2f}" == fee_yuan


@pytest.mark.rule("Fees-15")
def test_fees_15_the_case_page_of_an_entrusted_case_shows_the_half_fee():
    judge, mediator, case, _filed = _entrusted()
    Case.objects.filter(pk=case.pk).update(amount_fen=10_000_000)  # 100,000 yuan
    page = factories.client_for(judge).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert 'id="half-fee" data-saved="1,150.00"' in html
    # A claim without an amount: nothing to show.
    Case.objects.filter(pk=case.pk).update(amount_fen=None)
    page = factories.client_for(judge).get(reverse("cases:detail", args=[case.pk]))
    assert 'id="half-fee"' not in page.content.decode()


@pytest.mark.rule("OMR-14")
def test_omr_14_the_request_and_the_decision_go_through_the_case_page():
    _clerk, applicant, _r, org, _m, case = _mediating(org=True)
    admin = factories.person("org_admin", org=org)
    url = reverse("cases:request_change", args=[case.pk])
    empty = factories.client_for(applicant).post(url, {"change-reason": ""})
    assert empty.status_code == 200 and not MediatorChangeRequest.objects.exists()
    factories.client_for(applicant).post(url, {"change-reason": "调解员与对方相识"})
    r = MediatorChangeRequest.objects.get()
    stranger = factories.client_for(factories.person("party"))
    decide = reverse("cases:decide_change", args=[case.pk, r.pk])
    assert stranger.post(decide, {f"decide-{r.pk}-grant": "yes"}).status_code == 404
    page = factories.client_for(admin).get(reverse("cases:detail", args=[case.pk])).content
    assert decide in page.decode()
    factories.client_for(admin).post(decide, {f"decide-{r.pk}-grant": "yes"})
    r.refresh_from_db()
    assert r.state == "granted"
    assert Case.objects.get(pk=case.pk).state == "awaiting_acceptance"


@pytest.mark.rule("OMR-14")
def test_omr_14_over_the_api_a_stranger_gets_404_and_a_party_its_request():
    _clerk, applicant, _r, org, _m, case = _mediating(org=True)
    url = f"/api/v1/cases/{case.pk}/mediator-change-requests"
    stranger = factories.client_for(factories.person("party"))
    assert stranger.post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    party = factories.client_for(applicant)
    bad = party.post(url, {"reason": ""}, content_type="application/json")
    assert bad.status_code == 422 and not MediatorChangeRequest.objects.exists()
    made = party.post(url, {"reason": "调解员与对方相识"}, content_type="application/json")
    assert made.status_code == 201
    [r] = made.json()
    admin = factories.client_for(factories.person("org_admin", org=org))
    decided = admin.post(
        f"{url}/{r['id']}/decision",
        {"grant": False, "note": "无依据"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "refused"


@pytest.mark.rule("OMR-14")
def test_omr_14_refusing_every_mediator_from_the_case_page_ends_mediation():
    _clerk, applicant, *_, case = _mediating(org=False)
    url = reverse("cases:request_change", args=[case.pk])
    factories.client_for(applicant).post(
        url, {"change-reason": "不接受任何调解员", "change-refuse_all": "on"}
    )
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 4
    assert not MediatorChangeRequest.objects.exists()
