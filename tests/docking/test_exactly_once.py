"""Every POST needs an Idempotency-Key: same key and body → the first answer replayed; another
body → 422; first still in flight → 409; a new key for a reference sent → no second case."""

import json

import pytest

from sutiao.cases.models import Case
from sutiao.docking import idempotency

from .conftest import Partner, application, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(client):
    return Partner(client, register("广东知识产权保护中心平台"))


def test_without_a_key_a_post_is_400_and_creates_nothing(partner, org):
    answer = partner.post("/applications", application(org=org), key=None)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "docking.idempotency_key_missing"
    assert not Case.objects.exists()


def test_the_same_key_and_body_replays_the_first_answer(partner, org):
    first = partner.post("/applications", application(org=org), key="retry-1")
    again = partner.post("/applications", application(org=org), key="retry-1")
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_422(partner, org):
    assert partner.post("/applications", application(org=org), key="k").status_code == 202
    other = partner.post("/applications", application("GD-2026-0002", org=org), key="k")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "docking.idempotency_key_reused"
    assert Case.objects.count() == 1


def test_while_the_first_is_in_flight_the_retry_is_409(partner, org):
    raw = json.dumps(application(org=org)).encode()
    fp = idempotency.fingerprint("POST", "/api/docking/v1/applications", raw)
    assert idempotency.begin(partner.reg.partner, "slow", fp) is None  # the first, unfinished
    answer = partner.post("/applications", raw, key="slow")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "docking.request_in_flight"
    assert not Case.objects.exists()


def test_a_new_key_for_a_reference_sent_creates_nothing_twice(partner, org):
    first = partner.post("/applications", application(org=org), key="a").json()
    answer = partner.post("/applications", application(org=org), key="b")
    assert answer.status_code == 200
    assert answer.json()["receipt"] == first["receipt"] and answer.json()["duplicate"] is True
    assert Case.objects.count() == 1


def test_a_refused_application_is_replayed_as_refused(partner, org):
    bad = application(org=org, org_id=999_999)
    assert partner.post("/applications", bad, key="bad").status_code == 422
    again = partner.post("/applications", bad, key="bad")
    assert again.status_code == 422 and again["Idempotent-Replayed"] == "true"


def test_keys_are_kept_24_hours(partner, org):
    from datetime import timedelta

    from django.utils import timezone

    from sutiao.docking.models import IdempotencyKey

    partner.post("/applications", application(org=org), key="old")
    assert idempotency.purge(timezone.now() + timedelta(hours=23)) == 0
    assert idempotency.purge(timezone.now() + timedelta(hours=25)) == 1
    assert not IdempotencyKey.objects.exists()
