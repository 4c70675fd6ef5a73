"""Who sees which figures (404 for a scope outside one's own), the performance file, a bad
period, and the XLSX export holding the rows of the page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from sutiao.cases.models import Case
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from tests import clock, factories

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]
PERIOD = {"start": "2025-10-12", "end": "2026-10-12"}


@pytest.fixture(scope="module", autouse=True)
def _data(generated):
    generated(600, seed=5, provinces=2, cities=2, orgs=2, mediators=3)


def _provinces():
    offices = IPOffice.objects.filter(level=IPOffice.Level.PROVINCIAL).order_by("region_id")
    return list(offices)


def _client(role: str, **institution):
    return factories.client_for(factories.person(role, **institution))


def _in(office: IPOffice, model):
    return model.objects.filter(region__code__startswith=office.region_id[:2]).order_by("pk")


def test_a_provincial_office_sees_its_province_and_below_and_nothing_else():
    mine, other = _provinces()
    client = _client("ip_office_staff", ip_office=mine)
    assert client.get("/figures/").url == f"/figures/office/{mine.pk}/"
    assert client.get(f"/figures/province/{mine.region_id}/").status_code == 200
    assert client.get(f"/figures/court/{_in(mine, Court).first().pk}/").status_code == 200
    assert client.get(f"/figures/org/{_in(mine, MediationOrg).first().pk}/").status_code == 200
    for url in (
        f"/figures/province/{other.region_id}/",
        f"/figures/court/{_in(other, Court).first().pk}/",
        f"/figures/org/{_in(other, MediationOrg).first().pk}/",
        "/figures/nation/all/",
        "/figures/court/999999/",
    ):
        assert _client("ip_office_staff", ip_office=mine).get(url).status_code == 404, url


def test_an_organisation_sees_itself_and_its_mediators_only():
    mine, other = MediationOrg.objects.order_by("pk")[:2]
    client = _client("org_admin", org=mine)
    assert client.get(f"/figures/org/{mine.pk}/").status_code == 200
    assert client.get(f"/figures/mediator/{mine.mediators.first().pk}/").status_code == 200
    assert client.get(f"/figures/mediator/{other.mediators.first().pk}/").status_code == 404
    assert client.get(f"/figures/org/{other.pk}/").status_code == 404
    assert client.get("/figures/nation/all/").status_code == 404


def test_a_party_has_no_figures():
    assert _client("party").get("/figures/").status_code == 404


@pytest.mark.rule("SIR-10")
def test_sir_10_the_mediators_performance_file_lists_cases_outcomes_and_refusals():
    national = IPOffice.objects.get(level=IPOffice.Level.NATIONAL)
    mediator = Case.objects.values_list("mediator", flat=True).order_by("mediator").first()
    client = _client("national_supervisor", ip_office=national)
    page = client.get(f"/figures/mediator/{mediator}/", PERIOD).content.decode()
    cases = Case.objects.filter(
        mediator_id=mediator,
        submitted_at__date__gte="2025-10-12",
        submitted_at__date__lte="2026-10-12",
    )
    total = re.search(r'data-testid="file-total">(\d+)<', page).group(1)
    assert int(total) == cases.count() > 0
    refusals = re.search(r'data-testid="file-refusals">(\d+)<', page).group(1)
    assert int(refusals) == cases.filter(state="declined").count()
    shown = re.findall(r"<tr><td>(G5调\d+)</td>", page)
    newest = cases.order_by("-submitted_at").values_list("number", flat=True)[: len(shown)]
    assert shown == list(newest)


def test_a_period_that_ends_before_it_starts_is_refused_in_the_users_language():
    national = IPOffice.objects.get(level=IPOffice.Level.NATIONAL)
    client = _client("national_supervisor", ip_office=national)
    page = client.get("/figures/nation/all/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert page.status_code == 200
    assert (
        "开始日期须早于结束日期" in page.content.decode()
        or "must start before" in page.content.decode()
    )


def test_every_table_exports_the_rows_of_the_page():
    mine, _ = _provinces()
    client = _client("ip_office_staff", ip_office=mine)
    url = f"/figures/province/{mine.region_id}/"
    page = client.get(url, PERIOD).content.decode()
    for table in ("summary", "court_id", "org_id", "ip_kind", "channel"):
        section = page.split(f'data-testid="table-{table}"')[1].split("</section>")[0]
        on_page = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", section)]
        answer = client.get(url, {**PERIOD, "export": table})
        assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(answer.content)).active
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert len(on_page) == sum(len(r) for r in rows) > 0
        assert [r[0] for r in rows] == on_page[:: len(rows[0])]
    assert client.get(url, {**PERIOD, "export": "nothing"}).status_code == 404
