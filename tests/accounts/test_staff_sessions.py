"""Issue 13, fix 2: everyone who acts for an institution needs a second factor; their sessions
end after 30 idle minutes and 12 hours; logging out everywhere and disabling an account end
every session and API token at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from sutiao.accounts import actions
from sutiao.accounts.models import APIToken, User
from sutiao.accounts.roles import Role
from tests import factories
from tests.clock import WORKING_MONDAY

pytestmark = pytest.mark.django_db

HOME = "/cases/"


def _password_only(user: User) -> Client:
    client = Client()
    answer = client.post(
        "/accounts/login/", {"username": user.username, "password": factories.PASSWORD}
    )
    assert answer.status_code == 302
    return client


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.ORG_ADMIN])
def test_mediators_and_organisation_administrators_need_a_second_factor(role):
    org = factories.org()
    user = factories.person(role, org=org)
    client = _password_only(user)
    page = client.get(HOME)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/")
    assert client.get("/api/v1/me").status_code == 401
    # After the code, the same session works.
    verified = factories.client_for(user)
    assert verified.get("/api/v1/me").status_code == 200


def test_the_login_page_says_who_confirms_with_a_code(english):
    body = english.get("/accounts/login/").content.decode()
    assert "a mediation organisation" in body


@pytest.fixture
def mediator():
    return factories.person(Role.MEDIATOR, org=factories.org())


def test_a_staff_session_ends_after_30_idle_minutes(mediator):
    with time_machine.travel(WORKING_MONDAY, tick=False) as clock:
        client = factories.client_for(mediator)
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/api/v1/me").status_code == 200  # activity keeps it alive
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=31))
        page = client.get(HOME)
        assert page.status_code == 302
        assert page["Location"].startswith("/accounts/login/") and "ended=idle" in page["Location"]
        assert client.get("/api/v1/me").status_code == 401
        shown = client.get(page["Location"]).content.decode()
        assert "30" in shown and 'data-testid="session-ended"' in shown


def test_a_staff_session_ends_12_hours_after_the_log_in_however_busy(mediator):
    with time_machine.travel(WORKING_MONDAY, tick=False) as clock:
        client = factories.client_for(mediator)
        for _ in range(11 * 3):  # a request every 20 minutes for 11 hours
            clock.shift(timedelta(minutes=20))
            assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=61))
        page = client.get(HOME)
        assert page.status_code == 302 and "ended=absolute" in page["Location"]
        assert client.get("/api/v1/me").status_code == 401


def test_a_party_session_has_no_staff_limits():
    party = factories.person("party")
    with time_machine.travel(WORKING_MONDAY, tick=False) as clock:
        client = factories.client_for(party)
        clock.shift(timedelta(minutes=45))
        assert client.get("/api/v1/me").status_code == 200


def test_the_limits_are_settings(mediator, settings):
    settings.STAFF_IDLE_MINUTES = 5
    with time_machine.travel(WORKING_MONDAY, tick=False) as clock:
        client = factories.client_for(mediator)
        clock.shift(timedelta(minutes=6))
        assert client.get("/api/v1/me").status_code == 401


def _token(user: User) -> str:
    _row, raw = actions.issue_api_token(actor=user, name="script")
    return raw


def _with_token(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_logging_out_everywhere_ends_every_session_and_token(mediator):
    laptop, phone = factories.client_for(mediator), factories.client_for(mediator)
    raw = _token(mediator)
    assert _with_token(raw).get("/api/v1/me").status_code == 200
    answer = laptop.post("/accounts/logout/everywhere/")
    assert answer.status_code == 302 and "ended=everywhere" in answer["Location"]
    assert laptop.get("/api/v1/me").status_code == 401
    assert phone.get("/api/v1/me").status_code == 401
    assert _with_token(raw).get("/api/v1/me").status_code == 401
    assert not APIToken.objects.filter(user=mediator, revoked=False).exists()
    # Logging in again works.
    assert factories.client_for(mediator).get("/api/v1/me").status_code == 200


def test_the_profile_page_offers_it_and_the_password_page(mediator):
    body = factories.client_for(mediator).get("/accounts/profile/").content.decode()
    assert "/accounts/logout/everywhere/" in body and "/accounts/password/" in body


def test_disabling_an_account_ends_its_sessions_and_tokens_for_good(mediator):
    client = factories.client_for(mediator)
    raw = _token(mediator)
    actions.disable_account(actor=factories.admin(), user=mediator)
    assert client.get("/api/v1/me").status_code == 401
    assert _with_token(raw).get("/api/v1/me").status_code == 401
    # Enabled again, the old sessions and tokens stay dead.
    User.objects.filter(pk=mediator.pk).update(is_active=True)
    assert client.get("/api/v1/me").status_code == 401
    assert _with_token(raw).get("/api/v1/me").status_code == 401


def test_disabling_in_the_admin_ends_them_too(mediator):
    client = factories.client_for(mediator)
    raw = _token(mediator)
    admin = factories.client_for(factories.admin())
    page = admin.get(f"/admin/accounts/user/{mediator.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": mediator.username,
            "real_name": mediator.real_name,
            "kind": mediator.kind,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("is_active", None)
    data.pop("is_staff", None)
    data.pop("is_superuser", None)
    data = {k: v for k, v in data.items() if not isinstance(v, list | tuple)}
    answer = admin.post(f"/admin/accounts/user/{mediator.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert not User.objects.get(pk=mediator.pk).is_active
    User.objects.filter(pk=mediator.pk).update(is_active=True)
    assert client.get("/api/v1/me").status_code == 401
    assert _with_token(raw).get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/accounts/profile/"),
        ("get", "/accounts/password/"),
        ("post", "/accounts/logout/everywhere/"),
    ],
)
def test_a_password_alone_reaches_no_account_page(mediator, method, url):
    client = _password_only(mediator)
    answer = getattr(client, method)(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/second-factor/")
    assert User.objects.get(pk=mediator.pk).session_epoch == 0
