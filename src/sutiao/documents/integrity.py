"""The parts of a signature's /Contents that no digest covers, checked byte for byte.

A signature's CMS sits in /Contents, hex-encoded and padded with zeros to the size reserved
before signing; the signature's own digest excludes it, and only a later revision's covers it.
So the last one (with PAdES B-LTA, the last document timestamp) has bytes that a flipped bit
can change without any digest noticing: the zero padding after the DER, and the certificates
the CMS carries (its unsigned certificate bag). Both are checked here: the padding must be
zeros, and every embedded certificate must verify under its issuer (in the bag or a trusted
root). This was why a flipped byte at 95 % of a stamped agreement went unreported.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import cms, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa


def _der_length(data: bytes) -> int:
    _class, _method, _tag, header, contents, trailer = parser.parse(data, strict=False)
    return len(header) + len(contents) + len(trailer)


def padding_intact(raw: bytes) -> bool:
    """Nothing but zeros after the CMS in /Contents."""
    try:
        used = _der_length(raw)
    except ValueError:
        return False
    return not any(raw[used:])


def _tokens(signed_data: cms.SignedData) -> list[cms.SignedData]:
    """The signature timestamp tokens in the signer infos' unsigned attributes."""
    found: list[cms.SignedData] = []
    for info in signed_data["signer_infos"]:
        for attr in info["unsigned_attrs"] or []:
            if attr["type"].native == "signature_time_stamp_token":
                found.extend(value["content"] for value in attr["values"])
    return found


def _bag(signed_data: cms.SignedData) -> list[x509.Certificate]:
    certs = []
    for choice in signed_data["certificates"] or []:
        if choice.name == "certificate":
            certs.append(x509.load_der_x509_certificate(choice.chosen.dump()))
    return certs


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    key: Any = issuer.public_key()
    algorithm = cert.signature_hash_algorithm
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(algorithm))
        else:
            cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def certificates_intact(signed_data: cms.SignedData, roots: list[asn1_x509.Certificate]) -> bool:
    """Every certificate in the CMS (and in its timestamp tokens) verifies under its issuer."""
    anchors = [x509.load_der_x509_certificate(r.dump()) for r in roots]
    for data in [signed_data, *_tokens(signed_data)]:
        try:
            bag = _bag(data)
        except ValueError:
            return False
        for cert in bag:
            issuers = [c for c in [*bag, *anchors] if c.subject == cert.issuer]
            if not any(_signed_by(cert, issuer) for issuer in issuers):
                return False
    return True


def problems(sig: Any, roots: list[asn1_x509.Certificate]) -> list[str]:
    """What is wrong with the undigested parts of `sig`'s /Contents (an EmbeddedPdfSignature)."""
    found = []
    if not padding_intact(sig.pkcs7_content):
        found.append("contents_changed")
    if not certificates_intact(sig.signed_data, roots):
        found.append("embedded_certificate_broken")
    return found
