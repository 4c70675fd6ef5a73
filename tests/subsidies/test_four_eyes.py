"""The preparer of a sheet never reviews or approves it, and its reviewer never approves
it, even when the scheme names them for those steps: refused with a clear error, nothing
changed. A sheet sent back needs a reason and is computed again."""

import datetime as dt

import pytest
from django.utils import translation

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden, Invalid
from sutiao.subsidies import actions, sheets
from sutiao.subsidies.errors import SubsidyError
from sutiao.subsidies.models import Sheet, SheetState
from tests import factories as f

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-29")]


def _sheet(w: b.World) -> Sheet:
    everyone = [w.preparer, w.reviewer, w.approver]
    t = b.terms(w, reviewers=everyone, approvers=everyone)
    scheme = actions.create_scheme(actor=w.preparer, name="方案", owner=w.office, terms=t)
    return sheets.prepare_sheet(
        actor=w.preparer, scheme=scheme, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31)
    )


def _unchanged(sheet: Sheet, state: str, audits: int) -> None:
    sheet.refresh_from_db()
    assert sheet.state == state and sheet.approved_by is None and not sheet.xlsx
    assert AuditEntry.objects.count() == audits


def test_the_preparer_cannot_review_or_approve_their_own_sheet():
    w = b.world()
    sheet = _sheet(w)
    audits = AuditEntry.objects.count()
    with translation.override("en"), pytest.raises(Forbidden) as refused:
        sheets.review_sheet(actor=w.preparer, sheet=sheet)
    assert refused.value.code == SubsidyError.OWN_SHEET
    assert "You prepared this sheet" in str(refused.value.message)
    _unchanged(sheet, SheetState.PREPARED, audits)
    sheets.review_sheet(actor=w.reviewer, sheet=sheet)
    audits = AuditEntry.objects.count()
    for who in (w.preparer, w.reviewer):
        with pytest.raises(Forbidden) as refused:
            sheets.approve_sheet(actor=who, sheet=sheet)
        assert refused.value.code == SubsidyError.OWN_SHEET
        _unchanged(sheet, SheetState.REVIEWED, audits)
    sheets.approve_sheet(actor=w.approver, sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.APPROVED and sheet.approved_by == w.approver


def test_the_page_refuses_the_preparers_approval_with_the_reason():
    w = b.world()
    sheet = _sheet(w)
    sheets.review_sheet(actor=w.reviewer, sheet=sheet)
    client = f.client_for(w.preparer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/subsidies/sheets/{sheet.pk}/").content.decode()
    assert 'data-step="approve"' not in page  # never offered
    text = client.post(f"/subsidies/sheets/{sheet.pk}/approve/", follow=True).content.decode()
    assert "You prepared this sheet: another person must review and approve it." in text
    sheet.refresh_from_db()
    assert sheet.state == SheetState.REVIEWED


def test_a_sheet_sent_back_needs_a_reason_and_is_computed_again():
    w = b.world()
    sheet = _sheet(w)
    with pytest.raises(Invalid) as bad:
        sheets.send_back(actor=w.reviewer, sheet=sheet, reason="  ")
    assert bad.value.code == SubsidyError.REASON_MISSING
    sheet.refresh_from_db()
    assert sheet.state == SheetState.PREPARED
    sheets.send_back(actor=w.reviewer, sheet=sheet, reason="缺少五月下旬案件")
    sheet.refresh_from_db()
    assert (sheet.state, sheet.return_reason) == (SheetState.RETURNED, "缺少五月下旬案件")
    b.case(w.m1, w.org, state="settled", day=dt.date(2026, 5, 30))
    sheets.recompute(actor=w.approver, sheet=sheet)
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total_fen, sheet.prepared_by) == (
        SheetState.PREPARED,
        30_000,
        w.approver,
    )
    with pytest.raises(Forbidden):  # who computed it again prepared it now
        sheets.review_sheet(actor=w.approver, sheet=sheet)
