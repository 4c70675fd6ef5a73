"""PAdES signatures with a visible stamp, each added as an incremental update.

`sign_pdf` unlocks the signer's key (only for a user who controls it: policies.py), signs the
document as it stands (PAdES B-LTA: ETSI.CAdES.detached, SHA-256, the chain embedded, an RFC
3161 signature timestamp from the platform's timestamp authority, timestamps.py; then the
certificates and the CA's CRL in the document security store and a document timestamp over
it all, revocation.py) and puts a
stamp with the signer's name, role and the signing time (Beijing time) in the signature field
the template reserved. Every signature is an approval signature, so they can come in any
order; a certification (DocMDP) signature is possible only as the first one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, TimestampDSSContentSettings
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Invalid
from sutiao.core.policy import require

from . import fonts, pki, revocation, timestamps
from .errors import DocumentsError
from .models import SignerCertificate


class _NoFetchingNotice(logging.Filter):
    """pyHanko warns on every signature that embeds validation data without fetching: here
    that is by design (the CRL is ours, handed over; revocation.signing_context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchingNotice())

STAMP_FONT_SIZE = 10
SEAL_FONT_SIZE = 8
SEAL_LINE_CHARS = 9  # a seal's lines wrap to fit inside the ring
SEAL_RED = (0.8, 0.0, 0.0)

Box = tuple[float, float, float, float]  # a new field's rectangle, in PDF points


@dataclass(frozen=True)
class UnlockedKey:
    record: SignerCertificate
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    private_key: Any


def unlock(cert: SignerCertificate, *, actor: Any) -> UnlockedKey:
    """The signer's key, for `actor` who controls it and has just authenticated the signing
    step (the caller's job: a password or second factor confirmed for this step)."""
    require(actor, "sign", cert)
    now = timezone.now()
    if cert.revoked_at is not None:
        raise Conflict(_("This signing certificate is revoked."), code=DocumentsError.CERT_REVOKED)
    if not (cert.not_before <= now < cert.not_after):
        raise Conflict(
            _("This signing certificate is not valid now."), code=DocumentsError.CERT_EXPIRED
        )
    return UnlockedKey(
        record=cert,
        certificate=x509.load_pem_x509_certificate(cert.certificate_pem.encode()),
        chain=pki.load_pems(cert.chain_pem),
        private_key=pki.open_key(cert.key_encrypted),
    )


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class _Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses (and re-checks) the private key for every raw
    signature; this one signs with the key object it was given."""

    def __init__(self, key: UnlockedKey):
        der = key.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        super().__init__(
            signing_cert=_asn1(key.certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in key.chain]),
        )
        self._key = key.private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, rsa.RSAPrivateKey):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo == "rsassa_pkcs1v15":
                return self._key.sign(data, padding.PKCS1v15(), hash_algo)
        elif isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


class _BeijingTimeStampStyle(TextStampStyle):
    """pyHanko fills %(ts)s with the signing time in the machine's zone; show Beijing time."""

    def create_stamp(self, writer, box, text_params):
        ts = text_params.get("ts")
        if ts:
            moment = dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S%z")
            local = timezone.localtime(moment)
            text_params = {**text_params, "ts": local.strftime("%Y-%m-%d %H:%M:%S")}
        return super().create_stamp(writer, box, text_params)


def _seal_art() -> RawContent:
    """A red ring with a star: the look of a Chinese seal behind the organisation's name."""
    r, k = 46.0, 0.5523 * 46.0
    c = 50.0
    ring = (
        f"{c + r} {c} m "
        f"{c + r} {c + k} {c + k} {c + r} {c} {c + r} c "
        f"{c - k} {c + r} {c - r} {c + k} {c - r} {c} c "
        f"{c - r} {c - k} {c - k} {c - r} {c} {c - r} c "
        f"{c + k} {c - r} {c + r} {c - k} {c + r} {c} c S"
    )
    points = []
    for i in range(10):
        radius = 13.0 if i % 2 == 0 else 5.2
        angle = math.pi / 2 + i * math.pi / 5
        points.append((c + radius * math.cos(angle), c + 18 + radius * math.sin(angle)))
    star = f"{points[0][0]:.2f} {points[0][1]:.2f} m " + " ".join(
        f"{x:.2f} {y:.2f} l" for x, y in points[1:]
    )
    ops = f"q 0.8 0 0 RG 0.8 0 0 rg 3 w {ring} {star} h f Q"
    return RawContent(ops.encode(), box=BoxConstraints(width=100, height=100))


