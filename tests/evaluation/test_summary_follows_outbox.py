"""The summary follows the outbox: cases moved through the real actions show in the figures
once the delivery worker has handled their events, and the nightly rebuild finds nothing
to correct; a summary row changed behind its back is reported by `--check` and put right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from sutiao.cases import actions
from sutiao.delivery.engine import process_outbox
from sutiao.evaluation import queries, summary
from sutiao.evaluation.models import DailyFigure
from sutiao.evaluation.scopes import Scope
from tests import clock, factories
from tests.cases import factories as cf

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]
TODAY = dt.date(2026, 10, 12)


def _two_cases():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    settled = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    settled = actions.accept(actor=mediator.user, case=settled)
    actions.settle(actor=mediator.user, case=settled)
    waiting = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    return court, mediator, waiting


def _court_figures(court):
    return queries.figures(Scope("court", str(court.pk), court), TODAY, TODAY).as_dict()


def test_figures_follow_the_actions_through_the_outbox_worker():
    court, mediator, waiting = _two_cases()
    assert _court_figures(court)["received"] == 0  # nothing until the worker runs
    process_outbox(limit=500)
    figures = _court_figures(court)
    assert figures["received"] == 2
    assert figures["assigned_3wd"] == 2 and figures["accepted_3wd"] == 1
    assert figures["settled"] == 1 and figures["success_rate"] == 1.0
    assert figures["median_days"] == 0.0
    # The mediator declines the waiting case (OMR 29): it goes back, nothing is counted twice.
    actions.decline(actor=mediator.user, case=waiting, reason="与当事人存在利害关系")
    process_outbox(limit=500)
    assert _court_figures(court)["received"] == 2
    # Topics the worker does not handle (the decline) and the notices' service outcomes
    # reach the summary at the case's next handled event or at the nightly rebuild.
    summary.rebuild()
    assert summary.rebuild(check=True) == []
    assert _court_figures(court)["received"] == 2


def test_check_reports_a_row_changed_behind_the_summarys_back_and_rebuild_corrects_it():
    court, _, _ = _two_cases()
    process_outbox(limit=500)
    DailyFigure.objects.filter(court_id=court.pk).update(received=99)
    with pytest.raises(CommandError, match="differ from the raw tables"):
        call_command("evaluation", "rebuild", "--check")
    assert DailyFigure.objects.aggregate(n=Sum("received"))["n"] >= 99  # --check changes nothing
    assert len(summary.rebuild()) >= 1
    assert summary.rebuild(check=True) == []
    assert _court_figures(court)["received"] == 2
