"""The public roster (OMR 5): who, what, fees and the inviting court; never ID or phone numbers."""

import json

import pytest

from sutiao.roster import actions
from tests import factories as f

from . import factories as rf

pytestmark = pytest.mark.django_db

PHONE = "13955556666"


@pytest.fixture
def listed():
    court = f.court("北京知识产权法院公开", region="110108")
    org = f.org("公开调解中心", region="110108")
    org.contact_phone = "13944443333"
    org.save()
    m = rf.mediator("公开调解员", orgs=[org], phone=PHONE, charges_fees=True)
    rf.admitted(m, court)
    rf.admitted(org, court)
    hidden = rf.mediator("未入册调解员")
    return court, org, m, hidden


@pytest.mark.rule("OMR-5")
def test_page_shows_the_mediator_with_the_inviting_court_and_no_numbers(client, listed):
    court, org, m, hidden = listed
    html = client.get("/roster/").content.decode()
    assert "公开调解员" in html and court.name in html
    assert "未入册调解员" not in html
    for secret in (m.id_number, m.id_number_masked, PHONE, m.phone_masked):
        assert secret not in html
    html = client.get(f"/roster/mediators/{m.pk}/").content.decode()
    assert court.name in html and "公开调解中心" in html
    for secret in (m.id_number, m.id_number_masked, PHONE, m.phone_masked, m.id_number[:6] + "*"):
        assert secret not in html
    html = client.get("/roster/?show=orgs").content.decode()
    assert "公开调解中心" in html and "13944443333" not in html
    html = client.get(f"/roster/courts/{court.pk}/").content.decode()
    assert "公开调解员" in html and PHONE not in html and m.id_number not in html


@pytest.mark.rule("OMR-5")
def test_a_mediator_not_on_a_roster_has_no_public_page(client, listed):
    *_, hidden = listed
    assert client.get(f"/roster/mediators/{hidden.pk}/").status_code == 404


@pytest.mark.rule("OMR-5")
def test_api_shows_basic_information_and_never_numbers(client, listed):
    court, org, m, _ = listed
    body = client.get("/api/v1/roster/mediators").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "公开调解员"
    assert item["charges_fees"] is True
    assert set(item["expertise"]) == {"patent", "trademark"}
    assert item["inviting_courts"][0]["court"] == court.name
    assert item["organisations"] == ["公开调解中心"]
    text = json.dumps(body, ensure_ascii=False)
    for secret in (m.id_number, m.id_number_masked, PHONE, m.phone_masked, "id_number", "phone"):
        assert secret not in text
    orgs = client.get("/api/v1/roster/orgs").json()
    text = json.dumps(orgs, ensure_ascii=False)
    assert orgs["items"][0]["inviting_courts"][0]["court"] == court.name
    assert "13944443333" not in text and "phone" not in text and "uscc" not in text


@pytest.mark.rule("OMR-5")
def test_openapi_public_schemas_have_no_number_fields(client):
    spec = client.get("/api/v1/openapi.json").json()
    for name in ("PublicMediatorOut", "PublicOrgOut"):
        props = spec["components"]["schemas"][name]["properties"]
        assert not [p for p in props if "phone" in p or "id_number" in p]


@pytest.mark.rule("OMR-5")
def test_filters_by_region_court_expertise_fee_and_name(client, listed):
    court, org, m, _ = listed
    other_court = f.court("另一公开法院", region="110105")
    free = rf.mediator("免费调解员", region="110105", kinds=["copyright"])
    rf.admitted(free, other_court)

    def names(**params):
        return {i["name"] for i in client.get("/api/v1/roster/mediators", params).json()["items"]}

    assert names() == {"公开调解员", "免费调解员"}
    assert names(region="110105") == {"免费调解员"}
    assert names(court=court.pk) == {"公开调解员"}
    assert names(expertise="copyright") == {"免费调解员"}
    assert names(fee="free") == {"免费调解员"}
    assert names(fee="fee") == {"公开调解员"}
    assert names(q="免费") == {"免费调解员"}
    html = client.get("/roster/", {"court": other_court.pk}).content.decode()
    assert "免费调解员" in html and "公开调解员" not in html


@pytest.mark.rule("SIR-28b")
def test_removal_takes_them_off_the_public_roster(client, listed):
    court, org, m, _ = listed
    entry = m.roster_entries.get()
    actions.take_measure(actor=rf.clerk(court), entry=entry, kind="removal", reason="除名")
    assert client.get("/api/v1/roster/mediators").json()["count"] == 0
    assert "公开调解员" not in client.get("/roster/").content.decode()
    assert client.get(f"/roster/mediators/{m.pk}/").status_code == 404


@pytest.mark.rule("OMR-28")
def test_ip_specialty_roster(client, listed):
    court, org, m, _ = listed
    plain = rf.mediator("非知产名册")
    rf.admitted(plain, court, ip_specialty=False)
    html = client.get(f"/roster/courts/{court.pk}/?ip=1").content.decode()
    assert "公开调解员" in html and "非知产名册" not in html
    assert "非知产名册" in client.get(f"/roster/courts/{court.pk}/").content.decode()


@pytest.mark.rule("OMR-5")
def test_the_region_is_searched_by_its_name_as_well_as_its_code(client, listed):
    """People know 海淀区 and 北京, not 110108 (issue 15, item 6): a part of the full name finds
    the region and everything below it; a name no region bears finds nobody."""
    court, org, m, _ = listed
    free = rf.mediator("朝阳调解员", region="110105", kinds=["copyright"])
    rf.admitted(free, f.court("朝阳公开法院", region="110105"))

    def names(region, show="mediators"):
        path = "/api/v1/roster/mediators" if show == "mediators" else "/api/v1/roster/orgs"
        return {i["name"] for i in client.get(path, {"region": region}).json()["items"]}

    assert names("朝阳区") == names("北京市朝阳区") == names("朝阳") == {"朝阳调解员"}
    assert names("海淀") == names("110108") == {"公开调解员"}
    assert names("北京") == names("北京市") == {"公开调解员", "朝阳调解员"}
    assert names("上海市") == set() and names("火星") == set()
    assert names("海淀区", show="orgs") == {"公开调解中心"}
    assert names("朝阳区", show="orgs") == set()
    # The page takes the same words, says what it searched for and shows what OMR 5 asks.
    html = client.get("/roster/", {"region": "海淀区"}).content.decode()
    assert "公开调解员" in html and "朝阳调解员" not in html
    assert 'value="海淀区"' in html and '<label for="f-region">地区</label>' in html
    html = client.get("/roster/", {"region": "北京市海淀区", "show": "orgs"}).content.decode()
    assert "公开调解中心" in html and court.name in html
    assert "免费" in html or "收费" in html  # fee or free stated
