"""Journey: an IP office recommends a mediator, the court's clerk admits them, the public sees
them on the roster with the inviting court, and removal takes them off."""

import pytest
from django_otp.oath import totp

from sutiao.accounts.roles import Role
from sutiao.roster.models import Recommendation, RosterEntry
from tests import factories as f

from . import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(new_page, base: str, user, device):
    page = new_page(phone=True)  # a phone-sized screen
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/**")
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.rule("Notice-8b", "SIR-28a", "OMR-5", "SIR-28b")
def test_recommend_admit_public_then_remove(live_server, in_browser):
    base = live_server.url
    court = f.court("北京知识产权法院旅程", region="110108")
    office = f.office("北京市知识产权局旅程", region="110000")
    staff = f.person(Role.IP_OFFICE_STAFF, ip_office=office)
    clerk = f.person(Role.COURT_CLERK, court=court)
    staff_device, clerk_device = f.with_totp(staff), f.with_totp(clerk)
    mediator = rf.mediator("旅程调解员", region="110108", phone="13966667777")

    def journey(new_page):
        # The IP office recommends the mediator to the court.
        page = _log_in(new_page, base, staff, staff_device)
        page.click("a[href='/roster/manage/']")
        page.click(f"a[href='/roster/manage/recommend/?mediator={mediator.pk}']")
        page.select_option("select[name=court]", str(court.pk))
        page.fill("textarea[name=note]", "擅长专利纠纷")
        page.click("main button.primary")
        page.wait_for_url("**/roster/manage/recommendations/")
        assert "旅程调解员" in page.content()
        rec = Recommendation.objects.get(mediator=mediator)

        # The court's clerk admits them to the court's roster.
        page = _log_in(new_page, base, clerk, clerk_device)
        page.click(f"a[href='/roster/courts/{court.pk}/pending/']")
        page.click(f"a[href='/roster/recommendations/{rec.pk}/']")
        page.fill("input[name=certificate_number]", "京73特邀2026001")
        page.click("form:has(input[value=admit]) button[type=submit]")
        page.wait_for_url(f"**/roster/courts/{court.pk}/")
        assert "京73特邀2026001" in page.content()

        # Anyone sees them on the public roster, with the inviting court; no phone or ID number.
        public = new_page()
        public.goto(f"{base}/roster/")
        row = public.locator("table[data-testid=public-roster] tbody tr", has_text="旅程调解员")
        assert row.count() == 1
        assert court.name in row.inner_text()
        html = public.content()
        assert "13966667777" not in html and mediator.id_number not in html

        # The clerk removes them, with a reason; they leave the public roster.
        entry = RosterEntry.objects.get(mediator=mediator)
        page.goto(f"{base}/roster/entries/{entry.pk}/")
        page.select_option("select[name=kind]", "removal")
        page.fill("input[name=reason]", "违反调解纪律")
        page.click("main button.primary")
        page.wait_for_url(f"**/roster/entries/{entry.pk}/")
        entry.refresh_from_db()
        assert entry.status == RosterEntry.Status.REMOVED
        public.goto(f"{base}/roster/")
        assert "旅程调解员" not in public.content()
        public.goto(f"{base}/roster/courts/{court.pk}/")
        assert "旅程调解员" not in public.content()

    in_browser(journey)
