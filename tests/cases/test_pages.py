"""The case pages: who sees which case, which buttons, and what a refused step looks like."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sutiao.cases import actions
from sutiao.cases.models import Case, CaseFile, FiledCase
from tests import factories
from tests.cases import factories as cf
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def client_en(user):
    client = factories.client_for(user)
    client.cookies["django_language"] = "en"
    return client


def detail(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def step_url(case, name: str) -> str:
    return reverse("cases:step", args=[case.pk, name])


def case_ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-case="(\d+)"', response.content.decode())}


@pytest.fixture
def court():
    return factories.court("北京知识产权法院", code="京73")


@pytest.fixture
def clerk(court):
    return factories.person("court_clerk", court=court)


@pytest.fixture
def mediator(court):
    return cf.rostered_mediator(court)


@pytest.fixture
def with_file(media):
    """A submitted case of `court` with one evidence file of its applicant."""

    def make(court):
        case = cf.submitted_case(court, respondent_user=factories.person("party"))
        party = case.parties.get(role="applicant")
        f = actions.add_file(
            actor=party.user,
            case=case,
            upload=SimpleUploadedFile("证据.pdf", small_pdf(), "application/pdf"),
        )
        return case, party.user, f

    return make


# Lists ---------------------------------------------------------------------------------


def test_each_list_shows_only_the_users_cases(court, clerk, mediator):
    other_court = factories.court("外地法院", code="沪73")
    mine = cf.submitted_case(court)
    theirs = cf.submitted_case(other_court)
    applicant = mine.parties.get(role="applicant").user

    assert case_ids(client_en(applicant).get(reverse("cases:mine"))) == {mine.pk}
    assert case_ids(client_en(clerk).get(reverse("cases:queue"))) == {mine.pk}
    other_clerk = factories.person("court_clerk", court=other_court)
    assert case_ids(client_en(other_clerk).get(reverse("cases:queue"))) == {theirs.pk}

    actions.delegate(actor=clerk, case=mine, mediator=mediator)
    assert case_ids(client_en(mediator.user).get(reverse("cases:assigned"))) == {mine.pk}
    stranger = cf.rostered_mediator(court, name="另一调解员")
    assert case_ids(client_en(stranger.user).get(reverse("cases:assigned"))) == set()

    org = cf.rostered_org(court)
    org_admin = factories.person("org_admin", org=org)
    direct = cf.submitted_case(org=org)
    assert case_ids(client_en(org_admin).get(reverse("cases:incoming"))) == {direct.pk}

    judge = factories.person("judge", court=court)
    filed = actions.register_filed_case(
        actor=judge, court=court, title="丙诉丁", parties=[{"role": "applicant", "name": "丙"}]
    )
    entrusted = actions.entrust(actor=judge, filed_case=filed, mediator=mediator)
    assert case_ids(client_en(judge).get(reverse("cases:entrusted"))) == {entrusted.pk}


def test_a_role_may_not_open_another_roles_list(court, clerk):
    party = factories.person("party")
    assert client_en(party).get(reverse("cases:queue")).status_code == 404
    assert client_en(clerk).get(reverse("cases:list")).status_code == 200


def test_lists_filter_by_state_and_search_and_page_by_cursor(court, clerk, mediator):
    cases = [cf.submitted_case(court) for _ in range(27)]
    actions.delegate(actor=clerk, case=cases[0], mediator=mediator)
    client = client_en(clerk)

    first = client.get(reverse("cases:queue"))
    shown = case_ids(first)
    assert len(shown) == 25 and cases[-1].pk in shown
    more = re.search(r'class="more" href="([^"]+)"', first.content.decode()).group(1)
    rest = case_ids(client.get(reverse("cases:queue") + more.replace("&amp;", "&")))
    assert rest == {c.pk for c in cases} - shown

    waiting = case_ids(client.get(reverse("cases:queue"), {"state": "awaiting_acceptance"}))
    assert waiting == {cases[0].pk}
    assert len(case_ids(client.get(reverse("cases:queue"), {"state": "open"}))) == 25
    number = Case.objects.get(pk=cases[0].pk).number
    assert case_ids(client.get(reverse("cases:queue"), {"q": number})) == {cases[0].pk}


def test_lists_show_the_countdown(court, clerk):
    cf.submitted_case(court)
    body = client_en(clerk).get(reverse("cases:queue")).content.decode()
    assert 'class="countdown' in body and "Court assigns a mediator" in body


# Who may see a case --------------------------------------------------------------------


@pytest.mark.rule("SIR-2")
def test_strangers_get_404_on_the_case_page_and_the_file(court, clerk, mediator, with_file):
    case, applicant, f = with_file(court)
    actions.delegate(actor=clerk, case=case, mediator=mediator)
    download = reverse("cases:download", args=[case.pk, f.pk])
    strangers = [
        cf.rostered_mediator(court, name="别的调解员").user,
        factories.person("party"),
        factories.person("court_clerk", court=factories.court("外院", code="沪73")),
        factories.person("org_admin", org=factories.org()),
    ]
    for stranger in strangers:
        client = client_en(stranger)
        assert client.get(detail(case)).status_code == 404
        assert client.get(download).status_code == 404
        assert client.post(step_url(case, "accept")).status_code == 404
    # The same file under another case's id is not found either.
    other, *_ = with_file(court)
    assert (
        client_en(applicant).get(reverse("cases:download", args=[other.pk, f.pk])).status_code
        == 404
    )


def test_the_people_of_the_case_download_the_stored_bytes(court, clerk, mediator, with_file):
    case, applicant, f = with_file(court)
    actions.delegate(actor=clerk, case=case, mediator=mediator)
    stored = f.file.open("rb").read()
    for user in (applicant, clerk, mediator.user):
        response = client_en(user).get(reverse("cases:download", args=[case.pk, f.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")


def test_anonymous_visitors_are_sent_to_log_in(court, with_file):
    case, _user, f = with_file(court)
    from django.test import Client

    for url in (detail(case), reverse("cases:download", args=[case.pk, f.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_is_seen_by_its_applicant_only(court, clerk):
    applicant = factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="草稿",
        court=court,
        applicant=actions.PartyIn(role="applicant", name="甲"),
        respondents=[actions.PartyIn(role="respondent", name="乙")],
    )
    assert client_en(applicant).get(detail(case)).status_code == 200
    assert client_en(clerk).get(detail(case)).status_code == 404


# Buttons -------------------------------------------------------------------------------


def test_a_party_does_not_see_the_buttons_of_the_court(court, clerk, mediator):
    case = cf.submitted_case(court)
    applicant = case.parties.get(role="applicant").user
    party_page = client_en(applicant).get(detail(case)).content.decode()
    assert 'id="step-withdraw"' in party_page
    for name in ("delegate", "entrust", "file_case", "accept", "assign"):
        assert f'id="step-{name}"' not in party_page
    clerk_page = client_en(clerk).get(detail(case)).content.decode()
    assert 'id="step-delegate"' in clerk_page and 'id="step-withdraw"' not in clerk_page
    # The clerk chooses among the organisations and mediators the court may use.
    assert f'value="mediator:{mediator.pk}"' in clerk_page
    outsider = cf.rostered_mediator(factories.court("别院", code="津73"), name="外院调解员")
    assert f'value="mediator:{outsider.pk}"' not in clerk_page


@pytest.mark.rule("SIR-2")
def test_identity_numbers_and_phones_are_masked(court, clerk):
    case = cf.submitted_case(court)
    party = case.parties.get(role="applicant")
    page = client_en(clerk).get(detail(case)).content.decode()
    assert party.id_number_masked in page and "*" in party.id_number_masked
    assert "13800138000" not in page and party.phone_masked in page


def test_a_step_the_table_forbids_shows_the_conflict_and_changes_nothing(court, clerk, mediator):
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    before = Case.objects.get(pk=case.pk)
    client = client_en(mediator.user)

    response = client.post(step_url(case, "settle"), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "msg error" in body and "is not possible while the case is" in body
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.deadline_at, after.end_reason) == (
        before.state,
        before.deadline_at,
        before.end_reason,
    )

    # A party posting the court's step is told it is not theirs; nothing moves either.
    waiting = cf.submitted_case(court)
    applicant = waiting.parties.get(role="applicant").user
    response = client_en(applicant).post(
        step_url(waiting, "delegate"), {"delegate-target": f"mediator:{mediator.pk}"}, follow=True
    )
    assert "You are not allowed to do this." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "submitted" and waiting.mediator is None and waiting.number == ""


def test_accepting_twice_is_a_conflict_message_not_a_crash(court, clerk, mediator):
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    client = client_en(mediator.user)
    assert client.post(step_url(case, "accept")).status_code == 302
    response = client.post(step_url(case, "accept"), follow=True)
    assert response.status_code == 200
    assert "is not possible while the case is" in response.content.decode()


def test_step_input_errors_are_shown_beside_the_field(court, clerk, mediator):
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    response = client_en(mediator.user).post(step_url(case, "decline"), {"decline-reason": " "})
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<details id="step-decline" open>.*?class="error"', body, re.S)
    assert Case.objects.get(pk=case.pk).state == "awaiting_acceptance"


@pytest.mark.rule("SIR-11a", "OMR-17", "OLR-7", "OMR-22", "OMR-24c", "OMR-21b", "OMR-25", "SIR-21a")
def test_the_clerk_delegates_and_the_mediator_works_the_case_through_pages(court, clerk, mediator):
    case = cf.submitted_case(court, respondent_user=factories.person("party"))
    client = client_en(clerk)
    response = client.post(
        step_url(case, "delegate"), {"delegate-target": f"mediator:{mediator.pk}"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "awaiting_acceptance" and case.mediator == mediator

    m = client_en(mediator.user)
    m.post(step_url(case, "accept"))
    page = m.get(detail(case)).content.decode()
    assert 'id="countdown"' in page and "30 days" in page
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    m.post(
        reverse("cases:identity_check", args=[case.pk]),
        {
            "identity-party": applicant.pk,
            "identity-session_date": "2026-06-03",
            "identity-method": "id_document",
        },
    )
    m.post(
        reverse("cases:transcript", args=[case.pk]),
        {
            "transcript-session_date": "2026-06-03",
            "transcript-text": "双方陈述",
            "transcript-undisputed_facts": "销售属实",
        },
    )
    m.post(
        step_url(case, "extend"),
        {"extend-consenting_parties": [applicant.pk, respondent.pk], "extend-days": 15},
    )
    case.refresh_from_db()
    assert case.extended and case.identity_checks.count() == 1 and case.transcripts.count() == 1

    # The applicant confirms the record; the mediator ends with reason 5 and its report.
    a = client_en(applicant.user)
    transcript = case.transcripts.get()
    a.post(reverse("cases:confirm_transcript", args=[case.pk, transcript.pk]))
    assert transcript.confirmations.filter(party=applicant).exists()
    response = m.post(
        step_url(case, "end"),
        {
            "end-reason": 5,
            "end-course": "两次调解",
            "end-reasons": "分歧过大",
            "end-cost_conduct": "",
            "end-notes_for_court": "建议立案",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 5

    response = client.post(step_url(case, "file_case"))
    filed = FiledCase.objects.get(origin=case)
    assert response["Location"] == reverse("cases:filed", args=[filed.pk])


# Application ---------------------------------------------------------------------------


def apply_data(court, **extra):
    data = {
        "court": court.pk,
        "org": "",
        "title": "甲公司诉乙公司专利侵权纠纷",
        "ip_kind": "patent",
        "right_number": "ZL201910000000.1",
        "claims": "停止侵权，赔偿损失",
        "amount": "12345.67",
        "description": "乙公司制造销售侵权产品。",
        "applicant_kind": "natural",
        "applicant_name": "张三",
        "applicant_id": factories.id_number(),
        "applicant_phone": "13800138000",
        "respondent_kind": "legal",
        "respondent_name": "乙公司",
        "respondent_id": "91110108MA01ABCDEN",
        "respondent_phone": "",
        "consents_online": "on",
        "notice_acknowledged": "on",
        "consents_e_service": "on",
        "service_email": "zhang@example.com",
        "service_phone": "",
    }
    data.update(extra)
    return data


@pytest.mark.rule("OMR-4", "OMR-8")
def test_a_party_applies_and_submits_through_the_form(court, media):
    party = factories.person("party")
    data = apply_data(court, submit="1")
    data["evidence"] = [
        SimpleUploadedFile("证据一.pdf", small_pdf("1"), "application/pdf"),
        SimpleUploadedFile("说明.txt", "侵权事实".encode(), "text/plain"),
    ]
    response = client_en(party).post(reverse("cases:apply"), data)
    case = Case.objects.get(created_by=party)
    assert response["Location"] == detail(case)
    assert case.state == "submitted" and case.amount_fen == 1_234_567
    assert case.ip_kind_id == "patent" and case.court == court
    applicant = case.parties.get(role="applicant")
    assert applicant.user == party and applicant.consents_online and applicant.consents_e_service
    assert case.parties.get(role="respondent").uscc == "91110108MA01ABCDEN"
    assert set(case.files.values_list("name", flat=True)) == {"说明.txt", "证据一.pdf"}


@pytest.mark.rule("OMR-4")
def test_an_application_saved_as_a_draft_is_resumed_and_submitted(court, media):
    party = factories.person("party")
    data = apply_data(
        court, save="1", consents_online="", notice_acknowledged="", consents_e_service=""
    )
    client = client_en(party)
    client.post(reverse("cases:apply"), data)
    case = Case.objects.get(created_by=party)
    assert case.state == "draft"
    assert "草稿" not in case.title  # nothing invented
    page = client.get(reverse("cases:apply")).content.decode()
    assert detail(case) in page  # the draft is offered to resume

    # Submitting before consent is refused with the reason; the draft stays.
    response = client.post(step_url(case, "submit"), follow=True)
    assert "must consent" in response.content.decode()
    applicant = case.parties.get(role="applicant")
    client.post(
        reverse("cases:consent", args=[case.pk, applicant.pk]),
        {
            f"consent-{applicant.pk}-consents_online": "on",
            f"consent-{applicant.pk}-notice_acknowledged": "on",
            f"consent-{applicant.pk}-consents_e_service": "on",
            f"consent-{applicant.pk}-service_email": "zhang@example.com",
        },
    )
    client.post(
        reverse("cases:upload", args=[case.pk]),
        {
            "kind": "evidence",
            "files": [SimpleUploadedFile("a.pdf", small_pdf(), "application/pdf")],
        },
    )
    client.post(step_url(case, "submit"))
    case.refresh_from_db()
    assert case.state == "submitted" and case.files.count() == 1


@pytest.mark.rule("OMR-8")
def test_application_errors_are_shown_beside_the_fields_and_nothing_is_saved(court, media):
    party = factories.person("party")
    data = apply_data(
        court,
        submit="1",
        applicant_id="110101199001011234",
        respondent_id="911101080000000000",
        service_phone="12345",
    )
    response = client_en(party).post(reverse("cases:apply"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "applicant_id" in form.errors and "respondent_id" in form.errors
    assert not Case.objects.filter(created_by=party).exists()

    # Neither a court nor an organisation: the message sits by the court field.
    response = client_en(party).post(reverse("cases:apply"), {**apply_data(court), "court": ""})
    assert "court" in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_agent_applies_with_a_power_of_attorney(court, media):
    agent = factories.person("party")
    data = apply_data(court, submit="1", as_agent="on")
    data["power_of_attorney"] = SimpleUploadedFile("委托书.pdf", small_pdf(), "application/pdf")
    client_en(agent).post(reverse("cases:apply"), data)
    case = Case.objects.get(created_by=agent)
    applicant = case.parties.get(role="applicant")
    assert applicant.agent == agent and applicant.user is None
    assert case.state == "submitted"
    assert case.files.get().kind == CaseFile.Kind.POWER_OF_ATTORNEY


def test_a_refused_file_is_a_message_and_the_rest_is_kept(court, media):
    party = factories.person("party")
    data = apply_data(court, submit="1")
    data["evidence"] = [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"),
        SimpleUploadedFile("ok.pdf", small_pdf(), "application/pdf"),
    ]
    response = client_en(party).post(reverse("cases:apply"), data, follow=True)
    body = response.content.decode()
    assert "virus.exe was not added" in body
    case = Case.objects.get(created_by=party)
    assert case.state == "draft"  # not submitted while a file was refused
    assert list(case.files.values_list("name", flat=True)) == ["ok.pdf"]


def test_a_file_over_the_limit_is_a_413_message(court, media, settings):
    settings.MAX_FILE_MB = 1
    case = cf.submitted_case(court)
    party = case.parties.get(role="applicant").user
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), "text/plain")
    response = client_en(party).post(
        reverse("cases:upload", args=[case.pk]), {"kind": "evidence", "files": [big]}, follow=True
    )
    assert "big.txt was not added: The file is larger than 1 MB." in response.content.decode()
    assert not case.files.exists()


# Messages, disclosure ------------------------------------------------------------------


@pytest.mark.rule("OMR-18a")
def test_caucus_messages_reach_their_party_and_the_mediator_only(court, clerk, mediator):
    respondent_user = factories.person("party")
    case = cf.submitted_case(court, respondent_user=respondent_user)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    applicant = case.parties.get(role="applicant")
    m = client_en(mediator.user)
    m.post(reverse("cases:message", args=[case.pk]), {"body": "各位好", "thread": ""})
    m.post(
        reverse("cases:message", args=[case.pk]), {"body": "私下谈谈底线", "thread": applicant.pk}
    )
    applicant_page = client_en(applicant.user).get(detail(case)).content.decode()
    respondent_page = client_en(respondent_user).get(detail(case)).content.decode()
    assert "各位好" in applicant_page and "私下谈谈底线" in applicant_page
    assert "各位好" in respondent_page and "私下谈谈底线" not in respondent_page


@pytest.mark.rule("OMR-13")
def test_parties_answer_the_mediators_disclosure(court, clerk, mediator):
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    client_en(mediator.user).post(
        reverse("cases:disclose", args=[case.pk]), {"disclosure-statement": "曾为甲公司提供咨询"}
    )
    disclosure = case.disclosures.get()
    applicant = case.parties.get(role="applicant").user
    client = client_en(applicant)
    assert "I ask for another mediator" in client.get(detail(case)).content.decode()
    client.post(
        reverse("cases:answer_disclosure", args=[case.pk, disclosure.pk]), {"consents": "no"}
    )
    assert disclosure.answers.get().consents is False
    response = client.post(
        reverse("cases:answer_disclosure", args=[case.pk, disclosure.pk]),
        {"consents": "yes"},
        follow=True,
    )
    assert "answered already" in response.content.decode()


# The court's docket --------------------------------------------------------------------


@pytest.mark.rule("SIR-11b", "OMR-24b")
def test_a_judge_registers_and_entrusts_and_the_page_shows_7_days(court):
    judge = factories.person("judge", court=court)
    org = cf.rostered_org(court)
    client = client_en(judge)
    response = client.post(
        reverse("cases:register_filed"),
        {
            "register-court": court.pk,
            "register-title": "丙诉丁著作权纠纷",
            "register-procedure": "simple",
            "register-applicant_name": "丙",
            "register-respondent_name": "丁",
        },
    )
    filed = FiledCase.objects.get()
    assert response["Location"] == reverse("cases:filed", args=[filed.pk])
    assert 'id="entrust-form"' in client.get(response["Location"]).content.decode()
    response = client.post(
        reverse("cases:entrust"),
        {
            "entrust-filed_case": filed.pk,
            "entrust-procedure": "",
            "entrust-target": f"org:{org.pk}",
            "back": "filed",
        },
    )
    case = Case.objects.get(filed_case=filed)
    assert response["Location"] == detail(case)
    page = client.get(detail(case)).content.decode()
    assert re.search(r'id="period" data-days="7">7 days from acceptance', page)


@pytest.mark.rule("OMR-12")
def test_a_declined_entrusted_case_is_entrusted_again(court, mediator):
    judge = factories.person("judge", court=court)
    filed = actions.register_filed_case(
        actor=judge, court=court, title="戊诉己", parties=[{"role": "applicant", "name": "戊"}]
    )
    case = actions.entrust(actor=judge, filed_case=filed, mediator=mediator)
    number = case.number
    actions.decline(actor=mediator.user, case=case, reason="利害关系")
    other = cf.rostered_mediator(court, name="第二调解员")
    client = client_en(judge)
    assert 'id="step-entrust"' in client.get(detail(case)).content.decode()
    client.post(step_url(case, "entrust"), {"entrust-target": f"mediator:{other.pk}"})
    case.refresh_from_db()
    assert case.state == "awaiting_acceptance" and case.mediator == other
    assert case.number == number and Case.objects.filter(filed_case=filed).count() == 1


def test_the_filed_case_page_is_for_its_court_only(court, clerk, mediator, with_file):
    case, applicant, f = with_file(court)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    actions.record_transcript(
        actor=mediator.user, case=case, session_date="2026-06-03", text="第一次调解记录"
    )
    case = actions.end(
        actor=mediator.user,
        case=case,
        reason=5,
        course="视频调解两次",
        reasons="数额分歧",
        cost_conduct="拖延提交证据",
        notes_for_court="尽快审理",
    )
    filed = actions.file_case(actor=clerk, case=case)
    url = reverse("cases:filed", args=[filed.pk])

    page = client_en(clerk).get(url).content.decode()
    for shown in (
        filed.number,
        "证据.pdf",
        "第一次调解记录",
        "视频调解两次",
        "数额分歧",
        "拖延提交证据",
        "尽快审理",
        "乙公司",
        reverse("cases:download", args=[case.pk, f.pk]),
    ):
        assert shown in page
    judge = factories.person("judge", court=court)
    assert client_en(judge).get(url).status_code == 200
    for stranger in (
        applicant,
        mediator.user,
        factories.person("court_clerk", court=factories.court("外院", code="沪73")),
    ):
        assert client_en(stranger).get(url).status_code == 404


def test_the_pages_are_in_chinese_by_default(court, clerk):
    case = cf.submitted_case(court)
    page = factories.client_for(clerk).get(detail(case)).content.decode()
    assert "待指派" in page or "等待指派" in page  # State "Awaiting assignment"
    assert "时间线" in page


@pytest.mark.rule("OMR-21a")
def test_a_failed_direct_case_is_pushed_to_a_court_from_the_page():
    org = factories.org()
    org_admin = factories.person("org_admin", org=org)
    mediator = cf.rostered_mediator(factories.court(), org=org, name="直接调解员")
    case = cf.submitted_case(org=org)
    client = client_en(org_admin)
    assert 'id="step-accept"' not in client.get(detail(case)).content.decode()
    client.post(step_url(case, "assign"), {"assign-mediator": mediator.pk})
    client.post(step_url(case, "accept"))
    client_en(mediator.user).post(
        step_url(case, "end"),
        {"end-reason": 4, "end-course": "一次", "end-reasons": "被申请人拒绝继续"},
    )
    court = factories.court("受理法院", code="京0108")
    page = client.get(detail(case)).content.decode()
    assert 'id="step-push_to_court"' in page
    client.post(step_url(case, "push_to_court"), {"push_to_court-court": court.pk})
    case.refresh_from_db()
    assert case.state == "failed" and case.court == court
    clerk = factories.person("court_clerk", court=court)
    assert 'id="step-file_case"' in client_en(clerk).get(detail(case)).content.decode()


@pytest.mark.rule("OMR-26")
def test_the_mediator_pauses_for_appraisal_and_resumes(court, clerk, mediator):
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    client = client_en(mediator.user)
    client.post(step_url(case, "accept"))
    client.post(step_url(case, "pause"), {"pause-reason": "委托专利技术鉴定"})
    case.refresh_from_db()
    assert case.state == "paused"
    page = client.get(detail(case)).content.decode()
    assert 'id="step-resume"' in page and 'id="step-settle"' not in page
    client.post(step_url(case, "resume"))
    case.refresh_from_db()
    assert case.state == "mediating"


def test_the_applicant_withdraws(court):
    case = cf.submitted_case(court)
    client = client_en(case.parties.get(role="applicant").user)
    client.post(step_url(case, "withdraw"), {"withdraw-reason": "已和解"})
    case.refresh_from_db()
    assert case.state == "withdrawn"
    assert 'id="step-withdraw"' not in client.get(detail(case)).content.decode()


def test_register_errors_stay_beside_the_fields(court):
    judge = factories.person("judge", court=court)
    response = client_en(judge).post(
        reverse("cases:register_filed"), {"register-court": court.pk, "register-title": ""}
    )
    assert response.status_code == 200
    assert "title" in response.context["register_form"].errors
    assert not FiledCase.objects.exists()


def test_only_judges_register_and_entrust(court, clerk):
    assert client_en(clerk).post(reverse("cases:register_filed"), {}).status_code == 404
    assert (
        client_en(factories.person("party")).post(reverse("cases:entrust"), {}).status_code == 404
    )
