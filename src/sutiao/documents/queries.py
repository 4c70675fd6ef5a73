"""Finding registered documents and verifying them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.throttle import Throttle, client_address
from sutiao.core.crypto import DecryptionError
from sutiao.core.errors import DomainError
from sutiao.core.lazy import lazy

from . import codes
from .errors import DocumentsError
from .models import Document, DocumentVersion

if TYPE_CHECKING:
    from . import verify
    from .verify import Verdict
else:  # loaded on first use (sutiao.core.lazy)
    verify = lazy("sutiao.documents.verify")  # pyHanko


class TooLarge(DomainError):
    status = 413
    code = DocumentsError.TOO_LARGE
    default_message = _("The file is too large to verify.")


class TooMany(DomainError):
    status = 429
    code = DocumentsError.RATE_LIMITED
    default_message = _("Too many verifications from your address. Wait a minute and try again.")


def _throttle() -> Throttle:
    return Throttle("verify", settings.VERIFY_PER_MINUTE, 60)


def count_verification(request: HttpRequest) -> None:
    """One verification by this client address; over `SUTIAO_VERIFY_PER_MINUTE` in a minute
    the request is refused (429) before anything is read or checked."""
    address = client_address(request)
    if _throttle().hit(address) > settings.VERIFY_PER_MINUTE:
        raise TooMany()


_GENERATION = "sutiao:verdict-generation"


def forget_verdicts() -> None:
    """A certificate was revoked: every cached verdict may be stale."""
    if not cache.add(_GENERATION, 1, None):
        cache.incr(_GENERATION)


def verdict_of(data: bytes) -> Verdict:
    """pyHanko's verdict on these bytes, computed once per document hash (it costs seconds of
    CPU) and kept `SUTIAO_VERIFY_CACHE_SECONDS`; a revocation forgets every kept verdict."""
    digest = hashlib.sha256(data).hexdigest()
    key = f"sutiao:verdict:{cache.get(_GENERATION, 0)}:{digest}"
    verdict = cache.get(key)
    if verdict is None:
        verdict = verify.verify_pdf(data)
        cache.set(key, verdict, settings.VERIFY_CACHE_SECONDS)
    return verdict


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
    verdict = verdict_of(pdf_bytes)
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
    verdict = verdict_of(data)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        verdict.problems.append("stored_file_changed")
        verdict.unaltered = False
        verdict.status = verify.Status.ALTERED
    version = document.versions.filter(number=document.version).first()
    return Checked(verdict, document, version)
