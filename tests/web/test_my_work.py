"""Issue 15 item 1: the home page is my work — what waits on this person now, with counts,
nearest deadline first with its countdown; the same list at /api/v1/me/todo."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from sutiao.agreements import actions as agreement_actions
from sutiao.delivery.models import InboxItem
from sutiao.web import todo
from tests import factories
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]


def _label(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(todo.KINDS[kind])


@pytest.fixture
def signing(media):  # noqa: F811
    seed_templates()
    w = af.mediating_case()
    agreement = agreement_actions.open_for_signing(actor=w.mediator_user, agreement=af.draft(w))
    af.sign_as(w.applicant, agreement, channel="email")
    return w


def test_the_last_party_to_sign_sees_it_on_home_and_in_the_api(signing):
    w = signing
    page = factories.client_for(w.respondent).get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-kind="to_sign"' in html and _label("to_sign") in html
    assert w.reload().number in html
    data = factories.client_for(w.respondent).get("/api/v1/me/todo").json()
    assert [i["kind"] for i in data["items"] if i["kind"] != "to_read"] == ["to_sign"]
    assert data["counts"][0] == {"kind": "to_sign", "label": _label("to_sign"), "count": 1}
    item = data["items"][0]
    assert item["deadline"] and item["days_left"] > 0 and not item["overdue"]
    # The one who signed has nothing to sign; the mediator signs once every party has.
    assert all(t.kind != "to_sign" for t in todo.todo_for(w.applicant))
    assert [t.kind for t in todo.todo_for(w.mediator_user)] == ["to_mediate"]
    af.sign_as(w.respondent, w.case.agreements.get())
    assert "to_sign" in [t.kind for t in todo.todo_for(w.mediator_user)]
    assert all(t.kind != "to_sign" for t in todo.todo_for(w.respondent))


def test_a_clerk_sees_applications_to_assign_nearest_deadline_first_and_a_stranger_nothing(db):
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    first = cf.submitted_case(court, applicant=factories.person("party"))
    second = cf.submitted_case(court, applicant=factories.person("party"))
    items = [t for t in todo.todo_for(clerk) if t.kind == "to_assign"]
    assert [t.url for t in items] == [f"/cases/{first.pk}/", f"/cases/{second.pk}/"]
    assert all(t.working_days is not None and t.working_days <= 3 for t in items)
    html = factories.client_for(clerk).get("/").content.decode()
    assert html.index(f"/cases/{first.pk}/") < html.index(f"/cases/{second.pk}/")
    for n in range(3):
        InboxItem.objects.create(user=clerk, title=f"通知{n}", created_at=timezone.now())
    found = todo.todo_for(clerk)
    assert {"kind": "to_read", "count": 3} in [
        {"kind": g["kind"], "count": g["count"]} for g in todo.counts(found)
    ]
    assert [t.kind for t in found][-1] == "to_read"  # after everything with a deadline
    other = factories.person("court_clerk", court=factories.court("上海知识产权法院", code="沪73"))
    assert todo.todo_for(other) == []
    assert factories.client_for(other).get("/api/v1/me/todo").json()["items"] == []


def test_my_work_needs_a_log_in(client):
    assert client.get("/api/v1/me/todo").status_code == 401
