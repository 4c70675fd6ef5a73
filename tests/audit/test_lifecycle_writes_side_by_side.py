"""No row or lock is shared by every audited write (issue 14's must-show): while one case's
audited lifecycle write is open, uncommitted, audited lifecycle writes on another case commit
at once, and are linked into the chain before the open one is."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from sutiao.audit.log import verify
from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.choices import EndReason
from sutiao.cases.models import Case
from tests import factories
from tests.agreements.factories import mediating_case
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer per database: only PostgreSQL can show writes side by side",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


def _awaiting_acceptance(court):
    """Another case of the court, delegated to a mediator of its own, its parties consented."""
    mediator = cf.rostered_mediator(court, name="赵调解")
    clerk = factories.person("court_clerk", court=court)
    case = cf.submitted_case(court, respondent_user=factories.person("party"))
    return actions.delegate(actor=clerk, case=case, mediator=mediator), mediator.user


def _entries(case: Case):
    return AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))


def test_an_open_lifecycle_write_does_not_hold_up_those_on_another_case():
    held = mediating_case()
    other, other_mediator = _awaiting_acceptance(held.court)
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def end_and_hold() -> None:
        try:
            with transaction.atomic():
                actions.end(
                    actor=held.mediator_user,
                    case=held.case,
                    reason=EndReason.POSITIONS_TOO_FAR,
                    course="组织双方线上调解一次。",
                    reasons="双方分歧较大。",
                )
                holding.set()
                release.wait(20)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
            holding.set()
        finally:
            connection.close()

    slow = threading.Thread(target=end_and_hold)
    slow.start()
    try:
        assert holding.wait(20) and not failures
        started = time.monotonic()
        with transaction.atomic():  # a lock wait would fail here instead of hanging
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
            actions.accept(actor=other_mediator, case=other)
        actions.record_transcript(
            actor=other_mediator, case=other, session_date=WORKING_MONDAY.date(), text="第一次调解"
        )
        took = time.monotonic() - started
        # Committed and linked while the first write is still open (its entry not visible).
        assert Case.objects.get(pk=other.pk).state == "mediating"
        linked = _entries(other).filter(seq__isnull=False).values_list("action", flat=True)
        assert {"case.accept", "case.transcript_recorded"} <= set(linked)
        assert not _entries(held.case).filter(action="case.end").exists()
        assert took < 2, f"the writes on the other case took {took:.1f} s"
    finally:
        release.set()
        slow.join(20)
    assert not failures and not slow.is_alive()
    assert _entries(held.case).filter(action="case.end", seq__isnull=False).exists()
    assert verify().ok
