"""Issue 21, item 2: every signature carries an RFC 3161 timestamp from the platform's
timestamp authority (documents/tsa.py), the certificates and the CA's CRL in the document
security store and a document timestamp (PAdES B-LTA), so a document still verifies after its
signer's certificate expired (the clock moved past it), from the data it carries; a signature
whose certificate was revoked before its timestamp is refused, and a revoked certificate signs
nothing."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from sutiao.core.errors import Conflict
from sutiao.documents import actions, render, revocation, signing, timestamps, verify
from sutiao.documents.models import SignerCertificate

from .conftest import agreement_context, pdfsig

pytestmark = pytest.mark.django_db

SIGNED_AT = dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC)


def test_timestamps_are_on_by_default(settings):
    assert settings.TSA == "platform"
    assert timestamps.timestamper() is not None


def _sign_once(signers) -> tuple[bytes, SignerCertificate]:
    draft = render.render_pdf(
        "documents/specimen_agreement.html",
        agreement_context(
            applicant=signers.applicant.real_name,
            respondent=signers.respondent.real_name,
            org=signers.org.name,
        ),
        verify_code=actions.new_verify_code(),
    )
    cert = actions.signer_certificate_for(signers.applicant)
    pdf = signing.sign_pdf(draft, signer_cert=cert, actor=signers.applicant, field_name="applicant")
    return pdf, cert


def test_the_document_is_b_lta_and_pdfsig_and_pyhanko_validate_it(agreement, nss_db, tmp_path):
    reader = PdfFileReader(BytesIO(agreement.signed))
    embedded = sorted(reader.embedded_signatures, key=lambda sig: sig.signed_revision)
    kinds = [s.sig_object_type for s in embedded]
    # each signature is followed by its validation data and a document timestamp
    assert kinds == ["/Sig", "/DocTimeStamp"] * 3
    dss = DocumentSecurityStore.read_dss(reader)
    crls = [x509.load_der_x509_crl(ref.get_object().data) for ref in dss.crls]
    assert crls and all(c.issuer == crls[0].issuer for c in crls)
    dss_serials = {c.serial_number for c in dss.load_certs()}
    assert {s.signer_cert.serial_number for s in embedded} <= dss_serials
    assert actions._count_signatures(agreement.signed) == 3
    verdict = verify.verify_pdf(agreement.signed)
    assert verdict.status == "valid" and len(verdict.document_timestamps) == 3, verdict
    assert [s.modification_level for s in verdict.signatures][-1] == "lta_updates"
    # pyHanko alone, the root as the only trust anchor, revocation required from the DSS
    context = dss.as_validation_context(
        {"trust_roots": revocation.trust_roots(), "revocation_mode": "require"}
    )
    for sig in embedded[::2]:
        status = validate_pdf_signature(sig, signer_validation_context=context)
        assert status.intact and status.valid and status.trusted, status
    # poppler: every signature valid and its certificate trusted (NSS with the platform root)
    listed = pdfsig(agreement.signed, nss_db, tmp_path, timestamps=True)
    signatures = [s for s in listed if not s.timestamp]
    assert [s.validation for s in signatures] == ["Signature is Valid."] * 3
    assert [s.certificate for s in signatures] == ["Certificate is Trusted."] * 3
    assert len(listed) == 6  # poppler lists the 3 document timestamps, without verifying them


def test_a_document_verifies_after_its_signers_certificate_expired(signers):
    with time_machine.travel(SIGNED_AT, tick=False):
        pdf, cert = _sign_once(signers)
        assert verify.verify_pdf(pdf).status == "valid"
    expired = cert.not_after + dt.timedelta(days=30)
    with time_machine.travel(expired, tick=False):
        verdict = verify.verify_pdf(pdf)
        [sig] = [
            s
            for s in PdfFileReader(BytesIO(pdf)).embedded_signatures
            if s.field_name == "applicant"
        ]
        roots = revocation.trust_roots()
        now = validate_pdf_signature(
            sig, signer_validation_context=ValidationContext(trust_roots=roots)
        )
        dss = DocumentSecurityStore.read_dss(sig.reader)
        at_signing = dss.as_validation_context(
            {"trust_roots": roots, "revocation_mode": "require", "moment": report_time(verdict)}
        )
        then = validate_pdf_signature(sig, signer_validation_context=at_signing)
    assert verdict.status == "valid", verdict
    [report] = verdict.signatures
    assert report.trusted and report.timestamp is not None and report.long_term
    assert abs(report.timestamp - SIGNED_AT) < dt.timedelta(minutes=1)
    # pyHanko by itself: expired now; trusted at the timestamp from the embedded CRL
    assert not now.trusted
    assert then.trusted and then.intact and then.valid, then


def report_time(verdict: verify.Verdict) -> dt.datetime:
    stamp = verdict.signatures[0].timestamp
    assert stamp is not None
    return stamp


def test_without_a_timestamp_the_expired_certificate_is_no_longer_trusted(signers, settings):
    # The contrast that shows the timestamp is what carries the signature past the expiry.
    settings.TSA = "off"
    assert timestamps.timestamper() is None
    with time_machine.travel(SIGNED_AT, tick=False):
        pdf, cert = _sign_once(signers)
    with time_machine.travel(cert.not_after + dt.timedelta(days=30), tick=False):
        verdict = verify.verify_pdf(pdf)
    assert verdict.status == "untrusted"
    assert verdict.signatures[0].timestamp is None


def test_a_certificate_revoked_before_the_timestamp_is_refused(signers):
    with time_machine.travel(SIGNED_AT, tick=False):
        pdf, cert = _sign_once(signers)
    SignerCertificate.objects.filter(pk=cert.pk).update(
        revoked_at=SIGNED_AT - dt.timedelta(minutes=10)
    )
    with time_machine.travel(SIGNED_AT + dt.timedelta(days=1), tick=False):
        verdict = verify.verify_pdf(pdf)
    assert verdict.status == "untrusted"
    assert "certificate_revoked" in verdict.signatures[0].problems


def test_a_certificate_revoked_after_the_timestamp_keeps_the_signature(signers):
    with time_machine.travel(SIGNED_AT, tick=False):
        pdf, cert = _sign_once(signers)
    SignerCertificate.objects.filter(pk=cert.pk).update(revoked_at=SIGNED_AT + dt.timedelta(days=5))
    with time_machine.travel(SIGNED_AT + dt.timedelta(days=6), tick=False):
        assert verify.verify_pdf(pdf).status == "valid"


def test_a_revoked_certificate_signs_nothing(signers):
    pdf, cert = _sign_once(signers)
    SignerCertificate.objects.filter(pk=cert.pk).update(revoked_at=cert.not_before)
    cert.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        signing.sign_pdf(pdf, signer_cert=cert, actor=signers.applicant, field_name="respondent")
    assert refused.value.code == "documents.cert_revoked"
