"""Issue 11, one continuous journey with a browser context per person: a company (its legal
representative's identity verified on the page) applies naming a respondent who has no
account; the respondent finds the invitation in the SMS record and the e-mail of delivery's
local backends, registers, verifies, joins, consents (notice acknowledged, e-service address
given) and names a lawyer who has no account, with a power of attorney and special
authorisation; the lawyer's own invitation brings them in; the court delegates and the
mediator accepts and drafts (actions: not the subject); the company signs, and the lawyer
signs for the respondent within the special authorisation; both sides then see the whole
timeline on the case page."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest

from sutiao.accounts import actions as accounts
from sutiao.accounts.models import User
from sutiao.agreements import actions as agreements
from sutiao.agreements.actions import DraftIn
from sutiao.agreements.models import Agreement
from sutiao.cases import actions as cases
from sutiao.cases.models import Agent, Case
from sutiao.delivery import engine
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.cases import factories as cf
from tests.cases.conftest import log_in, path_of, small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]

COMPANY_PHONE, RESPONDENT_PHONE, LAWYER_PHONE = "13800138000", "13912345678", "13966665555"
RESPONDENT_MAIL, LAWYER_MAIL = "lisi@example.com", "qian@lawfirm.example.com"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
SIGNING_MS = 120_000


def last_sms(phone: str) -> str:
    return SmsRecord.objects.filter(to=phone).order_by("pk").last().text


def mail_to(mailbox: Path, address: str) -> str:
    for eml in mailbox.glob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            return message.get_content()
    raise AssertionError(f"no e-mail to {address}")


def verify_on_page(page, url: str, phone: str, fields: dict[str, str]) -> None:
    """The identity page (OLR 7): the particulars, a code to the phone, the code back."""
    for selector, value in fields.items():
        page.fill(selector, value)
    page.fill("#id_phone", phone)
    with page.expect_navigation():
        page.click("button[name=send]")
    page.fill("#id_code", CODE.search(last_sms(phone)).group(1))
    with page.expect_navigation():
        page.click("button[name=confirm]")


def register_on_page(page, *, name: str, id_number: str, phone: str, username: str) -> None:
    page.check("#id_kind_0")  # a natural person
    page.fill("#id_real_name", name)
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", phone)
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # The account opens with the code sent to the phone (accounts.registration).
    assert path_of(page) == "/accounts/register/code/"
    sent = SmsRecord.objects.filter(to=phone).order_by("pk").last()
    page.fill("#id_code", re.search(r"(?<!\d)(\d{6})(?!\d)", sent.text).group(1))
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def apply_as_company(a, url: str, court) -> None:
    a.goto(f"{url}/cases/apply/")
    a.select_option("#id_court", str(court.pk))
    a.fill("#id_title", "甲科技有限公司诉李四专利侵权纠纷")
    a.select_option("#id_ip_kind", "patent")
    a.fill("#id_claims", "停止侵权，赔偿损失20万元")
    a.select_option("#id_applicant_kind", "legal")
    a.fill("#id_applicant_name", "甲科技有限公司")
    a.fill("#id_applicant_id", "91110108MA01ABCDEN")
    a.fill("#id_applicant_representative", "张董事")
    a.fill("#id_applicant_phone", COMPANY_PHONE)
    a.select_option("#id_respondent_kind", "natural")
    a.fill("#id_respondent_name", "李四")
    a.fill("#id_respondent_phone", RESPONDENT_PHONE)
    a.fill("#id_respondent_email", RESPONDENT_MAIL)
    a.check("#id_consents_online")
    a.check("#id_notice_acknowledged")
    a.check("#id_consents_e_service")
    a.fill("#id_service_email", "legal@jia.example.com")
    with a.expect_navigation():
        a.click("button[name=submit]")


def consent_on_page(r, party_pk: int) -> None:
    form = f"#consent-{party_pk}"
    assert r.locator(f"{form} [data-testid=rights-notice]").count() == 1
    r.check(f"#id_consent-{party_pk}-consents_online")
    r.check(f"#id_consent-{party_pk}-notice_acknowledged")
    r.check(f"#id_consent-{party_pk}-consents_e_service")
    r.fill(f"#id_consent-{party_pk}-service_email", RESPONDENT_MAIL)
    with r.expect_navigation():
        r.click(f"{form} button.primary")


def name_lawyer_on_page(r, party_pk: int, poa: Path) -> None:
    prefix = f"#id_agent-{party_pk}"
    r.click(f"#name-agent-{party_pk} > summary")
    r.fill(f"{prefix}-name", "钱律师")
    r.fill(f"{prefix}-phone", LAWYER_PHONE)
    r.fill(f"{prefix}-email", LAWYER_MAIL)
    r.select_option(f"{prefix}-kind", "lawyer")
    r.fill(f"{prefix}-licence_number", "11101201810123456")
    r.fill(f"{prefix}-firm", "北京某某律师事务所")
    r.check(f"{prefix}-scope_1")  # special authorisation: to settle and sign
    r.set_input_files(f"{prefix}-power_of_attorney", str(poa))
    with r.expect_navigation():
        r.click(f"#name-agent-{party_pk} button[type=submit]")


def sign_on_page(page, url: str, case: Case, phone: str) -> None:
    page.goto(f"{url}/agreements/case/{case.pk}/")
    page.check("#code-form input[name=channel][value=sms]")
    with page.expect_navigation():
        page.click("#code-form button[type=submit]")
    page.fill("#id_code", CODE.search(last_sms(phone)).group(1))
    # Signing renders and signs the PDF (PAdES): on a loaded 2-core runner it takes a while.
    with page.expect_navigation(timeout=SIGNING_MS):
        page.click("#sign-form button[type=submit]", timeout=SIGNING_MS)
    assert page.locator(".msg.success").count() == 1, page.content()[:2000]


def delegate_accept_and_draft(case: Case, court, clerk, mediator) -> Agreement:
    """The court and the mediator's steps, through the actions (not this journey's subject)."""
    case = cases.delegate(actor=clerk, case=case, mediator=mediator)
    case = cases.accept(actor=mediator.user, case=case)
    agreement = agreements.draft(
        actor=mediator.user,
        case=case,
        data=DraftIn(
            facts="申请人系第ZL201910000001.X号发明专利的权利人，主张被申请人制造、销售的产品落入其保护范围。",
            issues="被申请人是否构成侵权及赔偿数额。",
            terms=af.standard_terms(case),
            performance="被申请人通过银行转账向申请人指定账户支付。",
            place="北京",
        ),
    )
    return agreements.open_for_signing(actor=mediator.user, agreement=agreement)


TIMELINE = [
    "case.created",
    "case.submit",
    "case.party_invited",
    "case.party_joined",
    "case.consent_given",
    "case.agent_named",
    "case.agent_joined",
    "case.delegate",
    "case.accept",
    "agreement.drafted",
    "agreement.opened",
    "agreement.signed",
    "agreement.signed",
    "agreement.effective",
]


def timeline_of(page, url: str, case: Case) -> list[str]:
    page.goto(f"{url}/cases/{case.pk}/")
    return page.locator("#timeline li[data-fact]").evaluate_all(
        "items => items.map(li => li.dataset.fact)"
    )


def in_order(names: list[str], wanted: list[str]) -> bool:
    position = -1
    for name in wanted:
        if name not in names[position + 1 :]:
            return False
        position = names.index(name, position + 1)
    return True


@pytest.mark.rule("OMR-15", "OLR-7", "OMR-4", "SIR-14", "CPL-61", "CPL-62")
def test_every_party_takes_part_from_application_to_both_signatures(
    live_server, transactional_db, in_browser, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    settings.DELIVERY_EMAIL_BACKEND = "file"
    seed_templates()
    url, mailbox = live_server.url, tmp_path / "mail"
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court, name="王调解")
    company = accounts.register_party(
        username="jiakeji",
        password=factories.PASSWORD,
        real_name="甲科技有限公司",
        kind="legal",
        uscc="91110108MA01ABCDEN",
        phone=COMPANY_PHONE,
        email="legal@jia.example.com",
    )
    poa = tmp_path / "授权委托书.pdf"
    poa.write_bytes(small_pdf("授权委托书"))

    def journey(new_page):
        # The company verifies itself: its credit code and its legal representative's identity.
        a = new_page()
        log_in(a, url, company)
        a.goto(f"{url}/accounts/verify/")
        verify_on_page(
            a,
            url,
            COMPANY_PHONE,
            {
                "#id_real_name": "甲科技有限公司",
                "#id_uscc": "91110108MA01ABCDEN",
                "#id_representative_name": "张董事",
                "#id_representative_id": factories.id_number(701),
            },
        )
        assert User.objects.get(pk=company.pk).identity_verified_at is not None

        # It applies, naming 李四, who has no account, with his phone and e-mail.
        apply_as_company(a, url, court)
        case = Case.objects.get(created_by=company)
        assert case.state == "submitted" and path_of(a) == f"/cases/{case.pk}/"
        respondent = case.parties.get(role="respondent")
        applicant = case.parties.get(role="applicant")
        assert respondent.user is None and applicant.kind == "legal"

        # 李四 finds the invitation in the SMS record and in the e-mail: the same link.
        engine.run_once()
        link = re.search(r"/cases/invitations/[^/\s]+/", last_sms(RESPONDENT_PHONE)).group(0)
        assert link in mail_to(mailbox, RESPONDENT_MAIL)

        # On his phone he opens it, registers, verifies his identity, joins and consents.
        r = new_page(phone=True)
        r.goto(f"{url}{link}")
        with r.expect_navigation():
            r.click("#invitation-register")
        lisi_id = factories.id_number(777)
        register_on_page(r, name="李四", id_number=lisi_id, phone=RESPONDENT_PHONE, username="lisi")
        assert path_of(r) == link
        with r.expect_navigation():
            r.click("#invitation-verify")
        verify_on_page(
            r, url, RESPONDENT_PHONE, {"#id_real_name": "李四", "#id_id_number": lisi_id}
        )
        assert path_of(r) == link
        with r.expect_navigation():
            r.click("#invitation-join")
        consent_on_page(r, respondent.pk)
        respondent.refresh_from_db()
        assert respondent.user.username == "lisi" and respondent.has_consented
        assert respondent.service_email == RESPONDENT_MAIL

        # He names a lawyer who has no account yet, with the power of attorney, special scope.
        name_lawyer_on_page(r, respondent.pk, poa)
        agent = Agent.objects.get(party=respondent)
        assert agent.user is None and agent.special and agent.power_of_attorney.name == poa.name
        assert r.locator("#parties .agent[data-joined=no]").count() == 1

        # The lawyer's invitation: SMS and e-mail with a link of its own.
        engine.run_once()
        agent_link = re.search(r"/cases/agent-invitations/[^/\s]+/", last_sms(LAWYER_PHONE)).group(
            0
        )
        assert agent_link in mail_to(mailbox, LAWYER_MAIL)
        g = new_page()
        g.goto(f"{url}{agent_link}")
        assert "钱律师" in g.locator("#agent-invitation").inner_text()
        with g.expect_navigation():
            g.click("#agent-invitation-register")
        qian_id = factories.id_number(778)
        register_on_page(g, name="钱律师", id_number=qian_id, phone=LAWYER_PHONE, username="qian")
        assert path_of(g) == agent_link
        with g.expect_navigation():
            g.click("#agent-invitation-verify")
        verify_on_page(g, url, LAWYER_PHONE, {"#id_real_name": "钱律师", "#id_id_number": qian_id})
        with g.expect_navigation():
            g.click("#agent-invitation-join")
        assert path_of(g) == f"/cases/{case.pk}/"
        agent.refresh_from_db()
        assert agent.user.username == "qian"

        # The court delegates, the mediator accepts and drafts the agreement.
        agreement = delegate_accept_and_draft(case, court, clerk, mediator)
        assert agreement.state == "signing"

        # The company signs; the lawyer signs in the respondent's field, as its agent.
        sign_on_page(a, url, case, COMPANY_PHONE)
        sign_on_page(g, url, case, LAWYER_PHONE)
        agreement.refresh_from_db()
        assert agreement.effective_at is not None
        by_agent = agreement.signatures.get(as_agent=True)
        assert by_agent.signed_by == agent.user and by_agent.party_id == respondent.pk

        # Both sides see the whole timeline, in order.
        for page in (a, r, g):
            names = timeline_of(page, url, case)
            assert in_order(names, TIMELINE), names
            assert names.count("case.consent_given") >= 2
        assert a.errors == [] and r.errors == [] and g.errors == []

    in_browser(journey)
