"""What a PDF's signatures say: pyHanko's full verdict, modification analysis included.

A document is *unaltered* only when every signature is intact and valid, every change made
after a signature is one the signing rules allow (further signatures, form filling), and the
last signature covers the whole file. So a flipped byte (a digest mismatch) and an unsigned
incremental update appended after the last signature (text drawn over the page, an added
annotation) each make it *altered* — poppler's pdfsig still calls the latter "Signature is
Valid" and only notes "Not total document signed".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import integrity, revocation
from .models import SignerCertificate

DOC_TIMESTAMP = "/DocTimeStamp"
_trust_roots = revocation.trust_roots  # the name other rooms' tests import
# Problems of a signature's own bytes that its digest does not cover (integrity.py).
BROKEN = {"contents_changed", "embedded_certificate_broken", "timestamp_broken"}

log = logging.getLogger(__name__)

# Changes after a signature that leave what was signed as it was (a later signer's field).
ALLOWED_LATER_CHANGES = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


class Status:
    VALID = "valid"  # signed, unaltered, every signer trusted
    UNTRUSTED = "untrusted"  # unaltered, but a certificate does not chain to a trusted CA
    ALTERED = "altered"  # changed after signing, or a signature does not verify
    UNSIGNED = "unsigned"  # a PDF without signatures
    UNREADABLE = "unreadable"  # not a PDF we can read


@dataclass
class SignatureReport:
    field_name: str
    signer_name: str
    signer_organisation: str
    holder_kind: str  # person / org_seal / court_seal when we issued it, else ""
    certificate_serial: str
    issuer: str
    signing_time: dt.datetime | None  # as the signer's software stated it (PAdES B-B)
    reason: str
    location: str
    intact: bool  # the digest of the signed bytes matches
    valid: bool  # the signature over that digest verifies with the certificate's key
    trusted: bool  # the certificate chains to a CA we trust
    revoked: bool
    coverage: str  # entire_file / entire_revision / partial
    modification_level: str  # what changed after this signature: none ... other
    docmdp_ok: bool
    ok: bool = False
    problems: list[str] = field(default_factory=list)
    # The RFC 3161 signature timestamp, when one is there and trusted: the proven signing time.
    timestamp: dt.datetime | None = None
    # Judged from the validation data the document carries (DSS), at the timestamp's time.
    long_term: bool = False


@dataclass
class Verdict:
    status: str
    unaltered: bool
    sha256: str
    size: int
    revisions: int = 0
    signatures: list[SignatureReport] = field(default_factory=list)
    # The trusted document timestamps (PAdES B-LTA), oldest first.
    document_timestamps: list[dt.datetime] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def all_trusted(self) -> bool:
        return bool(self.signatures) and all(s.trusted for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["all_trusted"] = self.all_trusted
        return data


_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
}
_MODIFICATION = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "lta_updates",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    value = cert.subject.native.get(key, "")
    return value if isinstance(value, str) else ", ".join(value)


def _read(pdf_bytes: bytes, verdict: Verdict) -> list[Any] | None:
    """The embedded signatures and document timestamps, or None (with the problem noted)."""
    if pdf_bytes.lstrip()[:5] != b"%PDF-":
        verdict.problems.append("not_pdf")
        return None
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        # In the order they were made (pyHanko lists them in form-field order).
        embedded = sorted(reader.embedded_signatures, key=lambda sig: sig.signed_revision)
        verdict.revisions = reader.xrefs.total_revisions
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot read"
        log.info("unreadable PDF: %s", exc)
        verdict.problems.append("unreadable")
        return None
    return embedded


def verify_pdf(pdf_bytes: bytes) -> Verdict:
    sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    verdict = Verdict(status=Status.UNREADABLE, unaltered=False, sha256=sha256, size=len(pdf_bytes))
    embedded = _read(pdf_bytes, verdict)
    if embedded is None:
        return verdict
    signed = [s for s in embedded if s.sig_object_type != DOC_TIMESTAMP]
    if not signed:
        verdict.status = Status.UNSIGNED
        verdict.problems.append("no_signatures")
        return verdict

    roots = revocation.trust_roots()
    crl = revocation.current_crl_der()
    serials = [format(s.signer_cert.serial_number, "x") for s in signed if _has_cert(s)]
    issued = {c.serial: c for c in SignerCertificate.objects.filter(serial__in=serials)}
    final_coverage = "partial"
    for sig in embedded:
        if sig.sig_object_type == DOC_TIMESTAMP:
            final_coverage = _check_document_timestamp(sig, roots, verdict)
        else:
            verdict.signatures.append(_report(sig, roots, crl, issued))
            final_coverage = verdict.signatures[-1].coverage
    _judge(verdict, final_coverage)
    return verdict


def _check_document_timestamp(sig: Any, roots: Any, verdict: Verdict) -> str:
    """A document timestamp (B-LTA) must verify like a signature; it proves the time of
    everything before it. Its coverage is returned (the last one must cover the whole file)."""
    try:
        # The signatures' own diff analysis already judges every later revision.
        status = validate_pdf_timestamp(sig, validation_context=_context(roots), skip_diff=True)
        broken = integrity.problems(sig, roots)
    except Exception as exc:  # noqa: BLE001 - a malformed timestamp is a broken one
        log.info("document timestamp could not be validated: %s", exc)
        _note(verdict, "timestamp_broken")
        return "partial"
    if not (status.intact and status.valid) or broken:
        _note(verdict, "timestamp_broken")
    elif status.trusted:
        verdict.document_timestamps.append(status.timestamp)
    return _COVERAGE.get(status.coverage, "partial")


def _note(verdict: Verdict, problem: str) -> None:
    if problem not in verdict.problems:
        verdict.problems.append(problem)


def _judge(verdict: Verdict, final_coverage: str) -> None:
    if final_coverage != "entire_file":
        verdict.problems.append("changed_after_last_signature")
    if any(not s.intact or not s.valid or BROKEN & set(s.problems) for s in verdict.signatures):
        verdict.problems.append("signature_broken")
    if any(
        s.modification_level not in {"none", "lta_updates", "form_filling"} or not s.docmdp_ok
        for s in verdict.signatures
    ):
        verdict.problems.append("disallowed_changes")
    verdict.unaltered = not verdict.problems
    if not verdict.unaltered:
        verdict.status = Status.ALTERED
    elif not all(s.trusted and not s.revoked for s in verdict.signatures):
        verdict.status = Status.UNTRUSTED
    else:
        verdict.status = Status.VALID


def _same_certificate(known: SignerCertificate, cert: asn1_x509.Certificate) -> bool:
    der = x509.load_pem_x509_certificate(known.certificate_pem.encode()).public_bytes(
        serialization.Encoding.DER
    )
    return der == cert.dump()


def _has_cert(sig) -> bool:
    try:
        return sig.signer_cert is not None
    except Exception:  # noqa: BLE001
        return False


def _blank_report(sig: Any) -> SignatureReport:
    """What a signature says of itself, before anything about it is checked."""
    sig_obj = sig.sig_object
    return SignatureReport(
        field_name=sig.field_name or "",
        signer_name="",
        signer_organisation="",
        holder_kind="",
        certificate_serial="",
        issuer="",
        signing_time=None,
        reason=str(sig_obj.get("/Reason", "") or ""),
        location=str(sig_obj.get("/Location", "") or ""),
        intact=False,
        valid=False,
        trusted=False,
        revoked=False,
        coverage="partial",
        modification_level="other",
        docmdp_ok=False,
    )


def _read_certificate(report: SignatureReport, sig: Any) -> None:
    try:
        cert = sig.signer_cert
        report.signer_name = _name_part(cert, "common_name")
        report.signer_organisation = _name_part(cert, "organization_name")
        report.certificate_serial = format(cert.serial_number, "x")
        report.issuer = str(cert.issuer.native.get("common_name", ""))
    except Exception:  # noqa: BLE001
        report.problems.append("no_certificate")


def _apply_status(report: SignatureReport, status: Any) -> None:
    report.intact = bool(status.intact)
    report.valid = bool(status.valid)
    report.trusted = bool(status.trusted)
    report.signing_time = status.signer_reported_dt
    report.coverage = _COVERAGE.get(status.coverage, "partial")
    level = status.modification_level
    report.modification_level = _MODIFICATION.get(level, "other") if level is not None else "none"
    report.docmdp_ok = status.docmdp_ok is not False


def _apply_issued(report: SignatureReport, sig: Any, issued: dict[str, SignerCertificate]) -> None:
    """Our own record of the certificate: whose it is, and whether it was revoked by then."""
    known = issued.get(report.certificate_serial)
    if known is not None and not _same_certificate(known, sig.signer_cert):
        known = None  # a foreign certificate that copies one of our serial numbers
    if known is not None:
        report.holder_kind = known.holder_kind
        # Revoked before the (proven) signing time; a compromised key from when it leaked.
        since = known.invalid_since or known.revoked_at
        report.revoked = since is not None and (
            report.signing_time is None or since <= report.signing_time
        )


def _list_problems(report: SignatureReport, level: Any) -> None:
    if not report.intact:
        report.problems.append("digest_mismatch")
    elif not report.valid:
        report.problems.append("bad_signature")
    if not report.trusted:
        report.problems.append("untrusted_certificate")
    if report.revoked:
        report.problems.append("certificate_revoked")
    if level is not None and level not in ALLOWED_LATER_CHANGES:
        report.problems.append("disallowed_changes")


def _context(roots: Any, crl: bytes | None = None) -> ValidationContext:
    """Now, with the CA's current CRL (a later revocation shows) where the platform has one."""
    return ValidationContext(
        trust_roots=roots,
        crls=[crl] if crl else [],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _long_term_context(sig: Any, roots: Any, moment: dt.datetime) -> ValidationContext | None:
    """At `moment` (the signature's timestamp), from the certificates and CRLs the document
    itself carries (its DSS): what any verifier can do offline, years later."""
    try:
        dss = DocumentSecurityStore.read_dss(sig.reader)
    except NoDSSFoundError:
        return None
    return dss.as_validation_context(
        {
            "trust_roots": roots,
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
            "moment": moment,
        }
    )


def _validate(sig: Any, roots: Any, crl: bytes | None) -> tuple[Any, dt.datetime | None, bool]:
    """pyHanko's status now; when the certificate no longer validates now (it expired, or was
    revoked since), the status at the trusted timestamp's time, from the embedded LTV data
    (PAdES B-LT/B-LTA) or, lacking it, from what we know. Also: the timestamp; long-term?"""
    status = validate_pdf_signature(
        sig, signer_validation_context=_context(roots, crl), ts_validation_context=_context(roots)
    )
    stamped = _trusted_timestamp(status)
    if stamped is None or status.trusted:
        return status, stamped, False
    context = _long_term_context(sig, roots, stamped)
    long_term = context is not None
    if context is None:
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=stamped
        )
    status = validate_pdf_signature(
        sig, signer_validation_context=context, ts_validation_context=_context(roots)
    )
    return status, stamped, long_term


