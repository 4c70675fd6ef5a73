"""A mediator declares their own conflicts (OMR 13; SIR 15) from a page, and withdraws them:
each change audited; a declared conflict removes the mediator from the ranking of a case with
that party; nobody else can declare or withdraw for them."""

from __future__ import annotations

import re

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.batches import actions, matching
from sutiao.batches.models import DeclaredConflict
from sutiao.core.errors import NotFound
from tests import factories
from tests.cases.factories import rostered_mediator, submitted_case


@pytest.fixture
def court(db):
    return factories.court()


def _browser(user):
    client = factories.client_for(user)
    client.handler.enforce_csrf_checks = True  # the page's token is posted back, as a browser
    return client


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _ranked(case) -> list[int]:
    return [m.mediator.pk for m in matching.rank(matching.dispute_of(case), limit=50)]


@pytest.mark.rule("OMR-13")
def test_a_declared_conflict_removes_the_mediator_until_withdrawn(court):
    case = submitted_case(court)
    respondent = case.parties.get(role="respondent")
    mediator = rostered_mediator(court, name="申报人")
    other = rostered_mediator(court, name="旁人")
    assert mediator.pk in _ranked(case)

    browser = _browser(mediator.user)
    page = browser.get("/batches/conflicts/").content.decode()
    declared = browser.post(
        "/batches/conflicts/",
        {
            "csrfmiddlewaretoken": _token(page),
            "kind": "relation",
            "name": respondent.name,
            "reason": "曾为其提供法律咨询",
        },
    )
    assert declared.status_code == 302
    conflict = DeclaredConflict.objects.get(mediator=mediator)
    assert (conflict.name, conflict.reason, conflict.declared_by_id) == (
        respondent.name,
        "曾为其提供法律咨询",
        mediator.user.pk,
    )
    assert AuditEntry.objects.filter(
        action="batch.conflict_declared", object_id=str(conflict.pk)
    ).exists()
    assert mediator.pk not in _ranked(case) and other.pk in _ranked(case)

    page = browser.get("/batches/conflicts/").content.decode()
    assert respondent.name in page and f'data-conflict="{conflict.pk}"' in page
    url = f"/batches/conflicts/{conflict.pk}/withdraw/"
    stranger = _browser(other.user)
    token = _token(stranger.get("/batches/conflicts/").content.decode())
    assert stranger.post(url, {"csrfmiddlewaretoken": token}).status_code == 404
    assert DeclaredConflict.objects.filter(pk=conflict.pk).exists()

    assert browser.post(url, {"csrfmiddlewaretoken": _token(page)}).status_code == 302
    assert not DeclaredConflict.objects.filter(pk=conflict.pk).exists()
    assert AuditEntry.objects.filter(
        action="batch.conflict_withdrawn", object_id=str(conflict.pk)
    ).exists()
    assert mediator.pk in _ranked(case)


def test_only_the_mediator_themself_declares(court):
    mediator = rostered_mediator(court, name="本人")
    clerk = factories.person("court_clerk", court=court)
    data = actions.ConflictIn(kind="employer", name="某公司")
    with pytest.raises(NotFound):
        actions.declare_conflict(actor=clerk, mediator=mediator, data=data)
    with pytest.raises(NotFound):
        actions.declare_conflict(actor=rostered_mediator(court).user, mediator=mediator, data=data)
    assert not DeclaredConflict.objects.exists()
    assert factories.client_for(clerk).get("/batches/conflicts/").status_code == 404


def test_a_wrong_code_is_refused_and_nothing_is_declared(court):
    mediator = rostered_mediator(court, name="本人")
    browser = _browser(mediator.user)
    token = _token(browser.get("/batches/conflicts/").content.decode())
    answer = browser.post(
        "/batches/conflicts/",
        {"csrfmiddlewaretoken": token, "kind": "employer", "name": "某公司", "uscc": "123"},
    )
    assert answer.status_code == 200 and not DeclaredConflict.objects.exists()
