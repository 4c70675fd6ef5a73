"""The inbox pages and the JSON API: only the recipient reads and downloads; opening and
acknowledging are recorded; a case's services over the API for staff and for the party."""

from __future__ import annotations

import pytest
from django.test import Client

from sutiao.accounts.actions import issue_api_token
from sutiao.delivery import actions, engine
from sutiao.delivery.models import InboxItem, Service
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(served_case, smtp):
    actions.serve_document(
        actor=served_case.judge,
        case=served_case.case,
        document=served_case.ruling,
        title="民事裁定书",
        kind="ruling",
    )
    engine.run_once()
    return served_case


def test_the_recipient_reads_downloads_and_acknowledges(delivered):
    s = delivered
    item = InboxItem.objects.get(user=s.respondent_user)
    page = factories.client_for(s.respondent_user)
    html = page.get("/").content.decode()
    assert 'id="inbox-unread" data-count="1"' in html
    assert 'src="/static/delivery/live.js"' in html
    listing = page.get("/delivery/inbox/").content.decode()
    assert f'data-item-id="{item.pk}"' in listing and "民事裁定书" in listing

    assert page.get(f"/delivery/inbox/{item.pk}/").status_code == 200
    item.refresh_from_db()
    assert item.read_at is not None
    assert item.delivery.opened_at is None  # read the notice; the document not yet opened
    download = page.get(f"/delivery/inbox/{item.pk}/document/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == s.ruling.file.open("rb").read()
    item.delivery.refresh_from_db()
    assert item.delivery.opened_at is not None
    assert page.post(f"/delivery/inbox/{item.pk}/acknowledge/").status_code == 302
    item.refresh_from_db()
    assert item.acknowledged_at is not None
    kinds = list(Service.objects.get(party=s.respondent).events.values_list("kind", flat=True))
    assert "opened" in kinds and "acted" in kinds
    assert 'data-count="0"' in page.get("/").content.decode()


@pytest.mark.rule("SIR-2", "Pub-4a")
def test_nobody_else_reads_an_inbox_item_or_the_served_document(delivered):
    s = delivered
    item = InboxItem.objects.get(user=s.respondent_user)
    for user in (s.applicant_user, s.judge, factories.person("party")):
        other = factories.client_for(user)
        assert other.get(f"/delivery/inbox/{item.pk}/").status_code == 404
        assert other.get(f"/delivery/inbox/{item.pk}/document/").status_code == 404
    service = Service.objects.get(party=s.respondent)
    assert (
        factories.client_for(factories.person("party"))
        .get(f"/delivery/services/{service.pk}/document/")
        .status_code
        == 404
    )
    # The case's people may: the judge, for instance (no "opened" recorded for them).
    judge = factories.client_for(s.judge)
    assert judge.get(f"/delivery/services/{service.pk}/document/").status_code == 200
    item.delivery.refresh_from_db()
    assert item.delivery.opened_at is None


def test_the_api_lists_the_inbox_and_the_services(delivered):
    s = delivered
    _row, token = issue_api_token(actor=s.respondent_user, name="t")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    inbox = api.get("/api/v1/delivery/inbox").json()
    assert inbox["unread"] == 1 and inbox["items"][0]["title"] == "民事裁定书"
    item_id = inbox["items"][0]["id"]
    assert api.post(f"/api/v1/delivery/inbox/{item_id}/acknowledge").json()["read"] is True
    mine = api.get(f"/api/v1/cases/{s.case.pk}/services").json()
    assert [m["party"]["id"] for m in mine] == [s.respondent.pk]
    assert mine[0]["state"] == "effective" and mine[0]["proof"]
    kinds = [e["kind"] for e in mine[0]["events"]]
    assert kinds[0] == "served" and "arrived" in kinds and "acted" in kinds
    addresses = api.get(f"/api/v1/parties/{s.respondent.pk}/service-addresses").json()
    assert addresses["current"]["email"] == "legal@respondent.example"
    assert api.get(f"/api/v1/parties/{s.applicant.pk}/service-addresses").status_code == 404


def test_staff_serve_over_the_api_and_refusals_have_codes(delivered):
    s = delivered
    judge = factories.client_for(s.judge)
    created = judge.post(
        f"/api/v1/cases/{s.case.pk}/services",
        {"document": s.ruling.verify_code, "kind": "ruling", "recipients": [s.applicant.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert [c["party"]["id"] for c in created.json()] == [s.applicant.pk]
    assert len(judge.get(f"/api/v1/cases/{s.case.pk}/services").json()) == 3
    bad = judge.post(
        f"/api/v1/cases/{s.case.pk}/services",
        {"document": s.ruling.verify_code, "kind": "poem"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    party = factories.client_for(s.applicant_user)
    refused = party.post(
        f"/api/v1/cases/{s.case.pk}/services",
        {"document": s.ruling.verify_code, "kind": "ruling"},
        content_type="application/json",
    )
    assert refused.status_code == 403

    # The serve form on the delivery page of the case.
    page = judge.get(f"/delivery/cases/{s.case.pk}/").content.decode()
    assert 'id="serve"' in page and s.ruling.verify_code in page
    response = judge.post(
        f"/delivery/cases/{s.case.pk}/serve/",
        {
            "serve-document": s.ruling.verify_code,
            "serve-kind": "ruling",
            "serve-title": "",
            "serve-recipients": [str(s.respondent.pk)],
        },
    )
    assert response.status_code == 302
    assert Service.objects.filter(party=s.respondent).count() == 2
