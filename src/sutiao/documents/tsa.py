"""The platform's RFC 3161 time-stamping authority: the responder behind `/documents/tsa/` and
the in-process stamper signing uses (the same code, without the HTTP hop).

A request is checked (version 1, a supported hash, an imprint of that hash's length, no
extensions we do not know) and answered "granted" with a TimeStampToken: a CMS SignedData over
a TSTInfo (our policy, the imprint, a unique serial number, the time, the nonce), signed by the
TSA certificate with the ESS signing-certificate-v2 attribute (RFC 5816); the certificates are
included when the request asks for them. Anything else is answered "rejection" with its
failure reason (RFC 3161 §2.4.2), never a token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.utils import timezone
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import TimeStamper

# The platform's time-stamp policy (an arc under the private-enterprise placeholder: a
# licensed TSA in production has its own).
POLICY_OID = "1.3.6.1.4.1.59999.21.2.1"
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
ACCURACY_SECONDS = 1


@dataclass(frozen=True)
class Authority:
    certificate: asn1_x509.Certificate
    key: Any  # a cryptography RSA private key
    chain: list[asn1_x509.Certificate]  # issuing CA up to the root


def _rejection(reason: str, text: str) -> tsp.TimeStampResp:
    return tsp.TimeStampResp(
        {
            "status": tsp.PKIStatusInfo(
                {
                    "status": tsp.PKIStatus("rejection"),
                    "status_string": [text],
                    "fail_info": tsp.PKIFailureInfo({reason}),
                }
            )
        }
    )


def _problem(req: tsp.TimeStampReq) -> tuple[str, str] | None:
    """Why the request cannot be granted (failure reason, text), or None."""
    if req["version"].native != "v1":
        return "bad_request", "version must be 1"
    imprint = req["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm not in HASHES:
        return "bad_alg", f"unsupported hash {algorithm}"
    if len(imprint["hashed_message"].native) != HASHES[algorithm].digest_size:
        return "bad_data_format", "imprint length does not match its hash"
    policy = req["req_policy"].native
    if policy is not None and policy != POLICY_OID:
        return "unaccepted_policy", "unknown policy"
    if req["extensions"].native:
        return "unaccepted_extension", "extensions are not supported"
    return None


def _tst_info(authority: Authority, req: tsp.TimeStampReq) -> tsp.TSTInfo:
    info = {
        "version": "v1",
        "policy": POLICY_OID,
        "message_imprint": req["message_imprint"],
        "serial_number": secrets.randbits(127),  # unique with overwhelming probability
        "gen_time": timezone.now(),
        "accuracy": {"seconds": ACCURACY_SECONDS},
        "tsa": asn1_x509.GeneralName(name="directory_name", value=authority.certificate.subject),
    }
    if req["nonce"].native is not None:
        info["nonce"] = req["nonce"]
    return tsp.TSTInfo(info)


def _signed_data(authority: Authority, tst: tsp.TSTInfo, include_certs: bool) -> cms.SignedData:
    content = tst.dump()
    digest = hashes.Hash(hashes.SHA256())
    digest.update(content)
    attrs = cms.CMSAttributes(
        [
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute(
                "signing_time", cms.Time({"utc_time": core.UTCTime(tst["gen_time"].native)})
            ),
            simple_cms_attribute(
                "signing_certificate_v2", as_signing_certificate_v2(authority.certificate)
            ),
            simple_cms_attribute("message_digest", digest.finalize()),
        ]
    )
    signature = authority.key.sign(attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    cert = authority.certificate
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": cert.issuer,
                        "serial_number": cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
            "signed_attrs": attrs,
            "signature": signature,
        }
    )
    data = {
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {
            "content_type": "tst_info",
            "content": cms.ParsableOctetString(content),
        },
        "signer_infos": [signer],
    }
    if include_certs:
        data["certificates"] = [cert, *authority.chain]
    return cms.SignedData(data)


def respond(
    authority: Authority, req: tsp.TimeStampReq, *, with_certs: bool = False
) -> tsp.TimeStampResp:
    problem = _problem(req)
    if problem is not None:
        return _rejection(*problem)
    tst = _tst_info(authority, req)
    token = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": _signed_data(authority, tst, with_certs or bool(req["cert_req"].native)),
        }
    )
    return tsp.TimeStampResp(
        {"status": {"status": tsp.PKIStatus("granted")}, "time_stamp_token": token}
    )


def respond_der(authority: Authority, body: bytes) -> bytes:
    """The DER answer to a DER request (what the HTTP endpoint serves)."""
    try:
        req = tsp.TimeStampReq.load(body, strict=True)
        req.native  # noqa: B018 - parse it all now: a malformed request is rejected, not a 500
    except (ValueError, TypeError, KeyError):
        return _rejection("bad_data_format", "not a TimeStampReq").dump()
    return respond(authority, req).dump()


class PlatformTimeStamper(TimeStamper):
    """Stamps through `respond` in this process (signing must not call its own web server)."""

    def __init__(self, authority: Authority):
        super().__init__(include_nonce=True)
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        # The token carries the TSA's chain: a verifier years later needs it (B-LTA).
        return respond(self.authority, req, with_certs=True)


def from_pyca(certificate: Any, key: Any, chain: list[Any]) -> Authority:
    def asn1(c: Any) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    return Authority(asn1(certificate), key, [asn1(c) for c in chain])
