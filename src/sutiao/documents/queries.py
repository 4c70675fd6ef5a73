"""Finding registered documents and verifying them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sutiao.core.crypto import DecryptionError
from sutiao.core.errors import DomainError

from . import codes
from .errors import DocumentsError
from .models import Document, DocumentVersion
from .verify import Status, Verdict, verify_pdf


class TooLarge(DomainError):
    status = 413
    code = DocumentsError.TOO_LARGE
    default_message = _("The file is too large to verify.")


def max_upload_bytes() -> int:
    return settings.VERIFY_MAX_MB * 1024 * 1024


def check_upload_size(content_length: str | int | None) -> None:
    """Refuse before reading the body: the multipart envelope adds a little to the file."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > max_upload_bytes() + 64 * 1024:
        raise TooLarge(limit_mb=settings.VERIFY_MAX_MB)


def document_by_code(raw: str) -> Document | None:
    code = codes.normalise(raw)
    if code is None:
        return None
    return Document.objects.filter(verify_code=code).first()


@dataclass
class Checked:
    verdict: Verdict
    document: Document | None = None
    version: DocumentVersion | None = None  # the registered version these bytes are

    @property
    def is_current(self) -> bool | None:
        if self.document is None or self.version is None:
            return None
        return self.version.number == self.document.version


def check_upload(pdf_bytes: bytes) -> Checked:
    """Verify an uploaded PDF and say which registered document (and version) it is."""
    verdict = verify_pdf(pdf_bytes)
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(sha256=verdict.sha256)
        .order_by("-number")
        .first()
    )
    return Checked(verdict, version.document if version else None, version)


def check_registered(document: Document) -> Checked:
    """Verify the stored current version; a stored file whose hash is not the registered one
    (changed in storage) is reported as altered."""
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except DecryptionError:
        data = b""  # the encrypted file was changed on the disk: it no longer opens
    verdict = verify_pdf(data)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        verdict.problems.append("stored_file_changed")
        verdict.unaltered = False
        verdict.status = Status.ALTERED
    version = document.versions.filter(number=document.version).first()
    return Checked(verdict, document, version)
