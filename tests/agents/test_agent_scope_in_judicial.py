"""CPL 62, CPL-I 89: applying for judicial confirmation disposes of the claims as settling
does, so an agent applies, or gives its party's part, only with special authorisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sutiao.cases import actions
from sutiao.cases.actions import AgentIn
from sutiao.cases.models import Agent
from sutiao.core.errors import Forbidden
from sutiao.judicial import actions as judicial
from sutiao.judicial.models import ApplicationPart, ConfirmationApplication
from tests import factories
from tests.agents.test_agents import lawyer, name_lawyer, pdf
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def special_agent_of_applicant(world):
    user = lawyer("孙律师", "13955556666")
    actions.name_agent(
        actor=world.applicant,
        case=world.case,
        party=world.case.parties.get(role="applicant"),
        data=AgentIn(
            name="孙律师",
            phone="13955556666",
            kind=Agent.Kind.LAWYER,
            scope=Agent.Scope.SPECIAL,
            licence_number="11101201810654321",
            firm="北京某某律师事务所",
        ),
        power_of_attorney=pdf(),
    )
    return user


@pytest.mark.rule("CPL-62")
def test_an_agent_without_special_authorisation_cannot_apply_or_give_its_partys_part(world):
    general = lawyer()
    name_lawyer(world, general, scope=Agent.Scope.GENERAL)  # the respondent's agent
    special = special_agent_of_applicant(world)
    agreement = af.signed_agreement(world)  # the parties sign themselves
    page = factories.client_for(general).get(reverse("judicial:case", args=[world.case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="no-special-authority"' in body and 'id="apply-button"' not in body

    # The general agent can neither start the application nor give the respondent's part.
    with pytest.raises(Forbidden) as refused:
        judicial.apply(actor=general, agreement=agreement, court_id=world.court.pk)
    assert refused.value.code == "judicial.agent_without_special_authority"
    assert "乙公司" in str(refused.value.message)  # the party it acts for, by name
    assert not ConfirmationApplication.objects.exists()

    app = judicial.apply(actor=special, agreement=agreement, court_id=world.court.pk)
    assert app.parts.get().as_agent
    with pytest.raises(Forbidden) as refused:
        judicial.submit_part(actor=general, application=app)
    assert refused.value.code == "judicial.agent_without_special_authority"
    assert ApplicationPart.objects.filter(application=app).count() == 1

    # The party itself still gives its part.
    app = judicial.submit_part(actor=world.respondent, application=app)
    assert app.parts.count() == 2
