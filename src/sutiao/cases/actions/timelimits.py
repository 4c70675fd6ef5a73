"""Time limits that act (OMR 10, 12): the scheduled jobs that escalate a case no mediator was
assigned to in time and return a case nobody answered. Each is idempotent (it looks again at
the locked row), runs each case in its own transaction, and acts as the system."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from sutiao.audit.log import record
from sutiao.core import outbox

from ..choices import Channel, State
from ..models import Case
from ._steps import _event, _locked, _now, _step
from .assignment import count_refusal


def _due(clock: str, now: datetime) -> QuerySet[Case]:
    # A deadline computed with a provisional year still acts: these are 3 working days, and a
    # late schedule moves them by a day at most; nobody is harmed by a reminder a day early.
    return Case.objects.filter(clock=clock, deadline_at__lt=now)


def unassigned(now: datetime) -> QuerySet[Case]:
    """Cases waiting for the court past its 3 working days (OMR 10), not escalated yet."""
    return _due("assign_mediator", now).filter(
        state=State.SUBMITTED, court__isnull=False, escalated_at__isnull=True
    )


def unanswered(now: datetime) -> QuerySet[Case]:
    """Cases a mediator or organisation has not answered in 3 working days (OMR 12)."""
    return (
        _due("accept_assignment", now)
        .filter(state=State.AWAITING_ACCEPTANCE)
        .exclude(channel=Channel.DIRECT, mediator__isnull=True)
    )


def escalate_unassigned(*, now: datetime | None = None) -> list[int]:
    """OMR 10: the court assigns a mediator within 3 working days of the application; past
    them the case is flagged on the court's queue and its head of filing is told."""
    now = _now(now)
    done = []
    for case_id in list(unassigned(now).values_list("pk", flat=True)):
        with transaction.atomic():
            case = _locked(case_id)
            if not unassigned(now).filter(pk=case_id).exists():
                continue  # assigned or escalated meanwhile
            case.escalated_at = now
            case.save(update_fields=["escalated_at"])
            deadline = case.deadline_at.isoformat() if case.deadline_at else ""
            _event(case, "system", "escalated", at=now, before=case.state, deadline=deadline)
            record(
                "system",
                "case.escalated",
                case,
                summary=str(case),
                changes={"deadline": deadline},
            )
            outbox.emit("case.escalated", {"case": case.pk})
            done.append(case_id)
    return done


def return_unanswered(*, now: datetime | None = None) -> list[int]:
    """OMR 12: a mediator (or organisation) that neither confirms nor declines within 3
    working days is taken off the case, which goes back for another; it counts as a refusal
    (OMR 29), like a decline."""
    now = _now(now)
    done = []
    for case_id in list(unanswered(now).values_list("pk", flat=True)):
        with transaction.atomic():
            case = _locked(case_id)
            if not unanswered(now).filter(pk=case_id).exists():
                continue
            who = {"mediator": case.mediator_id, "org": case.org_id}

            def release(c: Case) -> None:
                c.mediator = None
                if c.channel != Channel.DIRECT:
                    c.org = None
                    c.assigned_at = None

            count_refusal(case, unanswered=True)
            _step(
                case_id,
                "lapse",
                "system",
                at=now,
                mutate=release,
                declined_mediator=who["mediator"],
                declined_org=who["org"],
            )
            done.append(case_id)
    return done
