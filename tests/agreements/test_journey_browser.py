"""Must-show journey, in Debian's chromium through the real pages: the mediator drafts the
agreement → both parties sign with one-time codes (SMS, e-mail) → the mediator signs and seals
(the case is settled) → both parties apply jointly for judicial confirmation → the judge
accepts and rules the agreement valid → both parties see the ruling, signed by the court."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sutiao.agreements.models import Agreement
from sutiao.cases.models import Case
from sutiao.documents import verify
from sutiao.judicial.models import ConfirmationApplication
from tests import factories
from tests.cases.conftest import log_in, path_of
from tests.clock import WORKING_MONDAY

from . import factories as af
from .conftest import seed_templates

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


@pytest.mark.rule("OMR-19a", "CPL-205a", "CPL-I-358b")
def test_draft_sign_apply_confirm_and_both_parties_see_the_signed_ruling(
    live_server,
    transactional_db,
    in_browser,
    artifacts,
):
    seed_templates()
    url = live_server.url
    world = af.mediating_case()
    judge_device = factories.with_totp(world.judge)
    case = world.case
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    def sign_with_code(page, user, channel: str) -> None:
        page.goto(f"{url}/agreements/case/{case.pk}/")
        page.check(f"#code-form input[name=channel][value={channel}]")
        with page.expect_navigation():
            page.click("#code-form button[type=submit]")
        assert "#sign" in page.url
        page.fill("#id_code", af.code_for(user, channel))
        with page.expect_navigation():
            page.click("#sign-form button[type=submit]")
        assert page.locator(".msg.success").count() == 1, page.content()[:2000]

    def journey(new_page):
        # The mediator drafts from the case page, previews, and opens it for signing.
        m = new_page()
        log_in(m, url, world.mediator_user)
        m.goto(f"{url}/cases/{case.pk}/")
        with m.expect_navigation():
            m.click("#agreement-link")
        m.fill("#id_facts", af.FACTS)
        m.fill("#id_issues", "被申请人是否构成侵权及赔偿数额。")
        m.fill("#id_performance", "被申请人通过银行转账向申请人指定账户支付。")
        m.fill("#id_place", "北京")
        m.select_option("#id_term-0-kind", "stop_use")
        m.select_option("#id_term-0-obligor", str(respondent.pk))
        m.fill("#id_term-0-subject", "销售标有“青山”字样的茶叶礼盒")
        m.select_option("#id_term-1-kind", "pay")
        m.select_option("#id_term-1-obligor", str(respondent.pk))
        m.select_option("#id_term-1-beneficiary", str(applicant.pk))
        m.fill("#id_term-1-subject", "经济损失及合理开支")
        m.fill("#id_term-1-amount", "30000")
        m.fill("#id_term-1-due_date", due)
        with m.expect_navigation():
            m.click("#save-draft")
        terms = m.locator("#terms li")
        assert terms.count() == 2
        assert "人民币30,000.00元" in terms.nth(1).inner_text()
        assert m.locator("#warnings").count() == 0
        with m.expect_navigation():
            m.click("#open-form button[type=submit]")
        agreement = Agreement.objects.get(case=case)
        assert agreement.state == "signing" and agreement.document_id
        assert m.locator("#code-form").count() == 0  # the parties sign first

        # Both parties sign with a one-time code: the applicant by e-mail, the respondent
        # from a phone by SMS; a wrong code is refused beside the field first.
        a = new_page()
        log_in(a, url, world.applicant)
        a.goto(f"{url}/agreements/case/{case.pk}/")
        a.check("#code-form input[name=channel][value=email]")
        with a.expect_navigation():
            a.click("#code-form button[type=submit]")
        a.fill(
            "#id_code", "000000" if af.code_for(world.applicant, "email") != "000000" else "111111"
        )
        with a.expect_navigation():
            a.click("#sign-form button[type=submit]")
        assert a.locator("#sign-form .error").count() == 1
        a.fill("#id_code", af.code_for(world.applicant, "email"))
        with a.expect_navigation():
            a.click("#sign-form button[type=submit]")
        assert a.locator(f"[data-field=party-{applicant.pk}].signed").count() == 1

        r = new_page(phone=True)
        log_in(r, url, world.respondent)
        sign_with_code(r, world.respondent, "sms")
        agreement.refresh_from_db()
        assert agreement.effective_at is not None and agreement.state == "signing"

        # The mediator signs; the organisation's seal goes on in the same step.
        sign_with_code(m, world.mediator_user, "sms")
        agreement.refresh_from_db()
        assert agreement.state == "signed"
        assert Case.objects.get(pk=case.pk).state == "settled"
        assert m.locator("[data-field=org_seal].signed").count() == 1

        # Joint application: the applicant chooses the (only) competent court and submits;
        # the respondent submits its part.
        a.goto(f"{url}/cases/{case.pk}/")
        with a.expect_navigation():
            a.click("#confirmation-link")
        assert world.court.name in a.locator("#apply").inner_text()
        with a.expect_navigation():
            a.click("#apply-button")
        app = ConfirmationApplication.objects.get(case=case)
        assert path_of(a) == f"/judicial/applications/{app.pk}/"
        assert app.state == "draft"
        r.goto(f"{url}/judicial/case/{case.pk}/")
        assert path_of(r) == f"/judicial/applications/{app.pk}/"
        with r.expect_navigation():
            r.click("#step-submit_part button[type=submit]")
        app.refresh_from_db()
        assert app.state == "submitted"

        # The judge (password and second factor) accepts and rules the agreement valid.
        j = new_page()
        log_in(j, url, world.judge, device=judge_device)
        j.goto(f"{url}/judicial/queue/")
        with j.expect_navigation():
            j.click(f"#applications a[href='/judicial/applications/{app.pk}/']")
        with j.expect_navigation():
            j.click("#step-accept button[type=submit]")
        app.refresh_from_db()
        assert app.state == "accepted" and "民特" in app.number
        j.click("#step-rule > summary")
        j.check("#step-rule input[name=rule-outcome][value=valid]")
        with j.expect_navigation():
            j.click("#step-rule button[type=submit]")
        app.refresh_from_db()
        assert app.state == "confirmed"
        assert j.locator("#ruling-pdf").count() == 1

        # Both parties see the ruling and download it.
        bodies = []
        for page in (a, r):
            page.goto(f"{url}/judicial/applications/{app.pk}/")
            assert page.locator("#application-state").get_attribute("data-state") == "confirmed"
            href = page.locator("#ruling-pdf").get_attribute("href")
            response = page.request.get(f"{url}{href}")
            assert response.ok and response.headers["content-type"] == "application/pdf"
            bodies.append(response.body())
        r.screenshot(path=str(artifacts / "ruling-phone.png"), full_page=True)
        assert not (m.errors or a.errors or r.errors or j.errors)
        return bodies

    # pyHanko validates with asyncio.run: outside the browser's thread, whose loop is running.
    for body in in_browser(journey):
        verdict = verify.verify_pdf(body)
        assert verdict.status == "valid", verdict.problems
        assert [s.holder_kind for s in verdict.signatures] == ["person", "court_seal"]
    agreement = Agreement.objects.get(case=case)
    with agreement.document.file.open("rb") as fh:
        assert verify.verify_pdf(fh.read()).status == "valid"
