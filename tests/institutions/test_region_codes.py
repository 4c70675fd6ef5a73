"""Region codes must be GB/T 2260 divisions; organisations are kept by the offices of their region."""

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.institutions.models import MediationOrg, Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_reference_regions_cover_every_province_and_prefecture():
    assert Region.objects.filter(level="province").count() == 34
    assert Region.objects.filter(level="prefecture").count() >= 333
    assert Region.objects.get(code="440300").name == "深圳市"
    assert Region.objects.get(code="110108").full_name == "北京市海淀区"


def staff_of(region="110000"):
    office = factories.office(region=region)
    return factories.person("ip_office_staff", ip_office=office)


def org_form(**overrides):
    data = {
        "name": "海淀知识产权调解中心",
        "kind": "protection_centre",
        "region": "110108",
        "uscc": "",
        "fee_note": "",
        "contact_person": "",
        "contact_phone": "",
        "address": "",
        "description": "",
        "ip_kinds": ["patent"],
    }
    data.update(overrides)
    return data


def test_unknown_region_code_is_refused_on_the_page():
    client = factories.client_for(staff_of())
    before = (MediationOrg.objects.count(), AuditEntry.objects.count())
    response = client.post("/institutions/orgs/new/", org_form(region="119999"))
    assert response.status_code == 200
    assert "行政区划代码" in response.content.decode()
    assert (MediationOrg.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.rule("Notice-8a")
def test_office_creates_an_organisation_in_its_region_audited():
    client = factories.client_for(staff_of())
    response = client.post("/institutions/orgs/new/", org_form())
    assert response.status_code == 302
    org = MediationOrg.objects.get(name="海淀知识产权调解中心")
    assert [k.code for k in org.ip_kinds.all()] == ["patent"]
    assert AuditEntry.objects.filter(action="org.created", object_id=str(org.pk)).exists()


def test_api_refuses_bad_region_and_bad_credit_code():
    client = factories.client_for(staff_of())
    payload = {"name": "某调解组织", "kind": "other", "region": "12345", "uscc": "123"}
    response = client.post("/api/v1/orgs", payload, content_type="application/json")
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert "region" in fields and "uscc" in fields


@pytest.mark.rule("Notice-8a")
def test_office_cannot_create_outside_its_region():
    client = factories.client_for(staff_of("110000"))
    response = client.post(
        "/api/v1/orgs",
        {"name": "深圳某调解中心", "kind": "other", "region": "440304"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not MediationOrg.objects.filter(name="深圳某调解中心").exists()


@pytest.mark.rule("Notice-8a")
def test_office_cannot_edit_an_organisation_outside_its_region():
    org = factories.org(region="440304")
    client = factories.client_for(staff_of("110000"))
    assert (
        client.patch(
            f"/api/v1/orgs/{org.pk}", {"name": "改名"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get(f"/institutions/orgs/{org.pk}/edit/").status_code == 403
    org.refresh_from_db()
    assert org.name != "改名"
