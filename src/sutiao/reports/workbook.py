"""A report as an XLSX workbook: one sheet per table of the PDF, the same numbers (rates as
numbers formatted as percentages), and native Excel charts (openpyxl.chart) over the cells,
so the statistics office can re-plot and compute."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sutiao.core.lazy import lazy

if TYPE_CHECKING:
    import openpyxl
    import openpyxl.worksheet.worksheet
    from openpyxl import chart as xlchart
    from openpyxl import utils
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    xlchart = lazy("openpyxl.chart")
    openpyxl = lazy("openpyxl")
    utils = lazy("openpyxl.utils")


SHEET_TITLES = {"summary": "主要指标", "trend": "月度走势"}


def _sheet(book: openpyxl.Workbook, title: str) -> openpyxl.worksheet.worksheet.Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.column_dimensions["A"].width = 36
    return sheet


def _table(
    sheet: openpyxl.worksheet.worksheet.Worksheet, table: dict[str, Any], heading: str
) -> None:
    sheet.append([heading])
    sheet.append(table["headers"])
    rates, rate_rows = set(table["rate_columns"]), set(table["rate_rows"])
    for r, row in enumerate(table["rows"]):
        sheet.append(row)
        for c in range(1, len(row)):
            if c in rates or r in rate_rows:
                sheet.cell(row=r + 3, column=c + 1).number_format = "0.0%"
    for c in range(2, len(table["headers"]) + 1):
        sheet.column_dimensions[utils.get_column_letter(c)].width = 16


def _bar(
    sheet: openpyxl.worksheet.worksheet.Worksheet,
    *,
    title: str,
    columns: list[int],
    rows: int,
    at: str,
) -> None:
    """A clustered bar chart of the (1-based) `columns`, one series each, over `rows` rows
    below the header row 2."""
    chart = xlchart.BarChart()
    chart.type = "col"
    chart.title = title
    chart.height, chart.width = 8, 18
    for column in columns:
        data = xlchart.Reference(sheet, min_col=column, min_row=2, max_row=2 + rows)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(xlchart.Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
    sheet.add_chart(chart, at)


def _trend(book: openpyxl.Workbook, content: dict[str, Any]) -> None:
    sheet = _sheet(book, SHEET_TITLES["trend"])
    sheet.append([f"{content['scope']} · 近十二个月"])
    sheet.append(["月份", "收案", "调解成功", "调解不成"])
    for m in content["trend"]:
        sheet.append([m["month"], m["received"], m["settled"], m["failed"]])
    if content["trend"]:
        _bar(
            sheet, title="收案与结案（件）", columns=[2, 3, 4], rows=len(content["trend"]), at="F2"
        )


def workbook(content: dict[str, Any], *, title: str, commentary: str = "") -> bytes:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "报告"
    for line in (title, content["scope"], f"{content['start']} 至 {content['end']}"):
        cover.append([line])
    if commentary:
        cover.append([])
        cover.append(["分析与意见"])
        for paragraph in commentary.splitlines():
            cover.append([paragraph])
    cover.column_dimensions["A"].width = 100
    for table in content["tables"]:
        sheet = _sheet(book, SHEET_TITLES.get(table["name"], table["title"]))
        _table(sheet, table, f"{content['scope']} · {table['title']} · {content['period_label']}")
        if table["name"] == "ip_kind" and table["rows"]:
            settled = table["columns"].index("settled") + 1
            _bar(
                sheet,
                title="按知识产权类型（件）",
                columns=[2, settled],
                rows=len(table["rows"]),
                at="I2",
            )
    _trend(book, content)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
