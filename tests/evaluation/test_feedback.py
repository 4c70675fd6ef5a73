"""Party feedback and oversight on the performance file: the satisfaction survey sent
through delivery when a case ends, complaints about a mediator, commendations and warnings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sutiao.cases import actions
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.delivery.engine import process_outbox, run_once
from sutiao.delivery.models import InboxItem
from sutiao.evaluation import actions as ev_actions
from sutiao.evaluation import feedback, lifecycle
from sutiao.evaluation.models import Complaint, PerformanceNote, Survey, SurveyAnswer
from sutiao.evaluation.scopes import Scope
from tests import clock, factories
from tests.cases import factories as cf

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]
GOOD = {"fair": 5, "respect": 4, "understood": 3}


def _case(*, end: bool = True):
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    respondent = factories.person("party")
    case = cf.submitted_case(court, respondent_user=respondent)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    if end:
        case = actions.settle(actor=mediator.user, case=case)
    process_outbox(limit=500)
    run_once()
    applicant = case.parties.get(role="applicant").user
    return case, court, clerk, mediator, applicant, respondent


def _file_url(mediator):
    return reverse("evaluation:scope", args=["mediator", mediator.pk])


def test_the_survey_is_sent_through_delivery_to_each_party_once_when_the_case_ends():
    case, *_, applicant, respondent = _case()
    survey = Survey.objects.get(case=case)
    link = reverse("evaluation:survey", args=[case.pk])
    for user in (applicant, respondent):
        items = InboxItem.objects.filter(user=user, body__contains=link)
        assert items.count() == 1, user
    # Handling the case's events again sends nothing more.
    feedback.send_survey(case.pk)
    assert Survey.objects.filter(case=case).count() == 1 and Survey.objects.get() == survey
    assert InboxItem.objects.filter(body__contains=link).count() == 2
    # The notice's link opens: urlized in the inbox item.
    item = InboxItem.objects.get(user=applicant, body__contains=link)
    page = factories.client_for(applicant).get(reverse("delivery:item", args=[item.pk]))
    assert 'href="http' in page.content.decode() and link in page.content.decode()


def test_one_answer_per_party_only_by_that_party_and_nothing_changes_on_a_refusal():
    case, *_, mediator, applicant, respondent = _case()
    feedback.answer_survey(actor=applicant, case_id=case.pk, answers=GOOD, comment="很好")
    with pytest.raises(Conflict) as again:
        feedback.answer_survey(actor=applicant, case_id=case.pk, answers=GOOD)
    assert again.value.code == "survey.answered"
    with pytest.raises(Invalid) as bad:
        feedback.answer_survey(actor=respondent, case_id=case.pk, answers={**GOOD, "fair": 6})
    assert bad.value.code == "survey.bad_answer"
    with pytest.raises(NotFound):
        feedback.answer_survey(actor=mediator.user, case_id=case.pk, answers=GOOD)
    assert SurveyAnswer.objects.count() == 1
    stranger = factories.client_for(factories.person("party"))
    assert stranger.get(reverse("evaluation:survey", args=[case.pk])).status_code == 404
    response = stranger.post(reverse("evaluation:survey", args=[case.pk]), GOOD)
    assert response.status_code == 404 and SurveyAnswer.objects.count() == 1


def test_before_the_case_ends_the_survey_is_refused():
    case, *_, applicant, _r = _case(end=False)
    assert not Survey.objects.filter(case=case).exists()
    with pytest.raises(Conflict) as refused:
        feedback.answer_survey(actor=applicant, case_id=case.pk, answers=GOOD)
    assert refused.value.code == "survey.case_not_ended"
    client = factories.client_for(applicant)
    page = client.get(reverse("evaluation:survey", args=[case.pk]))
    assert 'data-testid="survey-closed"' in page.content.decode()
    response = client.post(reverse("evaluation:survey", args=[case.pk]), GOOD)
    assert (
        response.status_code == 200 and 'data-testid="survey-closed"' in response.content.decode()
    )
    assert SurveyAnswer.objects.count() == 0


def test_answers_are_aggregated_on_the_file_and_the_mediator_never_sees_who_said_what():
    case, *_, mediator, applicant, respondent = _case()
    feedback.answer_survey(actor=applicant, case_id=case.pk, answers=GOOD, comment="秘密评语")
    feedback.answer_survey(
        actor=respondent, case_id=case.pk, answers={"fair": 2, "respect": 2, "understood": 2}
    )
    page = factories.client_for(mediator.user).get(_file_url(mediator)).content.decode()
    assert 'data-testid="survey-count">2<' in page
    assert 'data-testid="survey-fair">3.50<' in page
    assert "秘密评语" not in page
    assert applicant.real_name not in page.split('data-testid="file-survey"')[1]


def test_the_complaint_lifecycle_refused_steps_have_no_button_and_fail_with_a_reason():
    case, court, clerk, mediator, applicant, _r = _case()
    with pytest.raises(Invalid):
        feedback.file_complaint(actor=applicant, case_id=case.pk, reason="  ")
    with pytest.raises(NotFound):
        feedback.file_complaint(actor=factories.person("party"), case_id=case.pk, reason="x")
    complaint = feedback.file_complaint(actor=applicant, case_id=case.pk, reason="调解员迟到")
    url = reverse("evaluation:complaint", args=[complaint.pk])
    listed = factories.client_for(clerk).get(_file_url(mediator)).content.decode()
    assert f'href="{url}"' in listed.split('data-testid="open-complaints"')[1]
    assert (
        'data-testid="step-uphold"' not in factories.client_for(applicant).get(url).content.decode()
    )
    with pytest.raises(Forbidden):
        feedback.decide_complaint(actor=applicant, complaint=complaint, step="uphold", reason="x")
    clerk_client = factories.client_for(clerk)
    page = clerk_client.get(url).content.decode()
    assert 'data-testid="step-uphold"' in page and 'data-testid="step-dismiss"' in page
    response = clerk_client.post(
        reverse("evaluation:complaint_step", args=[complaint.pk, "uphold"]), {"reason": "属实"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "upheld" and complaint.decision == "属实"
    assert not lifecycle.COMPLAINT.available(complaint, {"decider"})
    with pytest.raises(Conflict) as late:
        feedback.decide_complaint(actor=clerk, complaint=complaint, step="dismiss", reason="x")
    assert late.value.code == "complaint.invalid_transition"
    assert 'data-testid="step-dismiss"' not in clerk_client.get(url).content.decode()
    assert Complaint.objects.get().state == "upheld"
    stranger = factories.client_for(factories.person("court_clerk", court=factories.court()))
    assert stranger.get(url).status_code == 404
    page = clerk_client.get(_file_url(mediator)).content.decode()
    assert "<dt>成立</dt><dd>1</dd>" in page  # upheld complaints, counted on the file


def test_commendations_and_warnings_are_recorded_with_reasons_and_shown_on_the_file():
    case, court, clerk, mediator, applicant, _r = _case()
    scope = Scope("mediator", str(mediator.pk), mediator)
    with pytest.raises(NotFound):
        ev_actions.record_note(
            actor=applicant, scope=scope, kind="warning", reason="x", owner=court
        )
    with pytest.raises(Invalid):
        ev_actions.record_note(actor=clerk, scope=scope, kind="warning", reason=" ", owner=court)
    client = factories.client_for(clerk)
    url = reverse("evaluation:note_new", args=["mediator", mediator.pk])
    response = client.post(
        url, {"kind": "commendation", "owner": f"Court:{court.pk}", "reason": "调解成功率高"}
    )
    assert response.status_code == 302
    ev_actions.record_note(actor=clerk, scope=scope, kind="warning", reason="多次迟到", owner=court)
    assert PerformanceNote.objects.count() == 2
    page = factories.client_for(mediator.user).get(_file_url(mediator)).content.decode()
    notes = page.split('data-testid="file-notes"')[1].split("</ul>")[0]
    assert "调解成功率高" in notes and "多次迟到" in notes
    assert (
        factories.client_for(applicant)
        .post(url, {"kind": "warning", "owner": "x", "reason": "y"})
        .status_code
        == 404
    )
    from sutiao.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="performance.note_recorded").count() == 2


def test_the_api_answers_the_survey_once_files_and_decides_complaints_and_shows_the_file():
    case, court, clerk, mediator, applicant, _r = _case()
    party = factories.client_for(applicant)
    url = f"/api/v1/cases/{case.pk}/survey"
    assert party.post(url, GOOD, content_type="application/json").status_code == 201
    again = party.post(url, GOOD, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "survey.answered"
    filed = party.post(
        f"/api/v1/cases/{case.pk}/complaints", {"reason": "态度差"}, content_type="application/json"
    )
    assert filed.status_code == 201 and filed.json()["steps"] == []
    complaint_id = filed.json()["id"]
    staff = factories.client_for(clerk)
    assert staff.get(f"/api/v1/complaints/{complaint_id}").json()["steps"] == ["uphold", "dismiss"]
    decided = staff.post(
        f"/api/v1/complaints/{complaint_id}/dismiss",
        {"reason": "查无实据"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "dismissed"
    body = staff.get(f"/api/v1/performance/mediator/{mediator.pk}").json()
    assert body["survey"]["n"] == 1 and body["survey"]["fair"] == 5
    stranger = factories.client_for(factories.person("court_clerk", court=factories.court()))
    assert stranger.get(f"/api/v1/performance/mediator/{mediator.pk}").status_code == 404
    assert stranger.get(f"/api/v1/complaints/{complaint_id}").status_code == 404
