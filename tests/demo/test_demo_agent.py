"""The demo has an agent: 李四 names 孙律师 (log-in `lawyer`) on the case under mediation."""

from __future__ import annotations

import pytest

from sutiao.accounts.models import User
from sutiao.cases import queries
from sutiao.cases.models import Agent
from sutiao.demo import data
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.mark.rule("CPL-61")
def test_the_demo_lawyer_acts_for_the_respondent_on_the_mediating_case_only(media):  # noqa: F811
    loaded = data.load()
    assert not loaded.problems, loaded.problems
    data.load()  # idempotent: still one agent
    agent = Agent.objects.get()
    lawyer = User.objects.get(username="lawyer")
    assert agent.user == lawyer and agent.special and agent.party.role == "respondent"
    assert agent.party.case.state == "mediating"
    assert agent.power_of_attorney.content_type == "application/pdf"
    assert [c.pk for c in queries.for_party(lawyer)] == [agent.party.case_id]
