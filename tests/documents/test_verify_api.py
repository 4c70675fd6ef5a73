"""POST /api/v1/documents/verify and GET /api/v1/documents/verify/{code}: public, with the
platform's error format (413 for an upload over the limit)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.documents import actions
from sutiao.documents.models import Document

from .conftest import CASE_NUMBER
from .test_tampering import draw_over_first_page, flip

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents/verify"


def _post(client, pdf: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})


def test_an_anonymous_upload_gets_the_full_verdict(client, agreement):
    response = _post(client, agreement.signed)
    assert response.status_code == 200, response.content
    assert "张三丰".encode() in response.content  # readable Chinese, not \\u escapes
    data = response.json()
    assert data["status"] == "valid" and data["unaltered"] and data["all_trusted"]
    assert data["document"] is None
    sigs = data["signatures"]
    assert [s["signer_name"] for s in sigs] == ["张三丰", "李四海", "北京知识产权纠纷调解中心"]
    assert [s["field_name"] for s in sigs] == ["applicant", "respondent", "org_seal"]
    assert [s["holder_kind"] for s in sigs] == ["person", "person", "org_seal"]
    # B-LTA: the last signature covers its revision; the document timestamps after it (and
    # the validation data they protect) cover the rest of the file.
    assert sigs[-1]["coverage"] == "entire_revision"
    assert data["document_timestamps"]
    assert all(s["intact"] and s["valid"] and s["trusted"] and s["signing_time"] for s in sigs)


def test_a_flipped_byte_is_altered(client, agreement):
    tampered = flip(agreement.signed, agreement.signed.index(b"WeasyPrint"))
    data = _post(client, tampered).json()
    assert data["status"] == "altered" and not data["unaltered"]
    assert all(not s["intact"] for s in data["signatures"])


def test_an_appended_unsigned_update_is_altered(client, agreement):
    data = _post(client, draw_over_first_page(agreement.signed)).json()
    assert data["status"] == "altered" and not data["unaltered"]
    assert "changed_after_last_signature" in data["problems"]
    assert data["signatures"][-1]["modification_level"] == "other"


def test_an_upload_over_the_limit_is_413_in_the_error_format(client, settings):
    settings.VERIFY_MAX_MB = 1
    response = _post(client, b"%PDF-1.7\n" + b"0" * (1200 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "documents.too_large"


def test_a_request_without_a_file_is_422(client):
    response = client.post(URL, {})
    assert response.status_code == 422
    assert "file" in response.json()["error"]["details"]["fields"]


def test_the_code_endpoint(client, media, agreement):
    actions.register_document(
        kind=Document.Kind.AGREEMENT,
        title="人民调解协议书",
        case_number=CASE_NUMBER,
        pdf_bytes=agreement.signed,
        verify_code=agreement.code,
    )
    data = client.get(f"{URL}/{agreement.code}").json()
    assert data["status"] == "valid"
    assert data["document"]["case_number"] == CASE_NUMBER
    assert data["document"]["verify_code"] == agreement.code
    assert data["document"]["pdf_url"].endswith(f"/documents/verify/{agreement.code}/pdf/")
    assert data["is_current_version"] is True
    # An upload of the same file is recognised as that registered document.
    assert _post(client, agreement.signed).json()["document"]["verify_code"] == agreement.code


def test_an_unknown_code_is_404(client, db):
    response = client.get(f"{URL}/ABCDE23456")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_endpoints_are_in_the_openapi_document(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    post = spec["paths"]["/api/v1/documents/verify"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "/api/v1/documents/verify/{code}" in spec["paths"]
