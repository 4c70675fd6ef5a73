"""The collection templates (Chinese headers), reading XLSX/CSV rows and writing XLSX.

The column headers are a fixed exchange format agreed with the IP offices, not page text,
so they stay Chinese whatever the user's language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sutiao.core.lazy import lazy
from sutiao.institutions.choices import OrgKind

from .models import ImportJob, Qualification

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import styles
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")
    styles = lazy("openpyxl.styles")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""


MEDIATOR_COLUMNS = [
    Column("name", "姓名", True),
    Column("id_number", "身份证号码", True, "18位居民身份证号码"),
    Column("phone", "手机号码", True, "11位手机号码"),
    Column("region", "行政区划代码", True, "6位代码（GB/T 2260），如 110108"),
    Column("orgs", "所属调解组织", False, "平台上已有的调解组织全称，多个用、分隔"),
    Column("ip_kinds", "擅长领域", True, "多个用、分隔，可选值见“填写说明”"),
    Column("technical_fields", "技术领域", False, "如 通信、生物医药"),
    Column("languages", "工作语言", False, "如 中文、英语"),
    Column("qualifications", "资质", False, "多个用、分隔，可选值见“填写说明”"),
    Column("charges_fees", "是否收费", False, "是 / 否，不填为否"),
    Column("fee_note", "收费说明", False),
    Column("bio", "个人简介", False),
]

ORG_COLUMNS = [
    Column("name", "名称", True, "调解组织全称"),
    Column("kind", "类型", True, "可选值见“填写说明”"),
    Column("region", "行政区划代码", True, "6位代码（GB/T 2260），如 110108"),
    Column("uscc", "统一社会信用代码", False, "18位"),
    Column("ip_kinds", "受理纠纷类型", True, "多个用、分隔，可选值见“填写说明”"),
    Column("charges_fees", "是否收费", False, "是 / 否，不填为否"),
    Column("fee_note", "收费说明", False),
    Column("contact_person", "联系人", False),
    Column("contact_phone", "联系电话", False, "手机或固定电话"),
    Column("address", "地址", False),
    Column("description", "简介", False),
]

COLUMNS = {ImportJob.Kind.MEDIATORS: MEDIATOR_COLUMNS, ImportJob.Kind.ORGS: ORG_COLUMNS}

IP_KIND_NAMES = {
    "专利": "patent",
    "商标": "trademark",
    "著作权": "copyright",
    "版权": "copyright",
    "商业秘密": "trade_secret",
    "不正当竞争": "unfair_competition",
    "地理标志": "geographical_indication",
    "集成电路布图设计": "ic_layout",
    "植物新品种": "plant_variety",
    "技术合同": "technology_contract",
    "其他": "other",
}
IP_KIND_TITLES = {
    "patent": "专利",
    "trademark": "商标",
    "copyright": "著作权",
    "trade_secret": "商业秘密",  # nosec B105 (docs/security-findings.md)
    "unfair_competition": "不正当竞争",
    "geographical_indication": "地理标志",
    "ic_layout": "集成电路布图设计",
    "plant_variety": "植物新品种",
    "technology_contract": "技术合同",
    "other": "其他",
}
QUALIFICATION_NAMES = {
    "律师": Qualification.LAWYER,
    "仲裁员": Qualification.ARBITRATOR,
    "专利代理师": Qualification.PATENT_ATTORNEY,
    "专利代理人": Qualification.PATENT_ATTORNEY,
    "退休法官": Qualification.RETIRED_JUDGE,
    "技术专家": Qualification.TECHNICAL_EXPERT,
    "专家学者": Qualification.SCHOLAR,
    "人民调解员": Qualification.PEOPLES_MEDIATOR,
    "其他": Qualification.OTHER,
}
QUALIFICATION_TITLES = {v: k for k, v in reversed(list(QUALIFICATION_NAMES.items()))}
ORG_KIND_NAMES = {
    "知识产权保护中心": OrgKind.PROTECTION_CENTRE,
    "知识产权快速维权中心": OrgKind.RAPID_PROTECTION_CENTRE,
    "快速维权中心": OrgKind.RAPID_PROTECTION_CENTRE,
    "知识产权维权援助中心": OrgKind.RIGHTS_ASSISTANCE_CENTRE,
    "维权援助中心": OrgKind.RIGHTS_ASSISTANCE_CENTRE,
    "行业协会": OrgKind.INDUSTRY_ASSOCIATION,
    "人民调解委员会": OrgKind.PEOPLES_MEDIATION_COMMITTEE,
    "商事调解组织": OrgKind.COMMERCIAL_MEDIATION,
    "其他": OrgKind.OTHER,
}
YES = {"是", "收费", "y", "yes", "true", "1"}
NO = {"否", "免费", "不收费", "n", "no", "false", "0", ""}

_SPLIT = re.compile(r"[、,，;；/|\n]+")


def split_list(value: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(value or "") if p.strip()]


def cell_text(value) -> str:
    """A cell as text: 110108.0 typed as a number comes back as "110108"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(text: str) -> str:
    return re.sub(r"[\s*＊]", "", cell_text(text))


