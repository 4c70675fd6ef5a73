"""A party names its lawyer with a power of attorney on its phone; the lawyer logs in and sees
that case, and only that one (CPL 61–62)."""

from __future__ import annotations

import pytest

from sutiao.cases.models import Agent
from tests import factories
from tests.cases import factories as cf
from tests.cases.conftest import log_in, path_of, small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


@pytest.mark.rule("CPL-61")
def test_a_party_names_a_lawyer_with_a_power_of_attorney_and_the_lawyer_sees_the_case(
    live_server, transactional_db, in_browser, artifacts, tmp_path
):
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    party = factories.person("party")
    case = cf.submitted_case(court, applicant=party)
    other = cf.submitted_case(court)  # someone else's case
    lawyer = factories.person("party")
    lawyer.real_name, lawyer.phone = "赵律师", "13911112222"
    lawyer.save(update_fields=["real_name", "phone", "phone_hash"])
    applicant = case.parties.get(role="applicant")
    poa = tmp_path / "授权委托书.pdf"
    poa.write_bytes(small_pdf("授权委托书"))
    prefix = f"#id_agent-{applicant.pk}"

    def journey(new_page):
        p = new_page(phone=True)
        log_in(p, url, party)
        p.goto(f"{url}/cases/{case.pk}/")
        p.click(f"#name-agent-{applicant.pk} > summary")
        p.fill(f"{prefix}-name", "赵律师")
        p.fill(f"{prefix}-phone", "13911112222")
        p.select_option(f"{prefix}-kind", "lawyer")
        p.fill(f"{prefix}-licence_number", "11101201810123456")
        p.fill(f"{prefix}-firm", "北京某某律师事务所")
        p.check(f"{prefix}-scope_1")  # special authorisation
        p.set_input_files(f"{prefix}-power_of_attorney", str(poa))
        with p.expect_navigation():
            p.click(f"#name-agent-{applicant.pk} button[type=submit]")
        agent = Agent.objects.get()
        assert agent.user == lawyer and agent.special and agent.party == applicant
        assert p.locator(f"#revoke-agent-{applicant.pk}").count() == 1
        assert p.locator("#parties .agent").get_by_text("赵律师").count() == 1
        assert p.locator("#files").get_by_text("授权委托书.pdf").count() == 1
        assert p.locator("#timeline [data-fact='case.agent_named']").count() == 1
        assert p.evaluate("document.documentElement.scrollWidth") <= p.evaluate("window.innerWidth")
        p.screenshot(path=str(artifacts / "agent-named-phone.png"), full_page=True)

        a = new_page()
        log_in(a, url, lawyer)
        a.goto(f"{url}/cases/mine/")
        with a.expect_navigation():
            a.click(f"a[href='/cases/{case.pk}/']")
        assert path_of(a) == f"/cases/{case.pk}/"
        assert a.locator(".case-title").inner_text() == case.title
        assert a.locator(f"a[href='/cases/{other.pk}/']").count() == 0
        assert a.locator(f"#name-agent-{applicant.pk}").count() == 0  # an agent appoints no one
        assert not a.errors and not p.errors
        response = a.goto(f"{url}/cases/{other.pk}/")
        assert response is not None and response.status == 404

    in_browser(journey)