def _stamp_style(cert: SignerCertificate, text: str) -> TextStampStyle:
    person = cert.holder_kind == SignerCertificate.Holder.PERSON
    size = STAMP_FONT_SIZE if person else SEAL_FONT_SIZE
    font_path, text = fonts.stamp_font_for(text)
    font = GlyphAccumulatorFactory(font_path, font_size=size)
    text_style = TextBoxStyle(
        font=font,
        font_size=size,
        leading=size + 3,
        text_color=None if person else SEAL_RED,
    )
    common = {
        "stamp_text": text,
        "timestamp_format": "%Y-%m-%dT%H:%M:%S%z",
        "text_box_style": text_style,
    }
    if person:
        return _BeijingTimeStampStyle(border_width=1, **common)
    # A seal: the text under the star, inside the ring.
    return _BeijingTimeStampStyle(
        border_width=0,
        background=_seal_art(),
        background_opacity=0.8,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MIN,
            margins=Margins(left=14, right=14, top=52, bottom=20),
        ),
        **common,
    )


def _check_field(
    present: dict[str, Any], field_name: str, *, box: Box | None, certify: bool
) -> None:
    """The field is free (or can be added at `box`), and a certification comes first."""
    if present.get(field_name) is not None:
        raise Conflict(
            _("This signature field is signed already."), code=DocumentsError.FIELD_SIGNED
        )
    if field_name not in present and box is None:
        raise Invalid(
            _("The document has no signature field of this name."),
            code=DocumentsError.NO_FIELD,
            fields={"field_name": [field_name]},
        )
    if certify and any(filled is not None for filled in present.values()):
        # STACK-NOTES: a certification signature must be the first one.
        raise Conflict(
            _("Only the first signature can certify a document."), code=DocumentsError.CERTIFY_LATE
        )


def _stamp_text(signer_cert: SignerCertificate, stamp_text_lines: list[str] | None) -> str:
    """The stamp's lines (a seal's wrapped to fit its ring), then the signing time."""
    lines = list(stamp_text_lines or [signer_cert.subject_cn])
    if signer_cert.holder_kind != SignerCertificate.Holder.PERSON:
        lines = [
            line[i : i + SEAL_LINE_CHARS]
            for line in lines
            for i in range(0, max(len(line), 1), SEAL_LINE_CHARS)
        ]
    return "\n".join(line.replace("%", "%%") for line in lines) + "\n%(ts)s"


def _record_signature(
    actor: Any, signer_cert: SignerCertificate, field_name: str, out: bytes
) -> None:
    with transaction.atomic():
        record(
            actor,
            "documents.signed",
            signer_cert,
            summary=f"{field_name} · {signer_cert.subject_cn}",
            changes={
                "field": field_name,
                "certificate": signer_cert.serial,
                "sha256": hashlib.sha256(out).hexdigest(),
            },
        )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer_cert: SignerCertificate,
    actor: Any,
    field_name: str,
    stamp_text_lines: list[str] | None = None,
    reason: str = "",
    location: str = "",
    page: int = -1,
    box: Box | None = None,
    certify: bool = False,
) -> bytes:
    """`pdf_bytes` with one more signature, by `signer_cert`'s key, in field `field_name`.

    The field is the one the template reserved (`{% signature_slot %}`); for a field the
    document lacks, give `box` (PDF points) and `page`. The stamp shows `stamp_text_lines`
    (default: the name in the certificate) and then the signing time in Beijing time.
    `actor` must control the key (a person's own; a seal: its organisation's or court's staff).
    """
    key = unlock(signer_cert, actor=actor)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    present = {name: filled for name, filled, _ref in fields.enumerate_sig_fields(writer)}
    _check_field(present, field_name, box=box, certify=certify)
    stamper = timestamps.timestamper()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        name=signer_cert.subject_cn,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        # PAdES B-LTA: the chains and CRL in the DSS, then a document timestamp over it all.
        embed_validation_info=stamper is not None,
        use_pades_lta=stamper is not None,
        validation_context=revocation.signing_context() if stamper is not None else None,
        # The TSA's validation data goes in before the document timestamp, so that the
        # timestamp is the last revision and covers the whole file (nothing unsigned after).
        dss_settings=DSSContentSettings(
            include_vri=False,
            next_ts_settings=TimestampDSSContentSettings(include_vri=False, update_before_ts=True),
        ),
    )
    new_field = None
    if field_name not in present:
        new_field = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=_Signer(key),
        stamp_style=_stamp_style(signer_cert, _stamp_text(signer_cert, stamp_text_lines)),
        new_field_spec=new_field,
        timestamper=stamper,  # PAdES B-T: verifiable after the cert expires
    )
    out = pdf_signer.sign_pdf(writer, existing_fields_only=new_field is None).getvalue()
    _record_signature(actor, signer_cert, field_name, out)
    return out
