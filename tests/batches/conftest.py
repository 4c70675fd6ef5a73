"""Batches: a court with rostered mediators, a rights holder, and spreadsheets of
respondents written as a person would fill the template (XLSX or CSV)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc as stdnum_uscc

from sutiao.batches import spreadsheet
from sutiao.batches.actions import ConsentIn, upload_batch
from sutiao.cases.actions import PartyIn
from tests import factories
from tests.cases.conftest import media, small_pdf  # noqa: F401  (fixture)
from tests.cases.factories import rostered_mediator

HEADERS = [c.header for c in spreadsheet.COLUMNS]


def uscc(n: int) -> str:
    base = f"91110108MA{n:07d}"
    return base + stdnum_uscc.calc_check_digit(base)


def good_row(n: int) -> list[str]:
    return [
        f"某某网店{n}号",
        "法人",
        uscc(n),
        f"北京市海淀区某路{n}号",
        "13800138000",
        "",
        f"国作登字-2026-F-{n:08d}",
        f"{1000 + n}.50",
    ]


# The seven bad rows of the must-show: (row index, column header, what is wrong).
BAD = {
    10: ("统一社会信用代码或身份证号码", lambda r: r.__setitem__(2, "91110108MA0000010X")),
    50: ("请求金额（元）", lambda r: r.__setitem__(7, "五千")),
    90: ("被申请人名称", lambda r: r.__setitem__(0, "")),
    130: ("联系电话", lambda r: r.__setitem__(4, "12345")),
    170: ("主体类型", lambda r: r.__setitem__(1, "公司")),
    210: ("涉及作品或商标", lambda r: r.__setitem__(6, "")),
    250: ("请求金额（元）", lambda r: r.__setitem__(7, "-3")),
}


def rows(n: int = 300, bad: bool = True) -> list[list[str]]:
    out = []
    for i in range(1, n + 1):
        row = good_row(i)
        if bad and i in BAD:
            BAD[i][1](row)
        out.append(row)
    return out


def xlsx(body: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header + ("*" if c.required else "") for c in spreadsheet.COLUMNS])
    for r in body:
        ws.append(r)
    return spreadsheet.save(wb)


def csv_bytes(body: list[list[str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADERS)
    w.writerows(body)
    return out.getvalue().encode("utf-8-sig")


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


@pytest.fixture
def world(db, media):  # noqa: F811
    court = factories.court()
    holder = factories.person("party")
    return {
        "court": court,
        "holder": holder,
        "clerk": factories.person("court_clerk", court=court),
        "mediators": [rostered_mediator(court, name=f"调解员{i}") for i in range(3)],
    }


def upload(world, data: bytes, name: str = "batch.xlsx", **kw):
    holder = world["holder"]
    return upload_batch(
        actor=holder,
        court=world["court"],
        title="某图片社著作权批量维权",
        ip_kind="copyright",
        claims="停止使用涉案图片，赔偿经济损失。",
        applicant=PartyIn(
            role="applicant",
            name="某图片社有限公司",
            kind="legal",
            uscc=uscc(9_999_999),
            phone="13900000000",
        ),
        consent=kw.pop(
            "consent", ConsentIn(service_email="agency@example.com", notice_acknowledged=True)
        ),
        spreadsheet_file=Upload(data, name),
        files=kw.pop("files", [(Upload(small_pdf("works"), "作品登记证书.pdf"), "evidence")]),
        **kw,
    )


def file_all(world, batch, *, only=None) -> None:
    """The batch's cases failed before filing (written as rows, as bench/generate writes a
    history) and the clerk files each through the cases domain's own action (立案)."""
    from django.utils import timezone

    from sutiao.cases import actions as cases
    from sutiao.cases.models import Case

    qs = Case.objects.filter(batch_link__batch=batch)
    if only is not None:
        qs = qs.filter(pk__in=only)
    qs.update(state="failed", end_reason=5, ended_at=timezone.now(), deadline_at=None, clock="")
    for case in qs.order_by("batch_link__line"):
        cases.file_case(actor=world["clerk"], case=case)
