"""Identity verification (实名认证, OLR 7) through the local backend: the particulars are
checked, a one-time code goes to the phone (delivery's local SMS record), and only the right
code sets `identity_verified_at`, which the profile shows."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sutiao.accounts import actions
from sutiao.accounts.actions import IdentityIn
from sutiao.accounts.models import User
from sutiao.core.errors import Invalid
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
    pytest.mark.rule("OLR-7"),
]

PHONE = "13712345678"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def last_code(phone: str = PHONE) -> str:
    text = SmsRecord.objects.filter(to=phone).order_by("pk").last().text
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_olr_7_a_person_is_verified_with_name_number_and_the_code_to_the_phone():
    person = factories.person("party", verified=False)
    actions.start_verification(
        actor=person,
        data=IdentityIn(real_name="王五", phone=PHONE, id_number=person.id_number),
    )
    assert User.objects.get(pk=person.pk).identity_verified_at is None
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(Invalid) as refused:
        actions.confirm_verification(actor=person, code=wrong)
    assert refused.value.code == "account.verification_code_wrong"
    assert User.objects.get(pk=person.pk).identity_verified_at is None
    actions.confirm_verification(actor=person, code=code)
    person = User.objects.get(pk=person.pk)
    assert person.identity_verified_at is not None
    assert person.real_name == "王五" and person.phone == PHONE
    page = factories.client_for(person).get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="identity-status"' in page and "Not verified" not in page
    with pytest.raises(Invalid):  # used up
        actions.confirm_verification(actor=person, code=code)


def test_olr_7_a_wrong_identity_number_changes_nothing_and_sends_no_code():
    person = factories.person("party", verified=False)
    with pytest.raises(Invalid) as refused:
        actions.start_verification(
            actor=person,
            data=IdentityIn(real_name="王五", phone=PHONE, id_number="110108199001011234"),
        )
    assert "id_number" in refused.value.details["fields"]
    assert not SmsRecord.objects.filter(to=PHONE).exists()
    assert not person.verifications.exists()
    other = factories.person("party", verified=False)
    with pytest.raises(Invalid):  # another account's number
        actions.start_verification(
            actor=other, data=IdentityIn(real_name="王五", phone=PHONE, id_number=person.id_number)
        )


def test_olr_7_a_company_needs_its_credit_code_and_a_representative_or_an_authorisation(media):
    company = actions.register_party(
        username="jia",
        password=factories.PASSWORD,
        real_name="甲科技有限公司",
        kind="legal",
        uscc="91110108MA01ABCDEN",
        phone=PHONE,
    )
    with pytest.raises(Invalid) as refused:
        actions.start_verification(
            actor=company,
            data=IdentityIn(real_name="甲科技有限公司", phone=PHONE, uscc="91110108MA01ABCDEN"),
        )
    assert refused.value.code == "account.identity_refused"
    actions.start_verification(
        actor=company,
        data=IdentityIn(
            real_name="甲科技有限公司",
            phone=PHONE,
            uscc="91110108MA01ABCDEN",
            authorisation=SimpleUploadedFile(
                "授权委托书.pdf", b"%PDF-1.4 signed", "application/pdf"
            ),
        ),
    )
    actions.confirm_verification(actor=company, code=last_code())
    company = User.objects.get(pk=company.pk)
    assert company.identity_verified_at is not None and company.real_name == "甲科技有限公司"
    attempt = company.verifications.get()
    assert attempt.authorisation.name and attempt.verified_at is not None


def test_olr_7_changing_the_verified_name_needs_a_new_verification():
    person = factories.person("party")
    actions.update_profile(actor=person, user=person, real_name="别名")
    assert User.objects.get(pk=person.pk).identity_verified_at is None


def test_olr_7_the_verify_page_goes_back_where_the_person_came_from():
    person = factories.person("party", verified=False)
    client = factories.client_for(person)
    url = reverse("accounts:verify") + "?next=/cases/"
    response = client.post(
        url,
        {
            "send": "1",
            "next": "/cases/",
            "real_name": "王五",
            "id_number": person.id_number,
            "phone": PHONE,
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"confirm": "1", "next": "/cases/", "code": last_code()})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert User.objects.get(pk=person.pk).identity_verified_at is not None
