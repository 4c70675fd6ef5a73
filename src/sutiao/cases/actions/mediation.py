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

# The 2024-12-27 opinion on filing and mediation: an entrusted case's extension, 30 days.
ENTRUSTED_EXTENSION_DAYS = 30


@transaction.atomic
def extend(
    *,
    actor: User,
    case: Case,
    consenting_parties: list[int],
    days: int = 30,
    at: datetime | None = None,
) -> Case:
    """With every party's consent the period is extended by the days they agreed (OMR 24);
    an entrusted case by at most 30 days (the 2024-12-27 opinion), which are not counted in
    the trial period: the filed case's own time limits are not touched."""
    at = _now(at)

    def longer(c: Case) -> None:
        party_ids = set(c.parties.values_list("pk", flat=True))
        if set(consenting_parties) != party_ids:
            raise Conflict(
                _("Every party must consent to the extension."), code=CaseError.CONSENT_MISSING
            )
        if not 1 <= days <= 90:
            raise Invalid(
                _("An extension is between 1 and 90 days."),
                fields={"days": [_("An extension is between 1 and 90 days.")]},
            )
        if c.channel == Channel.ENTRUSTED and days > ENTRUSTED_EXTENSION_DAYS:
            message = _("An entrusted case is extended by 30 days at most.")
            raise Invalid(message, code=CaseError.EXTENSION_TOO_LONG, fields={"days": [message]})
        clocks.prolong(c, days)
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
