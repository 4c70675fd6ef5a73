"""Every party takes part (issue 11, items 1–3): the other side is invited through delivery
with an expiring one-time link and joins only with a verified identity (never by a phone
number), consents with the notice of rights and duties, and until every party has consented
no session, draft or signature starts; a refusal, or no answer within 3 working days of
acceptance, ends the case and its materials go back to the court."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from sutiao.cases import actions
from sutiao.cases.actions import PartyIn
from sutiao.cases.actions.invitations import link_token
from sutiao.cases.models import Case, PartyInvitation
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.delivery import engine
from sutiao.delivery.models import SmsRecord
from sutiao.workdays import periods
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]

RESPONDENT_PHONE = "13912345678"
RESPONDENT_EMAIL = "lisi@example.com"


@pytest.fixture
def mailbox(settings, tmp_path) -> Path:
    """E-mail goes to delivery's local backend: .eml files in $DATA_DIR/mail."""
    settings.DATA_DIR = tmp_path
    settings.DELIVERY_EMAIL_BACKEND = "file"
    return tmp_path / "mail"


@pytest.fixture
def court():
    return factories.court("北京知识产权法院", code="京73")


def applied(court, *, respondent_id: str = "") -> Case:
    """A company's application naming a respondent who has no account, submitted."""
    applicant = factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="甲公司诉李四专利侵权纠纷",
        court=court,
        ip_kind="patent",
        applicant=PartyIn(role="applicant", name="甲公司", kind="legal", uscc="91110108MA01ABCDEN"),
        respondents=[
            PartyIn(
                role="respondent",
                name="李四",
                id_number=respondent_id,
                phone=RESPONDENT_PHONE,
                email=RESPONDENT_EMAIL,
            )
        ],
    )
    cf.consent(case, applicant, case.parties.get(role="applicant"))
    return actions.submit(actor=applicant, case=case)


def invitation_of(case: Case) -> PartyInvitation:
    return PartyInvitation.objects.filter(party__case=case, party__role="respondent").latest(
        "created_at", "id"
    )


def accepted(case: Case, court) -> Case:
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    return actions.accept(actor=mediator.user, case=case)


@pytest.mark.rule("OMR-15")
def test_omr_15_the_submission_invites_the_respondent_by_sms_and_email(court, mailbox, settings):
    settings.SITE_URL = "https://sutiao.example.gov.cn:9443"  # item 6: never a fixed :8000
    case = applied(court)
    engine.run_once()
    inv = invitation_of(case)
    link = settings.SITE_URL + reverse("cases:invitation", args=[link_token(inv)])
    sms = SmsRecord.objects.get(to=RESPONDENT_PHONE)
    assert link in sms.text and "甲公司诉李四专利侵权纠纷" in sms.text
    (eml,) = mailbox.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == RESPONDENT_EMAIL and "调解邀请" in message["Subject"]
    assert link in message.get_content()
    assert inv.channels == ["sms", "email"] and inv.expires_at > inv.created_at
    # Only a hash and a ciphertext of the token are stored.
    assert link_token(inv) not in (inv.token_hash, inv.token_cipher)


def test_a_phone_number_alone_links_nobody(court):
    """李四 has an account with the phone number the applicant gave: he still does not see
    the case until he opens the invitation."""
    lisi = factories.person("party")
    lisi.phone = RESPONDENT_PHONE
    lisi.save(update_fields=["phone"])
    case = applied(court)
    assert case.parties.get(role="respondent").user is None
    assert (
        factories.client_for(lisi).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    )
    cf.join(case, lisi)
    assert (
        factories.client_for(lisi).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    )


def test_the_link_joins_a_verified_person_once_and_expires(court, time_machine):
    case = applied(court)
    token = link_token(invitation_of(case))
    unverified = factories.person("party", verified=False)
    with pytest.raises(Conflict) as refused:
        actions.accept_invitation(actor=unverified, token=token)
    assert refused.value.code == "account.identity_not_verified"
    assert case.parties.get(role="respondent").user is None

    lisi = factories.person("party")
    party = actions.accept_invitation(actor=lisi, token=token)
    assert party.user == lisi
    with pytest.raises(NotFound):  # used once
        actions.accept_invitation(actor=factories.person("party"), token=token)

    other = applied(court)
    late = link_token(invitation_of(other))
    time_machine.shift(timedelta(days=16))  # INVITATION_VALID_DAYS = 15
    with pytest.raises(NotFound):
        actions.accept_invitation(actor=factories.person("party"), token=late)
    assert Client().get(reverse("cases:invitation", args=[late])).status_code == 404


def test_a_verified_person_with_another_identity_number_cannot_join(court):
    case = applied(court, respondent_id=factories.id_number(901))
    stranger = factories.person("party")  # verified, with another number
    with pytest.raises(Conflict) as refused:
        actions.accept_invitation(actor=stranger, token=link_token(invitation_of(case)))
    assert refused.value.code == "case.invitation_other_person"
    assert case.parties.get(role="respondent").user is None


