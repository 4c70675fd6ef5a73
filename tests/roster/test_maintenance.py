"""Local IP offices maintain the records of their own region and below, nothing else."""

import io

import pytest
from openpyxl import load_workbook

from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.roster import actions, queries
from sutiao.roster.models import Mediator
from tests import factories as f

from . import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def haidian_office():
    bj, bj_office = rf.office_staff(region="110000")
    hd_office = f.office("海淀区知识产权局", region="110108", level="county", parent=bj_office)
    from sutiao.accounts.roles import Role

    return f.person(Role.IP_OFFICE_STAFF, ip_office=hd_office)


@pytest.mark.rule("Notice-8a")
def test_office_edits_a_mediator_of_its_region_and_the_change_is_in_the_history(haidian_office):
    m = rf.mediator("海淀调解员", region="110108")
    actions.save_mediator(
        actor=haidian_office,
        mediator=m,
        data={"technical_fields": "生物医药", "ip_kinds": ["copyright"]},
    )
    m.refresh_from_db()
    assert m.technical_fields == "生物医药"
    entry = queries.history(m).first()
    assert entry.actor_id == haidian_office.pk
    assert entry.action == "mediator.updated"
    assert entry.changes["technical_fields"] == ["通信", "生物医药"]


@pytest.mark.rule("Notice-8a")
def test_office_cannot_edit_outside_its_region(haidian_office):
    outside = rf.mediator("朝阳调解员", region="110105")
    with pytest.raises(NotFound):
        actions.save_mediator(actor=haidian_office, mediator=outside, data={"name": "改名"})
    client = f.client_for(haidian_office)
    assert client.get(f"/roster/manage/mediators/{outside.pk}/").status_code == 404
    response = client.post(
        f"/roster/manage/mediators/{outside.pk}/",
        {"name": "改名", "phone": "13900000000", "region": "110105", "ip_kinds": ["patent"]},
    )
    assert response.status_code == 404
    response = client.patch(
        f"/api/v1/roster/maintained/mediators/{outside.pk}",
        {"name": "改名"},
        content_type="application/json",
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.name == "朝阳调解员"


@pytest.mark.rule("Notice-8a")
def test_office_cannot_edit_a_public_mediator_outside_its_region(haidian_office):
    outside = rf.mediator("朝阳公开调解员", region="110105")
    rf.admitted(outside, f.court(region="110000"))
    client = f.client_for(haidian_office)
    response = client.patch(
        f"/api/v1/roster/maintained/mediators/{outside.pk}",
        {"name": "改名"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(f"/roster/manage/mediators/{outside.pk}/").status_code == 403


@pytest.mark.rule("Notice-8a")
def test_office_cannot_move_a_mediator_out_of_its_region(haidian_office):
    m = rf.mediator(region="110108")
    with pytest.raises(Invalid) as exc:
        actions.save_mediator(actor=haidian_office, mediator=m, data={"region": "110105"})
    assert "region" in exc.value.details["fields"]


@pytest.mark.rule("Notice-8a")
def test_office_cannot_edit_an_org_outside_its_region(haidian_office):
    org = f.org("朝阳调解中心", region="110105")
    client = f.client_for(haidian_office)
    assert client.get(f"/roster/manage/orgs/{org.pk}/").status_code == 403
    response = client.post(
        f"/roster/manage/orgs/{org.pk}/", {"status": "suspended", "reason": "越权"}
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/v1/orgs/{org.pk}", {"name": "改名"}, content_type="application/json"
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.active and org.name == "朝阳调解中心"


def test_office_creates_a_mediator_through_the_page_with_errors_beside_fields(haidian_office):
    client = f.client_for(haidian_office)
    response = client.post(
        "/roster/manage/mediators/new/",
        {
            "name": "新人",
            "id_number": "110108199001011230",
            "phone": "123",
            "region": "110108",
            "ip_kinds": ["patent"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="error"') >= 2  # identity number and phone
    good = rf.mediator_id_number(4242)
    response = client.post(
        "/roster/manage/mediators/new/",
        {
            "name": "新人",
            "id_number": good,
            "phone": "13911112222",
            "region": "110108",
            "ip_kinds": ["patent", "trademark"],
            "qualifications": ["lawyer"],
        },
    )
    assert response.status_code == 302
    m = Mediator.objects.get(name="新人")
    assert m.id_number == good and m.qualifications == ["lawyer"]
    html = client.get(f"/roster/manage/mediators/{m.pk}/").content.decode()
    assert "mediator.created" in html
    assert good not in html and "13911112222" not in client.get("/roster/manage/").content.decode()


def test_suspend_and_reactivate_need_a_reason_and_are_recorded(haidian_office):
    m = rf.mediator(region="110108")
    with pytest.raises(Invalid):
        actions.set_mediator_status(actor=haidian_office, mediator=m, status="suspended", reason="")
    client = f.client_for(haidian_office)
    response = client.post(
        f"/roster/manage/mediators/{m.pk}/", {"status": "suspended", "reason": "投诉核查"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == "suspended" and m.status_reason == "投诉核查"
    actions.set_mediator_status(
        actor=haidian_office, mediator=m, status="active", reason="核查完毕"
    )
    actions_seen = list(queries.history(m).values_list("action", flat=True))
    assert actions_seen[:2] == ["mediator.reactivated", "mediator.suspended"]


def test_org_suspend_and_reactivate(haidian_office):
    org = f.org(region="110108")
    actions.set_org_active(actor=haidian_office, org=org, active=False, reason="整改")
    org.refresh_from_db()
    assert not org.active
    actions.set_org_active(actor=haidian_office, org=org, active=True, reason="整改完成")
    org.refresh_from_db()
    assert org.active


def test_export_lists_only_the_region_and_masks_personal_numbers(haidian_office):
    inside = rf.mediator("区内", region="110108", phone="13977778888")
    rf.mediator("区外", region="110105")
    response = f.client_for(haidian_office).get("/roster/manage/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    names = [r[0] for r in wb["调解员"].iter_rows(min_row=2, values_only=True)]
    assert names == ["区内"]
    cells = " ".join(str(c) for r in wb["调解员"].iter_rows(values_only=True) for c in r)
    assert inside.id_number not in cells and "13977778888" not in cells


@pytest.mark.rule("Notice-8a")
def test_maintenance_list_is_limited_to_the_region(haidian_office):
    rf.mediator("区内甲", region="110108")
    rf.mediator("区外乙", region="110105")
    html = f.client_for(haidian_office).get("/roster/manage/").content.decode()
    assert "区内甲" in html and "区外乙" not in html


@pytest.mark.rule("Notice-8a")
def test_national_office_maintains_everywhere():
    from sutiao.accounts.roles import Role

    office = f.office("国家局", region=None, level="national")
    staff = f.person(Role.IP_OFFICE_STAFF, ip_office=office)
    m = rf.mediator(region="440106")
    actions.save_mediator(actor=staff, mediator=m, data={"languages": "粤语"})


def test_parties_cannot_create_mediators():
    with pytest.raises(Forbidden):
        actions.save_mediator(actor=f.person(), mediator=None, data={"name": "x"})
