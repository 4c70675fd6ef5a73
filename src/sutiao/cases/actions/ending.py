"""How a mediation ends on the case page or by the clock: settled, failed, expired."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.core.policy import require

from ..choices import EndReason, State
from ..errors import CaseError
from ..models import (
    Case,
)
from ..policies import case_roles
from ._steps import _event, _locked, _now, _step


@transaction.atomic
def settle(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    """Agreement reached (OMR 25 reason 1); the agreement flow takes over."""
    at = _now(at)

    def done(c: Case) -> None:
        c.end_reason, c.ended_at = EndReason.AGREEMENT, at

    return _step(case.pk, "settle", actor, at=at, mutate=done)


def _report_errors(course: str, reasons: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (course or "").strip():
        errors["course"] = [_("Describe the course of mediation.")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("Explain why no agreement was reached.")]
    return errors


def _write_report(
    c: Case, course: str, reasons: str, cost_conduct: str, notes_for_court: str
) -> None:
    c.failure_course, c.failure_reasons = course, reasons
    c.cost_conduct, c.notes_for_court = cost_conduct, notes_for_court


def report_missing(case: Case) -> bool:
    """A failed case whose failure report (OMR 21) nobody wrote: the period expired (the
    job ends it), or a party refused every mediator."""
    return case.state == State.FAILED and not case.failure_course.strip()


@transaction.atomic
def report_failure(
    *,
    actor: User,
    case: Case,
    course: str,
    reasons: str,
    cost_conduct: str = "",
    notes_for_court: str = "",
    at: datetime | None = None,
) -> Case:
    """OMR 21: the mediator writes the failure report of a case that ended without one (the
    period expired, a party refused mediation), as for any failure; the court is told."""
    at = _now(at)
    case = _locked(case.pk)
    require(actor, "view", case)
    if "mediator" not in case_roles(actor, case) and not (
        case.mediator_id is None and "org_admin" in case_roles(actor, case)
    ):
        raise Forbidden()
    if not report_missing(case):
        raise Conflict(
            _("The failure report of this case was written already."),
            code=CaseError.REPORT_WRITTEN,
        )
    errors = _report_errors(course, reasons)
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    _write_report(case, course, reasons, cost_conduct, notes_for_court)
    case.save(
        update_fields=["failure_course", "failure_reasons", "cost_conduct", "notes_for_court"]
    )
    _event(case, actor, "failure_report", at=at, before=case.state, summary=reasons[:100])
    record(actor, "case.failure_report", case, summary=str(case))
    outbox.emit("case.failure_report", {"case": case.pk, "actor": actor.pk})
    return case


@transaction.atomic
def end(
    *,
    actor: User,
    case: Case,
    reason: int,
    course: str,
    reasons: str,
    cost_conduct: str = "",
    notes_for_court: str = "",
    at: datetime | None = None,
) -> Case:
    """End without agreement, with one of OMR 25's reasons and the failure report of OMR 21."""
    at = _now(at)
    errors: dict[str, list[str]] = {}
    if reason not in EndReason.values or reason == EndReason.AGREEMENT:
        errors["reason"] = [_("Choose why mediation ended.")]
    errors.update(_report_errors(course, reasons))
    if errors:
        raise Invalid.from_django(ValidationError(errors))

    def report(c: Case) -> None:
        c.end_reason, c.ended_at = reason, at
        _write_report(c, course, reasons, cost_conduct, notes_for_court)

    return _step(
        case.pk,
        "end",
        actor,
        at=at,
        mutate=report,
        summary=str(EndReason(reason).label),
        reason=reason,
    )


def due_by(now: datetime) -> Q:
    """Rows (with workdays.clocks fields) whose deadline passed at `now`: a deadline read
    from a provisional year only PROVISIONAL_EXPIRY_GRACE_DAYS later (see expire_overdue)."""
    grace = timedelta(days=settings.PROVISIONAL_EXPIRY_GRACE_DAYS)
    return Q(deadline_provisional_year__isnull=True, deadline_at__lt=now) | Q(
        deadline_provisional_year__isnull=False, deadline_at__lt=now - grace
    )


def expire_overdue(*, now: datetime | None = None) -> list[int]:
    """The scheduled job: mediations past their period without extension end (OMR 25 (6)).
    Each case in its own transaction, so one failure does not hold back the others.

    A period whose end was computed with a provisional year does not end a mediation on
    that end: the official schedule may still move it later (more days off around a
    holiday). Entering the year recomputes it; until then the mediation ends only
    PROVISIONAL_EXPIRY_GRACE_DAYS after the provisional end, so that a calendar nobody
    entered cannot hold cases open for ever. The administrators' home page counts them."""
    now = _now(now)
    due = due_by(now)
    # OMR 19: an agreement every party signed is in effect; the mediator's signature and the
    # seal may follow after the period's end, and no timer ends that case as failed.
    running = Case.objects.filter(due, state=State.MEDIATING).exclude(
        agreements__effective_at__isnull=False
    )
    ids = list(running.values_list("pk", flat=True))
    ended = []
    for case_id in ids:
        with transaction.atomic():
            _locked(case_id)  # queue behind whoever holds the case, then look again
            if not running.filter(pk=case_id).exists():
                continue

            def expired(c: Case) -> None:
                c.end_reason, c.ended_at = EndReason.PERIOD_EXPIRED, now
                c.failure_reasons = str(EndReason.PERIOD_EXPIRED.label)

            _step(
                case_id,
                "expire",
                "system",
                at=now,
                mutate=expired,
                reason=int(EndReason.PERIOD_EXPIRED),
            )
            ended.append(case_id)
    return ended