def test_the_invitation_page_sends_a_stranger_to_register_then_verify(court):
    case = applied(court)
    url = reverse("cases:invitation", args=[link_token(invitation_of(case))])
    page = Client().get(url).content.decode()
    assert 'id="invitation-register"' in page and "next=" in page
    unverified = factories.person("party", verified=False)
    page = factories.client_for(unverified).get(url).content.decode()
    assert 'id="invitation-verify"' in page and 'id="invitation-join"' not in page
    lisi = factories.person("party")
    response = factories.client_for(lisi).post(url)
    respondent = case.parties.get(role="respondent")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/cases/{case.pk}/#consent-{respondent.pk}"
    )
    assert respondent.user == lisi


@pytest.mark.rule("SIR-14")
def test_sir_14_consent_records_the_notice_acknowledgement(court):
    case = applied(court)
    lisi = factories.person("party")
    party = cf.join(case, lisi)
    with pytest.raises(Invalid) as refused:
        actions.give_consent(actor=lisi, case=case, party=party, online=True, e_service=False)
    assert refused.value.code == "case.notice_not_acknowledged"
    party.refresh_from_db()
    assert party.consent_at is None
    page = factories.client_for(lisi).get(reverse("cases:detail", args=[case.pk])).content
    assert 'data-testid="rights-notice"' in page.decode()
    actions.give_consent(
        actor=lisi, case=case, party=party, online=True, e_service=False, notice_acknowledged=True
    )
    party.refresh_from_db()
    assert party.has_consented and party.notice_acknowledged_at is not None
    assert not party.consents_e_service  # refused: served on paper
    assert case.events.filter(kind="consent", data__notice_acknowledged=True).exists()


@pytest.mark.rule("OLR-7")
def test_olr_7_consent_needs_a_verified_identity_and_the_page_sends_there_first(court):
    case = applied(court)
    person = factories.person("party", verified=False)
    party = cf.join(case, factories.person("party"))
    case.parties.filter(pk=party.pk).update(user=person)  # as if joined before verifying
    with pytest.raises(Conflict) as refused:
        cf.consent(case, person, case.parties.get(pk=party.pk))
    assert refused.value.code == "account.identity_not_verified"
    client = factories.client_for(person)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="verify-first"' in page
    response = client.post(reverse("cases:consent", args=[case.pk, party.pk]), {})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")


# --- consent before sessions, drafts and signatures (OMR 4, 8; SIR 11) ---------------------


@pytest.mark.rule("OMR-4")
def test_omr_4_a_party_that_has_not_consented_blocks_sessions(court):
    case = accepted(applied(court), court)
    cf.join(case, factories.person("party"))  # on the case, not consented
    mediator = case.mediator.user
    with pytest.raises(Conflict) as refused:
        actions.record_transcript(
            actor=mediator, case=case, session_date=WORKING_MONDAY.date(), text="第一次调解"
        )
    assert refused.value.details["precondition"] == "parties_consented"
    page = factories.client_for(mediator).get(reverse("cases:detail", args=[case.pk])).content
    assert 'id="record-session"' not in page.decode() and 'id="session-waits"' in page.decode()
    assert case.transcripts.count() == 0


@pytest.mark.rule("OMR-4")
def test_omr_4_a_party_that_has_not_consented_blocks_agreement_drafts(court):
    from sutiao.agreements import actions as agreements
    from sutiao.agreements.actions import DraftIn
    from tests.agreements import factories as af

    case = accepted(applied(court), court)
    mediator = case.mediator.user
    with pytest.raises(Conflict) as refused:
        agreements.draft(
            actor=mediator,
            case=case,
            data=DraftIn(facts="事实", terms=af.standard_terms(case)),
        )
    assert refused.value.details["precondition"] == "parties_consented"
    page = factories.client_for(mediator).get(reverse("agreements:case", args=[case.pk]))
    body = page.content.decode()
    assert 'id="waiting-for-consent"' in body and 'id="draft"' not in body
    assert not case.agreements.exists()


