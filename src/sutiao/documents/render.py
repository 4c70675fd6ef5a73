"""Documents rendered from Django templates to PDF with WeasyPrint.

A document template extends `documents/base_document.html`: A4, the case number in the page
header, "第 N 页 共 M 页" and the verification code with its QR code in every page footer,
the text in Noto Serif SC (embedded, subset). A template marks where each signature goes with
`{% signature_slot "field_name" %}`; the rendered PDF carries an empty signature field there,
which `signing.sign_pdf` fills.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import segno
from django.template.loader import render_to_string
from django.utils import translation
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from . import codes, fonts

SLOT_PREFIX = "sig-"
PX_TO_PT = 0.75  # CSS px (1/96 in) to PDF points (1/72 in)


@dataclass(frozen=True)
class SignatureSlot:
    field_name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # PDF points, origin bottom-left


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    slots: list[SignatureSlot] = field(default_factory=list)


class DocumentURLFetcher(URLFetcher):
    """Only data: URIs and the font files: a template can never make the renderer fetch
    from the network or read other local files, whatever text a user put into it."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, timeout=2)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if path in fonts.allowed_font_paths():
                return super().fetch(url, headers)
        raise ValueError(f"documents may not load {url[:80]}")


_local = threading.local()


def _font_config():
    # WeasyPrint caches loaded @font-face files in its FontConfiguration; one per thread.
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#000")


def render_document(
    template_name: str, context: dict[str, Any], *, verify_code: str
) -> RenderedPdf:
    url = codes.verify_url(verify_code)
    full_context = {
        **context,
        "verify_code": verify_code,
        "verify_code_display": codes.display(verify_code),
        "verify_url": url,
        "verify_page_url": codes.verify_page_url(),
        "qr_data_uri": qr_data_uri(url),
        "font_faces": fonts.font_face_css(),
    }
    with translation.override("zh-hans"):  # documents are issued in Chinese
        html = render_to_string(template_name, full_context)
    config = _font_config()
    document = HTML(string=html, url_fetcher=DocumentURLFetcher()).render(font_config=config)
    slots = []
    for number, page in enumerate(document.pages):
        for anchor, position in page.anchors.items():
            if not anchor.startswith(SLOT_PREFIX):
                continue
            x1, y1, x2, y2 = position
            height = page.height
            slots.append(
                SignatureSlot(
                    field_name=anchor[len(SLOT_PREFIX) :],
                    page=number,
                    box=(
                        round(x1 * PX_TO_PT, 2),
                        round((height - y2) * PX_TO_PT, 2),
                        round(x2 * PX_TO_PT, 2),
                        round((height - y1) * PX_TO_PT, 2),
                    ),
                )
            )
    pdf = document.write_pdf()
    if slots:
        pdf = _add_signature_fields(pdf, slots)
    return RenderedPdf(pdf=pdf, pages=len(document.pages), slots=slots)


def render_pdf(template_name: str, context: dict[str, Any], *, verify_code: str) -> bytes:
    """The PDF of `template_name` rendered with `context` (which names `title` and
    `case_number`), showing `verify_code` and a QR code to the verification page."""
    return render_document(template_name, context, verify_code=verify_code).pdf


def _add_signature_fields(pdf: bytes, slots: list[SignatureSlot]) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    for slot in slots:
        append_signature_field(
            writer, SigFieldSpec(sig_field_name=slot.field_name, on_page=slot.page, box=slot.box)
        )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
