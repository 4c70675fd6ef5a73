"""The sheet's steps: compute (or compute again after it was sent back), review, approve,
send back. An approved sheet is frozen: its lines were stored when computed, and approval
stores its XLSX, which the download serves byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Forbidden, Invalid, required_reason
from sutiao.core.policy import require

from . import compute, export, lifecycle
from .errors import SubsidyError
from .models import Scheme, Sheet, SheetLine


def _bad(code: str, key: str, message: str) -> Invalid:
    return Invalid(message, code=code, fields={key: [message]})


def _check_period(scheme: Scheme, start: dt.date, end: dt.date, other_than: int) -> None:
    version = scheme.current
    if end < start or start < version.valid_from or end > version.valid_to:
        message = _("The period must lie within the scheme's period (%(start)s to %(end)s).") % {
            "start": version.valid_from,
            "end": version.valid_to,
        }
        raise _bad(SubsidyError.BAD_PERIOD, "period_end", message)
    clash = (
        scheme.sheets.exclude(pk=other_than)
        .filter(period_start__lte=end, period_end__gte=start)
        .first()
    )
    if clash is not None:
        message = _("The period overlaps the sheet for %(start)s to %(end)s.") % {
            "start": clash.period_start,
            "end": clash.period_end,
        }
        raise _bad(SubsidyError.OVERLAP, "period_start", message)


def _fill(sheet: Sheet) -> None:
    """Compute the lines anew from the scheme's current version, in this transaction."""
    sheet.version = sheet.scheme.current
    sheet.lines.all().delete()
    cases = compute.counted_cases(sheet.scheme, sheet.period_start, sheet.period_end)
    lines = compute.lines_for(cases, sheet.version)
    SheetLine.objects.bulk_create(
        SheetLine(
            sheet=sheet,
            mediator_id=ln.mediator_id,
            org_id=ln.org_id,
            name=ln.name,
            org_name=ln.org_name,
            settled=ln.settled,
            failed=ln.failed,
            amount_fen=ln.amount_fen,
            paid_fen=ln.paid_fen,
            cap=ln.cap,
            cases=ln.cases,
        )
        for ln in lines
    )
    sheet.uncapped_fen = sum(ln.amount_fen for ln in lines)
    sheet.total_fen = sum(ln.paid_fen for ln in lines)
    sheet.save()


def _emit(topic: str, actor: User, sheet: Sheet) -> None:
    outbox.emit(topic, {"sheet": sheet.pk, "scheme": sheet.scheme_id, "actor": actor.pk})


@transaction.atomic
def prepare_sheet(*, actor: User, scheme: Scheme, start: dt.date, end: dt.date) -> Sheet:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    require(actor, "manage", scheme)
    _check_period(scheme, start, end, other_than=0)
    sheet = Sheet(scheme=scheme, period_start=start, period_end=end)
    sheet.prepared_by, sheet.prepared_at = actor, timezone.now()
    sheet.version = scheme.current
    sheet.save()
    _fill(sheet)
    record(actor, "subsidy.sheet_prepared", sheet, summary=str(sheet), changes=_totals(sheet))
    _emit("subsidy.sheet_prepared", actor, sheet)
    return sheet


def _totals(sheet: Sheet) -> dict[str, Any]:
    return {
        "state": sheet.state,
        "version": sheet.version.number,
        "lines": sheet.lines.count(),
        "uncapped_fen": sheet.uncapped_fen,
        "total_fen": sheet.total_fen,
    }


def _step(actor: User, sheet: Sheet, name: str) -> tuple[Sheet, Any]:
    sheet = (
        Sheet.objects.select_for_update(of=("self",))
        .select_related("scheme", "version")
        .get(pk=sheet.pk)
    )
    require(actor, "view", sheet)
    if name in {"review", "approve"} and actor.pk == sheet.prepared_by_id:
        raise Forbidden(
            _("You prepared this sheet: another person must review and approve it."),
            code=SubsidyError.OWN_SHEET,
        )
    if name == "approve" and actor.pk == sheet.reviewed_by_id:
        raise Forbidden(
            _("You reviewed this sheet: another person must approve it."),
            code=SubsidyError.OWN_SHEET,
        )
    t = lifecycle.machine.check(sheet, name, lifecycle.roles(actor, sheet))
    return sheet, t


def _moved(actor: User, sheet: Sheet, t: Any, event: str, summary: str = "") -> Sheet:
    before = lifecycle.machine.move(sheet, t, at=timezone.now())
    sheet.save()
    changes = {**_totals(sheet), "state": [before, sheet.state]}
    record(actor, event, sheet, summary=summary or str(sheet), changes=changes)
    _emit(event, actor, sheet)
    return sheet


@transaction.atomic
def review_sheet(*, actor: User, sheet: Sheet) -> Sheet:
    sheet, t = _step(actor, sheet, "review")
    sheet.reviewed_by, sheet.reviewed_at = actor, timezone.now()
    return _moved(actor, sheet, t, "subsidy.sheet_reviewed")


@transaction.atomic
def approve_sheet(*, actor: User, sheet: Sheet) -> Sheet:
    sheet, t = _step(actor, sheet, "approve")
    sheet.approved_by, sheet.approved_at = actor, timezone.now()
    data = export.workbook(sheet, list(sheet.lines.all()))
    sheet.xlsx, sheet.xlsx_sha256 = data, hashlib.sha256(data).hexdigest()
    return _moved(actor, sheet, t, "subsidy.sheet_approved")


@transaction.atomic
def send_back(*, actor: User, sheet: Sheet, reason: str) -> Sheet:
    sheet, t = _step(actor, sheet, "send_back")
    reason = required_reason(
        reason, _("Say why the sheet is sent back."), code=SubsidyError.REASON_MISSING
    )
    sheet.return_reason = reason[:300]
    sheet.reviewed_by, sheet.reviewed_at = None, None
    return _moved(actor, sheet, t, "subsidy.sheet_returned", sheet.return_reason)


@transaction.atomic
def recompute(*, actor: User, sheet: Sheet) -> Sheet:
    """After it was sent back: the lines anew, with the scheme's current version."""
    sheet, t = _step(actor, sheet, "recompute")
    sheet.prepared_by, sheet.prepared_at = actor, timezone.now()
    sheet.return_reason = ""
    _fill(sheet)
    return _moved(actor, sheet, t, "subsidy.sheet_prepared")
