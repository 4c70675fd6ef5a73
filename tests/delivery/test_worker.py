"""The worker: leases so that two workers never send the same row, serve_document inside the
caller's transaction (nothing served when it rolls back), the outbox handlers, the runners
(management command, Celery task wrappers) and the live push from the worker's thread."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.core.models import OutboxEvent
from sutiao.delivery import actions, engine, faults
from sutiao.delivery.models import Delivery, DeliveryEvent, Service
from sutiao.web.layers import InMemoryChannelLayer
from tests import factories

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL

pytestmark = pytest.mark.django_db


def serve(s, **kw):
    return actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling", **kw
    )


def test_a_claimed_row_is_not_claimed_again_until_its_lease_runs_out(served_case, settings):
    s = served_case
    serve(s)
    now = timezone.now()
    claimed = []
    while (claim := actions.claim_next(now=now)) is not None:
        claimed.append(claim.delivery.pk)
    assert sorted(claimed) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(set(claimed)) == len(claimed)  # every row once
    assert actions.claim_next(now=now + dt.timedelta(seconds=10)) is None  # leases hold
    later = now + dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    retaken = actions.claim_next(now=later)
    assert retaken is not None and retaken.in_doubt and retaken.attempt == 2


def test_a_late_record_after_the_lease_passed_to_another_attempt_is_kept_not_applied(
    served_case, smtp
):
    s = served_case
    serve(s)
    claim = actions.claim_next()
    later = timezone.now() + dt.timedelta(minutes=5)
    second = actions.claim_next(now=later)
    assert second.delivery.pk == claim.delivery.pk and second.attempt == 2
    assert actions.record_sent(delivery_id=claim.delivery.pk, attempt=1, arrived=True) is None
    d = Delivery.objects.get(pk=claim.delivery.pk)
    assert d.state == Delivery.State.SENDING  # the second attempt owns it
    assert d.events.filter(kind="sent", detail__late=True).exists()


def test_in_process_kill_between_accept_and_record_then_recovery(served_case, smtp, settings):
    """The same fault as the subprocess test, in-process and quicker (PostgreSQL and SQLite)."""
    s = served_case
    serve(s)
    faults.arm("after_accept", "raise")
    try:
        with pytest.raises(faults.WorkerKilled):
            engine.run_once()
    finally:
        faults.disarm()
    stuck = Delivery.objects.get(state=Delivery.State.SENDING)
    assert stuck.channel == "email"
    engine.run_once(now=timezone.now() + dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1))
    stuck.refresh_from_db()
    assert stuck.state == Delivery.State.ARRIVED
    assert stuck.events.filter(kind=DeliveryEvent.Kind.IN_DOUBT).count() == 1
    for address in (APPLICANT_MAIL, RESPONDENT_MAIL):
        assert len(smtp.mail.mailboxes[address]) == 1


def test_nothing_is_served_when_the_callers_transaction_rolls_back(served_case):
    s = served_case
    with pytest.raises(RuntimeError), transaction.atomic():
        serve(s)
        raise RuntimeError("the agreement could not be signed after all")
    assert not Service.objects.exists() and not Delivery.objects.exists()
    assert not OutboxEvent.objects.filter(topic="delivery.served").exists()


def test_who_may_serve_and_what(served_case):
    s = served_case
    with pytest.raises(Forbidden):
        actions.serve_document(
            actor=s.applicant_user, case=s.case, document=s.ruling, title="x", kind="ruling"
        )
    # ... but the platform serves an agreement when a party's signature makes it effective.
    assert actions.serve_document(
        actor=s.applicant_user, case=s.case, document=s.ruling, title="调解协议书", kind="agreement"
    )
    with pytest.raises(NotFound):
        actions.serve_document(
            actor=factories.person("party"),
            case=s.case,
            document=s.ruling,
            title="x",
            kind="ruling",
        )
    with pytest.raises(Invalid):
        actions.serve_document(
            actor=s.judge, case=s.case, document=s.ruling, title="x", kind="poem"
        )
    other = factories.court("别的法院")
    from tests.cases import factories as cf

    stranger = cf.submitted_case(other).parties.first()
    with pytest.raises(Invalid):
        serve(s, recipients=[stranger])
    assert (
        actions.serve_document(
            actor=None, case=s.case, document=s.ruling, title="x", kind="confirmation"
        )[0].kind
        == "ruling"
    )


def test_a_failing_outbox_handler_is_retried_with_backoff(served_case, monkeypatch):
    calls = []

    def broken(payload):
        calls.append(payload)
        raise RuntimeError("boom")

    monkeypatch.setitem(engine.HANDLERS, "test.topic", broken)
    with transaction.atomic():
        OutboxEvent.objects.create(topic="test.topic", payload={"n": 1})
    assert engine.process_outbox() == 0
    event = OutboxEvent.objects.get(topic="test.topic")
    assert event.attempts == 1 and "boom" in event.last_error and event.delivered_at is None
    assert event.available_at > timezone.now()
    monkeypatch.setitem(engine.HANDLERS, "test.topic", lambda payload: calls.append(payload))
    assert engine.process_outbox(now=event.available_at + dt.timedelta(seconds=1)) == 1
    event.refresh_from_db()
    assert event.delivered_at is not None and len(calls) == 2


def test_the_management_command_runs_a_pass(served_case, smtp, capsys):
    serve(served_case)
    call_command("delivery", "work", "--once")
    assert '"arrived"' in capsys.readouterr().out
    call_command("delivery", "status")
    assert '"email.arrived": 2' in capsys.readouterr().out


def test_with_a_broker_the_commit_sends_the_celery_task(
    served_case, smtp, settings, django_capture_on_commit_callbacks
):
    from sutiao.delivery import tasks

    assert tasks.app is not None
    settings.BROKER_URL = "memory://"
    tasks.app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            serve(served_case)
    finally:
        tasks.app.conf.task_always_eager = False
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == 0
    assert len(smtp.mail.mailboxes[APPLICANT_MAIL]) == 1
    engine.scheduled_tick()  # with a broker the embedded job stands aside


def test_a_push_from_another_thread_wakes_the_servers_loop_at_once():
    """The embedded worker pushes from its own thread; the consumer waits in the server's loop
    (which here has nothing else to wake it). The layer hands the message to that loop."""
    layer = InMemoryChannelLayer()
    received: list[tuple[float, dict]] = []
    ready = threading.Event()

    def server():
        async def main():
            ready.set()
            message = await asyncio.wait_for(layer.receive("specific.test!1"), 5)
            received.append((time.monotonic(), message))

        asyncio.run(main())

    thread = threading.Thread(target=server)
    thread.start()
    ready.wait()
    time.sleep(0.2)  # the receiver is waiting
    sent = time.monotonic()
    async_to_sync(layer.send)("specific.test!1", {"type": "live.event", "n": 1})
    thread.join(6)
    assert received and received[0][1]["n"] == 1
    assert received[0][0] - sent < 0.5


@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_the_same_time_never_take_the_same_row(media):
    """Four workers claim concurrently (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer
    at a time): every delivery is claimed once, by one of them."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from .conftest import build_case

    s = build_case()
    for _ in range(5):
        serve(s)
    total = Delivery.objects.count()
    start = threading.Barrier(4)

    def worker():
        taken = []
        start.wait()
        try:
            while (claim := actions.claim_next()) is not None:
                taken.append(claim.delivery.pk)
        finally:
            connection.close()
        return taken

    with ThreadPoolExecutor(4) as pool:
        results = [f.result() for f in [pool.submit(worker) for _ in range(4)]]
    claimed = [pk for taken in results for pk in taken]
    assert len(claimed) == total == len(set(claimed))
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_row_interrupted_at_its_last_attempt_fails_and_the_next_one_is_claimed(
    served_case, settings
):
    settings.DELIVERY_MAX_ATTEMPTS = 1
    serve(served_case)
    first = actions.claim_next()  # attempt 1 of 1, then the worker "dies"
    later = timezone.now() + dt.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    second = actions.claim_next(now=later)
    assert second is not None and second.delivery.pk != first.delivery.pk
    stuck = Delivery.objects.get(pk=first.delivery.pk)
    assert stuck.state == Delivery.State.FAILED and stuck.last_error
    assert list(stuck.events.values_list("kind", flat=True))[-2:] == ["in_doubt", "failed"]
