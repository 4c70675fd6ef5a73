"""The demo's `mediator` log-in is the roster mediator its documents name: the one assigned to
the demo cases, who signs their agreements, under the log-in's own name."""

from __future__ import annotations

import pytest

from sutiao.accounts.models import User
from sutiao.cases.models import Case
from sutiao.demo import data
from sutiao.roster.models import Mediator
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def test_the_mediator_log_in_is_the_mediator_named_on_the_demo_documents(media):  # noqa: F811
    loaded = data.load()
    assert not loaded.problems, loaded.problems
    login = User.objects.get(username="mediator")
    mediator = Mediator.objects.get(user=login)
    assert mediator.name == login.real_name == "王建国"
    mediated = list(Case.objects.exclude(mediator=None))
    assert mediated, "the demo has cases with a mediator"
    assert {c.mediator_id for c in mediated} == {mediator.pk}
    signed = [s for c in mediated for a in c.agreements.all() for s in a.signatures.all()]
    by_mediator = [s for s in signed if s.field_name == "mediator"]
    assert by_mediator and {s.signed_by_id for s in by_mediator} == {login.pk}
