"""Must show (issue 18, subsidies), in Debian's chromium: the preparer computes the sheet,
a reviewer checks it on a phone-sized screen (360 px), an approver approves it and downloads
the XLSX, which opens with openpyxl and holds the lines of the page; the preparer is never
offered the approval."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django_otp.oath import totp
from openpyxl import load_workbook

from sutiao.cases.choices import State
from sutiao.subsidies import actions
from sutiao.subsidies.models import Sheet, SheetState
from tests import factories as f

from . import builders as b

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.rule("SIR-29"),
]


def _log_in(new_page, base: str, user, *, phone: bool = False):
    device = f.with_totp(user)
    page = new_page(phone=phone)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/**")
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_preparer_computes_reviewer_checks_approver_approves_and_downloads(live_server, in_browser):
    w = b.world()
    b.case(w.m1, w.org, state=State.SETTLED, day=dt.date(2026, 7, 8), kind="patent")
    b.case(w.m2, w.org, state=State.SETTLED, day=dt.date(2026, 7, 9))
    scheme = actions.create_scheme(
        actor=w.preparer, name="北京市调解补贴", owner=w.office, terms=b.terms(w)
    )
    base = live_server.url

    def journey(new_page):
        page = _log_in(new_page, base, w.preparer)
        page.locator("a[href='/subsidies/']").first.click()  # from the staff home
        page.wait_for_url("**/subsidies/")
        page.click(f"text={scheme.name}")
        page.fill("input[name=period_start]", "2026-07-01")
        page.fill("input[name=period_end]", "2026-07-31")
        page.click("[data-step=compute]")
        page.wait_for_selector("[data-testid=lines]")
        sheet_url = page.url
        assert page.locator("[data-step=approve]").count() == 0
        assert page.locator("[data-step=review]").count() == 0
        assert page.errors == []

        phone = _log_in(new_page, base, w.reviewer, phone=True)
        phone.set_viewport_size({"width": 360, "height": 740})
        phone.goto(f"{base}/subsidies/")
        phone.click("[data-testid=waiting] a")
        phone.click("[data-step=review]")
        phone.wait_for_selector("[data-step=send_back]")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width  # readable at 360 px without sideways scrolling
        assert phone.errors == []

        boss = _log_in(new_page, base, w.approver)
        boss.goto(sheet_url)
        boss.click("[data-step=approve]")
        boss.wait_for_selector("[data-testid=xlsx]")
        rows = boss.locator("[data-testid=lines] tbody tr")
        names = sorted(
            rows.nth(i).locator("td").first.inner_text().split("\n")[0] for i in range(rows.count())
        )
        with boss.expect_download() as download:
            boss.click("[data-testid=xlsx]")
        assert boss.errors == []
        return names, Path(download.value.path()).read_bytes()

    names, content = in_browser(journey)
    sheet = Sheet.objects.get(scheme=scheme)
    assert sheet.state == SheetState.APPROVED
    assert (sheet.prepared_by, sheet.reviewed_by, sheet.approved_by) == (
        w.preparer,
        w.reviewer,
        w.approver,
    )
    assert content == bytes(sheet.xlsx)
    summary = load_workbook(io.BytesIO(content))["汇总"]
    values = list(summary.iter_rows(values_only=True))
    assert sorted(r[0] for r in values[4:-1]) == names == ["张调解", "李调解"]
    assert values[-1][0] == "合计" and values[-1][-1] == 800.0
