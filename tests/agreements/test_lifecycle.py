"""The agreement's steps come from its table on the one engine: a step a precondition
refuses is not offered (no button on the page), and taking it anyway answers 409 with the
stable code the action always gave; each step keeps its registered audit name."""

from __future__ import annotations

import pytest

from sutiao.agreements import actions, lifecycle
from sutiao.agreements.errors import AgreementError
from sutiao.agreements.models import Agreement
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import case_roles
from sutiao.core import events
from sutiao.core.errors import Conflict
from tests import factories
from tests.clock import WORKING_MONDAY

from . import factories as af

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _page(user, world) -> str:
    return factories.client_for(user).get(f"/agreements/case/{world.case.pk}/").content.decode()


def test_every_step_is_registered_under_the_audit_name_it_always_had():
    events.discover()
    assert set(lifecycle.EVENTS) == set(lifecycle.TRANSITIONS)
    for name in lifecycle.TRANSITIONS:
        assert events.EVENTS[lifecycle.EVENTS[name]].audit, name


def test_open_is_offered_on_a_complete_draft(world):
    agreement = af.draft(world)
    assert "open" in lifecycle.names(agreement, case_roles(world.mediator_user, agreement.case))
    assert 'id="open-form"' in _page(world.mediator_user, world)


def test_a_party_without_an_account_keeps_the_draft_from_being_opened(world):
    agreement = af.draft(world)
    Party.objects.filter(case=world.case, role="respondent").update(user=None, agent=None)
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert "open" not in lifecycle.names(agreement, case_roles(world.mediator_user, agreement.case))
    assert 'id="open-form"' not in _page(world.mediator_user, world)
    with pytest.raises(Conflict) as refused:
        actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    assert refused.value.code == AgreementError.PARTY_WITHOUT_ACCOUNT
    assert refused.value.details["precondition"] == "parties_have_accounts"


def test_a_paused_case_keeps_the_draft_editable_but_not_open_for_signing(world):
    agreement = af.draft(world)
    Case.objects.filter(pk=world.case.pk).update(state="paused")
    body = _page(world.mediator_user, world)
    assert 'id="draft"' in body and 'id="open-form"' not in body
    with pytest.raises(Conflict) as refused:
        actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    assert refused.value.code == AgreementError.CASE_NOT_MEDIATING


def test_back_to_drafting_is_offered_until_someone_signs(world):
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=af.draft(world))
    reopen_url = f"/agreements/{agreement.pk}/reopen/"
    assert reopen_url in _page(world.mediator_user, world)
    af.sign_as(world.applicant, agreement)
    agreement = Agreement.objects.get(pk=agreement.pk)
    roles = case_roles(world.mediator_user, agreement.case)
    assert "reopen" not in lifecycle.names(agreement, roles)
    assert reopen_url not in _page(world.mediator_user, world)
    with pytest.raises(Conflict) as refused:
        actions.reopen(actor=world.mediator_user, agreement=agreement)
    assert refused.value.code == AgreementError.SIGNED_ALREADY


def test_no_step_is_offered_that_check_refuses(world):
    """In every state, for every step and the roles that take it: offered iff allowed."""
    agreement = af.draft(world)
    for state in Agreement.State.values:
        agreement.state = state
        for t in lifecycle.TRANSITIONS.values():
            offered = t.name in lifecycle.names(agreement, set(t.by))
            try:
                lifecycle.check(agreement, t.name, set(t.by))
            except Conflict:
                assert not offered, (state, t.name)
            else:
                assert offered, (state, t.name)
