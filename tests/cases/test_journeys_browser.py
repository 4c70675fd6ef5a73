"""The issue's must-show journeys, in Debian's chromium through the real pages.

(a) A party applies to a court with a PDF → the clerk delegates to a rostered mediator → the
    mediator accepts, records a session and ends with reason 5 → the clerk files the case and
    the evidence is listed, and downloadable, in the filed case.
(b) A judge registers and entrusts a filed case (simple procedure: 7 days) → the organisation's
    administrator assigns a mediator and accepts → the mediator records the settlement.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from sutiao.cases.models import Case, FiledCase
from tests import factories
from tests.cases import factories as cf
from tests.cases.conftest import log_in, path_of, small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


def open_step(page, name: str) -> None:
    """Open a step's form (a <details>) on the case page."""
    page.click(f"#step-{name} > summary")


def take_step(page, name: str) -> None:
    """Submit a step; an irreversible one first asks to confirm, saying what follows, and
    the person agrees (web/static/sutiao/confirm.js)."""
    asked: list[str] = []

    def agree(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", agree)
    try:
        with page.expect_navigation():
            page.click(f"#step-{name} button[type=submit]")
    finally:
        page.remove_listener("dialog", agree)
    assert all(text.strip() for text in asked)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "window.innerWidth"
    )


@pytest.mark.rule("SIR-21a", "SIR-26")
def test_a_failed_delegated_mediation_is_filed_with_its_evidence(
    live_server, transactional_db, in_browser, artifacts, tmp_path
):
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    clerk_device = factories.with_totp(clerk)
    mediator = cf.rostered_mediator(court, name="王调解")
    party = factories.person("party")
    respondent_user = factories.person("party")
    pdf_bytes = small_pdf("商标侵权证据")
    pdf = tmp_path / "侵权证据.pdf"
    pdf.write_bytes(pdf_bytes)

    def journey(new_page):
        # The party applies through the form, with the evidence, and submits.
        p = new_page()
        log_in(p, url, party)
        p.goto(f"{url}/cases/apply/")
        p.select_option("#id_court", str(court.pk))
        p.fill("#id_title", "甲公司诉乙公司商标侵权纠纷")
        p.select_option("#id_ip_kind", "trademark")
        p.fill("#id_right_number", "第12345678号")
        p.fill("#id_claims", "停止侵权，赔偿损失10万元")
        p.fill("#id_amount", "100000")
        p.fill("#id_description", "乙公司在网店销售侵权商品。")
        p.fill("#id_applicant_name", "甲公司法定代表人")
        p.fill("#id_applicant_id", factories.id_number())
        p.fill("#id_applicant_phone", "13800138000")
        p.select_option("#id_respondent_kind", "legal")
        p.fill("#id_respondent_name", "乙公司")
        p.fill("#id_respondent_id", "91110108MA01ABCDEN")
        p.check("#id_consents_online")
        p.check("#id_notice_acknowledged")
        p.check("#id_consents_e_service")
        p.fill("#id_service_email", "jia@example.com")
        p.set_input_files("#id_evidence", str(pdf))
        with p.expect_navigation():
            p.click("button[name=submit]")
        case = Case.objects.get(created_by=party)
        assert path_of(p) == f"/cases/{case.pk}/"
        assert case.state == "submitted" and case.amount_fen == 10_000_000
        assert p.locator("#files").get_by_text("侵权证据.pdf").count() == 1
        assert p.locator("#step-delegate").count() == 0  # not the party's button
        # 乙公司's representative joins through the invitation and consents (OMR 4, 8, 15):
        # until then no session is recorded (tests/cases/test_parties_take_part.py).
        cf.consent(case, respondent_user, cf.join(case, respondent_user))

        # The clerk (password and second factor) delegates to a rostered mediator.
        c = new_page()
        log_in(c, url, clerk, device=clerk_device)
        c.goto(f"{url}/cases/queue/")
        with c.expect_navigation():
            c.click(f"#cases a[href='/cases/{case.pk}/']")
        open_step(c, "delegate")
        c.select_option("#id_delegate-target", f"mediator:{mediator.pk}")
        take_step(c, "delegate")
        case.refresh_from_db()
        assert case.state == "awaiting_acceptance" and case.mediator == mediator
        assert c.locator(".case-number").inner_text() == case.number

        # The mediator works from a phone: accepts, records a session, ends with reason 5.
        m = new_page(phone=True)
        log_in(m, url, mediator.user)
        m.goto(f"{url}/cases/assigned/")
        with m.expect_navigation():
            m.click(f"#cases a[href='/cases/{case.pk}/']")
        take_step(m, "accept")
        case.refresh_from_db()
        assert case.state == "mediating" and case.clock == "mediation_delegated"
        assert m.locator("#countdown .countdown").count() == 1
        m.click("#record-session > summary")
        m.fill("#id_transcript-session_date", timezone.localdate().isoformat())
        m.fill("#id_transcript-text", "双方陈述意见；乙公司认可销售事实，对赔偿数额分歧较大。")
        m.fill("#id_transcript-undisputed_facts", "乙公司销售了被控侵权商品。")
        with m.expect_navigation():
            m.click("#record-session button[type=submit]")
        assert case.transcripts.count() == 1
        assert no_sideways_scroll(m)
        m.screenshot(path=str(artifacts / "case-page-phone.png"), full_page=True)
        open_step(m, "end")
        m.select_option("#id_end-reason", "5")
        m.fill("#id_end-course", "两次视频调解，双方各自陈述意见。")
        m.fill("#id_end-reasons", "赔偿数额分歧过大。")
        m.fill("#id_end-cost_conduct", "无")
        m.fill("#id_end-notes_for_court", "建议尽快立案审理。")
        take_step(m, "end")
        case.refresh_from_db()
        assert case.state == "failed" and case.end_reason == 5

        # The clerk files the case; every material is on the filed case, the PDF downloads.
        c.goto(f"{url}/cases/{case.pk}/")
        take_step(c, "file_case")
        filed = FiledCase.objects.get(origin=case)
        assert path_of(c) == f"/cases/filed/{filed.pk}/"
        assert filed.number in c.locator("h1").inner_text()
        assert "两次视频调解" in c.locator("#failure-report").inner_text()
        assert "乙公司销售了被控侵权商品" in c.locator("#transcripts").inner_text()
        link = c.locator("#files a", has_text="侵权证据.pdf")
        assert link.count() == 1
        with c.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "侵权证据.pdf"
        assert Path(download.value.path()).read_bytes() == pdf_bytes
        assert not (p.errors or c.errors or m.errors)

    in_browser(journey)


