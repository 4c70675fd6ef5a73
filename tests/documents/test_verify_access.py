"""Issue 13, fix 6: the public verification code shows the verdict; the whole PDF only to a
logged-in person on the case; verification is rate-limited per address and its result is kept
per document hash, so pyHanko's seconds of CPU are spent once per document."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sutiao.documents import actions, verify
from sutiao.documents.models import Document
from tests import factories
from tests.agreements import factories as agreement_factories
from tests.agreements.conftest import world  # noqa: F401
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

from .test_verify_page import _register

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _pdf_url(code: str) -> str:
    return reverse("documents:document_pdf", args=[code])


def test_the_public_code_shows_the_verdict_but_not_the_pdf(client, media, agreement):  # noqa: F811
    _register(agreement)
    body = client.get(f"/documents/verify/{agreement.code}/").content.decode()
    assert 'data-status="valid"' in body and "人民调解协议书" in body
    assert "张三丰" in body  # who signed
    assert _pdf_url(agreement.code) not in body
    anonymous = client.get(_pdf_url(agreement.code))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    stranger = factories.client_for(factories.person("party"))
    assert stranger.get(_pdf_url(agreement.code)).status_code == 404


def test_the_people_on_the_case_open_the_whole_pdf(world):  # noqa: F811
    signed = agreement_factories.signed_agreement(world)
    document = Document.objects.get(pk=signed.document_id)
    with document.file.open("rb") as fh:
        stored = fh.read()
    for person in (world.applicant, world.respondent, world.mediator_user):
        client = factories.client_for(person)
        page = client.get(f"/documents/verify/{document.verify_code}/").content.decode()
        assert _pdf_url(document.verify_code) in page
        answer = client.get(_pdf_url(document.verify_code))
        assert answer.status_code == 200, person
        assert b"".join(answer.streaming_content) == stored
    outsider = factories.client_for(factories.person("party"))
    assert outsider.get(_pdf_url(document.verify_code)).status_code == 404
    other_mediator = factories.client_for(factories.person("mediator", org=factories.org()))
    assert other_mediator.get(_pdf_url(document.verify_code)).status_code == 404


def test_verification_is_rate_limited_per_address(client, media, agreement, settings):  # noqa: F811
    settings.VERIFY_PER_MINUTE = 3
    _register(agreement)
    url = f"/documents/verify/{agreement.code}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert 'role="alert"' in refused.content.decode()  # the message (English: next test)
    api = client.get(f"/api/v1/documents/verify/{agreement.code}")
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "documents.rate_limited"
    # Another address is not affected.
    other = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_the_refusal_in_english(english, media, agreement, settings):  # noqa: F811
    settings.VERIFY_PER_MINUTE = 1
    _register(agreement)
    english.get(f"/documents/verify/{agreement.code}/")
    refused = english.get(f"/documents/verify/{agreement.code}/")
    assert refused.status_code == 429
    assert "Too many verifications from your address" in refused.content.decode()


def _count_validations(monkeypatch) -> list[int]:
    runs: list[int] = []
    real = verify.validate_pdf_signature

    def counting(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    # Counted at the edge, pyHanko's validation (the CPU cost); it still runs for real.
    monkeypatch.setattr(verify, "validate_pdf_signature", counting)
    return runs


def test_a_document_is_verified_once_per_hash(client, media, agreement, monkeypatch):  # noqa: F811
    _register(agreement)
    runs = _count_validations(monkeypatch)
    for _ in range(3):
        page = client.get(f"/documents/verify/{agreement.code}/").content.decode()
        assert 'data-status="valid"' in page
    assert client.get(f"/api/v1/documents/verify/{agreement.code}").json()["status"] == "valid"
    upload = client.post(
        "/api/v1/documents/verify",
        {"file": SimpleUploadedFile("a.pdf", agreement.signed, "application/pdf")},
    )
    assert upload.json()["status"] == "valid"
    assert len(runs) == 3  # once, for the three signatures of the one document


def test_a_revocation_forgets_the_kept_verdicts(
    client,
    media,  # noqa: F811
    agreement,
    signers,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from sutiao.documents.models import SignerCertificate

    _register(agreement)
    url = f"/api/v1/documents/verify/{agreement.code}"
    runs = _count_validations(monkeypatch)
    assert client.get(url).json()["status"] == "valid"
    assert client.get(url).json()["status"] == "valid"
    assert len(runs) == 3
    cert = SignerCertificate.objects.filter(user=signers.applicant).first()
    assert cert is not None
    with django_capture_on_commit_callbacks(execute=True):
        actions.revoke_signer_certificate(actor=None, cert=cert, reason="key lost")
    client.get(url)
    # Verified again (the kept verdict could name the revoked key): the 3 signatures, and the
    # revoked signer's once more at its timestamp's time (long-term validation).
    assert len(runs) == 7
