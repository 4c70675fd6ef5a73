"""Must-show 4: a party without consent to electronic service is never served electronically,
whatever addresses the platform knows for it; the clerk sees "needs paper service" and
records the paper route. A paper copy is also given to a consenting party who asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.delivery import actions, engine
from sutiao.delivery.models import Delivery, InboxItem, Service, SmsRecord
from tests import factories

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_consent(db, media):
    """The respondent has an account, an e-mail and a phone on file, but gave no consent."""
    s = build_case(respondent_consents=False)
    s.respondent.phone = "13900139000"
    s.respondent.save(update_fields=["phone"])
    return s


@pytest.mark.rule("CPL-90a")
def test_a_party_without_consent_is_never_served_electronically(no_consent, smtp):
    s = no_consent
    services = actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    paper = next(sv for sv in services if sv.party == s.respondent)
    assert paper.state == Service.State.NEEDS_PAPER
    assert paper.deliveries.count() == 0
    assert list(paper.events.values_list("kind", flat=True)) == ["served", "needs_paper"]

    engine.run_once()
    engine.run_once()
    # Nothing went to any of its addresses, nor to its platform inbox.
    assert RESPONDENT_MAIL not in smtp.mail.mailboxes
    assert not SmsRecord.objects.filter(to="13900139000").exists()
    assert not InboxItem.objects.filter(user=s.respondent_user).exists()
    assert not Delivery.objects.filter(service__party=s.respondent).exists()
    paper.refresh_from_db()
    assert paper.state == Service.State.NEEDS_PAPER and paper.proof is None
    # The consenting applicant was served as usual.
    assert len(smtp.mail.mailboxes[APPLICANT_MAIL]) == 1
    assert Service.objects.get(party=s.applicant).state == Service.State.EFFECTIVE


@pytest.mark.rule("CPL-90a")
def test_the_clerk_sees_needs_paper_service_and_records_the_paper_route(no_consent, smtp):
    s = no_consent
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    service = Service.objects.get(party=s.respondent)
    clerk = factories.client_for(s.clerk)
    clerk.cookies["django_language"] = "en"
    html = clerk.get(f"/cases/{s.case.pk}/").content.decode()
    assert "Needs paper service" in html and 'id="needs-paper"' in html
    queue = clerk.get("/delivery/paper/").content.decode()
    assert f'data-service="{service.pk}"' in queue and "Needs paper service" in queue
    page = clerk.get(f"/delivery/services/{service.pk}/").content.decode()
    assert "the recipient has not consented to electronic service" in page

    # In Chinese too.
    clerk.cookies["django_language"] = "zh-hans"
    assert "需纸质送达" in clerk.get(f"/cases/{s.case.pk}/").content.decode()

    today = timezone.localdate()
    response = clerk.post(
        f"/delivery/services/{service.pk}/paper/",
        {
            "paper-route": "post",
            "paper-served_on": today.isoformat(),
            "paper-receipt_number": "EMS1234567890CN",
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.state == Service.State.PAPER_SERVED
    assert service.effective_basis == "paper"
    assert timezone.localtime(service.effective_at).date() == today
    assert service.paper.get().receipt_number == "EMS1234567890CN"
    assert f'data-service="{service.pk}"' not in clerk.get("/delivery/paper/").content.decode()


@pytest.mark.rule("CPL-90a")
def test_paper_service_is_for_the_court_and_checked(no_consent):
    s = no_consent
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    service = Service.objects.get(party=s.respondent)
    with pytest.raises(Forbidden):
        actions.record_paper_service(
            actor=s.respondent_user, service=service, route="post", served_on=timezone.localdate()
        )
    with pytest.raises(NotFound):
        actions.record_paper_service(
            actor=factories.person("party"),
            service=service,
            route="post",
            served_on=timezone.localdate(),
        )
    with pytest.raises(Invalid):
        actions.record_paper_service(
            actor=s.clerk, service=service, route="pigeon", served_on=timezone.localdate()
        )
    with pytest.raises(Invalid):
        actions.record_paper_service(
            actor=s.clerk,
            service=service,
            route="post",
            served_on=timezone.localdate() + dt.timedelta(days=1),
        )


@pytest.mark.rule("CPL-90d")
def test_a_consenting_party_may_ask_for_a_paper_copy(served_case, smtp):
    s = served_case
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    service = Service.objects.get(party=s.applicant)
    party = factories.client_for(s.applicant_user)
    assert party.post(f"/delivery/services/{service.pk}/request-paper/").status_code == 302
    service.refresh_from_db()
    assert service.paper_requested_at is not None
    clerk = factories.client_for(s.clerk)
    assert f'data-service="{service.pk}"' in clerk.get("/delivery/paper/").content.decode()
    actions.record_paper_service(
        actor=s.clerk, service=service, route="messenger", served_on=timezone.localdate()
    )
    service.refresh_from_db()
    # A copy: the electronic service stays what took effect.
    assert service.state == Service.State.EFFECTIVE and service.paper.get().on_request
    assert f'data-service="{service.pk}"' not in clerk.get("/delivery/paper/").content.decode()
