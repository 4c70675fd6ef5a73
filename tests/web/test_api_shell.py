"""The API shell: OpenAPI, docs, error format, token authentication."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_openapi_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/courts" in spec.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_unauthenticated_call_gets_401_in_the_error_format(client):
    body = client.get("/api/v1/me").json()
    assert body["error"]["code"] == "not_authenticated"
    assert set(body["error"]) == {"code", "message", "details"}


def test_chinese_is_readable_in_bodies(client):
    factories.court("可读的法院")
    assert "可读的法院" in client.get("/api/v1/courts").content.decode()


def test_token_authentication_round_trip():
    admin = factories.admin()
    session = factories.client_for(admin)
    issued = session.post(
        "/api/v1/auth/tokens", {"name": "对接平台"}, content_type="application/json"
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    from django.test import Client

    api = Client()
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["username"] == admin.username
    assert session.delete(f"/api/v1/auth/tokens/{issued.json()['id']}").status_code == 204
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_me_masks_identity_and_phone():
    party = factories.person("party")
    body = factories.client_for(party).get("/api/v1/me").json()
    assert "*" in body["id_number"] and "*" in body["phone"]
    assert body["memberships"][0]["role"] == "party"


def test_security_headers_on_pages(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
