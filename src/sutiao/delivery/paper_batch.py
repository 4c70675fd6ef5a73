"""Batch printing of paper service: every service of the paper queue that a clerk (or a
direct case's organisation) selects, as one PDF — for each recipient a cover sheet (to
whom, where, what, why on paper) followed by the document itself, or the notice's text.

It only reads: serving on paper is recorded afterwards, one service at a time (CPL 87–88,
delivery.actions.record_paper_service), with the date and the way it was handed over."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from sutiao.accounts.models import User
from sutiao.core.lazy import lazy

from .models import Service
from .queries import paper_queue

if TYPE_CHECKING:
    from sutiao.documents import render
else:  # loaded on first use (sutiao.core.lazy)
    render = lazy("sutiao.documents.render")


def printable(user: User, ids: list[int] | None = None) -> list[Service]:
    """The services of `user`'s paper queue, those of `ids` only when given (any other id,
    someone else's included, is left out)."""
    rows = paper_queue(user)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return list(rows.select_related("case__court", "case__org", "party", "document")[:500])


def _cover(service: Service, at: str) -> bytes:
    code = service.document.verify_code if service.document else ""
    context = {
        "title": "纸质送达封面",
        "case_number": service.case.number or service.case.title,
        "service": service,
        "printed_at": at,
        "sender": service.case.court.name if service.case.court else service.case.org,
    }
    return render.render_pdf("delivery/paper_cover.html", context, verify_code=code or "PAPER")


def batch_pdf(services: list[Service]) -> bytes:
    """One PDF: a cover sheet and the document for each service, in the queue's order."""
    writer = PdfWriter()
    at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    for service in services:
        writer.append(PdfReader(io.BytesIO(_cover(service, at))))
        if service.document is not None:
            with service.document.file.open("rb") as f:
                writer.append(PdfReader(io.BytesIO(f.read())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
