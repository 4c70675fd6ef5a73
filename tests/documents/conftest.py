"""Fixtures of the documents domain: people who sign, a specimen agreement, poppler and NSS."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.documents import actions, render, signing
from sutiao.institutions.models import MediationOrg
from tests import factories

CASE_NUMBER = "（2026）京0108民诉前调1234号"


def tool(name: str) -> str:
    """A system tool the tests drive; missing is a failure that says what to install."""
    path = shutil.which(name)
    if path is None:
        package = {
            "pdfsig": "poppler-utils",
            "pdftoppm": "poppler-utils",
            "certutil": "libnss3-tools",
        }.get(name, name)
        pytest.fail(f"`{name}` is missing: apt-get install -y {package}")
    return path


def agreement_context(*, applicant: str, respondent: str, org: str, paragraphs: int = 5) -> dict:
    facts = [
        f"申请人{applicant}系第12345678号“青山”注册商标的权利人，核定使用商品为第30类茶叶。"
        f"申请人主张，被申请人{respondent}在其经营的网店中销售标有“青山”字样的茶叶礼盒，"
        "侵害了申请人的注册商标专用权，请求被申请人停止侵权并赔偿经济损失及合理开支。"
        "被申请人辩称其所售商品系从他人处合法购进，并提供了进货单据，但承认未尽审查义务。"
    ] * paragraphs
    return {
        "title": "人民调解协议书",
        "case_number": CASE_NUMBER,
        "parties": [
            {"role": "申请人", "name": applicant, "details": "住所地北京市海淀区中关村大街1号"},
            {
                "role": "被申请人",
                "name": respondent,
                "details": "住所地浙江省杭州市西湖区文三路2号",
            },
            {"role": "调解组织", "name": org, "details": ""},
        ],
        "facts": facts,
        "terms": [
            f"被申请人{respondent}于本协议生效之日起停止销售标有“青山”字样的茶叶礼盒，并下架相关商品链接。",
            "被申请人于2026年12月31日前向申请人支付经济损失及合理开支共计人民币30,000元（叁万元整）。",
            "申请人放弃其他调解请求。各方就本纠纷再无其他争议。",
            "本协议自各方当事人签名之日起生效，各方均可向人民法院申请司法确认。",
        ],
        "closing": ["本协议一式三份，各方当事人各执一份，调解组织留存一份，具有同等效力。"],
        "signatories": [
            {"field": "applicant", "label": "申请人（签名）"},
            {"field": "respondent", "label": "被申请人（签名）"},
            {"field": "org_seal", "label": "调解组织（印章）", "seal": True},
        ],
        "place": "北京",
        "date": "2026年11月25日",
    }


@dataclass
class Signers:
    applicant: User
    respondent: User
    mediator: User
    org: MediationOrg


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def signers(db) -> Signers:
    org = factories.org("北京知识产权纠纷调解中心")
    applicant = factories.person()
    applicant.real_name = "张三丰"
    applicant.save(update_fields=["real_name"])
    respondent = factories.person()
    respondent.real_name = "李四海"
    respondent.save(update_fields=["real_name"])
    mediator = factories.person(Role.MEDIATOR, org=org)
    return Signers(applicant, respondent, mediator, org)


@dataclass
class Agreement:
    code: str
    draft: bytes
    signed: bytes
    signers: Signers


def sign_three(draft: bytes, s: Signers) -> bytes:
    pdf = signing.sign_pdf(
        draft,
        signer_cert=actions.signer_certificate_for(s.applicant),
        actor=s.applicant,
        field_name="applicant",
        stamp_text_lines=[f"申请人 {s.applicant.real_name}"],
        reason="申请人签名",
        location="北京",
    )
    pdf = signing.sign_pdf(
        pdf,
        signer_cert=actions.signer_certificate_for(s.respondent),
        actor=s.respondent,
        field_name="respondent",
        stamp_text_lines=[f"被申请人 {s.respondent.real_name}"],
        reason="被申请人签名",
        location="杭州",
    )
    return signing.sign_pdf(
        pdf,
        signer_cert=actions.signer_certificate_for(s.org),
        actor=s.mediator,
        field_name="org_seal",
        stamp_text_lines=[s.org.name, "电子印章"],
        reason="调解组织盖章",
        location="北京",
    )


@pytest.fixture
def agreement(signers) -> Agreement:
    code = actions.new_verify_code()
    draft = render.render_pdf(
        "documents/specimen_agreement.html",
        agreement_context(
            applicant=signers.applicant.real_name,
            respondent=signers.respondent.real_name,
            org=signers.org.name,
        ),
        verify_code=code,
    )
    return Agreement(code, draft, sign_three(draft, signers), signers)


@pytest.fixture
def nss_db(tmp_path, db) -> str:
    """An NSS database that trusts the platform CA, for `pdfsig -nssdir`."""
    from sutiao.documents import pki

    certutil = tool("certutil")
    folder = tmp_path / "nss"
    folder.mkdir()
    ca = tmp_path / "ca.pem"
    ca.write_text(pki.root_pem())
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        [
            certutil,
            "-A",
            "-d",
            f"sql:{folder}",
            "-n",
            "sutiao-ca",
            "-t",
            "CT,C,C",
            "-a",
            "-i",
            str(ca),
        ],
        check=True,
    )
    return f"sql:{folder}"


@dataclass
class PdfsigSignature:
    field: str
    signer: str
    validation: str
    certificate: str
    total: bool
    timestamp: bool  # a document timestamp (pdfsig does not verify those)


def pdfsig(
    pdf: bytes, nssdir: str, tmp_path: Path, *, timestamps: bool = False
) -> list[PdfsigSignature]:
    """pdfsig's report of each signature (and, with `timestamps`, of each document timestamp,
    which poppler lists but does not verify)."""
    path = tmp_path / "pdfsig-input.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        [tool("pdfsig"), "-nssdir", nssdir, str(path)], capture_output=True, text=True
    )
    sigs = []
    for block in re.split(r"^Signature #\d+:\s*$", run.stdout, flags=re.M)[1:]:

        def value(label: str, text: str = block) -> str:
            found = re.search(rf"- {label}: (.*)$", text, flags=re.M)
            return found.group(1).strip() if found else ""

        sigs.append(
            PdfsigSignature(
                field=value("Signature Field Name"),
                signer=value("Signer Certificate Common Name"),
                validation=value("Signature Validation"),
                certificate=value("Certificate Validation"),
                total="Total document signed" in block,
                timestamp=value("Signature Type") == "unknown",
            )
        )
    assert sigs or run.returncode == 0, run.stderr
    return [s for s in sigs if timestamps or not s.timestamp]


def first_page_dark_pixels(pdf: bytes, tmp_path: Path, *, page: int = 1, dpi: int = 50) -> int:
    """Render a page with pdftoppm (greyscale PGM) and count the dark pixels."""
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    out = tmp_path / "page"
    subprocess.run(
        [
            tool("pdftoppm"),
            "-gray",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(out),
        ],
        check=True,
    )
    data = (tmp_path / "page.pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, data[:20]
    pixels = data[header.end() :]
    assert len(pixels) == int(header[1]) * int(header[2])
    return sum(1 for b in pixels if b < 128)
