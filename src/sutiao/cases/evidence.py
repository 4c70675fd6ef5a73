"""Checking uploaded files by what they contain, not by their names.

Accepted: PDF (it must parse), PNG, JPEG, GIF, WebP, Office documents (OOXML zip, or the
legacy compound-file format), plain text in UTF-8. Anything else — executables above all —
is refused. Limits come from settings (SUTIAO_MAX_FILE_MB, SUTIAO_MAX_CASE_MB).

Hostile content is refused even in an accepted type, each with its own code:
- a PDF with JavaScript, a launch (or import, submit, remote go-to, media) action, additional
  actions (/AA), an XFA form or embedded files — found by walking the parsed catalog, name
  trees, pages, annotations and form fields with pypdf, and by the names outside streams;
- markup or script (`<script`, `<html`, `<?php`, `<svg` …) inside a PDF or an image: a
  polyglot that a browser or a PHP server would run;
- an office zip that expands beyond MAX_UNZIP_RATIO (100:1) or MAX_UNZIPPED_MB (200 MB),
  counted while the members are read in chunks in memory (the headers' sizes may lie), never
  extracted to disk; archives inside it, except one office document under `*/embeddings/`
  (itself checked within the same budget, with nothing nested deeper).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

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


class Hostile(Invalid):
    """A file of an accepted type that carries active content (422, with its own code)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code, fields={"file": [message]})


def _pdf_refused() -> Hostile:
    return Hostile(
        _(
            "This PDF contains JavaScript, a launch action, embedded files or actions that run "
            "by themselves, which are not accepted. Print it to a plain PDF and upload that."
        ),
        CaseError.FILE_PDF_ACTIVE_CONTENT,
    )


def _polyglot() -> Hostile:
    return Hostile(
        _(
            "This file has web-page, script or program code hidden in it, which is not "
            "accepted. Save it again as a plain PDF or image and upload that."
        ),
        CaseError.FILE_POLYGLOT,
    )


PDF_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    RecursionError,
    AssertionError,
)

# Actions that run code, start programs, send or fetch data, or open other files or media.
DANGEROUS_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/RichMediaExecute",
    "/Movie",
    "/Sound",
}
DANGEROUS_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# Names that only active content uses; looked for outside streams, #xx escapes undone.
DANGEROUS_NAMES = {
    b"JS",
    b"JavaScript",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
    b"AA",
    b"ImportData",
    b"SubmitForm",
}
_PDF_NAME = re.compile(rb"/([^\x00\t\n\f\r ()<>\[\]{}/%]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg|xml-stylesheet)[\s>/]"
    rb"|<\?php|<!doctype\s+html|javascript:|vbscript:",
    re.IGNORECASE,
)


def _outside_streams(data: bytes) -> bytes:
    """The PDF without the contents of its streams (binary, mostly compressed), in one pass."""
    parts = []
    pos = 0
    while (start := data.find(b"stream", pos)) != -1:
        end = data.find(b"endstream", start + 6)
        parts.append(data[pos : start + 6])
        if end == -1:
            pos = len(data)
            break
        pos = end
        parts.append(b" ")
        parts.append(b"endstream")
        pos = end + 9
    parts.append(data[pos:])
    return b"".join(parts)


def _resolve(obj: Any) -> Any:
    for _depth in range(32):
        if not hasattr(obj, "get_object"):
            return obj
        resolved = obj.get_object()
        if resolved is obj:
            return obj
        obj = resolved
    return obj


def _action_dangerous(action: Any, depth: int = 0) -> bool:
    action = _resolve(action)
    if depth > 32:
        return True
    if isinstance(action, list):
        return any(_action_dangerous(a, depth + 1) for a in action)
    if not isinstance(action, dict):
        return False  # a destination (page + fit), not an action
    if "/JS" in action or str(action.get("/S", "")) in DANGEROUS_ACTIONS:
        return True
    nxt = action.get("/Next")
    return nxt is not None and _action_dangerous(nxt, depth + 1)


def _has_auto_actions(obj: Any) -> bool:
    return "/AA" in obj


def _field_dangerous(field: Any, depth: int = 0) -> bool:
    field = _resolve(field)
    if depth > 32 or not isinstance(field, dict):
        return depth > 32
    if _has_auto_actions(field) or _action_dangerous(field.get("/A"), 0):
        return True
    return any(_field_dangerous(k, depth + 1) for k in _resolve(field.get("/Kids", [])) or [])


