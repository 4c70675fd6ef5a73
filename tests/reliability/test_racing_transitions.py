"""50 processes race to take a step on one case (25 accept it, 25 decline it, all at once
after a barrier) on PostgreSQL → exactly one wins; every other is refused with a domain
error (no deadlock, no integrity error, no second winner), one audit entry, the chain intact.

Processes, not threads: each has its own connection and its own Python, as gunicorn's
workers do; the case row's lock (SELECT … FOR UPDATE) is what makes them queue."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter

import pytest
from django.db import connections

from sutiao.audit.log import verify
from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.models import Case
from sutiao.core.errors import DomainError
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]

N = 50


def _racer(step: str, case_id: int, user_id: int, barrier, results) -> None:
    """In a forked process: wait for the others, take the step, report how it went."""
    from sutiao.accounts.models import User

    try:
        user = User.objects.get(pk=user_id)
        case = Case.objects.get(pk=case_id)
        barrier.wait(timeout=600)
        if step == "accept":
            actions.accept(actor=user, case=case)
        else:
            actions.decline(actor=user, case=case, reason="时间冲突")
        results.put((step, "won"))
    except DomainError as refused:
        results.put((step, f"refused {refused.code}"))
    except BaseException as crash:  # noqa: BLE001 - reported to the test, which fails on it
        results.put((step, f"crash {crash!r}"))
    finally:
        connections.close_all()
        results.close()
        results.join_thread()  # the queue's feeder thread has sent the outcome
        os._exit(0)


def test_fifty_racing_processes_one_transition_wins():
    court = factories.court()
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    connections.close_all()  # a forked child must open its own connection
    fork = multiprocessing.get_context("fork")
    barrier, results = fork.Barrier(N), fork.Queue()
    steps = ["accept", "decline"] * (N // 2)
    racers = [
        fork.Process(target=_racer, args=(step, case.pk, mediator.user_id, barrier, results))
        for step in steps
    ]
    for p in racers:
        p.start()
    outcomes = [results.get(timeout=900) for _ in racers]
    for p in racers:
        p.join(timeout=60)

    by_result = Counter(result.split(" ")[0] for _step, result in outcomes)
    assert by_result == {"won": 1, "refused": N - 1}, Counter(outcomes)
    (winner,) = [step for step, result in outcomes if result == "won"]
    case.refresh_from_db()
    assert case.state != "awaiting_acceptance"
    assert (case.state == "mediating") == (winner == "accept"), (winner, case.state)
    entries = AuditEntry.objects.filter(
        action__in=["case.accept", "case.decline"], object_id=str(case.pk)
    )
    assert list(entries.values_list("action", flat=True)) == [f"case.{winner}"]
    assert verify().ok
