"""Rules of RULES.md §7–8 the code enforces and no other test exercised: an application the
parties fail to supplement is deemed withdrawn (CPL-I 356–357), and the mediation document's
page tells the parties a settled case pays half the court fee (诉讼费用交纳办法 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sutiao.core.errors import Conflict, Invalid
from sutiao.judicial import actions
from sutiao.judicial.choices import State
from tests import factories
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY
from tests.judicial.test_mediation_document import _issue, entrusted  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.mark.rule("CPL-I-356")
def test_cpl_i_356_an_application_not_supplemented_in_time_is_deemed_withdrawn(world):
    app = actions.apply(
        actor=world.applicant, agreement=af.signed_agreement(world), court_id=world.court.pk
    )
    app = actions.submit_part(actor=world.respondent, application=app)
    request = actions.request_supplement(
        actor=world.judge, application=app, items="提交营业执照复印件", days=5
    )
    # While the parties still have time, the judge cannot treat it as withdrawn.
    with pytest.raises(Conflict) as early:
        actions.deem_withdrawn(actor=world.judge, application=app, reason="未按期补充材料")
    assert early.value.code == "judicial.supplement_running"
    late = request.deadline_at + timedelta(minutes=1)
    with pytest.raises(Invalid):
        actions.deem_withdrawn(actor=world.judge, application=app, reason=" ", at=late)
    app = actions.deem_withdrawn(
        actor=world.judge, application=app, reason="未按期补充材料", at=late
    )
    assert app.state == State.WITHDRAWN and app.clock == ""


@pytest.mark.rule("Fees-15")
def test_fees_15_the_mediation_document_page_shows_the_half_fee_saving(entrusted):  # noqa: F811
    _issue(entrusted)
    client = factories.client_for(entrusted.applicant)
    client.cookies["django_language"] = "en"
    page = client.get(f"/judicial/case/{entrusted.case.pk}/mediation-document/")
    assert page.status_code == 200
    assert "A settled case pays half the court fee." in page.content.decode()
