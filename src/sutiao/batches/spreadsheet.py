"""The batch spreadsheet: its columns (a fixed exchange format, Chinese headers whatever the
page's language, as the roster's templates), the downloadable template, and each row checked
into a respondent with the column and reason of every error."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sutiao.accounts.identity import validate_phone, validate_resident_id
from sutiao.cases.actions import PartyIn
from sutiao.core.lazy import lazy
from sutiao.institutions.validators import validate_uscc
from sutiao.roster.spreadsheets import Column, Sheet, _header_key, save

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import styles
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")
    styles = lazy("openpyxl.styles")


NAME = Column("name", "被申请人名称", True, "自然人姓名或单位全称")
KIND = Column("kind", "主体类型", False, "自然人 / 法人 / 非法人组织；不填时按证件号判断")
IDENT = Column("ident", "统一社会信用代码或身份证号码", True, "单位填18位统一社会信用代码")
ADDRESS = Column("address", "地址", False)
PHONE = Column("phone", "联系电话", False, "11位手机号码")
EMAIL = Column("email", "电子邮箱", False)
WORKS = Column("works", "涉及作品或商标", True, "如 作品登记号、商标注册号，多个用、分隔")
AMOUNT = Column("amount", "请求金额（元）", True, "如 5000 或 5000.50")
COLUMNS = [NAME, KIND, IDENT, ADDRESS, PHONE, EMAIL, WORKS, AMOUNT]
KINDS = {"自然人": "natural", "法人": "legal", "非法人组织": "other_org", "其他组织": "other_org"}
MAX_ROWS = 2000


@dataclass
class Row:
    line: int
    respondent: PartyIn
    works: str
    amount_fen: int
    errors: list[dict[str, object]] = field(default_factory=list)


def error(line: int, column: Column, reason: str) -> dict[str, object]:
    return {"line": line, "column": column.header, "reason": reason}


def missing_columns(headers: list[str]) -> list[str]:
    present = {_header_key(h) for h in headers}
    return [c.header for c in COLUMNS if c.required and c.header not in present]


def records(sheet: Sheet):
    """(line, {key: text}) for every row that is not blank."""
    by_header = {c.header: c.key for c in COLUMNS}
    keys = [by_header.get(_header_key(h)) for h in sheet.headers]
    for line, cells in sheet.rows:
        if not any(cells):
            continue
        row = {c.key: "" for c in COLUMNS}
        for key, value in zip(keys, cells, strict=False):
            if key:
                row[key] = value
        yield line, row


def _amount(text: str) -> int | None:
    try:
        value = Decimal(text.replace(",", "").replace("，", "").replace("元", ""))
    except InvalidOperation:
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)


def _identity(line: int, r: dict[str, str], party: PartyIn, errors: list) -> None:
    ident = r["ident"].strip().upper()
    kind = KINDS.get(r["kind"].strip()) if r["kind"].strip() else None
    if r["kind"].strip() and kind is None:
        errors.append(error(line, KIND, _("Write 自然人, 法人 or 非法人组织.")))
        return
    if kind is None:
        kind = "natural" if len(ident) == 18 and ident[:17].isdigit() else "legal"
    party.kind = kind
    try:
        if kind == "natural":
            party.id_number = validate_resident_id(ident)
        else:
            validate_uscc(ident)
            party.uscc = ident
    except ValidationError as exc:
        errors.append(error(line, IDENT, "；".join(exc.messages)))


def check_row(line: int, r: dict[str, str]) -> Row:
    """One row as a respondent; every error of the row, each with its column."""
    errors: list[dict[str, object]] = []
    for column in COLUMNS:
        if column.required and not r[column.key].strip():
            errors.append(error(line, column, _("This column is required.")))
    party = PartyIn(role="respondent", name=r["name"].strip(), address=r["address"].strip()[:200])
    if r["ident"].strip():
        _identity(line, r, party, errors)
    if r["phone"].strip():
        try:
            party.phone = validate_phone(r["phone"].strip())
        except ValidationError as exc:
            errors.append(error(line, PHONE, "；".join(exc.messages)))
    if r["email"].strip():
        if "@" not in r["email"] or len(r["email"]) > 254:
            errors.append(error(line, EMAIL, _("Enter a valid e-mail address.")))
        else:
            party.email = r["email"].strip()
    amount = _amount(r["amount"].strip()) if r["amount"].strip() else 0
    if amount is None:
        errors.append(error(line, AMOUNT, _("Write the amount in yuan, for example 5000.50.")))
    return Row(line, party, r["works"].strip()[:60], amount or 0, errors)


def template() -> bytes:
    """The downloadable template: the headers, an example row and a sheet of notes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "被申请人"
    ws.append([c.header + ("*" if c.required else "") for c in COLUMNS])
    ws.append(
        [
            "某某文化传媒有限公司",
            "法人",
            "91110108MA01ABCDEN",
            "北京市海淀区某路1号",
            "13800138000",
            "",
            "国作登字-2026-F-00000001",
            "5000",
        ]
    )
    for col in ws.iter_cols(min_row=1, max_row=MAX_ROWS + 1):
        for cell in col:
            cell.number_format = "@"  # text: keeps the X of ID numbers and leading zeros
    for cell in ws[1]:
        cell.font = styles.Font(bold=True)
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = max(14, len(c.header) * 3)
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "否", c.note])
    notes.append([])
    notes.append(
        ["说明", "", f"每行一名被申请人，每行生成一件独立的调解申请；至多 {MAX_ROWS} 行。"]
    )
    notes.append(["", "", "同一文件重复上传不会重复创建。请删除示例行后填写。"])
    return save(wb)
