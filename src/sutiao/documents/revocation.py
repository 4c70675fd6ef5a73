"""The CRL the issuing CA publishes (`/documents/ca/crl`): every signer certificate it issued
and revoked, with the reason and, for a compromised key, since when it was not to be trusted
(RFC 5280 invalidityDate). Signing embeds the current CRL in the document (DSS, PAdES B-LT),
so the document proves its signers' certificates were good when it was signed, offline and
for years; a later CRL (this one, fetched again) shows a later revocation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.utils import timezone
from pyhanko_certvalidator import ValidationContext

from . import pki
from .models import SignerCertificate

CRL_VALID = dt.timedelta(days=7)  # nextUpdate: a verifier fetches a fresher one after that


def _signing_ca() -> tuple[x509.Certificate, Any] | None:
    authority = pki.issuer()
    if isinstance(authority, pki.PlatformCA):
        row = authority._active()
        return x509.load_pem_x509_certificate(row.certificate_pem.encode()), pki.open_key(
            row.key_encrypted
        )
    if isinstance(authority, pki.FileCA):
        return authority.cert, authority.key
    return None  # a CA backend publishes its own CRL


def _entry(cert: SignerCertificate, serial: int) -> x509.RevokedCertificate:
    assert cert.revoked_at is not None
    builder = (
        x509.RevokedCertificateBuilder()
        .serial_number(serial)
        .revocation_date(cert.revoked_at)
        .add_extension(
            x509.CRLReason(
                x509.ReasonFlags.key_compromise
                if cert.invalid_since
                else x509.ReasonFlags.cessation_of_operation
            ),
            critical=False,
        )
    )
    if cert.invalid_since:
        builder = builder.add_extension(x509.InvalidityDate(cert.invalid_since), critical=False)
    return builder.build()


def current_crl() -> x509.CertificateRevocationList | None:
    """The CRL as of now, signed by the issuing CA (None when the platform holds no CA key)."""
    found = _signing_ca()
    if found is None:
        return None
    ca_cert, ca_key = found
    now = timezone.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - dt.timedelta(seconds=1))
        .next_update(now + CRL_VALID)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    revoked = SignerCertificate.objects.filter(revoked_at__isnull=False, revoked_at__lte=now)
    for row in revoked.only("certificate_pem", "revoked_at", "invalid_since"):
        cert = x509.load_pem_x509_certificate(row.certificate_pem.encode())
        if cert.issuer == ca_cert.subject:
            builder = builder.add_revoked_certificate(_entry(row, cert.serial_number))
    return builder.sign(ca_key, hashes.SHA256())


def current_crl_der() -> bytes | None:
    crl = current_crl()
    return crl.public_bytes(serialization.Encoding.DER) if crl is not None else None


def trust_roots() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in pki.trust_roots()
    ]


def signing_context() -> ValidationContext:
    """What signing checks the signer's and the TSA's certificates against, and embeds (DSS):
    the trusted roots and the CA's CRL as of now. Revocation is required where a certificate
    names a CRL (ours all do); only an outside TSA (SUTIAO_TSA_URL) may need fetching."""
    crl = current_crl_der()
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=[crl] if crl else [],
        allow_fetching=bool(settings.TSA_URL),
        revocation_mode="hard-fail",
    )