@pytest.mark.rule("SIR-11b")
def test_an_entrusted_simple_case_is_assigned_accepted_and_settled(
    live_server, transactional_db, in_browser
):
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    judge = factories.person("judge", court=court)
    judge_device = factories.with_totp(judge)
    org = cf.rostered_org(court, name="中国（北京）知识产权保护中心")
    org_admin = factories.person("org_admin", org=org)
    mediator = cf.rostered_mediator(court, org=org, name="李调解")

    def journey(new_page):
        # The judge registers the filed case (simple procedure) and entrusts it to the centre.
        j = new_page()
        log_in(j, url, judge, device=judge_device)
        j.goto(f"{url}/cases/entrusted/")
        j.fill("#id_register-title", "丙诉丁著作权侵权纠纷")
        j.select_option("#id_register-procedure", "simple")
        j.fill("#id_register-applicant_name", "丙")
        j.fill("#id_register-respondent_name", "丁")
        with j.expect_navigation():
            j.click("#register button[type=submit]")
        filed = FiledCase.objects.get()
        assert path_of(j) == f"/cases/filed/{filed.pk}/" and filed.procedure == "simple"
        j.select_option("#id_entrust-target", f"org:{org.pk}")
        with j.expect_navigation():
            j.click("#entrust-form button[type=submit]")
        case = Case.objects.get(filed_case=filed)
        assert path_of(j) == f"/cases/{case.pk}/"
        assert case.state == "awaiting_acceptance" and case.procedure == "simple"
        period = j.locator("#period")
        assert period.get_attribute("data-days") == "7" and "7" in period.inner_text()

        # The organisation's administrator assigns its mediator, then accepts for the centre.
        o = new_page()
        log_in(o, url, org_admin)
        o.goto(f"{url}/cases/incoming/")
        with o.expect_navigation():
            o.click(f"#cases a[href='/cases/{case.pk}/']")
        assert o.locator("#step-accept").count() == 0  # no mediator yet: nothing to accept
        open_step(o, "assign")
        o.select_option("#id_assign-mediator", str(mediator.pk))
        take_step(o, "assign")
        take_step(o, "accept")
        case.refresh_from_db()
        assert case.state == "mediating" and case.clock == "mediation_entrusted_simple"
        assert o.locator("#countdown .countdown").count() == 1

        # The mediator records the settlement.
        m = new_page()
        log_in(m, url, mediator.user)
        m.goto(f"{url}/cases/{case.pk}/")
        take_step(m, "settle")
        case.refresh_from_db()
        assert case.state == "settled" and case.end_reason == 1
        j.goto(f"{url}/cases/entrusted/?state=settled")
        assert j.locator(f"#cases li[data-case='{case.pk}']").count() == 1
        assert not (j.errors or o.errors or m.errors)

    in_browser(journey)
