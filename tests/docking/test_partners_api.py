"""Partners call /api/docking/v1 with OAuth 2.0 client credentials: scopes per partner, a
partner sees only what it sent, every call audited with the partner as actor."""

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import Case, Party
from sutiao.docking.models import Submission

from .conftest import Partner, application, register, token

pytestmark = pytest.mark.django_db


def test_a_wrong_secret_gets_no_token(client):
    reg = register("广东知识产权保护中心平台")
    reg.client_secret = "not-it"
    assert token(client, reg).status_code == 401


def test_a_partner_cannot_ask_for_a_scope_it_was_not_given(client):
    reg = register("只读平台", scopes=["events:read"])
    assert token(client, reg, scope="applications:write").status_code == 400
    answer = token(client, reg)
    assert answer.status_code == 200
    assert answer.json()["scope"] == "events:read"


def test_an_application_becomes_a_case_with_its_parties_and_a_receipt(client, org):
    reg = register("广东知识产权保护中心平台")
    partner = Partner(client, reg)
    answer = partner.post("/applications", application(org=org))
    assert answer.status_code == 202, answer.content
    body = answer.json()
    case = Case.objects.get(pk=body["case"])
    assert case.org == org and case.title == "商标侵权纠纷" and case.amount_fen == 1_000_000
    parties = sorted(case.parties.values_list("role", "name"))
    assert parties == [("applicant", "甲公司"), ("respondent", "乙公司")]
    assert Party.objects.get(case=case, role="applicant").agent == reg.partner.user
    sub = Submission.objects.get(receipt=body["receipt"])
    assert (sub.partner, sub.external_ref, sub.case) == (reg.partner, "GD-2026-0001", case)
    assert body["status_url"] == "/api/docking/v1/applications/GD-2026-0001"
    calls = AuditEntry.objects.filter(action="docking.call", actor=reg.partner.user)
    assert [c.changes["status"] for c in calls] == [202]
    assert AuditEntry.objects.filter(
        action="docking.application_received", actor=reg.partner.user
    ).exists()


def test_no_token_is_401(client):
    answer = client.get("/api/docking/v1/events")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


def test_without_the_write_scope_submitting_is_403_and_creates_nothing(client, org):
    partner = Partner(client, register("只读平台", scopes=["applications:read", "events:read"]))
    answer = partner.post("/applications", application(org=org))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "docking.scope_missing"
    assert not Case.objects.exists()


def test_without_the_read_scope_the_status_is_403(client, org):
    writer = Partner(client, register("只写平台", scopes=["applications:write"]))
    assert writer.post("/applications", application(org=org)).status_code == 202
    answer = writer.get("/applications/GD-2026-0001")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "docking.scope_missing"


def test_without_the_events_scope_the_feed_is_403(client):
    partner = Partner(client, register("申请平台", scopes=["applications:write"]))
    assert partner.get("/events").status_code == 403


def test_the_status_by_reference_and_another_partners_reference_is_404(client, org):
    a = Partner(client, register("平台甲"))
    b = Partner(client, register("平台乙"))
    assert a.post("/applications", application(org=org)).status_code == 202
    mine = a.get("/applications/GD-2026-0001")
    assert mine.status_code == 200
    assert mine.json()["state"] == "draft" and mine.json()["reference"] == "GD-2026-0001"
    assert b.get("/applications/GD-2026-0001").status_code == 404
    assert b.get("/applications/nothing-like-it").status_code == 404


def test_an_unknown_institution_is_422_and_creates_nothing(client, org):
    partner = Partner(client, register("平台甲"))
    answer = partner.post("/applications", application(org=org, org_id=999_999))
    assert answer.status_code == 422
    assert "org_id" in answer.json()["error"]["details"]["fields"]
    assert not Case.objects.exists()
