"""Service addresses and consent (OLR 29–31): the party confirms and changes its addresses, with
history; service goes to every confirmed channel; at an address the recipient did not confirm
it takes effect only when the recipient opens, replies or acts."""

from __future__ import annotations

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.delivery import actions, engine, queries
from sutiao.delivery.models import AddressConfirmation, Delivery, Service, SmsRecord
from tests import factories

from .conftest import APPLICANT_MAIL

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CPL-90a", "SIR-14")
def test_the_party_changes_its_addresses_and_the_history_stays(served_case):
    s = served_case
    first = queries.current_addresses(s.applicant)
    assert first.pk is None and first.email == APPLICANT_MAIL  # as given on the case page
    row = actions.confirm_addresses(
        actor=s.applicant_user,
        party=s.applicant,
        e_service=True,
        email="new@applicant.example",
        phone="13700137000",
        method="prior_agreement",
    )
    assert row.confirmed_by_recipient and row.recorded_by == s.applicant_user
    s.applicant.refresh_from_db()
    assert s.applicant.service_email == "new@applicant.example"  # the case's consent follows
    assert s.applicant.service_phone == "13700137000"
    assert queries.current_addresses(s.applicant) == row
    actions.confirm_addresses(actor=s.applicant_user, party=s.applicant, e_service=False)
    history = list(AddressConfirmation.objects.filter(party=s.applicant))
    assert [h.consents_e_service for h in history] == [False, True]
    entry = AuditEntry.objects.filter(action="delivery.addresses_confirmed").last()
    assert "13700137000" not in str(entry.changes)  # never the number in the log

    # Through the page, with the form's errors beside the fields.
    page = factories.client_for(s.applicant_user)
    html = page.get("/delivery/addresses/").content.decode()
    assert f'id="party-{s.applicant.pk}"' in html
    bad = page.post(
        f"/delivery/addresses/{s.applicant.pk}/",
        {f"p{s.applicant.pk}-e_service": "on", f"p{s.applicant.pk}-method": "express"},
    )
    assert bad.status_code == 422
    ok = page.post(
        f"/delivery/addresses/{s.applicant.pk}/",
        {
            f"p{s.applicant.pk}-e_service": "on",
            f"p{s.applicant.pk}-inbox": "on",
            f"p{s.applicant.pk}-email": "third@applicant.example",
            f"p{s.applicant.pk}-method": "express",
        },
    )
    assert ok.status_code == 302
    assert queries.current_addresses(s.applicant).email == "third@applicant.example"


@pytest.mark.rule("CPL-90a")
def test_only_the_party_or_a_court_clerk_records_addresses(served_case):
    s = served_case
    with pytest.raises(Forbidden):
        actions.confirm_addresses(
            actor=s.respondent_user, party=s.applicant, e_service=True, email="x@example.com"
        )
    with pytest.raises(NotFound):
        actions.confirm_addresses(
            actor=factories.person("party"),
            party=s.applicant,
            e_service=True,
            email="x@example.com",
        )
    with pytest.raises(Invalid):
        actions.confirm_addresses(actor=s.applicant_user, party=s.applicant, e_service=True)
    with pytest.raises(Invalid):
        actions.confirm_addresses(
            actor=s.applicant_user, party=s.applicant, e_service=True, phone="12345"
        )
    row = actions.confirm_addresses(
        actor=s.clerk,
        party=s.respondent,
        e_service=True,
        email="found@respondent.example",
        method="address_in_filings",
    )
    assert not row.confirmed_by_recipient


@pytest.mark.rule("CPL-90a", "CPL-90e")
def test_every_consented_channel_is_used_and_an_sms_prompts_where_no_phone_was_given(
    served_case, smtp
):
    s = served_case
    actions.confirm_addresses(
        actor=s.respondent_user,
        party=s.respondent,
        e_service=True,
        email="legal@respondent.example",
        phone="13700137000",
    )
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    respondent = Service.objects.get(party=s.respondent)
    assert sorted(respondent.deliveries.values_list("channel", "purpose")) == [
        ("email", "service"),
        ("inbox", "service"),
        ("sms", "service"),
    ]
    applicant = Service.objects.get(party=s.applicant)
    # The applicant gave no phone for service, but has one on file: an SMS prompts to read.
    assert ("sms", "prompt") in set(applicant.deliveries.values_list("channel", "purpose"))
    texts = dict(SmsRecord.objects.values_list("to", "text"))
    assert set(texts) == {"13700137000", "13800138000"}
    assert all(t.startswith("【诉调平台】") and "民事裁定书" in t for t in texts.values())
    assert all(d.state == Delivery.State.ARRIVED for d in Delivery.objects.all())


@pytest.mark.rule("CPL-90b")
def test_at_an_unconfirmed_address_service_takes_effect_only_when_the_recipient_acts(
    served_case, smtp
):
    s = served_case
    actions.confirm_addresses(
        actor=s.clerk,
        party=s.respondent,
        e_service=True,
        email="found@respondent.example",
        inbox=True,
        method="address_in_filings",
        confirmed_by_recipient=False,
    )
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    service = Service.objects.get(party=s.respondent)
    assert service.deliveries.filter(state="arrived").count() == 2  # inbox and e-mail
    assert service.state == Service.State.PENDING  # arrived, but not effective (OLR 31)
    assert service.proof is None

    # The recipient follows the link in the e-mail: opened, and so served.
    email = service.deliveries.get(channel="email")
    page = factories.client_for(s.respondent_user)
    response = page.get(f"/delivery/open/{email.token}/")
    assert response.status_code == 302
    engine.run_once()
    service.refresh_from_db()
    email.refresh_from_db()
    assert email.opened_at is not None
    assert service.state == Service.State.EFFECTIVE
    assert service.effective_basis == "opened" and service.effective_at == email.opened_at
    assert service.proof is not None


@pytest.mark.rule("CPL-90b")
def test_acting_on_a_served_document_counts_for_its_recipient_only(served_case, smtp):
    s = served_case
    actions.confirm_addresses(
        actor=s.clerk,
        party=s.respondent,
        e_service=True,
        email="found@respondent.example",
        inbox=False,
        method="address_in_filings",
    )
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    assert actions.record_acted(actor=s.applicant_user, case=s.case, document=s.ruling)
    service = Service.objects.get(party=s.respondent)
    assert service.state == Service.State.PENDING
    done = actions.record_acted(
        actor=s.respondent_user, case=s.case, document=s.ruling, how="objected"
    )
    assert [d.pk for d in done] == [service.pk]
    service.refresh_from_db()
    assert service.state == Service.State.EFFECTIVE and service.effective_basis == "acted"
    assert service.effective_channel == "platform"


def test_a_stranger_following_a_link_learns_nothing(served_case, smtp):
    s = served_case
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    email = Delivery.objects.get(channel="email", service__party=s.respondent)
    stranger = factories.client_for(factories.person("party"))
    assert stranger.get(f"/delivery/open/{email.token}/").status_code == 404
    assert stranger.get("/delivery/open/not-a-token/").status_code == 404
    email.refresh_from_db()
    assert email.opened_at is None
