"""Documents render with an embedded CJK font: the Chinese text extracts back (pypdf), pages
render (pdftoppm), every page carries the case number, its number and the verification code."""

from __future__ import annotations

import re
from io import BytesIO

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from sutiao.documents import codes, fonts, render

from .conftest import CASE_NUMBER, agreement_context, first_page_dark_pixels

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered():
    code = codes.new_code()
    context = agreement_context(
        applicant="张三丰", respondent="李四海", org="北京知识产权纠纷调解中心"
    )
    return code, render.render_document(
        "documents/specimen_agreement.html", context, verify_code=code
    )


def _text(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in pypdf.PdfReader(BytesIO(pdf)).pages]


def test_the_chinese_text_extracts_back(rendered):
    code, doc = rendered
    pages = _text(doc.pdf)
    assert doc.pages == len(pages) == 2
    whole = "".join(pages)
    for phrase in [
        "人民调解协议书",
        "纠纷的主要事实和争议事项",
        "经调解，各方自愿达成如下协议",
        "人民币30,000元（叁万元整）",
        "被申请人李四海",
        "调解组织（印章）",
    ]:
        assert phrase in whole, phrase


def test_every_page_has_the_case_number_its_number_and_the_verification_code(rendered):
    code, doc = rendered
    pages = _text(doc.pdf)
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in text
        assert CASE_NUMBER in text
        assert f"验证码{codes.display(code)}" in text
        assert "/documents/verify/" in text


def test_the_fonts_are_embedded_noto_cjk(rendered):
    _code, doc = rendered
    reader = pypdf.PdfReader(BytesIO(doc.pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile3")), font["/BaseFont"]
            seen.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert {"Doc-Serif", "Doc-Sans"} <= seen


def test_the_first_page_renders_with_pdftoppm(rendered, tmp_path):
    _code, doc = rendered
    assert first_page_dark_pixels(doc.pdf, tmp_path) > 2000


def test_signature_slots_become_empty_signature_fields(rendered):
    _code, doc = rendered
    assert [s.field_name for s in doc.slots] == ["applicant", "respondent", "org_seal"]
    reader = PdfFileReader(BytesIO(doc.pdf))
    found = {name: value for name, value, _ref in enumerate_sig_fields(reader)}
    assert found == {"applicant": None, "respondent": None, "org_seal": None}
    seal = doc.slots[2]
    width, height = seal.box[2] - seal.box[0], seal.box[3] - seal.box[1]
    assert abs(width - height) < 1 and 110 < width < 130  # 42 mm square


def test_the_verification_url_points_at_the_code_page(settings):
    settings.SITE_URL = "https://sutiao.example.gov.cn/"
    assert codes.verify_url("ABCDE23456") == (
        "https://sutiao.example.gov.cn/documents/verify/ABCDE23456/"
    )
    assert render.qr_data_uri(codes.verify_url("ABCDE23456")).startswith("data:image/svg+xml")


def test_the_renderer_fetches_nothing_but_data_uris_and_the_fonts():
    fetcher = render.DocumentURLFetcher()
    for url in ["http://127.0.0.1:9/x.png", "file:///etc/passwd", "ftp://example.org/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert fetcher.fetch(fonts.serif().path.as_uri()).read(4) == b"OTTO"


def test_text_from_users_is_escaped(rendered):
    code = codes.new_code()
    context = agreement_context(applicant="<b>张三</b>", respondent="李四", org="调解中心")
    pdf = render.render_pdf("documents/specimen_agreement.html", context, verify_code=code)
    assert "<b>张三</b>" in "".join(_text(pdf))


def test_codes_are_ten_unambiguous_characters():
    code = codes.new_code()
    assert len(code) == 10 and set(code) <= set(codes.ALPHABET)
    assert not set("01OIL") & set(codes.ALPHABET)
    assert codes.normalise(codes.display(code).lower()) == code
    assert codes.normalise(" abcde fghjk ") == "ABCDEFGHJK"
    assert codes.normalise("ABCDE-FGHJ0") is None
    assert codes.normalise("short") is None
