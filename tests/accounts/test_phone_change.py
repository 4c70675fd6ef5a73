"""Issue 13: the profile's phone changes only with the code sent to the new phone (the SMS
interface registration uses), a phone belongs to one account, codes are limited, each change
is audited, and a wrong or expired code changes nothing. Before, the profile form and
`PATCH /api/v1/me` took any number at once."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sutiao.accounts import phone_change
from sutiao.accounts.models import PhoneChange, User
from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Invalid
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

NEW = "13812349876"


def texts_to(phone: str) -> list[str]:
    return list(SmsRecord.objects.filter(to=phone).order_by("pk").values_list("text", flat=True))


def code_sent_to(phone: str) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", texts_to(phone)[-1]).group(1)


def phone_of(user: User) -> str:
    return User.objects.get(pk=user.pk).phone


def test_the_profile_form_no_longer_changes_the_phone_at_once():
    user = factories.person()
    old = user.phone
    client = factories.client_for(user)
    answer = client.post(
        "/accounts/profile/",
        {"real_name": user.real_name, "email": "", "phone": NEW, "preferred_language": ""},
    )
    assert answer.status_code == 302  # the other fields are saved; phone is not a field
    assert phone_of(user) == old
    assert texts_to(NEW) == []


def test_the_api_refuses_a_new_phone_without_its_code():
    user = factories.person()
    old = user.phone
    client = factories.client_for(user)
    answer = client.patch(
        "/api/v1/me",
        json.dumps({"phone": NEW}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    body = answer.json()
    assert answer.status_code == 422, body
    assert body["error"]["code"] == "account.phone_needs_code"
    assert "only with the code sent to it" in body["error"]["message"]
    assert body["error"]["details"]["fields"]["phone"]
    # The phone sent back unchanged (a client that patches the whole profile) is accepted.
    same = client.patch("/api/v1/me", json.dumps({"phone": old}), content_type="application/json")
    assert same.status_code == 200
    assert phone_of(user) == old


def test_the_new_phone_takes_effect_with_the_code_sent_to_it_in_the_browser_flow(
    django_capture_on_commit_callbacks,
):
    user = factories.person()
    old = user.phone
    client = factories.client_for(user)
    sent = client.post("/accounts/profile/phone/", {"send": "1", "phone": NEW})
    assert sent.status_code == 302
    assert phone_of(user) == old  # nothing changes before the code
    page = client.get("/accounts/profile/phone/").content.decode()
    assert "138****9876" in page and 'name="code"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the notice goes after commit
        done = client.post("/accounts/profile/phone/", {"confirm": "1", "code": code_sent_to(NEW)})
    assert done.status_code == 302 and done["Location"] == "/accounts/profile/"
    assert phone_of(user) == NEW
    assert User.objects.get(pk=user.pk).phone_hash != ""
    # The old phone is told (a thief who changed it is noticed), without the new number.
    assert NEW not in texts_to(old)[-1] and "138****9876" in texts_to(old)[-1]
    entries = AuditEntry.objects.filter(
        action__in=["account.phone_change_started", "account.phone_changed"]
    ).order_by("id")
    assert [e.action for e in entries] == ["account.phone_change_started", "account.phone_changed"]
    changed = entries.last()
    assert changed.actor_id == user.pk
    assert changed.changes["phone"][1] == "138****9876"
    assert NEW not in json.dumps([e.changes for e in entries])  # never a number in the log


def test_the_api_flow_and_a_wrong_code_changes_nothing():
    user = factories.person()
    old = user.phone
    client = factories.client_for(user)
    started = client.post(
        "/api/v1/me/phone", json.dumps({"phone": NEW}), content_type="application/json"
    )
    assert started.status_code == 202 and started.json()["phone"] == "138****9876"
    right = code_sent_to(NEW)
    wrong = "000000" if right != "000000" else "111111"
    answer = client.post(
        "/api/v1/me/phone/confirm",
        json.dumps({"code": wrong}),
        content_type="application/json",
        headers={"Accept-Language": "zh-hans"},
    )
    error = answer.json()["error"]
    assert answer.status_code == 422
    assert error["code"] == "account.verification_code_wrong"
    assert "验证码错误" in error["message"], error["message"]
    assert phone_of(user) == old
    assert not AuditEntry.objects.filter(action="account.phone_changed").exists()
    ok = client.post(
        "/api/v1/me/phone/confirm", json.dumps({"code": right}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["phone"] == "138****9876"
    assert phone_of(user) == NEW


def test_an_expired_code_changes_nothing():
    user = factories.person()
    old = user.phone
    phone_change.start_phone_change(actor=user, phone=NEW)
    code = code_sent_to(NEW)
    later = time_machine.travel(timezone.now() + timedelta(minutes=11))
    with later, pytest.raises(Invalid) as refused:
        phone_change.confirm_phone_change(actor=user, code=code)
    assert refused.value.code == "account.verification_code_none"
    assert phone_of(user) == old


def test_five_wrong_codes_end_the_attempt_even_for_the_right_code():
    user = factories.person()
    phone_change.start_phone_change(actor=user, phone=NEW)
    right = code_sent_to(NEW)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(Invalid):
            phone_change.confirm_phone_change(actor=user, code=wrong)
    with pytest.raises(Invalid) as refused:
        phone_change.confirm_phone_change(actor=user, code=right)
    assert refused.value.code == "account.verification_code_none"
    assert phone_of(user) != NEW


def test_a_phone_of_another_account_is_refused_and_no_code_goes_to_it():
    other = factories.person()
    user = factories.person()
    with pytest.raises(Invalid) as refused:
        phone_change.start_phone_change(actor=user, phone=other.phone)
    assert refused.value.code == "account.phone_taken"
    assert texts_to(other.phone) == []
    assert not PhoneChange.objects.exists()


def test_a_phone_taken_between_the_code_and_its_entry_is_refused():
    user = factories.person()
    rival = factories.person()
    phone_change.start_phone_change(actor=user, phone=NEW)
    code = code_sent_to(NEW)
    phone_change.start_phone_change(actor=rival, phone=NEW)
    phone_change.confirm_phone_change(actor=rival, code=code_sent_to(NEW))
    with pytest.raises(Invalid) as refused:
        phone_change.confirm_phone_change(actor=user, code=code)
    assert refused.value.code == "account.phone_taken"
    assert phone_of(rival) == NEW and phone_of(user) != NEW


def test_codes_are_rate_limited_per_phone_and_per_account():
    user = factories.person()
    for _ in range(3):
        phone_change.start_phone_change(actor=user, phone=NEW)
    with pytest.raises(Invalid) as per_phone:
        phone_change.start_phone_change(actor=user, phone=NEW)
    assert per_phone.value.code == "account.phone_change_throttled"
    assert len(texts_to(NEW)) == 3
    # The refused fourth request counted for the account too: one more is allowed (5 an hour).
    phone_change.start_phone_change(actor=user, phone="13712340001")
    with pytest.raises(Invalid) as per_account:
        phone_change.start_phone_change(actor=user, phone="13712340009")
    assert per_account.value.code == "account.phone_change_throttled"
    assert texts_to("13712340009") == []


def test_a_bad_number_is_refused_with_a_clear_message():
    user = factories.person()
    with pytest.raises(Invalid) as refused:
        phone_change.start_phone_change(actor=user, phone="12345")
    assert "11" in refused.value.message
    with pytest.raises(Invalid) as same:
        phone_change.start_phone_change(actor=user, phone=user.phone)
    assert same.value.code == "account.phone_same"
    assert not PhoneChange.objects.exists()
