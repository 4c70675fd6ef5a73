"""Issue 15: each role's home at 390 px and 1366 px — what waits on them first, no page wider
than the screen; the screenshots go to /tmp/shots-workspace/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.agreements import actions as agreement_actions
from sutiao.cases import actions as case_actions
from sutiao.cases.actions import AgentIn
from sutiao.cases.models import Agent
from tests import factories
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.cases import factories as cf
from tests.cases.conftest import log_in, small_pdf
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]
SHOTS = Path("/tmp/shots-workspace")


def _people():
    seed_templates()
    w = af.mediating_case()
    lawyer = factories.person("party")
    case_actions.name_agent(
        actor=w.respondent,
        case=w.case,
        party=w.case.parties.get(role="respondent"),
        data=AgentIn(
            name=lawyer.real_name,
            phone=lawyer.phone,
            kind=Agent.Kind.LAWYER,
            scope=Agent.Scope.SPECIAL,
            licence_number="11101201810123456",
            firm="北京某某律师事务所",
        ),
        power_of_attorney=SimpleUploadedFile(
            "授权委托书.pdf", small_pdf("授权委托书"), content_type="application/pdf"
        ),
    )
    agreement_actions.open_for_signing(actor=w.mediator_user, agreement=af.draft(w))
    cf.submitted_case(w.court, applicant=factories.person("party"))
    return {
        "party": w.applicant,
        "agent": lawyer,
        "mediator": w.mediator_user,
        "org_admin": w.org_admin,
        "clerk": w.clerk,
        "judge": w.judge,
        "ip_office_staff": factories.person("ip_office_staff", ip_office=factories.office()),
        "supervisor": factories.person("national_supervisor", court=w.court),
    }


EXPECTED = {"party": "to_sign", "agent": "to_sign", "mediator": "to_mediate", "clerk": "to_assign"}


def test_each_roles_home_shows_its_work_and_fits_a_phone(live_server, transactional_db, in_browser):
    people = _people()
    SHOTS.mkdir(exist_ok=True)
    url = live_server.url

    def journey(new_page):
        widths = {}
        for role, user in people.items():
            page = new_page(phone=True)
            log_in(page, url, user)
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{url}/")
            assert page.locator("#my-work").count() == 1, role
            if role in EXPECTED:
                assert page.locator(f"#my-work li.todo[data-kind={EXPECTED[role]}]").count(), role
            widths[role] = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(SHOTS / f"home-{role}-390.png"), full_page=True)
            page.set_viewport_size({"width": 1366, "height": 900})
            page.reload()
            page.screenshot(path=str(SHOTS / f"home-{role}-1366.png"), full_page=True)
            assert page.errors == [], (role, page.errors)
        assert {r: w for r, w in widths.items() if w > 390} == {}

    in_browser(journey)
