"""Three signatures (two people and an organisation's seal) on a rendered agreement: pyHanko
and poppler's pdfsig (trusting the platform CA through NSS) both find every one valid."""

from __future__ import annotations

from io import BytesIO

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.documents import actions, signing, verify
from sutiao.documents.verify import _trust_roots

from .conftest import first_page_dark_pixels, pdfsig, sign_three

pytestmark = pytest.mark.django_db


def test_three_signatures_validate_in_pyhanko_and_cover_the_whole_document(agreement):
    reader = PdfFileReader(BytesIO(agreement.signed))
    embedded = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    sigs = [s for s in embedded if s.sig_object_type == "/Sig"]
    assert [s.field_name for s in sigs] == ["applicant", "respondent", "org_seal"]
    for sig in sigs:
        status = validate_pdf_signature(
            sig, signer_validation_context=ValidationContext(trust_roots=_trust_roots())
        )
        assert status.bottom_line, status.pretty_print_details()
        assert status.intact and status.valid and status.trusted
        assert status.docmdp_ok
    # PAdES B-LTA: the last thing in the file is a document timestamp, covering all of it
    assert embedded[-1].sig_object_type == "/DocTimeStamp"
    last = validate_pdf_timestamp(
        embedded[-1], validation_context=ValidationContext(trust_roots=_trust_roots())
    )
    assert last.intact and last.valid and last.trusted
    assert last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    verdict = verify.verify_pdf(agreement.signed)
    assert verdict.status == "valid" and verdict.unaltered, verdict
    assert [s.signer_name for s in verdict.signatures] == [
        "张三丰",
        "李四海",
        "北京知识产权纠纷调解中心",
    ]
    assert [s.holder_kind for s in verdict.signatures] == ["person", "person", "org_seal"]
    assert verdict.signatures[0].reason == "申请人签名"
    assert all(s.signing_time is not None for s in verdict.signatures)


def test_pdfsig_trusting_the_platform_ca_reports_every_signature_valid(agreement, nss_db, tmp_path):
    sigs = pdfsig(agreement.signed, nss_db, tmp_path)
    assert len(sigs) == 3, sigs
    for sig in sigs:
        assert sig.validation == "Signature is Valid.", sig
        assert sig.certificate == "Certificate is Trusted.", sig
    assert [s.signer for s in sigs] == ["张三丰", "李四海", "北京知识产权纠纷调解中心"]
    # each is followed by its validation data and a document timestamp (PAdES B-LTA)
    assert not any(s.total for s in sigs)


def _page_of_field(pdf: bytes, name: str) -> int:
    reader = pypdf.PdfReader(BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            field = annot.get("/Parent", annot).get_object() if "/T" not in annot else annot
            if field.get("/T") == name:
                return number
    raise AssertionError(f"no field {name}")


def test_stamps_are_drawn_on_the_page(agreement, tmp_path):
    page = _page_of_field(agreement.draft, "org_seal")
    before = first_page_dark_pixels(agreement.draft, tmp_path, page=page)
    after = first_page_dark_pixels(agreement.signed, tmp_path, page=page)
    assert after > before + 300, (before, after)


@pytest.mark.rule("ESL-13")
def test_only_the_holder_may_use_a_personal_key(signers, agreement):
    cert = actions.signer_certificate_for(signers.applicant)
    with pytest.raises((Forbidden, NotFound)):
        signing.sign_pdf(
            agreement.draft, signer_cert=cert, actor=signers.respondent, field_name="applicant"
        )


@pytest.mark.rule("ESL-13")
def test_an_organisation_seal_is_used_by_its_staff_only(signers, agreement):
    seal = actions.signer_certificate_for(signers.org)
    with pytest.raises((Forbidden, NotFound)):
        signing.sign_pdf(
            agreement.draft, signer_cert=seal, actor=signers.applicant, field_name="org_seal"
        )


def test_a_signed_field_cannot_be_signed_again(signers, agreement):
    cert = actions.signer_certificate_for(signers.applicant)
    with pytest.raises(Conflict):
        signing.sign_pdf(
            agreement.signed, signer_cert=cert, actor=signers.applicant, field_name="applicant"
        )


def test_a_field_the_document_lacks_needs_a_place(signers, agreement):
    cert = actions.signer_certificate_for(signers.applicant)
    with pytest.raises(Invalid):
        signing.sign_pdf(
            agreement.draft, signer_cert=cert, actor=signers.applicant, field_name="witness"
        )
    pdf = signing.sign_pdf(
        agreement.draft,
        signer_cert=cert,
        actor=signers.applicant,
        field_name="witness",
        page=0,
        box=(60, 60, 260, 130),
    )
    assert verify.verify_pdf(pdf).status == "valid"


def test_a_revoked_certificate_cannot_sign(signers, agreement):
    cert = actions.signer_certificate_for(signers.applicant)
    actions.revoke_signer_certificate(actor=None, cert=cert, reason="key compromise")
    with pytest.raises(Conflict):
        signing.sign_pdf(
            agreement.draft, signer_cert=cert, actor=signers.applicant, field_name="applicant"
        )
    # The next request for a certificate issues a new one.
    assert actions.signer_certificate_for(signers.applicant).pk != cert.pk


def test_certification_only_as_the_first_signature(signers, agreement):
    cert = actions.signer_certificate_for(signers.applicant)
    with pytest.raises(Conflict):
        signing.sign_pdf(
            agreement.signed,
            signer_cert=cert,
            actor=signers.applicant,
            field_name="late",
            page=0,
            box=(60, 60, 260, 130),
            certify=True,
        )
    certified = signing.sign_pdf(
        agreement.draft,
        signer_cert=cert,
        actor=signers.applicant,
        field_name="applicant",
        certify=True,
    )
    s = signers
    rest = signing.sign_pdf(
        certified,
        signer_cert=actions.signer_certificate_for(s.respondent),
        actor=s.respondent,
        field_name="respondent",
    )
    rest = signing.sign_pdf(
        rest,
        signer_cert=actions.signer_certificate_for(s.org),
        actor=s.mediator,
        field_name="org_seal",
    )
    verdict = verify.verify_pdf(rest)
    assert verdict.status == "valid", verdict


def test_a_name_outside_the_common_character_set_still_stamps(signers, agreement):
    signers.applicant.real_name = "王堃𠀾"  # 堃 is outside GB 2312; 𠀾 outside the BMP
    signers.applicant.save(update_fields=["real_name"])
    pdf = sign_three(agreement.draft, signers)
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == "valid"
    assert verdict.signatures[0].signer_name == "王堃𠀾"
