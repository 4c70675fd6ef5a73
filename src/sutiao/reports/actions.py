"""Every change of a report: requested, generated (in the background, with its progress),
commented, issued (rendered, signed, registered, served); and the local experience and
problem reports filed and forwarded upward. One transaction each, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.background import start_thread
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.core.lazy import lazy
from sutiao.core.policy import require
from sutiao.evaluation.scopes import resolve

from . import content, policies, workbook
from .errors import ReportsError
from .lifecycle import machine
from .models import Report

if TYPE_CHECKING:
    from . import charts, render
else:  # loaded on first use (sutiao.core.lazy)
    charts = lazy("sutiao.reports.charts")  # matplotlib
    render = lazy("sutiao.reports.render")  # WeasyPrint

log = logging.getLogger("sutiao.reports")
QUARTER_MONTHS = {1, 4, 7, 10}


def _check_request(kind: str, period: str, start: dt.date) -> None:
    if kind not in Report.Kind.values or period not in Report.Period.values:
        raise Invalid(_("Choose the kind of report and its period."), code=ReportsError.BAD_PERIOD)
    if start.day != 1 or (period == Report.Period.QUARTER and start.month not in QUARTER_MONTHS):
        raise Invalid(
            _("A report covers a whole calendar month or quarter: start on its first day."),
            code=ReportsError.BAD_PERIOD,
            fields={"start": [str(start)]},
        )
    if start > timezone.localdate():
        raise Invalid(_("That period has not begun yet."), code=ReportsError.BAD_PERIOD)


@transaction.atomic
def request_report(
    *,
    actor: User | None,
    kind: str,
    scope_level: str,
    scope_key: str,
    period: str,
    start: dt.date,
) -> Report:
    """A report of the scope and period, queued for generation (actor None: the scheduler)."""
    scope = resolve(scope_level, scope_key)
    if scope is None or scope.level not in {"nation", "province", "court", "office"}:
        raise Invalid(
            _("Reports are written for the nation, a province, a court or an IP office."),
            code=ReportsError.BAD_SCOPE,
        )
    if actor is not None and not policies.may_request(actor, scope):
        raise NotFound()
    _check_request(kind, period, start)
    start, end = content.period_of(period, start)
    report, made = Report.objects.select_for_update().get_or_create(
        kind=kind,
        scope_level=scope.level,
        scope_key=scope.key,
        start=start,
        end=end,
        defaults={"period": period, "scope_name": str(scope), "requested_by": actor},
    )
    if not made and report.state != Report.State.FAILED:
        raise Conflict(
            _("This scope and period has its report already."),
            code=ReportsError.EXISTS,
            report=report.pk,
        )
    report.state, report.progress, report.step, report.failure = Report.State.QUEUED, 0, "", ""
    report.requested_by = actor
    report.save()
    record(actor or "system", "reports.requested", report, summary=str(report))
    if getattr(settings, "REPORTS_INLINE", False):
        transaction.on_commit(lambda: generate(report.pk))
    else:
        transaction.on_commit(lambda: start_in_background(report.pk))
    return report


def _claim(report_id: int) -> Report | None:
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.state != Report.State.QUEUED:
            return None  # taken by another worker, or not queued
        machine.move(report, machine["generate"], at=timezone.now())
        report.progress, report.step = 5, "开始生成"
        report.save(update_fields=["state", "progress", "step"])
        return report


def _step(report_id: int, percent: int, text: str) -> None:
    """Progress is written in its own short transaction, so the waiting page sees it."""
    Report.objects.filter(pk=report_id, state=Report.State.GENERATING).update(
        progress=percent, step=text[:100]
    )


def generate(report_id: int) -> Report | None:
    """Compute the content and draw the charts of a queued report (the background job)."""
    report = _claim(report_id)
    if report is None:
        return None
    try:
        scope = policies.scope_of(report)
        if scope is None:
            raise ValueError("the report's scope no longer exists")
        data = content.build(
            scope, report.period, report.start, lambda p, t: _step(report_id, p, t)
        )
        ip_kind = next(t for t in data["tables"] if t["name"] == "ip_kind")
        data["charts"] = {"trend": charts.trend(data["trend"])}
        _step(report_id, 75, "绘制图表")
        data["charts"]["ip_kind"] = charts.by_kind(ip_kind) if ip_kind["rows"] else ""
        _step(report_id, 90, "图表完成")
    except Exception as exc:  # noqa: BLE001 - the job fails visibly and can be requested again
        log.exception("report not generated", extra={"report": report_id})
        Report.objects.filter(pk=report_id).update(
            state=Report.State.FAILED, failure=str(exc)[:300], step=""
        )
        return Report.objects.get(pk=report_id)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        machine.move(report, machine["generated"], at=timezone.now())
        report.content, report.progress, report.step = data, 100, "完成"
        report.generated_at = timezone.now()
        report.save()
        record("system", "reports.generated", report, summary=str(report))
    return report


def start_in_background(report_id: int) -> threading.Thread:
    """The embedded platform has no task queue: a thread, started after the request commits."""
    return start_thread(lambda: generate(report_id), name=f"report-{report_id}")


def _editable(actor: User, report: Report) -> Report:
    """The report locked for a change by `actor`: staff of its scope; never once issued."""
    require(actor, "manage", report)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state == Report.State.ISSUED:
        raise Conflict(
            _("This report has been issued and can no longer be changed."), code=ReportsError.ISSUED
        )
    if report.state != Report.State.DRAFT:
        raise Conflict(
            _("The report is not ready: wait until it is generated."), code=ReportsError.NOT_READY
        )
    return report


@transaction.atomic
def write_commentary(*, actor: User, report: Report, text: str) -> Report:
    report = _editable(actor, report)
    text = text.strip()
    if len(text) > 20_000:
        raise Invalid(
            _("The commentary is too long (at most 20,000 characters)."),
            fields={"commentary": [str(len(text))]},
        )
    report.commentary = text
    report.save(update_fields=["commentary"])
    record(actor, "reports.commentary_written", report, changes={"characters": len(text)})
    return report


def _issuer(actor: User, report: Report) -> tuple[Any, str]:
    """Who signs: a court's report bears the court's seal; any other the issuing staff
    member's own signature (an IP office holds no seal on the platform)."""
    scope = policies.scope_of(report)
    if scope is not None and scope.level == "court":
        return scope.obj, scope.obj.name
    if scope is not None and scope.level == "office":
        return actor, f"{scope.obj.name} {actor.display_name}"
    return actor, actor.display_name


