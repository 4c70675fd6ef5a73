"""The API shell's security (issue 13, fix 7): token writes without CSRF, session writes with
it, bounded pagination and numbers (422, never 500), every status code in the OpenAPI document."""

import pytest
from django.conf import settings
from django.test import Client

from sutiao.accounts.actions import issue_api_token
from tests import factories

pytestmark = pytest.mark.django_db

HUGE = 2**64


def _person_payload(n: int) -> dict:
    return {
        "username": f"apisec{n}",
        "password": "Zq8!vR2#mW5^tY",
        "real_name": f"令牌{n}号",
        "id_number": factories.id_number(),
    }


def test_a_token_post_writes_without_a_csrf_token():
    admin = factories.admin()
    _row, token = issue_api_token(actor=admin, name="对接平台")
    api = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    created = api.post("/api/v1/people", _person_payload(1), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["username"] == "apisec1"


def test_a_session_post_without_csrf_is_still_refused():
    admin = factories.admin()
    session = factories.client_for(admin)
    session.handler.enforce_csrf_checks = True
    refused = session.post("/api/v1/people", _person_payload(2), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "http_error"
    from sutiao.accounts.models import User

    assert not User.objects.filter(username="apisec2").exists()


def test_a_session_post_with_csrf_writes():
    admin = factories.admin()
    session = factories.client_for(admin)
    session.handler.enforce_csrf_checks = True
    csrf = "k" * 32  # the cookie's secret, sent back in the header as the browser does
    session.cookies[settings.CSRF_COOKIE_NAME] = csrf
    created = session.post(
        "/api/v1/people",
        _person_payload(3),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("path", ["/api/v1/courts", "/api/v1/roster/mediators", "/api/v1/orgs"])
@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("value", [HUGE, 2**63, -1])
def test_out_of_range_pagination_answers_422(client, path, param, value):
    factories.court("分页法院")
    answer = client.get(path, {param: value})
    assert answer.status_code == 422, answer.content
    body = answer.json()["error"]
    assert body["code"] == "validation_failed" and param in body["details"]["fields"]


def test_pagination_still_works(client):
    factories.court("分页法院")
    body = client.get("/api/v1/courts", {"limit": 1, "offset": 0}).json()
    assert body["count"] >= 1 and len(body["items"]) == 1


@pytest.mark.parametrize("path", ["/api/v1/courts/{n}", "/api/v1/roster/courts/{n}/entries"])
def test_an_out_of_range_id_in_the_path_answers_422_not_500(client, path):
    answer = client.get(path.format(n=HUGE))
    assert answer.status_code in (404, 422), answer.content
    assert answer.json()["error"]["code"] in ("not_found", "validation_failed")


def test_every_paginated_list_is_bounded_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    bounded = 0
    for path, operations in spec["paths"].items():
        for op in operations.values():
            params = {p["name"]: p["schema"] for p in op.get("parameters", [])}
            if "limit" in params and "offset" in params:
                assert params["limit"].get("maximum") == 1000, path
                assert params["offset"].get("maximum") == 2**31 - 1, path
                bounded += 1
    assert bounded >= 8


def test_out_of_range_numbers_in_a_body_or_query_answer_422_not_500():
    party = factories.person("party")
    court = factories.court("数字法院")
    api = factories.client_for(party)
    listed = api.get("/api/v1/cases", {"view": "party", "cursor": HUGE})
    assert listed.status_code in (200, 422), listed.content
    applied = api.post(
        "/api/v1/cases",
        {
            "title": "超大金额",
            "court_id": court.pk,
            "amount_fen": HUGE,
            "applicant": {"name": party.real_name},
            "respondents": [{"name": "某公司"}],
        },
        content_type="application/json",
    )
    assert applied.status_code == 422, applied.content
    assert applied.json()["error"]["code"] == "validation_failed"
    elsewhere = api.post(
        "/api/v1/cases",
        {
            "title": "超大法院",
            "court_id": HUGE,
            "applicant": {"name": party.real_name},
            "respondents": [{"name": "某公司"}],
        },
        content_type="application/json",
    )
    assert elsewhere.status_code in (404, 422), elsewhere.content


def test_every_error_status_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]["error"]["required"]) == {"code", "message", "details"}
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            codes = op["responses"]
            expected = {"400", "403", "404", "422"}
            if op.get("security"):
                expected.add("401")
            if method != "get":
                expected.add("409")
            if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
                expected.add("413")
            assert expected <= set(codes), (method, path, sorted(codes))
            for code in expected:
                assert codes[code]["content"]["application/json"]["schema"] == ref, (path, code)
    people = spec["paths"]["/api/v1/people"]["post"]["responses"]
    assert "201" in people and "CSRF" in people["403"]["description"]
