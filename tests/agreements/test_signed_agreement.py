"""Must-show: a settled case whose agreement carries the signatures of both parties, the
mediator and the organisation's seal. pdfsig (trusting the platform CA through NSS) reports
every signature valid, pyHanko validates the whole document, and one flipped byte or an
unsigned incremental update appended afterwards is reported altered by the verification page
and the API. The Chinese text extracts (pypdf) and the pages render (pdftoppm)."""

from __future__ import annotations

import re
from io import BytesIO

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from sutiao.agreements.models import Agreement
from sutiao.documents import codes, verify
from sutiao.documents.models import Document
from sutiao.documents.verify import _trust_roots
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import first_page_dark_pixels, pdfsig
from tests.documents.test_tampering import draw_over_first_page, flip

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.fixture
def signed(world) -> Agreement:
    return factories.signed_agreement(world)


def pdf_of(agreement: Agreement) -> bytes:
    document = Document.objects.get(pk=agreement.document_id)
    with document.file.open("rb") as fh:
        return fh.read()


@pytest.mark.rule("OMR-19a", "OMR-19b")
def test_the_case_is_settled_and_the_agreement_carries_four_signatures(world, signed):
    case = world.reload()
    assert case.state == "settled" and case.end_reason == 1
    assert signed.state == Agreement.State.SIGNED and signed.effective_at is not None
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    fields = [s.field_name for s in signed.signatures.order_by("signed_at", "id")]
    assert fields == [f"party-{applicant.pk}", f"party-{respondent.pk}", "mediator", "org_seal"]
    assert [s.verified_by for s in signed.signatures.order_by("id")][:2] == ["email", "sms"]
    document = Document.objects.get(pk=signed.document_id)
    assert document.version == 5 and document.signature_count == 4  # unsigned + 4 signatures
    assert document.case_number == case.number
    # Every version extends the one before it.
    versions = list(document.versions.order_by("number"))
    blobs = []
    for v in versions:
        with v.file.open("rb") as fh:
            blobs.append(fh.read())
    assert all(later.startswith(earlier) for earlier, later in zip(blobs, blobs[1:]))


@pytest.mark.rule("ESL-13")
def test_pdfsig_reports_every_signature_valid_and_trusted(signed, nss_db, tmp_path):
    sigs = pdfsig(pdf_of(signed), nss_db, tmp_path)
    assert len(sigs) == 4, sigs
    for sig in sigs:
        assert sig.validation == "Signature is Valid.", sig
        assert sig.certificate == "Certificate is Trusted.", sig
    assert [s.signer for s in sigs] == [
        "张三丰",
        "李四海",
        "王调解",
        "中国（北京）知识产权保护中心",
    ]
    # each is followed by its validation data and a document timestamp (PAdES B-LTA)
    assert not any(s.total for s in sigs)


@pytest.mark.rule("ESL-13")
def test_pyhanko_validates_the_whole_document(signed):
    pdf = pdf_of(signed)
    embedded = sorted(
        PdfFileReader(BytesIO(pdf)).embedded_signatures, key=lambda s: s.signed_revision
    )
    sigs = [s for s in embedded if s.sig_object_type == "/Sig"]
    context = ValidationContext(trust_roots=_trust_roots())
    for sig in sigs:
        status = validate_pdf_signature(sig, signer_validation_context=context)
        assert status.bottom_line, status.pretty_print_details()
        assert status.intact and status.valid and status.trusted and status.docmdp_ok
    # the last revision is a document timestamp (PAdES B-LTA) that covers the whole file
    last = validate_pdf_timestamp(embedded[-1], validation_context=context)
    assert last.intact and last.valid and last.trusted
    assert last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == verify.Status.VALID and verdict.unaltered
    assert [s.holder_kind for s in verdict.signatures] == ["person", "person", "person", "org_seal"]


def _page(client, pdf: bytes) -> str:
    return client.post(
        "/documents/verify/", {"file": SimpleUploadedFile("agreement.pdf", pdf, "application/pdf")}
    ).content.decode()


def _api(client, pdf: bytes) -> dict:
    return client.post(
        "/api/v1/documents/verify",
        {"file": SimpleUploadedFile("agreement.pdf", pdf, "application/pdf")},
    ).json()


def test_the_verification_page_and_api_find_it_valid_by_upload_and_by_code(client, signed):
    pdf = pdf_of(signed)
    assert 'data-status="valid"' in _page(client, pdf)
    data = _api(client, pdf)
    assert data["status"] == "valid" and data["document"]["verify_code"] == signed.verify_code
    assert data["is_current_version"] is True
    by_code = client.get(f"/api/v1/documents/verify/{signed.verify_code}").json()
    assert by_code["status"] == "valid" and by_code["document"]["signature_count"] == 4


@pytest.mark.rule("ESL-13")
@pytest.mark.parametrize("tamper", ["flipped_byte", "unsigned_update"])
def test_tampering_is_reported_altered_by_page_and_api(client, signed, tamper, nss_db, tmp_path):
    pdf = pdf_of(signed)
    if tamper == "flipped_byte":
        tampered = flip(pdf, pdf.index(b"WeasyPrint"))
    else:
        tampered = draw_over_first_page(pdf)
        assert tampered.startswith(pdf)
        # pdfsig still calls each signature valid; only "not total document signed" shows.
        assert not any(s.total for s in pdfsig(tampered, nss_db, tmp_path))
    body = _page(client, tampered)
    assert 'data-status="altered"' in body and 'data-status="valid"' not in body
    data = _api(client, tampered)
    assert data["status"] == "altered" and data["unaltered"] is False
    assert data.get("document") is None  # not a version the platform registered


def _text(pdf: bytes) -> str:
    return "".join(
        re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(BytesIO(pdf)).pages
    )


def test_the_chinese_text_extracts_and_the_pages_render(world, signed, tmp_path):
    pdf = pdf_of(signed)
    text = _text(pdf)
    case = world.reload()
    for phrase in [
        "调解协议书",
        case.number,
        "纠纷的主要事实",
        "经调解，各方当事人自愿达成如下协议",
        "乙公司于",
        "支付经济损失及合理开支共计人民币30,000.00元（大写：叁万元整）",
        "申请人：张三丰",
        "中国（北京）知识产权保护中心",
        f"验证码{codes.display(signed.verify_code)}",
        "第1页共",
    ]:
        assert phrase in text, phrase
    reader = pypdf.PdfReader(BytesIO(pdf))
    for number in range(1, len(reader.pages) + 1):
        assert first_page_dark_pixels(pdf, tmp_path, page=number) > 2000