def _pdf_active(reader: Any, data: bytes) -> bool:
    """True when the PDF has active content anywhere a viewer would find or run it."""
    root = _resolve(reader.trailer["/Root"])
    if _has_auto_actions(root) or _action_dangerous(root.get("/OpenAction")):
        return True
    names = _resolve(root.get("/Names"))
    if isinstance(names, dict) and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        return True
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, dict):
        if "/XFA" in form:
            return True
        if any(_field_dangerous(f) for f in _resolve(form.get("/Fields", [])) or []):
            return True
    for page in reader.pages:
        if _has_auto_actions(page):
            return True
        for annot in _resolve(page.get("/Annots", [])) or []:
            annot = _resolve(annot)
            if not isinstance(annot, dict):
                continue
            if str(annot.get("/Subtype", "")) in DANGEROUS_ANNOTATIONS:
                return True
            if _has_auto_actions(annot) or _action_dangerous(annot.get("/A")):
                return True
    # Backstop: an active name anywhere outside the (compressed, binary) streams.
    outside = _outside_streams(data)
    for match in _PDF_NAME.finditer(outside):
        name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in DANGEROUS_NAMES:
            return True
    return False


def _pdf_ok(data: bytes) -> bool:
    """True for a PDF that parses; raise Hostile for one with active content."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if len(reader.pages) == 0:
            return False
        active = _pdf_active(reader, data)
    except PdfReadError:
        return False
    except PDF_ERRORS:
        return False
    if active:
        raise _pdf_refused()
    # A PDF+HTML polyglot: markup a browser would render, outside the streams.
    if _MARKUP.search(data[:1024]) or _MARKUP.search(_outside_streams(data)):
        raise _polyglot()
    return True


def _image_ok(data: bytes) -> None:
    """Raise Hostile for an image that is also a script, a web page or PHP."""
    if _MARKUP.search(data):
        raise _polyglot()


ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF",
)
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".jar", ".cab")
CHUNK = 64 * 1024


def max_unzip_ratio() -> int:
    return int(getattr(settings, "MAX_UNZIP_RATIO", 100))


def max_unzipped_bytes() -> int:
    return int(getattr(settings, "MAX_UNZIPPED_MB", 200)) * 1024 * 1024


def _bomb() -> Hostile:
    return Hostile(
        _(
            "This document expands to far more than its size (more than %(mb)s MB, or more "
            "than %(ratio)s times), as a compression bomb does; it is not accepted."
        )
        % {"mb": max_unzipped_bytes() // 1048576, "ratio": max_unzip_ratio()},
        CaseError.FILE_ARCHIVE_BOMB,
    )


def _nested() -> Hostile:
    return Hostile(
        _("This document holds another archive inside it, which is not accepted."),
        CaseError.FILE_NESTED_ARCHIVE,
    )


class _Budget:
    """What all members, nested ones included, may expand to; counted as they are read."""

    def __init__(self, compressed: int) -> None:
        self.compressed = max(compressed, 1)
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > max_unzipped_bytes():
            raise _bomb()
        if self.total > 1024 * 1024 and self.total > max_unzip_ratio() * self.compressed:
            raise _bomb()


def _walk_zip(z: zipfile.ZipFile, budget: _Budget, depth: int) -> None:
    infos = z.infolist()
    declared = sum(i.file_size for i in infos)
    if declared > max_unzipped_bytes() or (
        declared > 1024 * 1024 and declared > max_unzip_ratio() * budget.compressed
    ):
        raise _bomb()
    for info in infos:
        if info.is_dir():
            continue
        lower = info.filename.lower()
        embedded = "/embeddings/" in lower and depth == 0
        # Office's compressed metafiles (.emz/.wmz) are gzip by design: images, not archives.
        metafile = lower.endswith((".emz", ".wmz"))
        if lower.endswith(ARCHIVE_SUFFIXES) and not embedded:
            raise _nested()
        head = b""
        keep = bytearray() if embedded else None
        with z.open(info) as member:  # CRC checked at the end of each member
            while chunk := member.read(CHUNK):
                budget.add(len(chunk))
                if not head:
                    head = chunk[:16]
                    nested = head.startswith(ARCHIVE_MAGIC)
                    if nested and not embedded and not (metafile and head[:2] == b"\x1f\x8b"):
                        raise _nested()
                if keep is not None:
                    keep += chunk
                    if len(keep) > max_file_bytes():
                        raise _bomb()
        if keep is not None and head.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(bytes(keep))) as inner:
                if "[Content_Types].xml" not in inner.namelist():
                    raise _nested()
                _walk_zip(inner, budget, depth + 1)
        elif keep is not None and head.startswith(ARCHIVE_MAGIC):
            raise _nested()


def _ooxml_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "[Content_Types].xml" not in names:
                return None
            _walk_zip(z, _Budget(len(data)), 0)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None
    except NotImplementedError:  # an unknown compression method
        return None
    for prefix, ctype in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return ctype
    return None


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None when not accepted; raise Hostile for an
    accepted type that carries active content."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "application/pdf" if _pdf_ok(data) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if b"IEND" not in data[-16:]:
            return None
        _image_ok(data)
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            return None
        _image_ok(data)
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        _image_ok(data)
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        _image_ok(data)
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
