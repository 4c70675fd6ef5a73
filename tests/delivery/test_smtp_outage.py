"""Must-show 3: the SMTP server is down for a while; deliveries retry with backoff and complete
once it is back, nothing lost. And when it stays down, after N attempts the service is marked
"could not serve", the person who served is told, and the clerk sees it."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from sutiao.delivery import actions, engine
from sutiao.delivery.models import Delivery, InboxItem, Service
from tests import factories
from tests.clock import WORKING_MONDAY

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.fixture
def fast_retries(settings):
    settings.DELIVERY_BACKOFF_SECONDS = 0.05
    settings.DELIVERY_BACKOFF_MAX_SECONDS = 0.5
    settings.DELIVERY_MAX_ATTEMPTS = 5


def email_only(s) -> None:
    """The parties accept service by e-mail only, so e-mail is what serves them."""
    for party, user, address in (
        (s.applicant, s.applicant_user, APPLICANT_MAIL),
        (s.respondent, s.respondent_user, RESPONDENT_MAIL),
    ):
        actions.confirm_addresses(
            actor=user, party=party, e_service=True, email=address, inbox=False
        )


def one_pass() -> None:
    """One worker pass at one moment: a delivery that fails in it waits for its backoff and is
    not taken again in the same pass, however slowly the pass runs on a loaded machine."""
    engine.run_once(now=timezone.now())


def pass_after_backoff() -> None:
    time.sleep(0.6)  # longer than any backoff here
    one_pass()


def test_deliveries_retry_while_the_server_is_down_and_complete_when_it_returns(
    served_case, smtp, fast_retries
):
    s = served_case
    email_only(s)
    smtp.stop()
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    one_pass()
    pass_after_backoff()
    emails = Delivery.objects.filter(channel="email", purpose="service")
    assert emails.count() == 2
    for d in emails:
        assert d.state == Delivery.State.QUEUED and d.attempts == 2
        assert "ConnectionRefusedError" in d.last_error
        retries = d.events.filter(kind="retry")
        assert retries.count() == 2
        assert all(e.detail["next_at"] for e in retries)
    assert Service.objects.filter(state=Service.State.PENDING).count() == 2
    assert not any(Service.objects.values_list("proof", flat=True))

    smtp.start()  # back, same port
    time.sleep(0.6)
    engine.run_once()  # a pass as the worker runs it: the proofs follow in the same pass

    for address in (APPLICANT_MAIL, RESPONDENT_MAIL):
        assert len(smtp.mail.mailboxes[address]) == 1
        assert len(smtp.mail.sent_to(address)) == 1
    for d in emails.all():
        assert d.state == Delivery.State.ARRIVED and d.attempts == 3 and d.last_error == ""
        assert list(d.events.values_list("kind", flat=True)) == [
            "queued",
            "sending",
            "retry",
            "sending",
            "retry",
            "sending",
            "sent",
            "arrived",
        ]
    for service in Service.objects.all():
        assert service.state == Service.State.EFFECTIVE
        assert service.effective_at == service.deliveries.get(channel="email").arrived_at
        assert service.proof is not None


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.DELIVERY_BACKOFF_SECONDS = 30
    settings.DELIVERY_BACKOFF_MAX_SECONDS = 3600
    seconds = [actions.backoff(n).total_seconds() for n in range(1, 10)]
    for n, value in enumerate(seconds, start=1):
        expected = min(30 * 2 ** (n - 1), 3600)
        assert expected <= value <= expected * 1.1


def test_after_the_last_attempt_the_clerk_sees_could_not_serve(
    served_case, smtp, fast_retries, settings
):
    settings.DELIVERY_MAX_ATTEMPTS = 3
    s = served_case
    email_only(s)
    smtp.stop()
    actions.serve_document(
        actor=s.clerk, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    for _ in range(4):
        pass_after_backoff()
    for service in Service.objects.all():
        assert service.state == Service.State.FAILED
        d = service.deliveries.get(channel="email")
        assert d.state == Delivery.State.FAILED and d.attempts == 3
        assert list(service.events.values_list("kind", flat=True))[-2:] == [
            "failed",
            "could_not_serve",
        ]
    # The clerk who served is told in the inbox, and sees it on the case page and the queue.
    told = InboxItem.objects.filter(user=s.clerk)
    assert told.count() == 2 and all("无法电子送达" in i.title for i in told)
    clerk = factories.client_for(s.clerk)
    clerk.cookies["django_language"] = "en"
    html = clerk.get(f"/cases/{s.case.pk}/").content.decode()
    assert "Could not serve" in html and 'id="needs-paper"' in html
    queue = clerk.get("/delivery/paper/").content.decode()
    assert queue.count("data-service=") == 2

    # The server is back: the clerk sends again, and it is served.
    smtp.start()
    service = Service.objects.get(party=s.respondent)
    response = clerk.post(f"/delivery/services/{service.pk}/send-again/")
    assert response.status_code == 302
    engine.run_once()
    service.refresh_from_db()
    assert service.state == Service.State.EFFECTIVE
    assert len(smtp.mail.mailboxes[RESPONDENT_MAIL]) == 1
