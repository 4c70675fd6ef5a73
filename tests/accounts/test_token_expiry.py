"""API tokens always expire, at most 90 days after they are issued (issue 13, fix 7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sutiao.accounts.actions import issue_api_token, user_for_token
from sutiao.accounts.models import APIToken
from tests import factories

pytestmark = pytest.mark.django_db

MAX = timedelta(days=90)


@pytest.mark.parametrize("days", [0, None, 1e9, 91, 365, -1, 2**64, "x"])
def test_issuing_a_token_never_gives_more_than_90_days(days):
    user = factories.admin()
    session = factories.client_for(user)
    before = timezone.now()
    answer = session.post(
        "/api/v1/auth/tokens", {"name": "t", "days": days}, content_type="application/json"
    )
    assert answer.status_code in (201, 422), answer.content
    if answer.status_code == 422:
        assert answer.json()["error"]["code"] == "validation_failed"
        assert not APIToken.objects.exists()
        return
    token = APIToken.objects.get()
    assert token.expires_at is not None and token.expires_at <= before + MAX + timedelta(minutes=1)


def test_the_default_is_90_days():
    session = factories.client_for(factories.admin())
    answer = session.post("/api/v1/auth/tokens", {"name": "t"}, content_type="application/json")
    assert answer.status_code == 201
    left = APIToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=89) < left <= MAX


@pytest.mark.parametrize("days", [0, None, 91])
def test_the_action_refuses_days_out_of_range(days):
    from sutiao.core.errors import DomainError

    with pytest.raises(DomainError):
        issue_api_token(actor=factories.admin(), name="t", days=days)


def test_an_old_never_expiring_token_ends_90_days_after_creation():
    user = factories.admin()
    row, raw = issue_api_token(actor=user, name="old")
    APIToken.objects.filter(pk=row.pk).update(
        expires_at=None, created_at=timezone.now() - timedelta(days=91)
    )
    assert user_for_token(raw) is None
    APIToken.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=89))
    assert user_for_token(raw) == user


def test_an_old_long_token_ends_90_days_after_creation():
    user = factories.admin()
    row, raw = issue_api_token(actor=user, name="old")
    APIToken.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() + timedelta(days=200),
        created_at=timezone.now() - timedelta(days=91),
    )
    assert user_for_token(raw) is None


def test_a_token_cannot_issue_a_token_to_outlive_itself():
    """Token writes work now (no CSRF for tokens): a token that minted its successor would
    never expire; new tokens come from a logged-in session only."""
    from django.test import Client

    user = factories.admin()
    _row, raw = issue_api_token(actor=user, name="leaked")
    api = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    answer = api.post("/api/v1/auth/tokens", {"name": "next"}, content_type="application/json")
    assert answer.status_code == 401, answer.content
    assert answer.json()["error"]["code"] == "not_authenticated"
    assert APIToken.objects.count() == 1
