"""An account locks after five failed log-ins, even for the right password afterwards."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_account_locks_after_repeated_failures(client):
    factories.person("party", username="lockme")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "lockme", "password": "wrong-pass-1"}
        )
    assert response.status_code in (200, 403)
    response = client.post(
        "/accounts/login/", {"username": "lockme", "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = factories.person("party", username="other")
    ok = client.post(
        "/accounts/login/", {"username": other.username, "password": factories.PASSWORD}
    )
    assert ok.status_code == 302


def test_a_few_failures_then_success_logs_in(client):
    factories.person("party", username="typo")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "typo", "password": "wrong-pass-1"})
    response = client.post("/accounts/login/", {"username": "typo", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


# Registration passes the rules of the password page (GB/T 22239): too short, digits only;
# two character classes only.
@pytest.mark.parametrize("password", ["12345678", "lowercase-and-symbols"])
def test_password_rules_refuse_a_weak_password(client, password):
    response = client.post(
        "/accounts/register/",
        {
            "kind": "natural",
            "real_name": "赵六",
            "id_number": factories.id_number(11),
            "phone": "13800138001",
            "username": "zhaoliu",
            "password": password,
        },
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
