"""A demo batch (called by demo.data): a photo agency against 12 small shops, uploaded by the
demo party through the batches domain's own action, one shared evidence file. Idempotent:
the same spreadsheet again creates nothing (the batch's content hash)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from openpyxl import Workbook
from stdnum.cn import uscc

from sutiao.accounts.models import User
from sutiao.batches import spreadsheet
from sutiao.batches.actions import ConsentIn, upload_batch
from sutiao.cases.actions import PartyIn
from sutiao.institutions.models import Court

from .files import blank_pdf

if TYPE_CHECKING:
    from .data import Loaded


def _code(n: int) -> str:
    base = f"91110108MB{n:07d}"
    return base + uscc.calc_check_digit(base)


def _sheet() -> ContentFile:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in spreadsheet.COLUMNS])
    for n in range(1, 13):
        ws.append(
            [
                f"【演示】小店{n}号",
                "法人",
                _code(n),
                f"北京市朝阳区演示路{n}号",
                "",
                "",
                f"国作登字-2026-I-{n:08d}",
                str(2000 + 100 * n),
            ]
        )
    return ContentFile(spreadsheet.save(wb), name="演示批量名单.xlsx")


def _evidence() -> ContentFile:
    return blank_pdf("作品登记证书（演示）", "作品登记证书.pdf")


def load(loaded: Loaded, *, court_name: str) -> None:
    party = User.objects.filter(username="party").first()
    court = Court.objects.filter(name=court_name).first()
    if party is None or court is None:
        loaded.problems.append("未能创建演示批量案件 / could not make the demo batch")
        return
    loaded.step(
        "demo batch",
        upload_batch,
        actor=party,
        court=court,
        title="【演示】某图片社著作权批量维权",
        ip_kind="copyright",
        claims="停止使用涉案图片，赔偿经济损失及合理开支。",
        applicant=PartyIn(role="applicant", name="某图片社有限公司", kind="legal", uscc=_code(0)),
        consent=ConsentIn(service_email="party@example.com", notice_acknowledged=True),
        spreadsheet_file=_sheet(),
        files=[(_evidence(), "evidence")],
    )
