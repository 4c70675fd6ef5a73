"""Must-show, in Debian's chromium: an editor drafts a typical case from a closed case of the
court; a second editor reviews each proposed change, approves and publishes; then a visitor
with no account finds it by search and reads the anonymised text (on a phone-sized page)."""

from __future__ import annotations

import pytest
from django.conf import settings

from sutiao.casebook.models import State, TypicalCase
from tests import factories

from .conftest import FACTS, closed_case, editor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.rule("Pub-4b", "Pub-8")
def test_an_editor_drafts_a_reviewer_publishes_and_the_public_finds_it(
    live_server, in_browser, media
):
    case, court = closed_case()
    editor, reviewer = editor_of(court), editor_of(court)
    cookies = {
        u.pk: factories.client_for(u).cookies[settings.SESSION_COOKIE_NAME].value
        for u in (editor, reviewer)
    }
    base = live_server.url

    def as_user(new_page, user):
        page = new_page()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookies[user.pk], "url": base}]
        )
        return page

    def journey(new_page):
        page = as_user(new_page, editor)
        page.goto(f"{base}/casebook/desk/")
        with page.expect_navigation():
            page.click(f"a[href='/casebook/desk/new/?case={case.pk}']")
        page.fill("#id_title", "扫地机器人发明专利侵权纠纷调解案")
        page.fill("#id_facts", FACTS)
        page.fill("#id_dispute", "被申请人的产品是否落入权利要求1的保护范围。")
        page.fill("#id_mediation", "调解员组织两次视频调解，双方各退一步。")
        page.fill("#id_result", "被申请人赔偿张伟十二万元。")
        page.select_option("#id_industry", "manufacturing")
        page.fill("#id_persons", "张伟\n李强")
        page.fill("#id_companies", "北京星辰科技有限公司")
        page.select_option("#id_basis", "consent")
        page.fill("#id_basis_note", "双方当事人书面同意匿名公开。")
        with page.expect_navigation():
            page.click("#typical-case-form button[type=submit]")
        assert page.get_attribute("#state", "data-state") == "draft"
        with page.expect_navigation():
            page.click("#submit")
        assert page.get_attribute("#state", "data-state") == "in_review"
        assert page.locator("#decide").count() == 0  # the writer does not review their own
        draft_url = page.url

        page = as_user(new_page, reviewer)
        page.goto(draft_url)
        rows = page.locator("tr.change")
        kinds = {rows.nth(i).get_attribute("data-kind") for i in range(rows.count())}
        assert {"name", "id_number", "phone", "bank_account", "address", "company"} <= kinds
        assert page.locator("#publish").count() == 0  # nothing to publish before approval
        with page.expect_navigation():
            page.click("#decide")
        with page.expect_navigation():
            page.click("#approve")
        assert page.get_attribute("#state", "data-state") == "approved"
        with page.expect_navigation():
            page.click("#publish")
        assert page.get_attribute("#state", "data-state") == "published"
        assert page.errors == []

        public = new_page(phone=True)
        public.goto(f"{base}/casebook/")
        public.fill("#id_q", "扫地机器人 权利要求")
        with public.expect_navigation():
            public.click("#library-search button[type=submit]")
        first = public.locator("#results li a").first
        assert first.text_content() == "扫地机器人发明专利侵权纠纷调解案"
        with public.expect_navigation():
            first.click()
        text = public.text_content("#typical-case")
        wide = public.evaluate("document.documentElement.scrollWidth")
        assert public.errors == []
        return text, wide

    text, wide = in_browser(journey)
    assert "张某" in text and "李某" in text and "张伟" not in text
    assert "110108198001011237" not in text and "13912345678" not in text
    assert "6222" not in text and "中关村大街" not in text
    assert wide <= 375  # readable on a phone: nothing wider than the screen
    assert TypicalCase.objects.get().state == State.PUBLISHED