def detect_kind(headers: Iterable[str]) -> str | None:
    found = {_header_key(h) for h in headers}
    if "身份证号码" in found:
        return ImportJob.Kind.MEDIATORS
    if {"名称", "类型"} <= found:
        return ImportJob.Kind.ORGS
    return None


@dataclass
class Sheet:
    headers: list[str]
    total: int
    rows: Iterator[tuple[int, list[str]]]  # (line number as the user sees it, cells)


def _xlsx(data: bytes) -> Sheet:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    headers = [cell_text(c) for c in next(it, ())]
    total = max((ws.max_row or 1) - 1, 0)

    def rows():
        for line, values in enumerate(it, start=2):
            yield line, [cell_text(v) for v in values]
        wb.close()

    return Sheet(headers, total, rows())


def _csv(data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding")
    lines = list(csv.reader(io.StringIO(text)))
    headers = [cell_text(c) for c in (lines[0] if lines else [])]
    body = lines[1:]
    return Sheet(
        headers,
        len(body),
        ((i, [cell_text(c) for c in row]) for i, row in enumerate(body, start=2)),
    )


def read(data: bytes, filename: str) -> Sheet:
    if filename.lower().endswith(".csv"):
        return _csv(data)
    return _xlsx(data)


def records(sheet: Sheet, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column key: text}; blank rows are skipped."""
    by_header = {c.header: c.key for c in COLUMNS[kind]}
    keys = [by_header.get(_header_key(h)) for h in sheet.headers]
    for line, cells in sheet.rows:
        if not any(cells):
            continue
        row = {c.key: "" for c in COLUMNS[kind]}
        for key, value in zip(keys, cells, strict=False):
            if key:
                row[key] = value
        yield line, row


def missing_columns(headers: list[str], kind: str) -> list[str]:
    present = {_header_key(h) for h in headers}
    return [c.header for c in COLUMNS[kind] if c.required and c.header not in present]


def _bold(ws, n: int) -> None:
    for cell in ws[1][:n]:
        cell.font = styles.Font(bold=True)


def template(kind: str) -> bytes:
    """The downloadable template: headers, and a sheet of allowed values with an example."""
    columns = COLUMNS[kind]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "调解员" if kind == ImportJob.Kind.MEDIATORS else "调解组织"
    ws.append([c.header + ("*" if c.required else "") for c in columns])
    if kind == ImportJob.Kind.MEDIATORS:
        example = [
            "王晓明",
            "110108199003071238",
            "13900000000",
            "110108",
            "中国（北京）知识产权保护中心",
            "专利、商标",
            "通信",
            "中文、英语",
            "律师、专利代理师",
            "否",
            "",
            "从事知识产权工作十年。",
        ]
    else:
        example = [
            "某某知识产权调解中心",
            "知识产权保护中心",
            "110108",
            "",
            "专利、商标、著作权",
            "否",
            "",
            "张三",
            "010-12345678",
            "北京市海淀区某路1号",
            "受理知识产权纠纷调解。",
        ]
    for col in ws.iter_cols(min_row=1, max_row=1000):
        for cell in col:
            cell.number_format = "@"  # text: keeps leading zeros and the X of ID numbers
    _bold(ws, len(columns))
    for i, c in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = max(12, len(c.header) * 3)
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for c in columns:
        notes.append([c.header, "是" if c.required else "否", c.note])
    notes.append([])
    notes.append(["擅长领域 / 受理纠纷类型", "", "、".join(IP_KIND_TITLES.values())])
    if kind == ImportJob.Kind.MEDIATORS:
        notes.append(["资质", "", "、".join(QUALIFICATION_TITLES.values())])
    else:
        notes.append(["类型", "", "、".join(dict.fromkeys(ORG_KIND_NAMES))])
    notes.append(["说明", "", "从第二行起每行一条。同一文件重复导入不会重复创建。"])
    notes.append([])
    notes.append(["示例"])
    notes.append([c.header for c in columns])
    notes.append(example)
    _bold(notes, 3)
    return save(wb)


def save(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def error_report(job: ImportJob) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("错误")
    ws.append(["行号", "姓名/名称", "原因"])
    for err in job.errors:
        ws.append([err["line"], err.get("name", ""), "；".join(err["reasons"])])
    return save(wb)


def table(sheets: list[tuple[str, list[str], Iterable[list]]]) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    return save(wb)
