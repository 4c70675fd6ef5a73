"""Scoring schemes as data: versions with indicators, weights, thresholds and a period; a
published version never changes, so a new one never alters scores computed under an
earlier one; the performance file shows each indicator's value, weight and points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.delivery.engine import process_outbox
from sutiao.evaluation import actions as ev
from sutiao.evaluation import scoring
from sutiao.evaluation.models import ScoringVersion
from sutiao.evaluation.scopes import Scope
from tests import clock, factories
from tests.cases import factories as cf

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]
TERMS = [
    {"code": "success_rate", "weight": 60, "threshold": 80},
    {"code": "satisfaction", "weight": 40, "threshold": 4},
]


def _setup():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    actions.settle(actor=mediator.user, case=case)
    process_outbox(limit=500)
    return court, clerk, mediator


def _score(version, mediator):
    scope = Scope("mediator", str(mediator.pk), mediator)
    start, end = scoring.period_of(version.period, dt.date(2026, 10, 12))
    return scoring.score(version, scoring.inputs_of(scope, start, end), start, end)


def test_a_new_version_never_alters_a_score_computed_under_an_earlier_one():
    court, clerk, mediator = _setup()
    scheme = ev.create_scheme(actor=clerk, name="调解员考评", owner=court)
    v1 = ev.publish_version(
        actor=clerk,
        version=ev.save_version(actor=clerk, scheme=scheme, period="quarter", indicators=TERMS),
    )
    first = _score(v1, mediator)
    # Success 100% meets 80: 60 points; no survey answers: 0 of 40.
    assert [p.points for p in first.parts] == [60.0, 0.0] and first.total == 60.0
    v2 = ev.save_version(
        actor=clerk,
        scheme=scheme,
        period="year",
        indicators=[{"code": "success_rate", "weight": 10, "threshold": 100}],
    )
    ev.publish_version(actor=clerk, version=v2)
    v1.refresh_from_db()
    assert v1.indicators == [{**t, "threshold": float(t["threshold"])} for t in TERMS]
    again = _score(v1, mediator)
    assert again.total == first.total and [p.points for p in again.parts] == [60.0, 0.0]
    with pytest.raises(Conflict) as published:
        ev.publish_version(actor=clerk, version=v1)
    assert published.value.code == "scoring.published"
    # The file shows the current version's score in words.
    page = factories.client_for(clerk).get(
        reverse("evaluation:scope", args=["mediator", mediator.pk])
    )
    text = page.content.decode()
    assert "调解员考评" in text and "100.0</strong>" in text
    assert ScoringVersion.objects.filter(scheme=scheme).count() == 2
    assert AuditEntry.objects.filter(action="scoring.version_published").count() == 2


def test_a_draft_names_known_indicators_with_positive_weights_only_staff_of_the_owner():
    court, clerk, mediator = _setup()
    scheme = ev.create_scheme(actor=clerk, name="考评", owner=court)
    for bad in (
        [{"code": "nonsense", "weight": 1, "threshold": 1}],
        [{"code": "success_rate", "weight": 0, "threshold": 1}],
        [{"code": "success_rate", "weight": 1, "threshold": 1}] * 2,
        [],
    ):
        with pytest.raises(Invalid) as refused:
            ev.save_version(actor=clerk, scheme=scheme, period="month", indicators=bad)
        assert refused.value.code == "scoring.bad_terms"
    assert not ScoringVersion.objects.exists()
    other = factories.person("court_clerk", court=factories.court())
    with pytest.raises(NotFound):
        ev.save_version(actor=other, scheme=scheme, period="month", indicators=TERMS)
    with pytest.raises(Forbidden):
        ev.create_scheme(actor=other, name="x", owner=court)
    client = factories.client_for(clerk)
    url = reverse("evaluation:scheme", args=[scheme.pk])
    response = client.post(url, {"period": "month", "w_success_rate": "5", "t_success_rate": "70"})
    assert response.status_code == 302
    version = ScoringVersion.objects.get()
    assert version.indicators == [{"code": "success_rate", "weight": 5, "threshold": 70.0}]
    assert client.post(reverse("evaluation:publish", args=[scheme.pk, 1])).status_code == 302
    assert factories.client_for(other).get(url).status_code == 404
