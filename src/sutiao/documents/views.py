"""The public verification page: upload a PDF, or enter the code printed on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from sutiao.core.lazy import lazy
from sutiao.core.policy import can

from . import codes, labels, pki, queries
from .queries import Checked

if TYPE_CHECKING:
    from . import revocation, timestamps, tsa
else:  # loaded on first use (sutiao.core.lazy)
    revocation = lazy("sutiao.documents.revocation")  # pyHanko
    timestamps = lazy("sutiao.documents.timestamps")
    tsa = lazy("sutiao.documents.tsa")

TSA_MAX_REQUEST = 4096  # a TimeStampReq is ~60 bytes; anything big is not one


def _page(
    request, *, checked: Checked | None = None, error: str = "", code: str = "", status: int = 200
):
    context = {
        "checked": checked,
        "verdict": checked.verdict if checked else None,
        "error": error,
        "code": code,
        "max_mb": queries.max_upload_bytes() // (1024 * 1024),
        "status_label": labels.STATUS.get(checked.verdict.status) if checked else None,
        "labels": labels,
    }
    if checked and checked.document:
        context["code_display"] = codes.display(checked.document.verify_code)
        # The verdict is public; the whole PDF only for the people on its case.
        context["may_read"] = can(request.user, "view", checked.document)
    if checked:
        context["problems"] = [labels.PROBLEM.get(p, p) for p in checked.verdict.problems]
        context["rows"] = [
            {
                "sig": s,
                "holder": labels.HOLDER.get(s.holder_kind, ""),
                "coverage": labels.COVERAGE.get(s.coverage, s.coverage),
                "changes": labels.MODIFICATION.get(s.modification_level, s.modification_level),
                "problems": [labels.PROBLEM.get(p, p) for p in s.problems],
            }
            for s in checked.verdict.signatures
        ]
    return render(request, "documents/verify.html", context, status=status)


@csrf_exempt
def verify(request):
    """GET: the form (or ?code=… → the code's page). POST: verify the uploaded file.
    The size is checked before the body is read, so a huge upload costs nothing; CSRF is
    checked after that, as usual."""
    if request.method == "POST":
        try:
            queries.count_verification(request)
            queries.check_upload_size(request.META.get("CONTENT_LENGTH"))
        except queries.TooMany as exc:
            return _page(request, error=str(exc.message), status=429)
        except queries.TooLarge:
            return _too_large(request)
        return _verify_upload(request)
    if request.method != "GET":
        return HttpResponse(status=405)
    raw = request.GET.get("code", "").strip()
    if raw:
        code = codes.normalise(raw)
        if code is None:
            return _page(
                request,
                error=_("A verification code has 10 letters and digits."),
                code=raw,
                status=400,
            )
        return redirect("documents:verify_code", code=code)
    return _page(request)


def _too_large(request):
    message = _("The file is larger than %(mb)s MB.") % {"mb": queries.max_upload_bytes() >> 20}
    return _page(request, error=message, status=413)


@csrf_protect
def _verify_upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, error=_("Choose a PDF file."), status=400)
    if upload.size > queries.max_upload_bytes():
        return _too_large(request)
    return _page(request, checked=queries.check_upload(upload.read()))


@require_GET
def verify_code(request, code: str):
    normal = codes.normalise(code)
    if normal and normal != code:
        return redirect("documents:verify_code", code=normal)
    try:
        queries.count_verification(request)
    except queries.TooMany as exc:
        return _page(request, error=str(exc.message), code=code, status=429)
    document = queries.document_by_code(code)
    if document is None:
        return _page(
            request, error=_("No document has this verification code."), code=code, status=404
        )
    return _page(request, checked=queries.check_registered(document), code=code)


@require_GET
def document_pdf(request, code: str):
    """The whole registered PDF: for a logged-in person on its case (documents.policies
    `can_read`); a visitor logs in first, anyone else gets 404, as for a missing code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = queries.document_by_code(code)
    if document is None or not can(request.user, "view", document):
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.verify_code}.pdf"'
    return response


@require_GET
def ca_certificate(request):
    response = HttpResponse(pki.root_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="sutiao-ca.pem"'
    return response


@require_GET
def ca_crl(request):
    """The issuing CA's current CRL (DER, RFC 5280), named by every certificate it issues."""
    der = revocation.current_crl_der()
    if der is None:
        raise Http404
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Cache-Control"] = "max-age=300"
    return response


@csrf_exempt
def timestamp(request):
    """The platform's RFC 3161 time-stamping service over HTTP (RFC 3161 §3.4): a DER
    TimeStampReq in, a DER TimeStampResp out; limited per address like verification."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if request.content_type != "application/timestamp-query":
        return HttpResponse(status=415)
    if int(request.META.get("CONTENT_LENGTH") or 0) > TSA_MAX_REQUEST:
        return HttpResponse(status=413)
    try:
        queries.count_verification(request)
    except queries.TooMany as exc:
        return HttpResponse(str(exc.message), status=429, content_type="text/plain")
    authority = timestamps.authority()
    if authority is None:
        raise Http404
    return HttpResponse(
        tsa.respond_der(authority, request.body), content_type="application/timestamp-reply"
    )
