"""Identity numbers and credit codes are checked on the page and in the API; bad ones change nothing."""

import re

import pytest

from sutiao.accounts.models import User
from sutiao.audit.models import AuditEntry
from sutiao.delivery.models import SmsRecord
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_ID = factories.id_number(7)
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")  # wrong check digit


def register(client, **overrides):
    data = {
        "kind": "natural",
        "real_name": "张三",
        "id_number": GOOD_ID,
        "uscc": "",
        "phone": "13800138000",
        "email": "",
        "username": "zhangsan",
        "password": "Mediate-Online-2026",
    }
    data.update(overrides)
    answer = client.post("/accounts/register/", data)
    if answer.status_code != 302:
        return answer
    # The second step: the code sent to the phone opens the account (accounts.registration).
    text = SmsRecord.objects.filter(to=data["phone"]).order_by("pk").last().text
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)
    return client.post("/accounts/register/code/", {"code": code})


def test_party_registers_with_a_valid_identity_number(client):
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.has_role("party")
    assert user.id_number == GOOD_ID
    # Never in clear in the row; masked for pages.
    row = User.objects.filter(pk=user.pk).values().get()
    assert GOOD_ID not in " ".join(str(v) for v in row.values())
    assert user.id_number_masked == GOOD_ID[:6] + "********" + GOOD_ID[-4:]


def test_invalid_identity_number_is_refused_in_chinese_and_changes_nothing(client):
    users, entries = User.objects.count(), AuditEntry.objects.count()
    response = register(client, id_number=BAD_ID)
    assert response.status_code == 200
    assert "居民身份证号码无效" in response.content.decode()
    assert User.objects.count() == users
    assert AuditEntry.objects.count() == entries


def test_invalid_identity_number_message_in_english(client):
    client.cookies["django_language"] = "en"
    response = register(client, id_number="11010819900101123")
    assert "not a valid resident identity number" in response.content.decode()


def test_invalid_credit_code_is_refused_on_the_page(client):
    response = register(
        client, kind="legal", real_name="某某科技有限公司", id_number="", uscc="91110108MA01ABCDE0"
    )
    assert response.status_code == 200
    assert "不是有效的统一社会信用代码" in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_valid_credit_code_opens_a_legal_person_account(client):
    response = register(
        client,
        kind="legal",
        real_name="北京某某科技有限公司",
        id_number="",
        uscc="12110000MB1D058305",
    )
    assert response.status_code == 302
    assert User.objects.get(username="zhangsan").uscc == "12110000MB1D058305"


def api_create(client, **overrides):
    data = {
        "username": "lisi",
        "password": "Mediate-Online-2026",
        "real_name": "李四",
        "id_number": GOOD_ID,
        "phone": "13900139000",
    }
    data.update(overrides)
    return client.post("/api/v1/people", data, content_type="application/json")


def test_api_refuses_a_bad_identity_number_with_the_error_format():
    client = factories.client_for(factories.admin())
    users = User.objects.count()
    response = api_create(client, id_number=BAD_ID)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "居民身份证号码" in error["details"]["fields"]["id_number"][0]
    assert User.objects.count() == users


def test_api_message_follows_accept_language():
    client = factories.client_for(factories.admin())
    response = client.post(
        "/api/v1/people",
        {
            "username": "wangwu",
            "password": "Mediate-Online-2026",
            "real_name": "王五",
            "kind": "legal",
            "uscc": "91110108MA01ABCDE0",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert (
        "not a valid unified social credit code"
        in response.json()["error"]["details"]["fields"]["uscc"][0]
    )


def test_api_creates_a_person_and_shows_only_the_masked_number():
    client = factories.client_for(factories.admin())
    response = api_create(client)
    assert response.status_code == 201, response.content
    assert response.json()["id_number"] == GOOD_ID[:6] + "********" + GOOD_ID[-4:]


def test_only_platform_admins_create_people_through_the_api():
    clerk = factories.person("court_clerk", court=factories.court())
    response = api_create(factories.client_for(clerk))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
