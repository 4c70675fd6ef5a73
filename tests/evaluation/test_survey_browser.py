"""In Debian's chromium: a party opens the survey from the notice the platform sent when
the case ended and answers it; the IP office staff see the answer counted on the mediator's
performance file and record a commendation there."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp

from sutiao.cases import actions
from sutiao.delivery.engine import process_outbox, run_once
from sutiao.delivery.models import InboxItem
from sutiao.evaluation.models import PerformanceNote, SurveyAnswer
from tests import factories as f
from tests.browser.steps import log_in
from tests.cases import factories as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_party_answers_from_its_notice_and_the_office_counts_it_and_commends(
    live_server, in_browser, settings
):
    settings.SITE_URL = live_server.url
    court = f.court()
    clerk = f.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    case = cf.submitted_case(court)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    actions.settle(actor=mediator.user, case=case)
    process_outbox(limit=500)
    run_once()
    applicant = case.parties.get(role="applicant").user
    survey_path = reverse("evaluation:survey", args=[case.pk])
    item = InboxItem.objects.get(user=applicant, body__contains=survey_path)
    office = f.office()
    staff = f.person("ip_office_staff", ip_office=office)
    device = f.with_totp(staff)
    base = live_server.url
    file_url = f"{base}{reverse('evaluation:scope', args=['mediator', mediator.pk])}"

    def journey(new_page):
        page = new_page(phone=True)
        log_in(page, base, applicant.username, f.PASSWORD)
        page.goto(f"{base}{reverse('delivery:item', args=[item.pk])}")
        page.click(f"main a[href$='{survey_path}']")
        page.wait_for_selector("[data-testid=survey]")
        for name, value in (("fair", 5), ("respect", 4), ("understood", 5)):
            page.check(f"input[name={name}][value='{value}']")
        page.fill("textarea[name=comment]", "调解员很耐心")
        page.click("[data-testid=survey-submit]")
        page.wait_for_selector("[data-testid=survey-done]")
        assert page.errors == []

        office_page = new_page(phone=False)
        log_in(office_page, base, staff.username, f.PASSWORD)
        office_page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        office_page.click("main button[type=submit]")
        office_page.wait_for_url(f"{base}/")
        office_page.goto(file_url)
        counted = office_page.locator("[data-testid=survey-count]").inner_text()
        fair = office_page.locator("[data-testid=survey-fair]").inner_text()
        form = office_page.locator("[data-testid=note-form]")
        form.locator("select[name=kind]").select_option("commendation")
        form.locator("textarea[name=reason]").fill("当事人满意度高")
        form.locator("button[type=submit]").click()
        office_page.wait_for_selector("[data-testid=file-notes] >> text=当事人满意度高")
        assert office_page.errors == []
        return counted, fair

    counted, fair = in_browser(journey)
    assert counted == "1" and fair == "5.00"
    assert SurveyAnswer.objects.count() == 1
    note = PerformanceNote.objects.get()
    assert note.kind == "commendation" and note.office == office and note.mediator == mediator