@transaction.atomic
def issue_report(*, actor: User, report: Report) -> Report:
    """Render the PDF with the commentary, sign it, register it (it verifies on
    /documents/verify/), keep the XLSX; the report is final from now on."""
    from sutiao.documents import actions as documents
    from sutiao.documents import signing
    from sutiao.documents.models import Document

    report = _editable(actor, report)
    if not report.commentary.strip():
        raise Invalid(
            _("Write the commentary before issuing the report."),
            code=ReportsError.NO_COMMENTARY,
            fields={"commentary": [""]},
        )
    holder, issuer = _issuer(actor, report)
    code = documents.new_verify_code()
    today = timezone.localdate()
    title = render.title_of(report)
    pdf = render.pdf(report, verify_code=code, issuer=issuer, date=today)
    signed = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(holder, actor=actor),
        actor=actor,
        field_name="seal",
        stamp_text_lines=[issuer[:40], render.TITLES[Report.Kind(report.kind)]],
        reason=title[:100],
        location=report.scope_name[:100],
    )
    report.document = documents.register_document(
        kind=Document.Kind.OTHER,
        title=title,
        case_number="",
        pdf_bytes=signed,
        verify_code=code,
        actor=actor,
    )
    xlsx = workbook.workbook(report.content, title=title, commentary=report.commentary)
    report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    report.xlsx.save(f"{code}.xlsx", ContentFile(xlsx), save=False)
    report.issued_at = timezone.now()
    machine.move(report, machine["issue"], at=report.issued_at)
    report.issued_by = actor
    report.save()
    record(
        actor,
        "reports.issued",
        report,
        summary=f"{title} · {code}",
        changes={"sha256": report.document.sha256, "xlsx_sha256": report.xlsx_sha256},
    )
    outbox.emit("reports.issued", {"report": report.pk, "actor": actor.pk})
    return report
