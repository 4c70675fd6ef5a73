"""Issue 11's journey, items 1–3, in two browsers: the applicant company applies naming a
respondent who has no account; the respondent receives the invitation (the SMS record and
the e-mail of delivery's local backends), opens the link, opens an account, verifies their
identity, joins and consents acknowledging the notice of rights and duties; the applicant
sees the respondent as consented."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from sutiao.accounts import actions as accounts
from sutiao.accounts.models import User
from sutiao.cases.models import Case
from sutiao.delivery import engine
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.cases.conftest import log_in, path_of
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]

RESPONDENT_PHONE = "13912345678"
RESPONDENT_MAIL = "lisi@example.com"
LINK = re.compile(r"https?://[^\s]+(/cases/invitations/[^/\s]+/)")


def _company() -> User:
    user = accounts.register_party(
        username="jiakeji",
        password=factories.PASSWORD,
        real_name="甲科技有限公司",
        kind="legal",
        uscc="91110108MA01ABCDEN",
        phone="13800138000",
        email="legal@jia.example.com",
    )
    User.objects.filter(pk=user.pk).update(identity_verified_at=WORKING_MONDAY)
    return user


@pytest.mark.rule("OMR-15")
def test_the_respondent_is_invited_registers_verifies_and_consents(
    live_server, transactional_db, in_browser, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    settings.DELIVERY_EMAIL_BACKEND = "file"
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    company = _company()
    lisi_id = factories.id_number(777)

    def journey(new_page):
        # The applicant company applies, naming 李四 (no account) with his phone and e-mail.
        a = new_page()
        log_in(a, url, company)
        a.goto(f"{url}/cases/apply/")
        a.select_option("#id_court", str(court.pk))
        a.fill("#id_title", "甲科技有限公司诉李四专利侵权纠纷")
        a.select_option("#id_ip_kind", "patent")
        a.fill("#id_claims", "停止侵权，赔偿损失20万元")
        a.select_option("#id_applicant_kind", "legal")
        a.fill("#id_applicant_name", "甲科技有限公司")
        a.fill("#id_applicant_id", "91110108MA01ABCDEN")
        a.fill("#id_applicant_phone", "13800138000")
        a.select_option("#id_respondent_kind", "natural")
        a.fill("#id_respondent_name", "李四")
        a.fill("#id_respondent_phone", RESPONDENT_PHONE)
        a.fill("#id_respondent_email", RESPONDENT_MAIL)
        assert a.locator("[data-testid=rights-notice]").count() == 1
        a.check("#id_consents_online")
        a.check("#id_notice_acknowledged")
        a.check("#id_consents_e_service")
        a.fill("#id_service_email", "legal@jia.example.com")
        with a.expect_navigation():
            a.click("button[name=submit]")
        case = Case.objects.get(created_by=company)
        assert case.state == "submitted" and path_of(a) == f"/cases/{case.pk}/"
        respondent = case.parties.get(role="respondent")
        assert respondent.user is None
        assert (
            a.locator(f"[data-testid=consent-{respondent.pk}]").get_attribute("data-consented")
            == "no"
        )

        # Delivery sends the invitation: an SMS record and an e-mail, each with the link.
        engine.run_once()
        sms = SmsRecord.objects.get(to=RESPONDENT_PHONE).text
        (eml,) = (tmp_path / "mail").glob("*.eml")
        mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert mail["To"] == RESPONDENT_MAIL
        link = LINK.search(sms).group(1)
        assert link in mail.get_content()

        # 李四, on his phone, opens the link, opens an account and comes back to it.
        r = new_page(phone=True)
        r.goto(f"{url}{link}")
        assert "李四" in r.locator("#invitation").inner_text()
        with r.expect_navigation():
            r.click("#invitation-register")
        r.check("#id_kind_0")
        r.fill("#id_real_name", "李四")
        r.fill("#id_id_number", lisi_id)
        r.fill("#id_phone", RESPONDENT_PHONE)
        r.fill("#id_username", "lisi")
        r.fill("#id_password", factories.PASSWORD)
        with r.expect_navigation():
            r.click("main form button[type=submit]")
        # The account opens with the code sent to his phone (accounts.registration).
        assert path_of(r) == "/accounts/register/code/"
        sent = SmsRecord.objects.filter(to=RESPONDENT_PHONE).order_by("pk").last()
        r.fill("#id_code", re.search(r"(?<!\d)(\d{6})(?!\d)", sent.text).group(1))
        with r.expect_navigation():
            r.click("main form button[type=submit]")
        assert path_of(r) == link

        # He verifies his identity: name, number, and the code sent to his phone.
        with r.expect_navigation():
            r.click("#invitation-verify")
        assert path_of(r) == "/accounts/verify/"
        r.fill("#id_real_name", "李四")
        r.fill("#id_id_number", lisi_id)
        r.fill("#id_phone", RESPONDENT_PHONE)
        with r.expect_navigation():
            r.click("button[name=send]")
        codes = SmsRecord.objects.filter(to=RESPONDENT_PHONE).order_by("pk")
        code = re.search(r"(?<!\d)(\d{6})(?!\d)", codes.last().text).group(1)
        r.fill("#id_code", code)
        with r.expect_navigation():
            r.click("button[name=confirm]")
        assert path_of(r) == link
        assert User.objects.get(username="lisi").identity_verified_at is not None

        # He joins the party and consents, acknowledging the notice of rights and duties.
        with r.expect_navigation():
            r.click("#invitation-join")
        assert path_of(r) == f"/cases/{case.pk}/"
        form = f"#consent-{respondent.pk}"
        assert r.locator(f"{form} [data-testid=rights-notice]").count() == 1
        r.check(f"#id_consent-{respondent.pk}-consents_online")
        r.check(f"#id_consent-{respondent.pk}-notice_acknowledged")
        r.check(f"#id_consent-{respondent.pk}-consents_e_service")
        r.fill(f"#id_consent-{respondent.pk}-service_email", RESPONDENT_MAIL)
        with r.expect_navigation():
            r.click(f"{form} button.primary")
        respondent.refresh_from_db()
        assert respondent.user.username == "lisi" and respondent.has_consented
        assert r.errors == []

        # The applicant sees the respondent as consented.
        a.reload()
        assert (
            a.locator(f"[data-testid=consent-{respondent.pk}]").get_attribute("data-consented")
            == "yes"
        )
        assert a.errors == []

    in_browser(journey)
