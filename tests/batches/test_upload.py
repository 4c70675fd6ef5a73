"""The batch application: one spreadsheet, one application per respondent, the bad rows
reported with column and reason, the shared evidence stored once, and the same file
uploaded again creating nothing twice."""

from __future__ import annotations

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.batches.models import Batch, BatchCase, BatchFile
from sutiao.cases.models import Case, CaseFile
from sutiao.core.errors import Invalid

from .conftest import BAD, csv_bytes, rows, upload, xlsx


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_300_rows_with_7_bad_make_293_cases_and_report_the_7(world, media):
    batch, created = upload(world, xlsx(rows()))

    assert created
    assert batch.created_count == 293 and batch.error_count == 7
    assert Case.objects.count() == 293 == BatchCase.objects.filter(batch=batch).count()
    # Each case stays separate: its own respondent, amount, number of the right; submitted.
    case = Case.objects.get(batch_link__line=2)
    assert case.state == "submitted" and case.amount_fen == 100_150
    assert case.parties.get(role="respondent").name == "某某网店1号"
    assert case.right_number == "国作登字-2026-F-00000001"
    # The seven rows, each with its line as the user sees it (header = line 1) and column.
    reported = {(e["line"], e["column"]) for e in batch.errors}
    assert reported == {(i + 1, column) for i, (column, _set) in BAD.items()}
    assert all(e["reason"] for e in batch.errors)
    assert not Case.objects.filter(batch_link__line__in=[i + 1 for i in BAD]).exists()
    # One shared evidence file: bytes stored once, linked to every case.
    assert BatchFile.objects.count() == 1
    assert CaseFile.objects.filter(kind="evidence").count() == 293
    assert CaseFile.objects.values("file").distinct().count() == 1
    assert len(_stored_files(media)) == 1
    # Every case has its own audit entries (created, consent, file, submit).
    assert AuditEntry.objects.filter(action="case.submit").count() == 293
    assert AuditEntry.objects.filter(action="batch.uploaded").count() == 1


def test_the_same_file_again_creates_nothing_twice(world, media):
    data = xlsx(rows(20))
    first, created = upload(world, data)
    again, created_again = upload(world, data)

    assert created and not created_again and again.pk == first.pk
    assert Case.objects.count() == 19 and Batch.objects.count() == 1
    assert BatchFile.objects.count() == 1 and len(_stored_files(media)) == 1


def test_a_csv_in_gb18030_reads_as_the_template(world):
    body = rows(12)
    data = csv_bytes(body).decode("utf-8-sig").encode("gb18030")
    batch, _created = upload(world, data, "名单.csv")
    assert batch.created_count == 11  # row 10 of BAD is bad
    assert batch.errors[0]["column"] == "统一社会信用代码或身份证号码"


def test_a_sheet_without_a_required_column_changes_nothing(world, media):
    from openpyxl import Workbook

    from sutiao.batches import spreadsheet

    wb = Workbook()
    wb.active.append(["被申请人名称", "地址"])
    wb.active.append(["某店", "北京"])
    with pytest.raises(Invalid) as refused:
        upload(world, spreadsheet.save(wb))
    assert "请求金额（元）" in refused.value.message
    assert not Batch.objects.exists() and not Case.objects.exists()
    assert _stored_files(media) == []


def test_a_file_that_is_no_spreadsheet_is_refused(world):
    with pytest.raises(Invalid) as refused:
        upload(world, b"MZ\x90\x00 not a sheet", "batch.xlsx")
    assert refused.value.code == "batch.bad_spreadsheet"
    assert not Case.objects.exists()


def test_without_the_notice_acknowledged_nothing_is_created(world):
    from sutiao.batches.actions import ConsentIn

    with pytest.raises(Invalid) as refused:
        upload(world, xlsx(rows(3)), consent=ConsentIn(service_email="a@example.com"))
    assert "notice_acknowledged" in refused.value.details["fields"]
    assert not Batch.objects.exists()
