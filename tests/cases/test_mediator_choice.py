"""OMR 9–10: the parties may jointly choose a mediator from the competent court's roster
within 2 working days; a mediator the competent court cannot use is refused."""

from datetime import UTC, datetime

import pytest

from sutiao.cases import actions
from sutiao.core.errors import Conflict, Invalid
from tests import factories
from tests.cases import factories as cf

pytestmark = pytest.mark.django_db

# Submitted on Wednesday 2026-09-30, just before the National Day holiday: the two working
# days are 2026-10-08 and 2026-10-09 (10-01…10-07 are off).
SUBMITTED = datetime(2026, 9, 30, 2, tzinfo=UTC)


@pytest.fixture
def setup():
    court = factories.court("甲院")
    clerk = factories.person("court_clerk", court=court)
    applicant, respondent = factories.person("party"), factories.person("party")
    case = cf.submitted_case(court, applicant=applicant, respondent_user=respondent)
    type(case).objects.filter(pk=case.pk).update(submitted_at=SUBMITTED)
    case.refresh_from_db()
    return case, court, clerk, applicant, respondent


@pytest.mark.rule("OMR-10a")
def test_a_joint_choice_binds_the_court(setup):
    case, court, clerk, applicant, respondent = setup
    chosen = cf.rostered_mediator(court, name="共同选定")
    other = cf.rostered_mediator(court, name="另一位")
    at = datetime(2026, 10, 9, 8, tzinfo=UTC)
    actions.choose_mediator(actor=applicant, case=case, mediator=chosen, at=at)
    assert actions.joint_choice(case) is None  # one party so far
    actions.choose_mediator(actor=respondent, case=case, mediator=chosen, at=at)
    assert actions.joint_choice(case) == chosen
    with pytest.raises(Conflict) as err:
        actions.delegate(actor=clerk, case=case, mediator=other)
    assert err.value.code == "case.joint_choice"
    case = actions.delegate(actor=clerk, case=case, mediator=chosen)
    assert case.mediator == chosen


@pytest.mark.rule("OMR-10a")
def test_different_choices_leave_it_to_the_court(setup):
    case, court, clerk, applicant, respondent = setup
    a, b = cf.rostered_mediator(court, name="甲"), cf.rostered_mediator(court, name="乙")
    at = datetime(2026, 10, 8, 3, tzinfo=UTC)
    actions.choose_mediator(actor=applicant, case=case, mediator=a, at=at)
    actions.choose_mediator(actor=respondent, case=case, mediator=b, at=at)
    assert actions.joint_choice(case) is None
    assert actions.delegate(actor=clerk, case=case, mediator=b).mediator == b


@pytest.mark.rule("OMR-10a")
def test_choosing_after_two_working_days_is_refused(setup):
    case, court, _, applicant, _ = setup
    m = cf.rostered_mediator(court)
    assert actions.choice_deadline(case).isoformat() == "2026-10-09T15:59:59.999999+00:00"
    with pytest.raises(Conflict) as err:
        actions.choose_mediator(
            actor=applicant, case=case, mediator=m, at=datetime(2026, 10, 10, 1, tzinfo=UTC)
        )
    assert err.value.code == "case.choice_too_late"


@pytest.mark.rule("OMR-9")
def test_a_mediator_without_an_invitation_from_the_competent_court_is_refused(setup):
    case, _, _, applicant, _ = setup
    elsewhere = cf.rostered_mediator(factories.court("无管辖的法院"), name="外院调解员")
    with pytest.raises(Invalid) as err:
        actions.choose_mediator(
            actor=applicant, case=case, mediator=elsewhere, at=datetime(2026, 10, 8, 3, tzinfo=UTC)
        )
    assert err.value.code == "case.not_on_roster"
    assert not case.mediator_choices.exists()


def test_api_choice_and_strangers(setup):
    case, court, _, applicant, _ = setup
    m = cf.rostered_mediator(court)
    type(case).objects.filter(pk=case.pk).update(submitted_at=datetime.now(UTC))
    ok = factories.client_for(applicant).post(
        f"/api/v1/cases/{case.pk}/mediator-choice",
        {"mediator_id": m.pk},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    stranger = factories.client_for(factories.person("party"))
    assert (
        stranger.post(
            f"/api/v1/cases/{case.pk}/mediator-choice",
            {"mediator_id": m.pk},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_draft_is_edited_before_submission_and_not_after():
    court = factories.court()
    applicant = factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="草稿",
        court=court,
        applicant=actions.PartyIn(role="applicant", name="申请人"),
        respondents=[actions.PartyIn(role="respondent", name="被申请人")],
    )
    client = factories.client_for(applicant)
    response = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"title": "甲诉乙专利侵权纠纷", "ip_kind": "patent", "amount_fen": 500000},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.title, case.ip_kind_id, case.amount_fen) == (
        "甲诉乙专利侵权纠纷",
        "patent",
        500000,
    )
    bad = client.patch(
        f"/api/v1/cases/{case.pk}",
        {"title": " ", "ip_kind": "nonsense"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["details"]["fields"]) == {"title", "ip_kind"}
    case.refresh_from_db()
    assert case.title == "甲诉乙专利侵权纠纷"
    other = factories.client_for(factories.person("party"))
    assert (
        other.patch(
            f"/api/v1/cases/{case.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_pages_offer_the_choice_and_the_draft_form():
    court = factories.court()
    applicant = factories.person("party")
    m = cf.rostered_mediator(court, name="名册调解员")
    draft = actions.apply_for_mediation(
        actor=applicant,
        title="草稿",
        court=court,
        applicant=actions.PartyIn(role="applicant", name="申请人"),
        respondents=[actions.PartyIn(role="respondent", name="被申请人")],
    )
    client = factories.client_for(applicant)
    assert "edit-draft" in client.get(f"/cases/{draft.pk}/").content.decode()
    response = client.post(
        f"/cases/{draft.pk}/draft/",
        {"title": "改过的名称", "ip_kind": "patent", "amount_yuan": "12.50"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.amount_fen) == ("改过的名称", 1250)
    case = cf.submitted_case(court, applicant=applicant)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "mediator-choice" in page and "名册调解员" in page
    assert client.post(f"/cases/{case.pk}/mediator-choice/", {"mediator": m.pk}).status_code == 302
    assert case.mediator_choices.get().mediator == m
