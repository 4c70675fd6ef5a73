"""RFC 3161 timestamps on every signature (PAdES B-T) and on the document (B-LTA), so that a
document still verifies after its signer's certificate expired: the timestamp proves when the
signature existed, and the certificate is judged at that moment (verify.py).

On by default. The timestamps come from `SUTIAO_TSA_URL` (an RFC 3161 service over HTTP, for
production: a licensed time-stamping authority) or, by default (`SUTIAO_TSA=platform`), from
the platform's own timestamp authority (tsa.py, also served at `/documents/tsa/`): a TSA
certificate (extended key usage timeStamping, critical, as RFC 3161 asks) issued by the
platform CA (or the file CA) for each process, its key in memory only. `SUTIAO_TSA=off` turns
them off. A CA backend without a key at hand (SUTIAO_CA_BACKEND) needs SUTIAO_TSA_URL; without
one, signatures carry no timestamp."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import timezone
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper

from . import pki, tsa

TSA_YEARS = 10


def _ca() -> tuple[x509.Certificate, Any, list[x509.Certificate]] | None:
    """The issuing CA's certificate, key and chain, when the platform holds its key."""
    authority = pki.issuer()
    if isinstance(authority, pki.PlatformCA):
        row = authority._active()
        cert = x509.load_pem_x509_certificate(row.certificate_pem.encode())
        return cert, pki.open_key(row.key_encrypted), [cert]
    if isinstance(authority, pki.FileCA):
        return authority.cert, authority.key, [authority.cert, *authority.chain]
    return None


def _tsa_certificate(ca_cert: x509.Certificate, ca_key: Any, key: Any) -> x509.Certificate:
    now = timezone.now()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.CA_NAME} 时间戳服务")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=365 * TSA_YEARS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .add_extension(pki.distribution_point(), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


@lru_cache(maxsize=4)
def _platform_tsa(ca_fingerprint: str) -> tsa.Authority:
    """One TSA certificate per issuing CA and process (keyed by the CA, which can change)."""
    found = _ca()
    assert found is not None and pki.fingerprint(found[0]) == ca_fingerprint
    ca_cert, ca_key, chain = found
    key = pki.new_key()
    return tsa.from_pyca(_tsa_certificate(ca_cert, ca_key, key), key, chain)


def authority() -> tsa.Authority | None:
    """The platform's own TSA (None when the platform holds no CA key)."""
    found = _ca()
    if found is None:
        return None
    return _platform_tsa(pki.fingerprint(found[0]))


def timestamper() -> TimeStamper | None:
    """Who stamps the signatures made now (None: no timestamp can be had)."""
    if settings.TSA_URL:
        return HTTPTimeStamper(settings.TSA_URL)
    if settings.TSA != "platform":
        return None
    found = authority()
    return tsa.PlatformTimeStamper(found) if found is not None else None
