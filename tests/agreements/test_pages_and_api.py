"""The agreement pages and API: only those with business in the case see them, errors sit
beside their fields, only allowed buttons show, a refusal ends mediation with reason 7, one-time
codes expire and lock, and an agreement reached offline is recorded with its scan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.agreements import actions, otp
from sutiao.agreements.models import Agreement, OneTimeCode
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict, Invalid
from tests import factories
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

from . import factories as af

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.mark.rule("SIR-2")
def test_a_stranger_gets_404_and_a_party_sees_no_draft(world, client):
    url = f"/agreements/case/{world.case.pk}/"
    assert factories.client_for(factories.person("party")).get(url).status_code == 404
    af.draft(world)
    body = factories.client_for(world.applicant).get(url).content.decode()
    assert 'id="terms"' not in body and 'id="draft"' not in body
    body = factories.client_for(world.mediator_user).get(url).content.decode()
    assert 'id="terms"' in body and 'id="open-form"' in body


def test_drafting_errors_sit_beside_their_fields(world):
    c = factories.client_for(world.mediator_user)
    response = c.post(
        f"/agreements/case/{world.case.pk}/draft/",
        {"facts": "", "term-0-kind": "pay", "term-0-amount": "-5", "then": "preview"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'class="field has-error"' in body
    assert not Agreement.objects.exists()


@pytest.mark.rule("OMR-25")
def test_the_page_flow_of_a_refusal_ends_mediation_with_reason_7(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    c = factories.client_for(world.respondent)
    page = c.get(f"/agreements/case/{world.case.pk}/").content.decode()
    assert 'id="refuse"' in page and 'id="code-form"' in page
    response = c.post(f"/agreements/{agreement.pk}/refuse/", {"reason": "赔偿数额过高"})
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.state == "failed" and case.end_reason == 7
    assert Agreement.objects.get(pk=agreement.pk).state == "refused"
    assert agreement.refusals.get().reason == "赔偿数额过高"


@pytest.mark.rule("ESL-13")
def test_one_time_codes_are_checked_counted_and_expire(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    actions.request_code(actor=world.applicant, agreement=agreement, channel="sms")
    with pytest.raises(Conflict):  # again at once
        actions.request_code(actor=world.applicant, agreement=agreement, channel="sms")
    row = OneTimeCode.objects.get(user=world.applicant)
    assert len(row.code_hash) == 64 and af.code_for(world.applicant) not in row.code_hash
    for _ in range(otp.MAX_ATTEMPTS):
        with pytest.raises(Invalid):
            actions.sign(
                actor=world.applicant,
                agreement=agreement,
                code="999999" if af.code_for(world.applicant) != "999999" else "888888",
            )
    with pytest.raises(Invalid) as locked:  # even the right code, once locked
        actions.sign(actor=world.applicant, agreement=agreement, code=af.code_for(world.applicant))
    assert locked.value.code == "otp.locked"
    OneTimeCode.objects.all().update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    actions.request_code(actor=world.applicant, agreement=agreement, channel="sms")
    OneTimeCode.objects.filter(used_at__isnull=True).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    with pytest.raises(Invalid) as expired:
        actions.sign(actor=world.applicant, agreement=agreement, code=af.code_for(world.applicant))
    assert expired.value.code == "otp.none"
    assert not agreement.signatures.exists()


@pytest.mark.rule("OMR-19a")
def test_the_mediator_signs_only_after_the_parties(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    assert actions.due_for(world.mediator_user, agreement) == []
    with pytest.raises(Conflict):
        actions.request_code(actor=world.mediator_user, agreement=agreement, channel="sms")


def test_the_api_drafts_opens_and_signs(world):
    c = factories.client_for(world.mediator_user)
    applicant = world.case.parties.get(role="applicant").pk
    respondent = world.case.parties.get(role="respondent").pk
    response = c.post(
        f"/api/v1/cases/{world.case.pk}/agreement",
        {
            "facts": af.FACTS,
            "terms": [
                {
                    "kind": "pay",
                    "obligor": respondent,
                    "beneficiary": applicant,
                    "subject": "赔偿款",
                    "amount_fen": 1_000_000,
                    "due_date": "2030-01-31",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and "人民币10,000.00元" in data["terms"][0]
    assert data["warnings"] == []
    opened = c.post(f"/api/v1/agreements/{data['id']}/open").json()
    assert opened["state"] == "signing" and opened["verify_code"]
    a = factories.client_for(world.applicant)
    assert (
        a.post(
            f"/api/v1/agreements/{data['id']}/code",
            {"channel": "sms"},
            content_type="application/json",
        ).status_code
        == 202
    )
    signed = a.post(
        f"/api/v1/agreements/{data['id']}/sign",
        {"code": af.code_for(world.applicant)},
        content_type="application/json",
    )
    assert signed.status_code == 200
    assert signed.json()["signatures"][0]["signed"] is True
    again = a.post(
        f"/api/v1/agreements/{data['id']}/sign", {"code": "123456"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "agreement.nothing_to_sign"


@pytest.mark.rule("Notice-10b")
def test_an_agreement_reached_offline_is_recorded_with_its_scan(db, media):
    from tests.agreements.conftest import seed_templates

    seed_templates()
    org = factories.org("广州市知识产权人民调解委员会", region="440106")
    staff = factories.person("org_admin", org=org)
    other = factories.person("party")
    c = factories.client_for(staff)
    response = c.post(
        "/agreements/offline/",
        {
            "org": org.pk,
            "title": "丙诉丁著作权纠纷",
            "ip_kind": "copyright",
            "signed_on": dt.date.today().isoformat(),
            "applicant_name": "丙",
            "applicant_address": "广东省广州市天河区体育西路1号",
            "applicant_phone": "",
            "respondent_kind": "natural",
            "respondent_name": "丁",
            "respondent_phone": other.phone,
            "respondent_address": "",
            "i_am": "staff",
            "facts": "丁在网站上传丙的作品。",
            "term-0-kind": "pay",
            "term-0-obligor": "2",
            "term-0-beneficiary": "1",
            "term-0-subject": "许可使用费",
            "term-0-amount": "5000",
            "term-0-due_date": "2030-06-30",
            "scan": SimpleUploadedFile("协议扫描件.pdf", small_pdf("扫描件"), "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get()
    assert agreement.offline and agreement.state == "signed" and agreement.scan_id
    case = agreement.case
    assert case.channel == "offline" and case.state == "settled" and case.org == org
    # The phone typed attaches nobody: the respondent joins with their own account.
    assert case.parties.get(role="respondent").user is None and other.pk
    pay = agreement.terms.get()
    assert pay.data["obligor"] == case.parties.get(role="respondent").pk