def _trusted_timestamp(status: Any) -> dt.datetime | None:
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        moment: dt.datetime = stamp.timestamp
        return moment
    return None


def _broken_parts(sig: Any, status: Any, roots: Any) -> list[str]:
    """A timestamp token that no longer verifies, and the undigested bytes (integrity.py)."""
    found = integrity.problems(sig, roots)
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is not None and not (stamp.intact and stamp.valid):
        found.append("timestamp_broken")
    return found


def _report(
    sig: Any, roots: Any, crl: bytes | None, issued: dict[str, SignerCertificate]
) -> SignatureReport:
    report = _blank_report(sig)
    _read_certificate(report, sig)
    try:
        status, stamped, report.long_term = _validate(sig, roots, crl)
        broken = _broken_parts(sig, status, roots)
    except Exception as exc:  # noqa: BLE001 - a malformed signature is a broken one
        log.info("signature %s could not be validated: %s", report.field_name, exc)
        report.problems.append("cannot_validate")
        return report
    _apply_status(report, status)
    report.problems.extend(broken)  # bytes of the signature itself were changed
    report.timestamp = stamped
    if stamped is not None:
        report.signing_time = stamped  # the proven time, not the one the signer stated
    _apply_issued(report, sig, issued)
    _list_problems(report, status.modification_level)
    report.ok = (
        report.intact and report.valid and report.trusted and not report.revoked and not broken
    )
    return report
