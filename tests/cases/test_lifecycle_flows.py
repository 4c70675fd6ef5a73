"""The case travels party → court → rostered mediator → outcome → back to the court."""

from datetime import UTC, datetime

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.models import Case, CaseEvent, FiledCase
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.models import OutboxEvent
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

# A Tuesday in 2026, far from holidays.
T0 = datetime(2026, 6, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def court():
    return factories.court("北京知识产权法院", code="京73")


@pytest.fixture
def clerk(court):
    return factories.person("court_clerk", court=court)


@pytest.mark.rule(
    "SIR-11a", "OMR-10b", "OMR-24d", "OMR-24a", "OMR-21b", "OMR-25", "SIR-21a", "SIR-26"
)
def test_delegated_case_fails_and_is_filed_with_its_materials(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = cf.submitted_case(court, respondent_user=factories.person("party"))
    assert case.state == "submitted" and case.clock == "assign_mediator"
    case = actions.delegate(actor=clerk, case=case, mediator=mediator, at=T0)
    assert case.state == "awaiting_acceptance"
    assert case.number == "（2026）京73民诉前调1号"
    case = actions.accept(actor=mediator.user, case=case, at=T0)
    assert case.state == "mediating" and case.clock == "mediation_delegated"
    # 30 days from 2026-06-02 → 2026-07-02 (a Thursday), end of that day in Shanghai.
    assert case.deadline_at.isoformat() == "2026-07-02T15:59:59.999999+00:00"
    actions.record_transcript(
        actor=mediator.user,
        case=case,
        session_date=T0.date(),
        text="双方陈述意见",
        undisputed_facts="乙公司销售了商品",
    )
    case = actions.end(
        actor=mediator.user,
        case=case,
        reason=5,
        course="两次视频调解",
        reasons="赔偿数额分歧过大",
        cost_conduct="无",
        notes_for_court="建议尽快立案",
    )
    assert case.state == "failed" and case.end_reason == 5
    filed = actions.file_case(actor=clerk, case=case)
    assert filed.number == "（2026）京73民初1号"
    assert filed.origin == case
    case.refresh_from_db()
    assert case.state == "filed"
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[:3] == ["created", "consent", "submit"]
    assert {"delegate", "accept", "transcript", "end", "file_case", "filed_as"} <= set(kinds)


@pytest.mark.rule("SIR-11b", "OMR-24b", "OMR-25")
def test_entrusted_simple_procedure_has_a_7_day_period_and_org_assigns(court):
    judge = factories.person("judge", court=court)
    org = cf.rostered_org(court)
    org_admin = factories.person("org_admin", org=org)
    mediator = cf.rostered_mediator(court, org=org, name="组织调解员")
    filed = actions.register_filed_case(
        actor=judge,
        court=court,
        title="丙诉丁著作权纠纷",
        procedure="simple",
        parties=[{"role": "applicant", "name": "丙"}, {"role": "respondent", "name": "丁"}],
    )
    case = actions.entrust(actor=judge, filed_case=filed, org=org, at=T0)
    assert case.channel == "entrusted" and case.number == "（2026）京73民诉中调1号"
    case = actions.assign(actor=org_admin, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case, at=T0)
    assert case.clock == "mediation_entrusted_simple"
    assert case.deadline_at.date().isoformat() == "2026-06-09"
    case = actions.settle(actor=mediator.user, case=case)
    assert case.state == "settled" and case.end_reason == 1


@pytest.mark.rule("OMR-12", "OMR-29b")
def test_declines_need_a_reason_and_are_counted(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    with pytest.raises(Invalid):
        actions.decline(actor=mediator.user, case=case, reason=" ")
    case = actions.decline(actor=mediator.user, case=case, reason="与当事人存在利害关系")
    assert case.state == "submitted" and case.mediator is None
    event = CaseEvent.objects.get(case=case, kind="decline")
    assert event.data["declined_mediator"] == mediator.pk


@pytest.mark.rule("SIR-11a")
def test_only_rostered_mediators_receive_a_courts_cases(court, clerk):
    stranger = cf.rostered_mediator(factories.court("别的法院"))
    case = cf.submitted_case(court)
    with pytest.raises(Conflict) as err:
        actions.delegate(actor=clerk, case=case, mediator=stranger)
    assert err.value.code == "case.not_on_roster"
    case.refresh_from_db()
    assert case.state == "submitted" and case.number == ""


@pytest.mark.rule("SIR-5")
def test_a_lower_court_uses_its_higher_courts_roster():
    high = factories.court("高级法院", level="high")
    low = factories.court("中级法院", parent=high)
    mediator = cf.rostered_mediator(high)
    case = actions.delegate(
        actor=factories.person("court_clerk", court=low),
        case=cf.submitted_case(low),
        mediator=mediator,
    )
    assert case.mediator == mediator


def test_an_illegal_transition_is_a_conflict_with_the_reason(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = cf.submitted_case(court)
    # The mediator is not on the case yet: to them it does not exist.
    with pytest.raises(NotFound):
        actions.accept(actor=mediator.user, case=case)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    with pytest.raises(Conflict) as err:
        actions.accept(actor=mediator.user, case=case)
    assert err.value.code == "case.invalid_transition"
    assert "调解中" in str(err.value.message) or "Mediating" in str(err.value.message)


def test_strangers_cannot_act(court, clerk):
    case = cf.submitted_case(court)
    other_clerk = factories.person("court_clerk", court=factories.court("外院"))
    with pytest.raises(NotFound):
        actions.delegate(actor=other_clerk, case=case, mediator=cf.rostered_mediator(court))
    party = case.parties.get(role="applicant").user
    with pytest.raises(Forbidden):
        actions.delegate(actor=party, case=case, mediator=cf.rostered_mediator(court, name="乙"))


@pytest.mark.rule("OMR-24c")
def test_extension_needs_every_party_and_moves_the_deadline(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case, at=T0)
    parties = list(case.parties.values_list("pk", flat=True))
    with pytest.raises(Conflict):
        actions.extend(actor=mediator.user, case=case, consenting_parties=parties[:1], days=15)
    case = actions.extend(actor=mediator.user, case=case, consenting_parties=parties, days=15)
    assert case.deadline_at.date().isoformat() == "2026-07-17"
    with pytest.raises(Conflict):
        actions.extend(actor=mediator.user, case=case, consenting_parties=parties, days=15)


@pytest.mark.rule("OMR-26", "CPL-85")
def test_pause_for_appraisal_is_not_counted(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case, at=T0)
    case = actions.pause(
        actor=mediator.user, case=case, reason="委托鉴定", at=datetime(2026, 6, 10, 2, tzinfo=UTC)
    )
    case = actions.resume(actor=mediator.user, case=case, at=datetime(2026, 6, 20, 2, tzinfo=UTC))
    # 10 days later: 2026-07-12 is a Sunday, so the period ends on Monday (CPL 85).
    assert case.deadline_at.date().isoformat() == "2026-07-13"


@pytest.mark.rule("OMR-25", "OMR-24a")
def test_expired_mediations_end_with_reason_6(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case, at=T0)
    assert actions.expire_overdue(now=datetime(2026, 7, 2, 12, tzinfo=UTC)) == []
    assert actions.expire_overdue(now=datetime(2026, 7, 3, 1, tzinfo=UTC)) == [case.pk]
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 6
    assert AuditEntry.objects.filter(action="case.expire", actor_label="system").exists()


@pytest.mark.rule("SIR-21b")
def test_failed_entrusted_case_returns_to_trial(court):
    judge = factories.person("judge", court=court)
    mediator = cf.rostered_mediator(court)
    filed = actions.register_filed_case(
        actor=judge,
        court=court,
        title="戊诉己专利纠纷",
        parties=[{"role": "applicant", "name": "戊"}],
    )
    case = actions.entrust(actor=judge, filed_case=filed, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    case = actions.end(actor=mediator.user, case=case, reason=4, course="一次", reasons="拒绝")
    with pytest.raises(Conflict):
        actions.file_case(actor=factories.person("court_clerk", court=court), case=case)
    case = actions.resume_trial(actor=judge, case=case)
    assert case.state == "trial_resumed"
    assert not FiledCase.objects.filter(origin=case).exists()


@pytest.mark.rule("Notice-10a", "OMR-21a")
def test_direct_application_goes_to_the_org_and_can_be_pushed_to_a_court():
    org = factories.org()
    org_admin = factories.person("org_admin", org=org)
    mediator = cf.rostered_mediator(factories.court(), org=org, name="直接调解员")
    case = cf.submitted_case(org=org)
    assert case.state == "awaiting_acceptance" and case.number.startswith("（")
    case = actions.assign(actor=org_admin, case=case, mediator=mediator)
    case = actions.accept(actor=org_admin, case=case)
    case = actions.end(actor=mediator.user, case=case, reason=5, course="调解", reasons="分歧")
    court = factories.court("受理法院")
    case = actions.push_to_court(actor=org_admin, case=case, court=court)
    filed = actions.file_case(actor=factories.person("court_clerk", court=court), case=case)
    assert filed.court == court


def test_every_transition_is_audited_and_emits_an_event(court, clerk):
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    actions.accept(actor=mediator.user, case=case)
    for name in ("submit", "delegate", "accept"):
        assert AuditEntry.objects.filter(action=f"case.{name}", object_id=str(case.pk)).exists()
        assert OutboxEvent.objects.filter(topic=f"case.{name}", payload__case=case.pk).exists()


def test_case_numbers_count_per_court_and_year(court, clerk):
    mediator = cf.rostered_mediator(court)
    numbers = [
        actions.delegate(
            actor=clerk, case=cf.submitted_case(court), mediator=mediator, at=T0
        ).number
        for _ in range(3)
    ]
    assert numbers == [f"（2026）京73民诉前调{i}号" for i in (1, 2, 3)]
    assert Case.objects.filter(number__startswith="（2026）京73民诉前调").count() == 3
