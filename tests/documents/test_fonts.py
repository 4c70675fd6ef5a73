"""The font the documents are set in comes with `pip install`; Debian's fonts-noto-cjk (font
collections) works too when configured or when the package is missing."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from sutiao.documents import codes, fonts, render, verify

from .conftest import agreement_context, sign_three

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_fonts():
    def clear():
        for fn in (fonts.serif, fonts.sans, fonts.stamp_font_slim, fonts.stamp_font_full):
            fn.cache_clear()
        render._local.__dict__.clear()

    clear()
    yield
    clear()


def test_the_default_fonts_come_from_the_python_package():
    import pylopdf_fonts_zh_cn

    package = Path(pylopdf_fonts_zh_cn.__file__).parent
    assert fonts.serif().path.parent == package and fonts.serif().path.suffix == ".otf"
    assert fonts.sans().path.name == "NotoSansSC-Regular.otf"


def test_debian_font_collections_work_when_configured(settings, fresh_fonts, signers):
    if not fonts.DEBIAN_SERIF.exists():
        pytest.fail("fonts-noto-cjk is missing: apt-get install -y fonts-noto-cjk")
    settings.DOCUMENT_FONT_SERIF = str(fonts.DEBIAN_SERIF)
    settings.DOCUMENT_FONT_SANS = str(fonts.DEBIAN_SANS)
    assert fonts.serif().is_collection and fonts.serif().family == "Noto Serif CJK SC"
    context = agreement_context(
        applicant=signers.applicant.real_name,
        respondent=signers.respondent.real_name,
        org=signers.org.name,
    )
    pdf = render.render_pdf(
        "documents/specimen_agreement.html", context, verify_code=codes.new_code()
    )
    text = re.sub(r"\s+", "", pypdf.PdfReader(BytesIO(pdf)).pages[0].extract_text())
    assert "人民调解协议书" in text and "纠纷的主要事实和争议事项" in text
    assert verify.verify_pdf(sign_three(pdf, signers)).status == "valid"
