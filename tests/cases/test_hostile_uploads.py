"""Hostile uploads are refused by content, each with its own stable code, and nothing of them
is stored (no bytes on the storage, no row, no audit entry); ordinary office files, PDFs and
images still pass (issue 13, fix 5)."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from sutiao.audit.models import AuditEntry as Entry
from sutiao.cases.models import CaseFile
from tests import factories
from tests.cases import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = cf.submitted_case(factories.court())
    party = case.parties.get(role="applicant").user
    return case, factories.client_for(party), tmp_path


def post(client, case, name, data):
    return client.post(
        f"/api/v1/cases/{case.pk}/files?kind=evidence", {"file": SimpleUploadedFile(name, data)}
    )


def refused(setup, name, data, code):
    case, client, root = setup
    audit_before = Entry.objects.count()
    response = post(client, case, name, data)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"] and error["details"]["fields"]["file"]
    assert not CaseFile.objects.exists()
    assert [p for p in root.rglob("*") if p.is_file()] == []
    assert Entry.objects.count() == audit_before
    return error["message"]


def accepted(setup, name, data) -> str:
    case, client, _ = setup
    response = post(client, case, name, data)
    assert response.status_code == 201, response.content
    return response.json()["content_type"]


def _write(writer: PdfWriter) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return _write(writer)


# --- PDF ------------------------------------------------------------------------------------


def test_a_pdf_with_a_javascript_open_action_is_refused(setup):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('pwned')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    message = refused(setup, "判决书.pdf", _write(writer), "file.pdf_active_content")
    assert "JavaScript" in message


def test_a_pdf_with_a_document_level_javascript_is_refused(setup):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('names tree');"),
        }
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(js)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    refused(setup, "证据.pdf", _write(writer), "file.pdf_active_content")


def test_a_pdf_with_a_launch_action_in_a_link_annotation_is_refused(setup):
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe"),
        }
    )
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 595, 842)]),
            NameObject("/A"): launch,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    refused(setup, "合同.pdf", _write(writer), "file.pdf_active_content")


def test_a_pdf_with_an_automatic_page_action_is_refused(setup):
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    js = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})
    refused(setup, "合同.pdf", _write(writer), "file.pdf_active_content")


def test_a_pdf_with_an_embedded_file_is_refused(setup):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payload.exe", b"MZ\x90\x00" + b"\x00" * 64)
    refused(setup, "附件.pdf", _write(writer), "file.pdf_active_content")


def test_a_pdf_html_polyglot_is_refused(setup):
    html = b"\n<html><body><script>fetch('/api/v1/me').then(r=>r.text())</script></body></html>\n"
    message = refused(setup, "证据.pdf", plain_pdf() + html, "file.polyglot")
    assert message


def test_a_pdf_with_a_harmless_open_action_and_links_is_accepted(setup):
    # Word and Acrobat write /OpenAction [page /Fit] and URI links: they must still pass.
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 100, 20)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://wenshu.court.gov.cn/"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    assert accepted(setup, "判决书.pdf", _write(writer)) == "application/pdf"


# --- images ---------------------------------------------------------------------------------


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def test_a_script_after_a_gif_header_is_refused(setup):
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + b"<script>alert(document.cookie)</script>"
    refused(setup, "截图.gif", gif, "file.polyglot")


def test_a_png_with_a_script_in_a_text_chunk_is_refused(setup):
    import struct
    import zlib

    png = _image("PNG")
    iend = png.rindex(b"IEND") - 4
    text = b"Comment\x00<script>alert(1)</script>"
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + text))
    refused(setup, "截图.png", png[:iend] + chunk + png[iend:], "file.polyglot")


def test_php_in_a_jpeg_comment_is_refused(setup):
    jpeg = _image("JPEG")
    comment = b"<?php system($_GET['c']); ?>"
    evil = jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]
    refused(setup, "照片.jpg", evil, "file.polyglot")


def test_real_images_are_accepted(setup):
    assert accepted(setup, "照片.jpg", _image("JPEG")) == "image/jpeg"
    assert accepted(setup, "截图.png", _image("PNG")) == "image/png"
    assert accepted(setup, "动图.gif", _image("GIF")) == "image/gif"


# --- archives (office documents are zips) ---------------------------------------------------

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'


def _docx(extra: dict[str, bytes] | None = None, paragraphs: int = 300) -> bytes:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">第{i}条 当事人应当按照约定履行义务，'
        f"金额 {i * 137 % 9973} 元。</w:t></w:r></w:p>"
        for i in range(paragraphs)
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
        z.writestr("word/styles.xml", "<w:styles>" + "<w:style/>" * 200 + "</w:styles>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _xlsx(rows: int = 5000) -> bytes:
    cells = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r * 7919 % 100003}</v></c>'
        f'<c r="B{r}" t="s"><v>{r % 50}</v></c></row>'
        for r in range(1, rows + 1)
    )
    strings = "".join(f"<si><t>项目{i}</t></si>" for i in range(50))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(
            "xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{cells}</sheetData></worksheet>"
        )
        z.writestr("xl/sharedStrings.xml", f"<sst>{strings}</sst>")
    return buf.getvalue()


def test_real_office_documents_pass_the_bomb_check(setup):
    assert accepted(setup, "起诉状.docx", _docx()).endswith("wordprocessingml.document")
    assert accepted(setup, "账目.xlsx", _xlsx()).endswith("spreadsheetml.sheet")
    # Word keeps an embedded spreadsheet (a chart's data) as a zip inside the zip: allowed.
    with_chart = _docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx(200)})
    assert accepted(setup, "鉴定意见.docx", with_chart).endswith("wordprocessingml.document")


def _bomb_docx(member_mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(member_mb):
                member.write(zeros)
    return buf.getvalue()


def test_a_zip_bomb_by_ratio_is_refused(setup):
    bomb = _bomb_docx(64)  # 64 MB of zeros in ~64 KB: a ratio near 1000
    assert len(bomb) < 200 * 1024
    refused(setup, "起诉状.docx", bomb, "file.archive_bomb")


def test_a_zip_bomb_whose_headers_lie_is_caught_while_reading(setup):
    # The sizes in the headers claim 1 KB; only reading tells the truth.
    bomb = bytearray(_bomb_docx(16))
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as z:
        info = z.getinfo("word/document.xml")
    import struct

    # zip64: the real sizes live in the extra fields; overwrite every copy of the
    # uncompressed size (local and central headers) with 1024.
    real = struct.pack("<Q", info.file_size)
    assert bomb.count(real) >= 1
    bomb = bytearray(bytes(bomb).replace(real, struct.pack("<Q", 1024)))
    refused(setup, "起诉状.docx", bytes(bomb), "file.archive_bomb")


def test_a_zip_bomb_by_total_size_is_refused(setup, settings):
    settings.MAX_UNZIPPED_MB = 2  # normal ratio (random data), but too much in all
    noise = os.urandom(3 * 1024 * 1024)
    docx = _docx({"word/media/image1.bin": noise})
    refused(setup, "起诉状.docx", docx, "file.archive_bomb")


def test_a_nested_zip_is_refused(setup):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("payload.txt", "x" * 1000)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner.zip", inner.getvalue())
    docx = _docx({"word/media/archive.zip": outer.getvalue()})
    refused(setup, "起诉状.docx", docx, "file.nested_archive")


def test_an_archive_nested_in_an_embedded_spreadsheet_is_refused(setup):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.txt", "a")
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/embeddings/deeper.zip", inner.getvalue())
    docx = _docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": sheet.getvalue()})
    refused(setup, "起诉状.docx", docx, "file.nested_archive")


def test_office_compressed_metafiles_are_not_taken_for_nested_archives(setup):
    import gzip

    # Word stores old drawings as .emz/.wmz: a gzip-compressed EMF/WMF under word/media/.
    emf = b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + os.urandom(2000)
    docx = _docx({"word/media/image1.emz": gzip.compress(emf)})
    assert accepted(setup, "旧合同.docx", docx).endswith("wordprocessingml.document")
