"""The judge's entrustment of a batch's filed cases on the batch page and over /api/v1:
the form shows only to a judge of the court with filed cases to entrust; the same checks
as the action; strangers get a 404."""

from __future__ import annotations

from collections import Counter

import pytest

from sutiao.cases.models import Case
from tests import factories

from .conftest import file_all, rows, upload, xlsx


@pytest.fixture
def judge(world):
    return factories.person("judge", court=world["court"])


@pytest.fixture
def batch(world):
    made, _created = upload(world, xlsx(rows(9, bad=False)))
    return made


def _ids(batch) -> list[int]:
    return list(
        Case.objects.filter(batch_link__batch=batch)
        .order_by("batch_link__line")
        .values_list("pk", flat=True)
    )


def test_the_form_shows_for_the_judge_only_once_cases_are_filed(world, judge, batch):
    page = factories.client_for(judge).get(f"/batches/{batch.pk}/").content.decode()
    assert 'id="entrust-form"' not in page  # nothing filed yet: no button
    file_all(world, batch)
    page = factories.client_for(judge).get(f"/batches/{batch.pk}/").content.decode()
    assert 'id="entrust-form"' in page and page.count('form="entrust-form"') == 9
    clerk_page = factories.client_for(world["clerk"]).get(f"/batches/{batch.pk}/").content
    assert b'id="entrust-form"' not in clerk_page


def test_the_judge_entrusts_a_selection_from_the_page(world, judge, batch):
    file_all(world, batch)
    chosen = _ids(batch)[:6]
    client = factories.client_for(judge)
    answer = client.post(
        f"/batches/{batch.pk}/entrust/",
        {"case": chosen, "mediators": [m.pk for m in world["mediators"]], "procedure": "simple"},
        follow=True,
    )
    assert answer.status_code == 200
    made = Case.objects.filter(filed_case__origin__in=chosen)
    assert sorted(Counter(c.mediator_id for c in made).values()) == [2, 2, 2]
    assert {c.procedure for c in made} == {"simple"}
    page = answer.content.decode()
    assert page.count('class="entrusted-as"') == 6 and page.count('form="entrust-form"') == 3


def test_a_refused_selection_says_why_on_the_page_and_changes_nothing(world, judge, batch):
    ids = _ids(batch)
    file_all(world, batch, only=ids[:4])
    not_filed = Case.objects.get(pk=ids[4])
    answer = factories.client_for(judge).post(
        f"/batches/{batch.pk}/entrust/",
        {"case": ids[:5], "mediators": [world["mediators"][0].pk]},
        follow=True,
    )
    assert str(not_filed) in answer.content.decode()
    assert not Case.objects.filter(channel="entrusted").exists()


def test_a_stranger_gets_404_on_page_and_api(world, batch):
    file_all(world, batch)
    stranger = factories.client_for(factories.person("judge", court=factories.court()))
    assert stranger.post(f"/batches/{batch.pk}/entrust/").status_code == 404
    answer = stranger.post(
        f"/api/v1/batches/{batch.pk}/entrust",
        {"mediators": [world["mediators"][0].pk]},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert not Case.objects.filter(channel="entrusted").exists()


def test_entrust_through_the_api(world, judge, batch):
    ids = _ids(batch)
    file_all(world, batch, only=ids[:8])
    client = factories.client_for(judge)
    url = f"/api/v1/batches/{batch.pk}/entrust"
    refused = client.post(
        url,
        {"mediators": [world["mediators"][0].pk], "cases": ids},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "batch.not_entrustable"
    assert refused.json()["error"]["details"]["cases"] == [ids[8]]
    clerk = factories.client_for(world["clerk"]).post(
        url, {"mediators": [world["mediators"][0].pk]}, content_type="application/json"
    )
    assert clerk.status_code == 403
    answer = client.post(
        url, {"mediators": [m.pk for m in world["mediators"]]}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    done = answer.json()["cases"]
    assert len(done) == 8 and sorted(Counter(done.values()).values()) == [2, 3, 3]
    made = Case.objects.filter(pk__in=[int(k) for k in done])
    assert {(c.channel, c.state, c.filed_case.origin_id in ids) for c in made} == {
        ("entrusted", "awaiting_acceptance", True)
    }
    again = client.post(
        url, {"mediators": [world["mediators"][0].pk]}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "batch.no_cases"
