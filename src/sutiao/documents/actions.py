"""Issuing and revoking signer certificates; registering the documents the platform issues."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.institutions.models import Court, MediationOrg

from . import codes, pki, policies, queries
from .errors import DocumentsError
from .models import Document, DocumentVersion, SignerCertificate

Holder = User | MediationOrg | Court
RENEW_BEFORE = dt.timedelta(days=7)


def _subject(holder: Holder) -> tuple[str, Any, dict[str, Any]]:
    if isinstance(holder, User):
        name = (holder.real_name or "").strip()
        if not name:
            raise Invalid(_("A signer needs a real name."), code=DocumentsError.NO_REAL_NAME)
        return name, pki.subject_for(cn=name, holder_id=f"U{holder.pk}"), {"user": holder}
    if isinstance(holder, MediationOrg):
        subject = pki.subject_for(
            cn=holder.name,
            org=holder.name,
            holder_id=f"O{holder.pk}",
            org_id=f"USCC{holder.uscc}" if getattr(holder, "uscc", "") else "",
        )
        return holder.name, subject, {"org": holder}
    if isinstance(holder, Court):
        subject = pki.subject_for(cn=holder.name, org=holder.name, holder_id=f"C{holder.pk}")
        return holder.name, subject, {"court": holder}
    raise TypeError(f"no certificates for {type(holder).__name__}")


_KIND = {
    User: SignerCertificate.Holder.PERSON,
    MediationOrg: SignerCertificate.Holder.ORG_SEAL,
    Court: SignerCertificate.Holder.COURT_SEAL,
}


@transaction.atomic
def issue_signer_certificate(*, actor: User | None, holder: Holder) -> SignerCertificate:
    """A new key pair generated for `holder` and a certificate from the CA naming it."""
    if not policies.may_issue_for(actor, holder):
        raise Forbidden()
    name, subject, link = _subject(holder)
    key = pki.new_key()
    not_after = timezone.now() + dt.timedelta(days=settings.SIGNER_CERT_DAYS)
    issued = pki.issuer().issue(subject=subject, public_key=key.public_key(), not_after=not_after)
    cert = issued.certificate
    row = SignerCertificate.objects.create(
        holder_kind=_KIND[type(holder)],
        subject_cn=name,
        serial=format(cert.serial_number, "x"),
        issuer_cn=cert.issuer.rfc4514_string()[:200],
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        certificate_pem=pki.to_pem(cert),
        chain_pem="".join(pki.to_pem(c) for c in issued.chain),
        key_encrypted=pki.seal_key(key),
        **link,
    )
    record(
        actor or "system",
        "documents.certificate_issued",
        row,
        summary=f"{name} · {row.serial}",
        changes={"holder_kind": row.holder_kind, "not_after": row.not_after},
    )
    return row


def current_certificate(holder: Holder) -> SignerCertificate | None:
    name, _subject_name, link = _subject(holder)
    now = timezone.now()
    return (
        SignerCertificate.objects.filter(
            revoked_at__isnull=True, not_after__gt=now + RENEW_BEFORE, subject_cn=name, **link
        )
        .order_by("-not_after")
        .first()
    )


def signer_certificate_for(holder: Holder, *, actor: User | None = None) -> SignerCertificate:
    """The holder's valid certificate, issued now if they have none (or their name changed)."""
    return current_certificate(holder) or issue_signer_certificate(actor=actor, holder=holder)


@transaction.atomic
def revoke_signer_certificate(
    *,
    actor: User | None,
    cert: SignerCertificate,
    reason: str,
    compromised_since: dt.datetime | None = None,
) -> SignerCertificate:
    """Revoke now; `compromised_since` (a leaked key) also refuses signatures made since then."""
    if actor is not None and not policies.can_view(actor, cert):
        raise Forbidden()
    if cert.revoked_at:
        raise Conflict(_("This certificate is revoked already."), code=DocumentsError.REVOKED)
    cert.revoked_at = timezone.now()
    cert.revocation_reason = reason[:200]
    cert.invalid_since = min(compromised_since, cert.revoked_at) if compromised_since else None
    cert.save(update_fields=["revoked_at", "revocation_reason", "invalid_since"])
    record(actor or "system", "documents.certificate_revoked", cert, summary=reason[:200])
    transaction.on_commit(queries.forget_verdicts)  # a kept verdict may name this certificate
    return cert


