"""The mediation document's steps come from its table on the one engine: the page offers
signing for it and withdrawing only while the table allows them, and a refused step keeps
its stable code; each step keeps its registered audit name."""

from __future__ import annotations

import pytest

from sutiao.core import events
from sutiao.core.errors import Conflict
from sutiao.judicial import actions, document_lifecycle
from sutiao.judicial.choices import MediationDocumentState
from sutiao.judicial.errors import JudicialError
from sutiao.judicial.policies import document_roles
from tests import factories
from tests.clock import WORKING_MONDAY

from .test_mediation_document import _issue, entrusted, sign_for  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _page(user, world) -> str:
    url = f"/judicial/case/{world.case.pk}/mediation-document/"
    return factories.client_for(user).get(url).content.decode()


def test_every_step_is_registered_under_the_audit_name_it_always_had():
    events.discover()
    assert set(document_lifecycle.EVENTS) == set(document_lifecycle.TRANSITIONS)
    for name in document_lifecycle.TRANSITIONS:
        e = events.EVENTS[document_lifecycle.EVENTS[name]]
        assert e.audit, name
    assert events.EVENTS[document_lifecycle.EFFECTIVE_EVENT].outbox


def test_an_issued_document_offers_signing_for_it_and_withdrawing(entrusted):  # noqa: F811
    world = entrusted
    md = _issue(world)
    roles = document_roles(world.respondent, md)
    assert document_lifecycle.names(md, roles) == {"sign_for", "withdraw"}
    body = _page(world.respondent, world)
    assert "/mediation-document/sign/" in body and "/mediation-document/withdraw/" in body


def test_a_document_in_effect_offers_nothing_and_refuses_with_its_codes(entrusted):  # noqa: F811
    world = entrusted
    md = sign_for(world.respondent, sign_for(world.applicant, _issue(world)))
    assert md.state == MediationDocumentState.EFFECTIVE
    for user in (world.applicant, world.respondent):
        assert document_lifecycle.names(md, document_roles(user, md)) == set()
        body = _page(user, world)
        assert "/mediation-document/sign/" not in body
        assert "/mediation-document/withdraw/" not in body
    with pytest.raises(Conflict) as refused:
        actions.withdraw_from_mediation_document(
            actor=world.respondent, mediation_document=md, reason="反悔"
        )
    assert refused.value.code == JudicialError.DOCUMENT_EFFECTIVE


def test_no_step_is_offered_that_check_refuses(entrusted):  # noqa: F811
    md = _issue(entrusted)
    for state in MediationDocumentState.values:
        md.state = state
        for t in document_lifecycle.TRANSITIONS.values():
            offered = t.name in document_lifecycle.names(md, set(t.by))
            try:
                document_lifecycle.check(md, t.name, set(t.by))
            except Conflict:
                assert not offered, (state, t.name)
            else:
                assert offered, (state, t.name)
