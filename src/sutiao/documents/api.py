"""Public verification: anyone may check a PDF, or the document behind a code."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from sutiao.core.errors import Invalid, NotFound

from . import labels, queries
from .queries import Checked
from .schemas import VerdictOut

router = Router(tags=["documents"])

_TOO_MANY = {
    "429": {
        "description": "Too many verifications from this address (`documents.rate_limited`).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
}
_UPLOAD_BODY = {
    "responses": _TOO_MANY,
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    },
}


def verdict_body(checked: Checked, request=None) -> dict[str, Any]:
    verdict = checked.verdict
    body = verdict.as_dict()
    body["status_label"] = str(labels.STATUS[verdict.status])
    document = checked.document
    if document is not None:
        url = reverse("documents:document_pdf", args=[document.verify_code])
        body["document"] = {
            "verify_code": document.verify_code,
            "kind": document.kind,
            "kind_label": str(document.get_kind_display()),
            "title": document.title,
            "case_number": document.case_number,
            "version": document.version,
            "signature_count": document.signature_count,
            "sha256": document.sha256,
            "created_at": document.created_at,
            "updated_at": document.updated_at,
            # The whole PDF is for a logged-in person on the case (documents.policies).
            "pdf_url": request.build_absolute_uri(url) if request else url,
        }
        body["document_version"] = checked.version.number if checked.version else None
        body["is_current_version"] = checked.is_current
    return body


@router.post(
    "/documents/verify",
    response=VerdictOut,
    auth=None,
    summary="Verify an uploaded PDF",
    openapi_extra=_UPLOAD_BODY,
)
def verify_upload(request):
    """Upload a PDF as multipart field `file` (at most SUTIAO_VERIFY_MAX_MB, 20 MB by default;
    larger: 413). Each signature's signer, time, integrity and trust, and whether anything
    changed after signing (pyHanko's modification analysis), and the registered platform
    document the file is, if any."""
    queries.check_upload_size(request.META.get("CONTENT_LENGTH"))
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid(_("Choose a PDF file."), fields={"file": [_("Choose a PDF file.")]})
    if upload.size > queries.max_upload_bytes():
        raise queries.TooLarge()
    return verdict_body(queries.check_upload(upload.read()), request)


@router.get(
    "/documents/verify/{code}",
    response=VerdictOut,
    auth=None,
    summary="Verify by code",
    openapi_extra={"responses": _TOO_MANY},
)
def verify_code(request, code: str):
    """The verdict on the registered document with this verification code (current version).
    At most SUTIAO_VERIFY_PER_MINUTE verifications per address and minute (429)."""
    queries.count_verification(request)
    document = queries.document_by_code(code)
    if document is None:
        raise NotFound(_("No document has this verification code."))
    return verdict_body(queries.check_registered(document), request)
