"""Files the demo uploads where a person would (a scanned certificate, a signed power)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from pypdf import PdfWriter


def blank_pdf(title: str, name: str) -> ContentFile:
    """A one-page A4 PDF titled `title`, uploaded as `name`: stands for a scanned paper."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name=name)
