"""50 simultaneous "accept" requests on one case: exactly one wins, the others get 409.

The case row is locked (SELECT … FOR UPDATE on PostgreSQL, an IMMEDIATE transaction on
SQLite), so the racing requests queue and each later one sees the case already mediating."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client

from sutiao.audit.log import verify
from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]

N = 50


def test_fifty_concurrent_accepts_one_wins():
    court = factories.court()
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    client = factories.client_for(mediator.user)
    cookie = client.cookies
    barrier = threading.Barrier(N)
    statuses: list[int] = []
    lock = threading.Lock()

    def racer():
        c = Client()
        c.cookies = cookie
        try:
            barrier.wait()
            status = c.post(f"/api/v1/cases/{case.pk}/accept").status_code
        finally:
            connections.close_all()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=racer) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    counts = Counter(statuses)
    assert counts == {200: 1, 409: N - 1}, (connection.vendor, counts)
    case.refresh_from_db()
    assert case.state == "mediating"
    assert AuditEntry.objects.filter(action="case.accept", object_id=str(case.pk)).count() == 1
    assert verify().ok  # the audit chain stayed linear under the race
