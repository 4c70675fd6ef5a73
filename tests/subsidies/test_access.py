"""Only the scheme's own office sees its schemes and sheets; a mediator sees their own
lines of approved sheets and nothing of anyone else's; the API says the same."""

import datetime as dt

import pytest

from sutiao.cases.choices import State
from sutiao.subsidies import actions, sheets
from tests import factories as f

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-29")]


def _approved(w: b.World):
    b.case(w.m1, w.org, state=State.SETTLED, day=dt.date(2026, 6, 3), kind="patent")
    b.case(w.m2, w.org, state=State.SETTLED, day=dt.date(2026, 6, 4))
    scheme = actions.create_scheme(actor=w.preparer, name="方案", owner=w.office, terms=b.terms(w))
    sheet = sheets.prepare_sheet(
        actor=w.preparer, scheme=scheme, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30)
    )
    return scheme, sheet


def test_another_office_and_a_mediator_get_404_for_the_offices_scheme_and_sheet():
    w = b.world()
    scheme, sheet = _approved(w)
    stranger = f.person("ip_office_staff", ip_office=f.office(region="310000"))
    urls = [
        f"/subsidies/schemes/{scheme.pk}/",
        f"/subsidies/schemes/{scheme.pk}/edit/",
        f"/subsidies/sheets/{sheet.pk}/",
        f"/subsidies/sheets/{sheet.pk}/sheet.xlsx",
        f"/api/v1/subsidies/schemes/{scheme.pk}",
        f"/api/v1/subsidies/sheets/{sheet.pk}",
    ]
    for who in (stranger, w.m1_user):
        client = f.client_for(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        assert client.get("/api/v1/subsidies/sheets").json() == []
    staff = f.client_for(w.reviewer)
    assert staff.get(f"/subsidies/sheets/{sheet.pk}/").status_code == 200
    body = staff.get(f"/api/v1/subsidies/sheets/{sheet.pk}").json()
    assert {ln["name"] for ln in body["lines"]} == {"张调解", "李调解"}
    actions.change_scheme(actor=w.preparer, scheme=scheme, terms=b.terms(w, settled_fen=40_000))
    one = staff.get(f"/api/v1/subsidies/schemes/{scheme.pk}").json()
    assert [v["settled_fen"] for v in one["versions"]] == [40_000, 30_000]
    assert one["current"]["number"] == 2
    listed = staff.get("/api/v1/subsidies/schemes").json()
    assert [s["id"] for s in listed] == [scheme.pk]
    assert [s["id"] for s in staff.get("/api/v1/subsidies/sheets").json()] == [sheet.pk]


def test_a_mediator_sees_only_their_own_line_once_the_sheet_is_approved():
    w = b.world()
    _, sheet = _approved(w)
    client = f.client_for(w.m1_user)
    assert client.get("/api/v1/subsidies/mine").json() == []
    sheets.review_sheet(actor=w.reviewer, sheet=sheet)
    sheets.approve_sheet(actor=w.approver, sheet=sheet)
    mine = client.get("/api/v1/subsidies/mine").json()
    assert [(m["name"], m["paid_fen"], len(m["cases"])) for m in mine] == [("张调解", 50_000, 1)]
    page = client.get("/subsidies/").content.decode()
    assert "500.00" in page and "李调解" not in page and "300.00" not in page
