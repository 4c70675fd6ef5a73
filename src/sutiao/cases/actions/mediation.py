"""The time limit of a mediation: extend, pause for appraisal, resume, and a deadline moved
by the official calendar."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.core.errors import Conflict, Invalid
from sutiao.workdays import clocks
from sutiao.workdays.periods import local_date

from ..choices import Channel
from ..errors import CaseError
from ..models import (
    Case,
)
from ._steps import EventActor, _event, _now, _step


@transaction.atomic
def extend(
    *,
    actor: User,
    case: Case,
    consenting_parties: list[int],
    days: int = 30,
    at: datetime | None = None,
) -> Case:
    """With every party's consent the period is extended (entrusted: 30 days since 2025)."""
    at = _now(at)

    def longer(c: Case) -> None:
        party_ids = set(c.parties.values_list("pk", flat=True))
        if set(consenting_parties) != party_ids:
            raise Conflict(
                _("Every party must consent to the extension."), code=CaseError.CONSENT_MISSING
            )
        if not 1 <= days <= 90:
            raise Invalid(_("An extension is between 1 and 90 days."))
        n = 30 if c.channel == Channel.ENTRUSTED else days
        clocks.prolong(c, n)
        c.extended = True

    return _step(
        case.pk, "extend", actor, at=at, mutate=longer, consents=consenting_parties, days=days
    )


@transaction.atomic
def pause(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Appraisal or evaluation is not counted in the period (OMR 26)."""
    at = _now(at)

    def stop(c: Case) -> None:
        c.paused_at = at

    return _step(case.pk, "pause", actor, at=at, summary=reason, mutate=stop, reason=reason)


@transaction.atomic
def resume(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    at = _now(at)

    def restart(c: Case) -> None:
        assert c.paused_at is not None  # a paused case has it (pause sets it)
        paused_days = (local_date(at) - local_date(c.paused_at)).days
        if paused_days > 0:
            clocks.prolong(c, paused_days)
        c.paused_at = None

    return _step(case.pk, "resume", actor, at=at, mutate=restart)


def deadline_recomputed(move: clocks.Move, actor: EventActor) -> None:
    """Entering a year's official schedule moved this case's deadline, or kept the later one
    already shown (workdays.clocks): on the timeline, audited, and the parties are told.
    An invitation's OMR 15 clock (PartyInvitation) is its case's too."""
    case: Case = move.obj if isinstance(move.obj, Case) else move.obj.case
    days, summary = move.days(), move.summary()
    _event(
        case,
        actor,
        "deadline_recomputed",
        at=timezone.now(),
        before=case.state,
        summary=summary,
        deadline=days,
    )
    move.audit(actor, "case.deadline_recomputed", case_id=case.pk)