@pytest.mark.rule("OMR-8")
def test_omr_8_a_party_that_has_not_consented_blocks_signing():
    from sutiao.agreements import actions as agreements
    from sutiao.agreements.models import Agreement
    from tests.agreements import factories as af

    world = af.mediating_case()
    agreement = af.draft(world)
    page_url = reverse("agreements:case", args=[world.case.pk])
    world.case.parties.filter(role="respondent").update(notice_acknowledged_at=None)
    with pytest.raises(Conflict) as refused:
        agreements.open_for_signing(actor=world.mediator_user, agreement=agreement)
    assert refused.value.code == "agreement.parties_not_consented"
    assert (
        'id="open-form"'
        not in factories.client_for(world.mediator_user).get(page_url).content.decode()
    )

    world.case.parties.filter(role="respondent").update(notice_acknowledged_at=WORKING_MONDAY)
    agreement = agreements.open_for_signing(actor=world.mediator_user, agreement=agreement)
    assert 'id="sign-form"' in factories.client_for(world.applicant).get(page_url).content.decode()
    world.case.parties.filter(role="respondent").update(notice_acknowledged_at=None)
    assert (
        'id="sign-form"' not in factories.client_for(world.applicant).get(page_url).content.decode()
    )
    with pytest.raises(Conflict) as refused:
        af.sign_as(world.applicant, agreement, channel="email")
    assert refused.value.code == "agreement.parties_not_consented"
    assert not Agreement.objects.get(pk=agreement.pk).signatures.exists()


# --- a refusal, or no answer, ends the case (OMR 15) -----------------------------------------


@pytest.mark.rule("OMR-15")
def test_omr_15_a_respondent_who_refuses_ends_the_case_and_the_materials_go_back(court):
    case = accepted(applied(court), court)
    lisi = factories.person("party")
    party = cf.join(case, lisi)
    response = factories.client_for(lisi).post(
        reverse("cases:consent", args=[case.pk, party.pk]),
        {f"consent-{party.pk}-notice_acknowledged": "on", "refuse": "1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 4 and case.clock == ""
    assert "李四" in case.failure_reasons
    clerk = case.court.memberships.get(role="court_clerk").user
    filed = actions.file_case(actor=clerk, case=case)  # the court files it: materials returned
    assert filed.origin == case
    assert case.events.filter(kind="refuse_mediation").exists()


@pytest.mark.rule("OMR-15")
def test_omr_15_no_answer_within_3_working_days_ends_the_case(court, time_machine):
    case = accepted(applied(court), court)
    inv = invitation_of(case)
    expected = periods.end_of_day(periods.add_working_days(WORKING_MONDAY.date(), 3))
    assert inv.clock == "reach_other_side" and inv.deadline_at == expected
    mediator = case.mediator.user
    page = factories.client_for(mediator).get(reverse("cases:detail", args=[case.pk]))
    body = page.content.decode()
    assert 'id="consents"' in body and 'class="omr15"' in body
    assert f'data-deadline="{expected.astimezone(periods.SHANGHAI):%Y-%m-%d}"' in body

    time_machine.shift(timedelta(days=2))
    assert actions.end_unanswered() == []
    time_machine.move_to(expected + timedelta(hours=1))
    assert actions.end_unanswered() == [case.pk]
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 3
    assert "第十五条" in case.failure_reasons  # OMR 15, in the language of the case (Chinese)
    assert case.events.filter(kind="unanswered").exists()
    assert actions.end_unanswered() == []  # once
    clerk = case.court.memberships.get(role="court_clerk").user
    assert actions.file_case(actor=clerk, case=case).origin == case  # the materials go back


@pytest.mark.rule("OMR-15")
def test_omr_15_a_respondent_who_consents_in_time_stops_the_clock(court, time_machine):
    case = accepted(applied(court), court)
    lisi = factories.person("party")
    cf.consent(case, lisi, cf.join(case, lisi))
    assert invitation_of(case).deadline_at is None
    time_machine.shift(timedelta(days=10))
    assert actions.end_unanswered() == []
    assert Case.objects.get(pk=case.pk).state == "mediating"


@pytest.mark.rule("OMR-15")
def test_omr_15_the_mediator_sends_the_invitation_again_and_the_deadline_stays(court):
    case = accepted(applied(court), court)
    first = invitation_of(case)
    old_token, deadline = link_token(first), first.deadline_at
    party = case.parties.get(role="respondent")
    applicant = case.parties.get(role="applicant").user
    with pytest.raises(Forbidden):  # the applicant sees the case, but does not reach out
        actions.reach_out(actor=applicant, case=case, party=party)
    response = factories.client_for(case.mediator.user).post(
        reverse("cases:reach_out", args=[case.pk, party.pk])
    )
    assert response.status_code == 302
    again = invitation_of(case)
    assert again.pk != first.pk and again.deadline_at == deadline
    with pytest.raises(NotFound):  # the earlier link stops working
        actions.invitation_for(old_token)
    lisi = factories.person("party")
    assert actions.accept_invitation(actor=lisi, token=link_token(again)).user == lisi


@pytest.mark.rule("OMR-15")
def test_omr_15_a_refusal_over_the_api_ends_the_case(court):
    case = accepted(applied(court), court)
    lisi = factories.person("party")
    party = cf.join(case, lisi)
    response = factories.client_for(lisi).post(
        f"/api/v1/cases/{case.pk}/consent",
        {"party_id": party.pk, "online": False, "e_service": False, "refuses_mediation": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).state == "failed"
