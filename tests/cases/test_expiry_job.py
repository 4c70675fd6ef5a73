"""The scheduled job ends mediations whose period expired and hands them back to the court."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from sutiao import scheduler
from sutiao.cases import actions
from sutiao.cases.models import Case, CaseEvent
from tests import factories
from tests.cases import factories as cf


def overdue_case():
    court = factories.court(code="京73")
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    return actions.accept(actor=mediator.user, case=case, at=datetime.now(UTC) - timedelta(days=60))


@pytest.mark.rule("OMR-25")
@pytest.mark.django_db
def test_command_expires_and_lists(capsys):
    case = overdue_case()
    call_command("cases", "expire")
    assert "1 mediation(s) ended" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.state == "failed" and case.end_reason == 6
    assert CaseEvent.objects.filter(case=case, kind="expire", actor=None).exists()
    call_command("cases", "list", "--state", "failed")
    assert capsys.readouterr().out.strip() == case.number


@pytest.mark.django_db(transaction=True)
def test_embedded_scheduler_runs_the_job(monkeypatch):
    case = overdue_case()
    ran = threading.Event()

    def job():
        scheduler._expire_cases()
        ran.set()

    monkeypatch.setattr(scheduler, "JOBS", [("cases.expire", 0.05, job)])
    stop = scheduler.start()
    try:
        assert ran.wait(10)
    finally:
        stop.set()
    assert Case.objects.get(pk=case.pk).state == "failed"
