"""Checking uploaded files by what they contain, not by their names.

Accepted: PDF (it must parse), PNG, JPEG, GIF, WebP, Office documents (OOXML zip, or the
legacy compound-file format), plain text in UTF-8. Anything else — executables above all —
is refused. Limits come from settings (SUTIAO_MAX_FILE_MB, SUTIAO_MAX_CASE_MB).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sutiao.core.errors import DomainError, Invalid

from .errors import CaseError


class TooLarge(DomainError):
    status = 413
    code = CaseError.FILE_TOO_LARGE


@dataclass(frozen=True)
class Checked:
    content_type: str
    sha256: str
    size: int
    data: bytes


OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _pdf_ok(data: bytes) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        return len(reader.pages) > 0
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
    ):
        return False


def _ooxml_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "[Content_Types].xml" not in names:
                return None
            if z.testzip() is not None:
                return None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for prefix, ctype in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return ctype
    return None


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None when not accepted."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "application/pdf" if _pdf_ok(data) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png" if b"IEND" in data[-16:] else None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg" if data.rstrip(b"\x00").endswith(b"\xff\xd9") else None
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_type(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"  # legacy Word/Excel compound file
    if b"\x00" not in data[:4096]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if head.startswith((b"#!", b"MZ", b"\x7fELF")):
            return None
        return "text/plain"
    return None


def max_file_bytes() -> int:
    return int(getattr(settings, "MAX_FILE_MB", 50)) * 1024 * 1024


def max_case_bytes() -> int:
    return int(getattr(settings, "MAX_CASE_MB", 500)) * 1024 * 1024


def check(upload, *, case_total: int) -> Checked:
    """Read and check one upload; raise TooLarge (413) or Invalid (422)."""
    size = getattr(upload, "size", None)
    limit = max_file_bytes()
    if size is not None and size > limit:
        raise TooLarge(_("The file is larger than %(mb)s MB.") % {"mb": limit // 1048576})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("The file is larger than %(mb)s MB.") % {"mb": limit // 1048576})
    if case_total + len(data) > max_case_bytes():
        raise TooLarge(
            _("The files of this case would exceed %(mb)s MB.")
            % {"mb": max_case_bytes() // 1048576}
        )
    if not data:
        raise Invalid(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    ctype = sniff(data)
    if ctype is None:
        message = _("This file is not an accepted PDF, image or office document, or it is damaged.")
        raise Invalid(message, code=CaseError.FILE_TYPE_REFUSED, fields={"file": [message]})
    return Checked(ctype, hashlib.sha256(data).hexdigest(), len(data), data)
