"""Files are checked by content: oversize, disguised executables and broken PDFs are refused,
and nothing of a refused file is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from sutiao.cases.models import CaseFile
from tests import factories
from tests.cases import factories as cf

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = cf.submitted_case(factories.court())
    party = case.parties.get(role="applicant").user
    return case, factories.client_for(party), tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def post(client, case, name, data, kind="evidence"):
    return client.post(
        f"/api/v1/cases/{case.pk}/files?kind={kind}", {"file": SimpleUploadedFile(name, data)}
    )


def test_a_real_pdf_is_stored_with_its_hash(setup):
    case, client, root = setup
    response = post(client, case, "证据一.pdf", pdf_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf" and len(body["sha256"]) == 64
    assert len(stored_files(root)) == 1


def test_an_executable_renamed_pdf_is_refused_and_nothing_stored(setup):
    case, client, root = setup
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    response = post(client, case, "合同.pdf", exe)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "file.type_refused"
    assert not CaseFile.objects.exists() and stored_files(root) == []


def test_an_elf_binary_is_refused(setup):
    case, client, root = setup
    response = post(client, case, "scan.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    assert response.status_code == 422


def test_a_malformed_pdf_is_refused(setup):
    case, client, root = setup
    broken = pdf_bytes()[:200]  # header present, body cut off
    response = post(client, case, "坏文件.pdf", broken)
    assert response.status_code == 422
    assert (
        "损坏" in response.json()["error"]["message"]
        or "damaged" in response.json()["error"]["message"]
    )
    assert not CaseFile.objects.exists() and stored_files(root) == []


def test_an_oversize_file_is_refused_with_413(setup, settings):
    settings.MAX_FILE_MB = 1
    case, client, root = setup
    big = pdf_bytes() + b"%" * (1024 * 1024 + 10)
    response = post(client, case, "大文件.pdf", big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file.too_large"
    assert not CaseFile.objects.exists() and stored_files(root) == []


def test_the_case_total_is_limited(setup, settings):
    settings.MAX_CASE_MB = 1
    case, client, root = setup
    chunk = pdf_bytes() + b"%" * (600 * 1024)
    assert post(client, case, "一.pdf", chunk).status_code == 201
    assert post(client, case, "二.pdf", chunk).status_code == 413
    assert CaseFile.objects.count() == 1


def test_office_documents_and_images_are_accepted(setup):
    import zipfile

    case, client, root = setup
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert (
        post(client, case, "起诉状.docx", buf.getvalue())
        .json()["content_type"]
        .endswith("wordprocessingml.document")
    )
    png = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + b"\x00" * 17
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    assert post(client, case, "截图.png", png).json()["content_type"] == "image/png"


def test_a_stranger_cannot_upload(setup):
    case, _, root = setup
    stranger = factories.client_for(factories.person("party"))
    assert post(stranger, case, "x.pdf", pdf_bytes()).status_code == 404
