"""A figures table as an XLSX workbook (openpyxl): the rows of the page, rates as numbers
formatted as percentages, so that a finance or statistics office can compute with them."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from sutiao.core.lazy import lazy

from .tables import Table

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import utils
else:  # loaded on first use (sutiao.core.lazy): openpyxl and numpy are ~40 MB
    openpyxl = lazy("openpyxl")
    utils = lazy("openpyxl.utils")


def workbook(table: Table, *, heading: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(table.title)[:31]
    sheet.append([heading])
    sheet.append([str(h) for h in table.headers])
    for r, row in enumerate(table.rows):
        sheet.append([str(v) if i == 0 else v for i, v in enumerate(row)])
        for c in range(1, len(row)):
            if c in table.rate_columns or (c == 1 and r in table.rate_rows):
                sheet.cell(row=r + 3, column=c + 1).number_format = "0.0%"
    for c in range(1, len(table.headers) + 1):
        sheet.column_dimensions[utils.get_column_letter(c)].width = 18 if c > 1 else 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
