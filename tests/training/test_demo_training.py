"""The demo's training: a public call of the Beijing office, and hours credited to half its
mediators, so that the roster page and the report show who is short."""

from __future__ import annotations

import pytest

from sutiao.demo import data
from sutiao.roster.models import Mediator
from sutiao.training.models import Call
from sutiao.training.queries import hours_status
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def test_the_demo_has_a_call_and_mediators_above_and_below_their_hours(media):  # noqa: F811
    loaded = data.load()
    assert not loaded.problems, loaded.problems
    assert Call.objects.filter(is_open=True, course__pre_joining=True).count() == 1
    beijing = list(Mediator.objects.filter(region__code__startswith="11"))
    below = [s.below for s in hours_status(beijing).values()]
    assert True in below and False in below
