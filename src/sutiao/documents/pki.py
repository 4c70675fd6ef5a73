"""The platform's certificate authority and the signers' keys.

By default the platform runs its own root CA: generated on first use, kept in the database
(`CertificateAuthority`), its private key encrypted with a key derived from
settings.FIELD_ENCRYPTION_KEY. A production CA plugs in through settings (docs/configuration.md):

- `SUTIAO_CA_CERT_FILE` + `SUTIAO_CA_KEY_FILE` (+ `SUTIAO_CA_KEY_PASSWORD`, `SUTIAO_CA_CHAIN_FILE`):
  an issuing CA (typically an intermediate under a production root) held in files;
- `SUTIAO_CA_BACKEND`: the dotted path of a class with the `Issuer` interface below, for a CA
  reached through an HSM or a remote service;
- `SUTIAO_CA_TRUST_FILES`: further roots that verification trusts (earlier CAs...).

Every signer (a person, an organisation's seal, a court's seal) gets a key pair generated for
them and a certificate naming them; the key is stored encrypted and decrypted only by `unlock`,
which checks that the acting user controls it (policies.py) for a signing step they take.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sutiao.core.crypto import _derive
from sutiao.core.links import site_link

from .models import CertificateAuthority

SIGNER_KEY_BITS = 2048
ROOT_KEY_BITS = 3072
ROOT_YEARS = 20
PrivateKey = rsa.RSAPrivateKey


# --- keys at rest ---------------------------------------------------------------------------


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"sutiao.documents.signing-keys")))


def seal_key(key: Any) -> str:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _fernet().encrypt(pem).decode()


def open_key(token: str) -> Any:
    pem = _fernet().decrypt(token.encode())
    # The token is authenticated (Fernet's HMAC) and the key was generated here: skipping
    # OpenSSL's RSA consistency check saves ~50 ms a load.
    return serialization.load_pem_private_key(
        pem, password=None, unsafe_skip_rsa_key_validation=True
    )


def new_key(bits: int = SIGNER_KEY_BITS) -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def to_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_pems(text: str | bytes) -> list[x509.Certificate]:
    data = text.encode() if isinstance(text, str) else text
    return x509.load_pem_x509_certificates(data) if data.strip() else []


def _name(cn: str, *, org: str = "", serial: str = "", org_id: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64]))
    if org_id:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]))
    return x509.Name(attrs)


def subject_for(*, cn: str, org: str = "", holder_id: str = "", org_id: str = "") -> x509.Name:
    """A signer's distinguished name: CN is the real name (or the organisation's name for a
    seal); serialNumber tells two people of the same name apart."""
    return _name(cn, org=org, serial=holder_id, org_id=org_id)


def crl_url() -> str:
    return site_link("documents:crl")


def distribution_point() -> x509.CRLDistributionPoints:
    """Where a verifier finds the CA's CRL (RFC 5280 §4.2.1.13; revocation.py publishes it)."""
    point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(crl_url())],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    return x509.CRLDistributionPoints([point])


# --- issuers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    chain: list[x509.Certificate]  # from the issuing CA up to (and with) the root


class Issuer(Protocol):
    name: str

    def issue(self, *, subject: x509.Name, public_key: Any, not_after: dt.datetime) -> Issued: ...

    def trust_roots(self) -> list[x509.Certificate]: ...


def _signer_certificate(
    *,
    subject: x509.Name,
    public_key: Any,
    not_after: dt.datetime,
    ca_cert: x509.Certificate,
    ca_key: Any,
) -> x509.Certificate:
    now = timezone.now()
    not_after = min(not_after, ca_cert.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: signatures on documents
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # No extended key usage: NSS (pdfsig) checks signers for S/MIME use, Adobe for
        # document signing; an absent EKU satisfies both.
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
            critical=False,
        )
        .add_extension(distribution_point(), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _root_certificate(key: Any, name: str) -> x509.Certificate:
    now = timezone.now()
    subject = _name(
        name,
        org="诉调平台",
        serial=hashlib.sha256(
            key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        .hexdigest()[:16]
        .upper(),
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


class PlatformCA:
    """The embedded root CA, in the database; created on first use."""

    def __init__(self) -> None:
        self.name = settings.CA_NAME

    def _active(self) -> CertificateAuthority:
        row = CertificateAuthority.objects.filter(active=True).first()
        if row:
            return row
        key = new_key(ROOT_KEY_BITS)
        cert = _root_certificate(key, self.name)
        try:
            with transaction.atomic():
                return CertificateAuthority.objects.create(
                    name=self.name,
                    certificate_pem=to_pem(cert),
                    key_encrypted=seal_key(key),
                    fingerprint=fingerprint(cert),
                )
        except IntegrityError:  # another process created it first
            return CertificateAuthority.objects.get(active=True)

    def root(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self._active().certificate_pem.encode())

    def issue(self, *, subject: x509.Name, public_key: Any, not_after: dt.datetime) -> Issued:
        row = self._active()
        ca_cert = x509.load_pem_x509_certificate(row.certificate_pem.encode())
        cert = _signer_certificate(
            subject=subject,
            public_key=public_key,
            not_after=not_after,
            ca_cert=ca_cert,
            ca_key=open_key(row.key_encrypted),
        )
        return Issued(cert, [ca_cert])

    def trust_roots(self) -> list[x509.Certificate]:
        return [self.root()]


class FileCA:
    """An issuing CA whose certificate and key are files (a production intermediate)."""

    def __init__(self) -> None:
        self.cert = x509.load_pem_x509_certificate(Path(settings.CA_CERT_FILE).read_bytes())
        password = settings.CA_KEY_PASSWORD.encode() if settings.CA_KEY_PASSWORD else None
        self.key = serialization.load_pem_private_key(
            Path(settings.CA_KEY_FILE).read_bytes(), password=password
        )
        self.chain = (
            load_pems(Path(settings.CA_CHAIN_FILE).read_bytes()) if settings.CA_CHAIN_FILE else []
        )
        self.name = self.cert.subject.rfc4514_string()

    def issue(self, *, subject: x509.Name, public_key: Any, not_after: dt.datetime) -> Issued:
        cert = _signer_certificate(
            subject=subject,
            public_key=public_key,
            not_after=not_after,
            ca_cert=self.cert,
            ca_key=self.key,
        )
        return Issued(cert, [self.cert, *self.chain])

    def trust_roots(self) -> list[x509.Certificate]:
        chain = [self.cert, *self.chain]
        return [c for c in chain if c.issuer == c.subject] or [chain[-1]]


def issuer() -> Issuer:
    if settings.CA_BACKEND:
        return import_string(settings.CA_BACKEND)()
    if settings.CA_CERT_FILE and settings.CA_KEY_FILE:
        return FileCA()
    return PlatformCA()


def trust_roots() -> list[x509.Certificate]:
    """Every root verification trusts: the current issuer's, all platform CAs ever created
    (retired ones too, so that old documents still verify), and SUTIAO_CA_TRUST_FILES."""
    roots = list(issuer().trust_roots())
    for row in CertificateAuthority.objects.all():
        roots.append(x509.load_pem_x509_certificate(row.certificate_pem.encode()))
    for path in settings.CA_TRUST_FILES:
        roots.extend(load_pems(Path(path).read_bytes()))
    seen: dict[str, x509.Certificate] = {}
    for cert in roots:
        seen.setdefault(fingerprint(cert), cert)
    return list(seen.values())


def root_pem() -> str:
    """The root(s) to import into a PDF reader or an NSS database to trust our signatures."""
    return "".join(to_pem(c) for c in issuer().trust_roots())
