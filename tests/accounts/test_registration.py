"""Issue 13: registration is no oracle for identity numbers or phones (the same answer whether
or not an account has them; the owner gets a notice instead), the phone is verified by a
one-time code before the account opens, and a phone belongs to one account only."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from sutiao.accounts import actions
from sutiao.accounts.models import Registration, User
from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Invalid
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

PHONE = "13812340001"


def particulars(**overrides) -> dict:
    data = {
        "kind": "natural",
        "real_name": "张三",
        "id_number": factories.id_number(901),
        "uscc": "",
        "phone": PHONE,
        "email": "",
        "username": "zhangsan",
        "password": "Mediate-Online-2026",
    }
    data.update(overrides)
    return data


def texts_to(phone: str) -> list[str]:
    return list(SmsRecord.objects.filter(to=phone).order_by("pk").values_list("text", flat=True))


def code_in(text: str) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


def start(client: Client, **overrides):
    """The first step as a browser posts it, then the page it is sent to."""
    answer = client.post("/accounts/register/", particulars(**overrides))
    assert answer.status_code == 302, answer.content.decode()[:1500]
    return answer, client.get(answer["Location"])


def shown(page) -> str:
    """The page without what differs by nature from one request to the next."""
    body = page.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_the_phone_code_opens_the_account_and_nothing_before_it():
    client = Client()
    _answer, page = start(client)
    assert page.status_code == 200 and "138****0001" in page.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()  # not before the code
    [text] = texts_to(PHONE)
    wrong = "000000" if code_in(text) != "000000" else "111111"
    refused = client.post("/accounts/register/code/", {"code": wrong})
    assert refused.status_code == 200 and "验证码错误" in refused.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()
    opened = client.post("/accounts/register/code/", {"code": code_in(text)})
    assert opened.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.is_active and user.has_role("party") and user.phone == PHONE
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not Registration.objects.exists()  # the particulars are kept once, on the account
    assert AuditEntry.objects.filter(action="account.created", object_id=str(user.pk)).exists()


def test_a_pending_registration_keeps_no_particular_in_clear():
    start(Client(), id_number=factories.id_number(902))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_registration")
        raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert PHONE not in raw and factories.id_number(902) not in raw
    assert "Mediate-Online-2026" not in raw


@pytest.mark.parametrize("taken", ["id_number", "phone"])
def test_registration_answers_the_same_whether_or_not_an_account_exists(taken):
    owner = factories.person("party")
    fresh, existing = Client(), Client()
    fresh_answer, fresh_page = start(fresh, username="newcomer")
    same = {"id_number": owner.id_number} if taken == "id_number" else {"phone": owner.phone}
    other_phone = "13812340002"
    overrides = {"username": "intruder", "phone": other_phone, **same}
    if taken == "phone":
        overrides["phone"] = owner.phone
    answer, page = start(existing, **overrides)
    # The same redirect, the same page (but the masked phone typed), the same status.
    assert answer["Location"] == fresh_answer["Location"]
    typed = overrides["phone"]
    expected = shown(fresh_page).replace("138****0001", f"{typed[:3]}****{typed[-4:]}")
    assert shown(page) == expected
    # No code can open it: nothing was sent to the phone typed but the owner's notice.
    to_typed = texts_to(typed)
    assert all(not re.search(r"(?<!\d)\d{6}(?!\d)", t) for t in to_typed)
    [notice] = [t for t in texts_to(owner.phone) if owner.username in t]
    assert "有人" in notice or "someone" in notice.lower()
    for guess in ("000000", "123456", "999999", "111111", "222222"):
        existing.post("/accounts/register/code/", {"code": guess})
    assert not User.objects.filter(username="intruder").exists()
    assert AuditEntry.objects.filter(
        action="account.registration_notice", object_id=str(owner.pk)
    ).exists()


def test_a_phone_belongs_to_one_account_only():
    owner = factories.person("party")
    other = factories.person("party")
    with pytest.raises(Invalid) as refused:
        actions.update_profile(actor=other, user=other, phone=owner.phone)
    assert "phone" in refused.value.details["fields"]
    assert User.objects.get(pk=other.pk).phone != owner.phone
    with pytest.raises(Invalid) as by_admin:
        actions.register_person(
            actor=factories.admin(),
            username="copy",
            password="Mediate-Online-2026",
            real_name="复制",
            phone=owner.phone,
        )
    assert "phone" in by_admin.value.details["fields"]
    # The database itself refuses a second account with the number.
    other.phone = owner.phone
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_registrations_from_one_address_are_limited():
    client = Client()
    client.cookies["django_language"] = "en"
    for n in range(10):
        client.post(
            "/accounts/register/",
            particulars(
                username=f"u{n}", phone=f"1381234{n:04d}", id_number=factories.id_number(910 + n)
            ),
        )
    refused = client.post("/accounts/register/", particulars(username="u99", phone="13812349999"))
    assert refused.status_code == 200 and "Too many registrations" in refused.content.decode()
    assert Registration.objects.count() == 10
