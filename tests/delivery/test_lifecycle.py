"""Services and deliveries change state only through their tables (delivery/lifecycle.py);
the refusals keep the stable codes and messages they had before the table."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from sutiao.core import events, lifecycle
from sutiao.core.errors import Conflict
from sutiao.delivery import actions
from sutiao.delivery.errors import DeliveryError
from sutiao.delivery.events import STEPS
from sutiao.delivery.lifecycle import DELIVERY, SERVICE, allows
from sutiao.delivery.models import AddressConfirmation, Delivery, Service


def test_both_machines_are_registered_on_the_engine():
    assert lifecycle.MACHINES["delivery.Service"] is SERVICE
    assert lifecycle.MACHINES["delivery.Delivery"] is DELIVERY


def test_every_step_names_the_registered_fact_it_writes():
    events.discover()
    steps = {(m.prefix, name) for m in (SERVICE, DELIVERY) for name in m.transitions}
    assert set(STEPS) == steps
    for step, name in STEPS.items():
        assert name in events.EVENTS, (step, name)


def test_the_worker_s_steps_are_the_system_s():
    for name, t in DELIVERY.transitions.items():
        if name != "send_again":
            assert t.by == {"system"}, name


def test_paper_service_stands_against_a_later_effect():
    service = Service(state=Service.State.PAPER_SERVED)
    assert not allows(SERVICE, service, "take_effect")
    assert allows(SERVICE, service, "record_paper_copy")


@pytest.mark.django_db
def test_sending_again_what_did_not_fail_keeps_its_code(served_case):
    s = served_case
    service = actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )[0]
    with pytest.raises(Conflict) as refused:
        actions.send_again(actor=s.judge, service=service)
    assert refused.value.code == DeliveryError.NOT_FAILED
    with translation.override("en"):
        assert str(refused.value.message) == "Only a service that could not be made is sent again."
    assert refused.value.details["transition"] == "send_again"


@pytest.mark.rule("CPL-90a")
@pytest.mark.django_db
def test_sending_again_without_consent_fails_its_precondition(served_case):
    s = served_case
    service = actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )[0]
    Service.objects.filter(pk=service.pk).update(state=Service.State.FAILED)
    # A change of addresses is a new confirmation: this one withdraws consent.
    AddressConfirmation.objects.create(
        party=service.party, consents_e_service=False, recorded_at=timezone.now()
    )
    with pytest.raises(Conflict) as refused:
        actions.send_again(actor=s.judge, service=service)
    assert refused.value.code == DeliveryError.NO_CONSENT
    assert refused.value.details["precondition"] == "consents"


@pytest.mark.rule("CPL-90c")
@pytest.mark.django_db
def test_a_proof_before_effect_keeps_its_code(served_case):
    s = served_case
    service = actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )[0]
    assert service.deliveries.filter(state=Delivery.State.QUEUED).exists()
    with pytest.raises(Conflict) as refused:
        actions.issue_proof(actor=s.judge, service=service)
    assert refused.value.code == DeliveryError.NOT_EFFECTIVE
