"""Revocation: the CA publishes a CRL naming every certificate it revoked; a signature made
after its key was compromised is refused, and the public verification page says so in words
(Chinese first, English too)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509

from sutiao.documents import actions, render, signing, verify
from sutiao.documents.models import Document

from .conftest import CASE_NUMBER, agreement_context

pytestmark = pytest.mark.django_db


def _signed_and_registered(signers):
    code = actions.new_verify_code()
    draft = render.render_pdf(
        "documents/specimen_agreement.html",
        agreement_context(
            applicant=signers.applicant.real_name,
            respondent=signers.respondent.real_name,
            org=signers.org.name,
            paragraphs=1,
        ),
        verify_code=code,
    )
    cert = actions.signer_certificate_for(signers.applicant)
    pdf = signing.sign_pdf(draft, signer_cert=cert, actor=signers.applicant, field_name="applicant")
    actions.register_document(
        kind=Document.Kind.AGREEMENT,
        title="人民调解协议书",
        case_number=CASE_NUMBER,
        pdf_bytes=pdf,
        verify_code=code,
    )
    return code, pdf, cert


def _crl(client) -> x509.CertificateRevocationList:
    response = client.get("/documents/ca/crl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    return x509.load_der_x509_crl(response.content)


def test_a_compromised_certificate_is_in_the_crl_and_refused_in_words(
    client, media, signers, django_capture_on_commit_callbacks
):
    code, pdf, cert = _signed_and_registered(signers)
    page = client.get(f"/documents/verify/{code}/").content.decode()
    assert 'data-status="valid"' in page
    crl = _crl(client)
    parsed = x509.load_pem_x509_certificate(cert.certificate_pem.encode())
    assert crl.get_revoked_certificate_by_serial_number(parsed.serial_number) is None
    [point] = parsed.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert point.full_name[0].value.endswith("/documents/ca/crl")

    with django_capture_on_commit_callbacks(execute=True):  # forgets the kept verdicts
        actions.revoke_signer_certificate(
            actor=None,
            cert=cert,
            reason="私钥泄露",
            compromised_since=cert.not_before,
        )
    entry = _crl(client).get_revoked_certificate_by_serial_number(parsed.serial_number)
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.key_compromise
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == verify.Status.UNTRUSTED
    assert "certificate_revoked" in verdict.signatures[0].problems
    page = client.get(f"/documents/verify/{code}/").content.decode()
    assert 'data-status="untrusted"' in page
    assert "证书已被吊销" in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/documents/verify/{code}/").content.decode()
    assert "The certificate was revoked." in english


def test_a_certificate_revoked_later_still_leaves_earlier_signatures_valid(signers):
    # Revocation without compromise (the holder left): what was signed before stands.
    _code, pdf, cert = _signed_and_registered(signers)
    actions.revoke_signer_certificate(actor=None, cert=cert, reason="离职")
    cert.refresh_from_db()
    assert cert.invalid_since is None
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == verify.Status.VALID, verdict
    assert verdict.signatures[0].timestamp < cert.revoked_at


def test_the_crl_is_signed_by_the_platform_ca(client, signers):
    from sutiao.documents import pki

    crl = _crl(client)
    root = pki.issuer().trust_roots()[0]
    assert crl.issuer == root.subject
    assert crl.is_signature_valid(root.public_key())  # type: ignore[arg-type]
    assert crl.next_update_utc > crl.last_update_utc + dt.timedelta(days=1)
