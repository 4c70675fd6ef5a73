"""The platform CA and signer certificates: keys generated per signer and encrypted at rest;
a production CA held in files plugs in through settings."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden
from sutiao.documents import actions, pki, signing, verify
from sutiao.documents.models import CertificateAuthority, SignerCertificate

from .conftest import sign_three

pytestmark = pytest.mark.django_db


def test_the_platform_ca_is_created_once_and_its_key_is_encrypted(signers):
    actions.signer_certificate_for(signers.applicant)
    actions.signer_certificate_for(signers.respondent)
    assert CertificateAuthority.objects.count() == 1
    ca = CertificateAuthority.objects.get()
    assert "PRIVATE KEY" not in ca.key_encrypted
    assert isinstance(pki.open_key(ca.key_encrypted), rsa.RSAPrivateKey)
    root = x509.load_pem_x509_certificate(ca.certificate_pem.encode())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert pki.root_pem() == ca.certificate_pem


@pytest.mark.rule("ESL-13")
def test_a_person_gets_their_own_key_and_a_certificate_in_their_real_name(signers):
    mine = actions.signer_certificate_for(signers.applicant)
    theirs = actions.signer_certificate_for(signers.respondent)
    assert mine.holder_kind == SignerCertificate.Holder.PERSON and mine.user == signers.applicant
    assert "PRIVATE KEY" not in mine.key_encrypted
    cert = x509.load_pem_x509_certificate(mine.certificate_pem.encode())
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "张三丰"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == (
        f"U{signers.applicant.pk}"
    )
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    root = x509.load_pem_x509_certificate(pki.root_pem().encode())
    cert.verify_directly_issued_by(root)
    other = x509.load_pem_x509_certificate(theirs.certificate_pem.encode())
    assert cert.public_key().public_numbers() != other.public_key().public_numbers()
    # The same certificate serves later signings; a changed real name gets a new one.
    assert actions.signer_certificate_for(signers.applicant) == mine
    signers.applicant.real_name = "张三"
    signers.applicant.save(update_fields=["real_name"])
    assert actions.signer_certificate_for(signers.applicant).subject_cn == "张三"
    assert AuditEntry.objects.filter(action="documents.certificate_issued").count() == 3


@pytest.mark.rule("ESL-13")
def test_seals_belong_to_the_organisation(signers):
    seal = actions.signer_certificate_for(signers.org)
    assert seal.holder_kind == SignerCertificate.Holder.ORG_SEAL and seal.org == signers.org
    cert = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        signers.org.name
    )


@pytest.mark.rule("ESL-13")
def test_nobody_has_a_certificate_issued_for_someone_else(signers):
    with pytest.raises(Forbidden):
        actions.issue_signer_certificate(actor=signers.respondent, holder=signers.applicant)
    with pytest.raises(Forbidden):
        actions.issue_signer_certificate(actor=signers.applicant, holder=signers.org)
    assert actions.issue_signer_certificate(actor=signers.applicant, holder=signers.applicant)


def test_every_use_of_a_key_is_in_the_audit_log(agreement):
    entries = AuditEntry.objects.filter(action="documents.signed").order_by("seq")
    assert [e.changes["field"] for e in entries] == ["applicant", "respondent", "org_seal"]
    assert entries[2].actor == agreement.signers.mediator


def _make_ca(name: str, *, issuer=None, issuer_key=None, path_length=None):
    key = rsa.generate_private_key(65537, 2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(issuer_key or key, hashes.SHA256())
    )
    return cert, key


def test_a_production_ca_in_files_plugs_in(signers, settings, tmp_path, agreement):
    root, root_key = _make_ca("Production Root CA")
    inter, inter_key = _make_ca(
        "Production Signing CA", issuer=root, issuer_key=root_key, path_length=0
    )
    (tmp_path / "inter.pem").write_bytes(inter.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "inter.key").write_bytes(
        inter_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    settings.CA_CERT_FILE = str(tmp_path / "inter.pem")
    settings.CA_KEY_FILE = str(tmp_path / "inter.key")
    settings.CA_KEY_PASSWORD = "s3cret"
    settings.CA_CHAIN_FILE = str(tmp_path / "root.pem")

    before = verify.verify_pdf(agreement.signed)  # platform CA: still trusted afterwards
    assert before.status == verify.Status.VALID
    # Certificates issued from now on come from the production CA.
    SignerCertificate.objects.all().delete()
    cert = actions.signer_certificate_for(signers.applicant)
    assert "Production Signing CA" in cert.issuer_cn
    assert pki.root_pem() == root.public_bytes(serialization.Encoding.PEM).decode()
    pdf = sign_three(agreement.draft, signers)
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == verify.Status.VALID, verdict
    assert verdict.signatures[0].issuer == "Production Signing CA"


@pytest.mark.rule("ESL-13")
def test_a_signature_by_an_expired_or_revoked_certificate_is_refused(signers, agreement):
    from django.utils import timezone

    from sutiao.core.errors import Conflict

    cert = actions.signer_certificate_for(signers.applicant)
    SignerCertificate.objects.filter(pk=cert.pk).update(not_after=timezone.now())
    cert.refresh_from_db()
    with pytest.raises(Conflict):
        signing.sign_pdf(
            agreement.draft, signer_cert=cert, actor=signers.applicant, field_name="applicant"
        )
