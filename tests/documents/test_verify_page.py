"""The public verification page: upload a PDF or enter its code; Chinese by default."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sutiao.documents import actions
from sutiao.documents.models import Document

from .conftest import CASE_NUMBER
from .test_tampering import draw_over_first_page, flip

pytestmark = pytest.mark.django_db
URL = "/documents/verify/"


def _upload(client, pdf: bytes, name: str = "agreement.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, pdf, "application/pdf")})


def _register(agreement):
    return actions.register_document(
        kind=Document.Kind.AGREEMENT,
        title="人民调解协议书",
        case_number=CASE_NUMBER,
        pdf_bytes=agreement.signed,
        verify_code=agreement.code,
    )


def test_the_page_is_public_and_chinese_by_default(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "验证码" in body and "核验" in body


def test_the_page_in_english(english):
    body = english.get(URL).content.decode()
    assert "Verify a document" in body and "Upload a PDF" in body


def test_an_uploaded_signed_agreement_is_valid_with_its_signers(client, agreement):
    response = _upload(client, agreement.signed)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body
    for name in ["张三丰", "李四海", "北京知识产权纠纷调解中心"]:
        assert name in body
    assert body.count('class="signature" data-ok="true"') == 3
    assert "申请人签名" in body


def test_a_flipped_byte_and_an_appended_update_show_as_altered(client, agreement):
    at = agreement.signed.index(b"WeasyPrint")
    for tampered in (flip(agreement.signed, at), draw_over_first_page(agreement.signed)):
        body = _upload(client, tampered).content.decode()
        assert 'data-status="altered"' in body
        assert 'data-status="valid"' not in body


def test_a_code_opens_the_registered_document(client, media, agreement):
    _register(agreement)
    response = client.get(f"{URL}{agreement.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body and CASE_NUMBER in body
    # The verdict is public; the whole PDF is for the people on the case, who log in first
    # (tests/documents/test_verify_access.py).
    pdf = client.get(reverse("documents:document_pdf", args=[agreement.code]))
    assert pdf.status_code == 302


def test_a_typed_code_is_normalised(client, media, agreement):
    _register(agreement)
    typed = f"{agreement.code[:5].lower()}-{agreement.code[5:].lower()}"
    response = client.get(URL, {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{agreement.code}/"
    assert client.get(f"{URL}{typed}/").status_code == 302


def test_an_unknown_or_malformed_code(client):
    assert client.get(f"{URL}ABCDE23456/").status_code == 404
    assert client.get(URL, {"code": "hello"}).status_code == 400


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.VERIFY_MAX_MB = 1
    response = _upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 100 * 1024))
    assert response.status_code == 413


def test_the_upload_form_is_protected_against_csrf(agreement):
    client = Client(enforce_csrf_checks=True)
    assert _upload(client, agreement.signed).status_code == 403


def test_a_pdf_that_is_not_a_platform_document(client):
    body = _upload(client, b"not a pdf at all").content.decode()
    assert 'data-status="unreadable"' in body


def test_the_platform_root_certificate_can_be_downloaded(client, signers):
    response = client.get(reverse("documents:ca_certificate"))
    assert response.status_code == 200
    assert response.content.startswith(b"-----BEGIN CERTIFICATE-----")
