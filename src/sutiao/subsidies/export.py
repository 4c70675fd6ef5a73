"""The approved sheet as XLSX for the finance office, from the stored lines only. Written
once, on approval, and stored: the download is the same bytes whatever changes later."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from sutiao.core.lazy import lazy

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import styles
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")
    styles = lazy("openpyxl.styles")


# The finance office reads Chinese; the columns are fixed so that its imports keep working.
SUMMARY = [
    "姓名",
    "调解组织",
    "调解成功件数",
    "调解不成但有记录件数",
    "核定金额(元)",
    "封顶",
    "应发金额(元)",
]
DETAIL = ["姓名", "案号", "案件编号", "知识产权类型", "结果", "结案日期", "金额(元)"]
CAP = {"": "", "mediator": "个人封顶", "period": "期间总额封顶", "both": "个人及总额封顶"}
OUTCOME = {"settled": "调解成功", "failed": "调解不成(有调解记录)"}


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def workbook(sheet: Any, lines: list[Any]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"{sheet.scheme.name} 补贴核算表"])
    ws["A1"].font = styles.Font(bold=True)
    ws.append(["期间", f"{sheet.period_start} 至 {sheet.period_end}"])
    ws.append(["方案版本", sheet.version.number])
    ws.append(SUMMARY)
    for ln in lines:
        row = [ln.name, ln.org_name, ln.settled, ln.failed, _yuan(ln.amount_fen)]
        ws.append([*row, CAP[ln.cap], _yuan(ln.paid_fen)])
    ws.append(["合计", "", "", "", _yuan(sheet.uncapped_fen), "", _yuan(sheet.total_fen)])
    detail = wb.create_sheet("案件明细")
    detail.append(DETAIL)
    for ln in lines:
        for c in ln.cases:
            outcome = OUTCOME.get(c["outcome"], c["outcome"])
            row = [ln.name, c["number"], c["id"], c["ip_kind"], outcome, c["ended"]]
            detail.append([*row, _yuan(c["fen"])])
    # The approval's moment, not the clock's: the file says when the sheet was approved.
    moment = (sheet.approved_at or dt.datetime(2000, 1, 1)).replace(tzinfo=None, microsecond=0)
    wb.properties.created = wb.properties.modified = moment
    wb.properties.creator = "Sutiao"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
