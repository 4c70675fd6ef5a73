"""Signing an agreement through its page: ask for a one-time code, sign with it (the pair of
views agreements share with mediation documents)."""

from __future__ import annotations

import pytest

from sutiao.agreements import actions
from sutiao.agreements.models import Agreement
from sutiao.agreements.queries import signed_fields
from tests import factories
from tests.clock import WORKING_MONDAY

from . import factories as af

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def test_a_party_asks_for_a_code_and_signs_through_the_page(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    page = f"/agreements/case/{world.case.pk}/"
    c = factories.client_for(world.respondent)
    asked = c.post(f"/agreements/{agreement.pk}/code/", {"channel": "sms"})
    assert asked.status_code == 302 and asked["Location"] == page + "#sign"
    code = af.code_for(world.respondent)
    wrong = c.post(f"/agreements/{agreement.pk}/sign/", {"code": "1" if code != "1" else "2"})
    assert wrong.status_code == 200  # the page again, the refusal beside the form
    assert not signed_fields(Agreement.objects.get(pk=agreement.pk))
    signed = c.post(f"/agreements/{agreement.pk}/sign/", {"code": code})
    assert signed.status_code == 302 and signed["Location"] == page + "#signing"
    assert signed_fields(Agreement.objects.get(pk=agreement.pk))


def test_a_stranger_can_neither_ask_for_a_code_nor_sign(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    c = factories.client_for(factories.person("party"))
    assert c.post(f"/agreements/{agreement.pk}/code/", {"channel": "sms"}).status_code == 404
    assert c.post(f"/agreements/{agreement.pk}/sign/", {"code": "123456"}).status_code == 404
    assert c.get(f"/agreements/{agreement.pk}/sign/").status_code == 405
