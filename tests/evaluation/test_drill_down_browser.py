"""Must show (issue 18), in Debian's chromium: a provincial IP office user opens the figures,
drills down from the province to an organisation to a mediator's performance file, the
charts draw (vendored ECharts, no script error), and the exported table opens with openpyxl
holding the rows of the page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from openpyxl import load_workbook

from sutiao.demo.generate import generate
from sutiao.evaluation.summary import rebuild
from sutiao.institutions.models import IPOffice
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(new_page, base: str, user, device):
    page = new_page(phone=False)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/**")
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_provincial_office_drills_down_to_a_mediators_file_and_exports_it(live_server, in_browser):
    generate(cases=400, seed=9, provinces=2, cities=2, orgs=2, mediators=3, progress=None)
    rebuild()
    office = IPOffice.objects.filter(level=IPOffice.Level.PROVINCIAL).order_by("region_id")[0]
    user = f.person("ip_office_staff", ip_office=office)
    device = f.with_totp(user)
    base = live_server.url
    today = timezone.localdate()
    period = f"?start={today.replace(year=today.year - 2)}&end={today}"

    def journey(new_page):
        page = _log_in(new_page, base, user, device)
        page.click("nav >> text=/数据|Figures/")  # the nav link to the figures
        page.wait_for_url(f"**/figures/office/{office.pk}/")
        page.goto(f"{base}/figures/province/{office.region_id}/{period}")
        page.wait_for_selector("#chart-monthly[data-drawn='1'] canvas")
        org_link = page.locator("[data-testid=table-org_id] tbody a").first
        org_name = org_link.inner_text()
        org_link.click()
        page.wait_for_selector("[data-testid=performance-file]")
        assert org_name in page.locator("h1").inner_text()
        mediator_link = page.locator("[data-testid=table-mediator_id] tbody a").first
        mediator_name = mediator_link.inner_text()
        mediator_link.click()
        page.wait_for_selector("[data-testid=performance-file]")
        assert mediator_name in page.locator("h1").inner_text()
        rows = page.locator("[data-testid=table-summary] tbody tr")
        on_page = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
        with page.expect_download() as download:
            page.click("[data-testid=export-summary]")
        content = Path(download.value.path()).read_bytes()
        assert page.errors == []
        return on_page, content

    on_page, content = in_browser(journey)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)] == on_page
    assert len(on_page) == 23
