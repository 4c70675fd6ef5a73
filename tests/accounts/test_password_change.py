"""Issue 13, fix 2: a password page (current password, the new one twice) and the rules of
GB/T 22239-2019: at least 8 characters (10 here) with three of four character classes, not the
user name, not one of the last five passwords."""

from __future__ import annotations

import pytest
from django.test import Client

from sutiao.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"


def _change(client, current, new, again=None):
    return client.post(URL, {"current": current, "new": new, "again": again or new})


@pytest.fixture
def judge():
    return factories.person("judge", username="wangjudge", court=factories.court())


def test_the_page_needs_a_log_in_and_shows_three_fields(judge):
    assert Client().get(URL).status_code == 302
    body = factories.client_for(judge).get(URL).content.decode()
    for name in ("current", "new", "again"):
        assert f'name="{name}"' in body
    assert 'autocomplete="new-password"' in body


@pytest.mark.parametrize(
    "new",
    [
        "Short-1",  # too short
        "alllowercaseletters",  # one class
        "lowercase-and-symbols",  # two classes
        "Wangjudge-2026!",  # the user name
        "egdujgnaw-2026X",  # the user name backwards
    ],
)
def test_weak_passwords_are_refused_and_nothing_changes(judge, new):
    client = factories.client_for(judge)
    before = User.objects.get(pk=judge.pk).password
    answer = _change(client, factories.PASSWORD, new)
    assert answer.status_code == 200
    assert answer.context["form"].errors["new"]
    assert User.objects.get(pk=judge.pk).password == before


def test_a_wrong_current_password_or_a_mismatch_is_refused(judge):
    client = factories.client_for(judge)
    wrong = _change(client, "Not-The-Password-1", "Brand-New-Pass-26")
    assert "current" in wrong.context["form"].errors
    differ = _change(client, factories.PASSWORD, "Brand-New-Pass-26", "Brand-New-Pass-27")
    assert "again" in differ.context["form"].errors
    assert User.objects.get(pk=judge.pk).check_password(factories.PASSWORD)


def test_the_refusal_says_what_is_missing(judge):
    client = factories.client_for(judge)
    client.cookies["django_language"] = "en"
    answer = _change(client, factories.PASSWORD, "lowercase-and-symbols")
    assert "upper-case letters, lower-case letters, digits and symbols" in answer.content.decode()


def test_a_good_password_changes_and_other_sessions_end(judge):
    this, other = factories.client_for(judge), factories.client_for(judge)
    answer = _change(this, factories.PASSWORD, "Brand-New-Pass-26")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/profile/"
    assert User.objects.get(pk=judge.pk).check_password("Brand-New-Pass-26")
    assert this.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401


def test_none_of_the_last_five_passwords_again(judge):
    client = factories.client_for(judge)
    passwords = [factories.PASSWORD] + [f"Rotation-Pass-{i}x" for i in range(1, 6)]
    for old, new in zip(passwords, passwords[1:]):
        assert _change(client, old, new).status_code == 302
    current = passwords[-1]
    for reused in passwords[1:]:  # the last five: the current one and the four before it
        answer = _change(client, current, reused)
        assert answer.status_code == 200, reused
        assert answer.context["form"].errors["new"]
    # The sixth back is allowed again.
    assert _change(client, current, passwords[0]).status_code == 302


def test_wrong_current_passwords_count_as_failed_log_ins(judge):
    client = factories.client_for(judge)
    for _ in range(4):
        _change(client, "Not-The-Password-1", "Brand-New-Pass-26")
    locked = _change(client, "Not-The-Password-1", "Brand-New-Pass-26")
    assert locked.status_code == 403
    assert client.get("/api/v1/me").status_code == 401
    assert User.objects.get(pk=judge.pk).check_password(factories.PASSWORD)
