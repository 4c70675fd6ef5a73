"""Suspected sham mediation (SIR 18; OMR 23): the mediator of the case, or its court,
suspends mediation and reports that the parties appear to collude to harm a third party's
rights; the court clears the suspicion (mediation goes on where it stopped, the period
prolonged by the days suspended) or confirms it (mediation ends: OMR 25 (8), other obstacle,
with the finding as the failure report the court receives). While a report stands, the
case's agreement cannot be put to judicial confirmation (judicial.queries.confirmable)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.core.errors import required_reason
from sutiao.workdays import clocks
from sutiao.workdays.periods import local_date

from ..choices import EndReason, ShamOutcome, State
from ..models import Case, ShamReport
from ._steps import _now, _step


def open_report(case: Case) -> ShamReport | None:
    return case.sham_reports.filter(outcome=ShamOutcome.OPEN).first()


@transaction.atomic
def suspend_sham(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Suspend mediation and report the suspicion to the case's court."""
    at, reason = _now(at), required_reason(reason)
    before: dict[str, str] = {}

    def suspend(c: Case) -> None:
        before["state"] = c.state

    # The reason goes to the audit log and the report, not to the timeline the parties read.
    case = _step(case.pk, "suspend_sham", actor, at=at, mutate=suspend, reason=reason)
    ShamReport.objects.create(
        case=case,
        reason=reason,
        reported_by=actor,
        reported_at=at,
        state_before=before["state"],
    )
    return case


def _decide(report: ShamReport, actor: User, outcome: str, reason: str, at: datetime) -> None:
    report.outcome, report.decided_by, report.decided_at = outcome, actor, at
    report.decision_reason = reason
    report.save()


@transaction.atomic
def clear_sham(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """The court finds no sham: mediation goes on where it was suspended."""
    at, reason = _now(at), required_reason(reason)
    report = open_report(case)

    def resume(c: Case) -> None:
        if report is not None and report.state_before == State.MEDIATING and c.deadline_at:
            days = (local_date(at) - local_date(report.reported_at)).days
            if days > 0:  # the days suspended are not counted in the period
                clocks.prolong(c, days)

    case = _step(case.pk, "clear_sham", actor, at=at, mutate=resume, summary=reason)
    if report is not None:
        _decide(report, actor, ShamOutcome.CLEARED, reason, at)
    return case


@transaction.atomic
def confirm_sham(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """The court finds a sham mediation: mediation ends (OMR 25 (8)) with the finding."""
    at, reason = _now(at), required_reason(reason)
    report = open_report(case)

    def end(c: Case) -> None:
        c.end_reason, c.ended_at = EndReason.OTHER_OBSTACLE, at
        c.failure_reasons = _("Sham mediation confirmed by the court (SIR 18; OMR 23): %(r)s") % {
            "r": reason
        }
        if report is not None:
            c.notes_for_court = report.reason

    case = _step(
        case.pk,
        "confirm_sham",
        actor,
        at=at,
        mutate=end,
        summary=reason,
        reason=EndReason.OTHER_OBSTACLE,
    )
    if report is not None:
        _decide(report, actor, ShamOutcome.CONFIRMED, reason, at)
    return case