def new_verify_code() -> str:
    """A verification code no registered document has, to print on a document being drafted."""
    while True:
        code = codes.new_code()
        if not Document.objects.filter(verify_code=code).exists():
            return code


def _count_signatures(pdf: bytes) -> int:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        embedded = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
        # Document timestamps (PAdES B-LTA) are not anybody's signature.
        return sum(1 for sig in embedded if sig.sig_object_type != "/DocTimeStamp")
    except Exception:  # noqa: BLE001 - a PDF we cannot read has no signature we can count
        return 0


@transaction.atomic
def register_document(
    *,
    kind: str,
    title: str,
    case_number: str,
    pdf_bytes: bytes,
    verify_code: str,
    actor: User | None = None,
) -> Document:
    """Keep `pdf_bytes` as the document that `verify_code` finds.

    The first call creates the document; later calls with the same code add a version, which
    must extend the current one by incremental updates (a further signature): the platform
    never replaces what someone already signed."""
    _check_registration(kind, verify_code, pdf_bytes)
    sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    document, unchanged = _next_version(kind, verify_code, pdf_bytes, sha256)
    if unchanged:
        return document
    document.title = title[:200]
    document.case_number = case_number[:60]
    _store_version(document, pdf_bytes, sha256)
    _announce(document, actor)
    return document


def _check_registration(kind: str, verify_code: str, pdf_bytes: bytes) -> None:
    if kind not in Document.Kind.values:
        raise Invalid(_("Unknown kind of document."), fields={"kind": [kind]})
    if codes.normalise(verify_code) != verify_code:
        raise Invalid(_("Not a verification code."), fields={"verify_code": [verify_code]})
    if not pdf_bytes.startswith(b"%PDF-"):
        raise Invalid(_("This is not a PDF file."), code=DocumentsError.NOT_PDF)


def _next_version(
    kind: str, verify_code: str, pdf_bytes: bytes, sha256: str
) -> tuple[Document, bool]:
    """The document (locked) with its version number moved on, or new; True when these very
    bytes are its current version already. A new version must extend the current one."""
    document = Document.objects.select_for_update().filter(verify_code=verify_code).first()
    if document is None:
        return Document(kind=kind, verify_code=verify_code, version=1), False
    with document.file.open("rb") as fh:
        current = fh.read()
    if sha256 == document.sha256:
        return document, True
    if not pdf_bytes.startswith(current):
        raise Conflict(
            _("A new version must extend the registered document, not replace it."),
            code=DocumentsError.NOT_AN_EXTENSION,
        )
    document.version += 1
    return document, False


def _store_version(document: Document, pdf_bytes: bytes, sha256: str) -> None:
    document.sha256 = sha256
    document.size = len(pdf_bytes)
    document.signature_count = _count_signatures(pdf_bytes)
    name = f"{timezone.now():%Y/%m}/{document.verify_code}-v{document.version}-{sha256[:8]}.pdf"
    document.file.save(name, ContentFile(pdf_bytes), save=False)
    document.save()
    DocumentVersion.objects.create(
        document=document,
        number=document.version,
        sha256=sha256,
        size=len(pdf_bytes),
        signature_count=document.signature_count,
        file=document.file.name,
    )


def _announce(document: Document, actor: User | None) -> None:
    """The audit entry and the outbox event of a registered version."""
    record(
        actor or "system",
        "documents.registered",
        document,
        summary=f"{document.title} · {document.verify_code} v{document.version}",
        changes={"sha256": document.sha256, "signatures": document.signature_count},
    )
    outbox.emit(
        "documents.registered",
        {
            "document": document.pk,
            "kind": document.kind,
            "case_number": document.case_number,
            "verify_code": document.verify_code,
            "version": document.version,
            "sha256": document.sha256,
        },
    )


def root_certificate_pem() -> str:
    return pki.root_pem()
