"""Agreements reached offline (issue 13, hole 1): only the organisation that mediated records
one, or the parties jointly, each with their own account; nobody is attached to a case by a
phone number; a party's record settles nothing until the other party confirms it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from sutiao.agreements import actions
from sutiao.agreements.models import Agreement
from sutiao.audit.models import AuditEntry
from sutiao.cases.models import Case, Party
from sutiao.core.errors import Forbidden
from tests import factories
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _form(org, i_am: str, *, respondent_phone: str = "", applicant_phone: str = "") -> dict:
    return {
        "org": org.pk,
        "title": "张三丰诉李四海商标纠纷（线下）",
        "ip_kind": "trademark",
        "signed_on": dt.date.today().isoformat(),
        "applicant_name": "张三丰",
        "applicant_address": "北京市海淀区中关村大街1号",
        "applicant_phone": applicant_phone,
        "respondent_kind": "natural",
        "respondent_name": "李四海",
        "respondent_phone": respondent_phone,
        "respondent_address": "",
        "i_am": i_am,
        "facts": "李四海在网店使用张三丰的商标。",
        "term-0-kind": "pay",
        "term-0-obligor": "2",
        "term-0-beneficiary": "1",
        "term-0-subject": "赔偿金",
        "term-0-amount": "5000",
        "term-0-due_date": "2030-06-30",
        "scan": SimpleUploadedFile("协议扫描件.pdf", small_pdf("扫描件"), "application/pdf"),
    }


def _counts() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        Agreement.objects.count(),
        AuditEntry.objects.count(),
        Case.objects.filter(state="settled").count(),
    )


@pytest.mark.rule("Notice-10b")
def test_a_party_naming_an_organisation_that_did_not_mediate_is_refused(world):
    elsewhere = factories.org("上海市知识产权调解中心", region="310000")
    before = _counts()
    response = factories.client_for(world.applicant).post(
        "/agreements/offline/", _form(elsewhere, "applicant")
    )
    assert response.status_code == 200
    message = gettext(
        "This organisation has not mediated a case of yours: the organisation "
        "that mediated records the agreement, or name that organisation."
    )
    assert message in response.content.decode()
    assert _counts() == before
    assert Case.objects.get(pk=world.case.pk).state == "mediating"


def test_typing_another_users_phone_attaches_nobody(world):
    stranger = factories.person("party")
    response = factories.client_for(world.org_admin).post(
        "/agreements/offline/",
        _form(
            world.org,
            "staff",
            respondent_phone=stranger.phone,
            applicant_phone=world.applicant.phone,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Agreement.objects.get().case
    assert not case.parties.exclude(user=None).exists()
    assert not Case.objects.filter(parties__user=stranger).exists()
    assert factories.client_for(stranger).get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.rule("Notice-10b")
def test_a_partys_record_is_not_settled_until_the_other_party_confirms(world):
    response = factories.client_for(world.applicant).post(
        "/agreements/offline/",
        _form(world.org, "applicant", respondent_phone=world.respondent.phone),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    case = agreement.case
    assert case.state != "settled" and agreement.state == "draft"
    assert case.parties.get(role="applicant").user == world.applicant
    assert case.parties.get(role="respondent").user is None  # the phone attached nobody
    # The recorder cannot confirm their own record.
    with pytest.raises(Forbidden) as refused:
        actions.confirm_offline(actor=world.applicant, agreement=agreement)
    assert refused.value.code == "case.offline_not_the_other_party"
    # The respondent joins with their own account, then confirms.
    Party.objects.filter(case=case, role="respondent").update(user=world.respondent)
    c = factories.client_for(world.respondent)
    assert 'id="confirm-offline"' in c.get(f"/agreements/case/{case.pk}/").content.decode()
    recorder_page = factories.client_for(world.applicant).get(f"/agreements/case/{case.pk}/")
    assert 'id="confirm-offline"' not in recorder_page.content.decode()
    done = c.post(f"/agreements/{agreement.pk}/confirm-offline/")
    assert done.status_code == 302, done.content.decode()[:2000]
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.state == "signed" and case.state == "settled"
    assert AuditEntry.objects.filter(action="agreement.offline_confirmed").count() == 1


@pytest.mark.rule("Notice-10b")
def test_the_organisation_records_end_to_end(world):
    response = factories.client_for(world.mediator.user).post(
        "/agreements/offline/", _form(world.org, "staff")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    case = agreement.case
    assert agreement.offline and agreement.state == "signed" and agreement.scan_id
    assert case.channel == "offline" and case.state == "settled" and case.org == world.org
    assert case.mediator == world.mediator
    assert AuditEntry.objects.filter(action="case.offline_settlement").count() == 1
