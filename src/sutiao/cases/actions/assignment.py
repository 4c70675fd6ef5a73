"""The organisation and the mediator: assign, accept, decline, step aside (recusal)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.core.errors import Invalid, required_reason
from sutiao.roster import refusals
from sutiao.roster.models import Mediator

from ..choices import Channel
from ..models import (
    Case,
)
from . import invitations
from ._steps import _locked, _now, _step


@transaction.atomic
def assign(*, actor: User, case: Case, mediator: Mediator, at: datetime | None = None) -> Case:
    """The organisation's administrator hands the case to one of its mediators."""

    def pick(c: Case) -> None:
        if (
            mediator.status != Mediator.Status.ACTIVE
            or c.org_id is None
            or not mediator.orgs.filter(pk=c.org_id).exists()
        ):
            raise Invalid(
                _("Choose an active mediator of your organisation."),
                fields={"mediator": [_("Choose an active mediator of your organisation.")]},
            )
        c.mediator = mediator

    return _step(case.pk, "assign", actor, at=at, mutate=pick, mediator=mediator.pk)


@transaction.atomic
def accept(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    """The mediation period starts on the day acceptance is confirmed on the platform (OMR 24)."""
    at = _now(at)

    def started(c: Case) -> None:
        c.accepted_at = at

    accepted = _step(case.pk, "accept", actor, at=at, mutate=started)
    invitations.start_reach_clocks(accepted, actor, at)  # OMR 15
    return accepted


@transaction.atomic
def decline(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Declining needs a reason; each decline is counted against the mediator (OMR 29)."""
    reason = required_reason(reason, _("Give the reason for declining."))
    return _decline(case.pk, actor, reason, at)


def _decline(case_id: int, actor: User, reason: str, at: datetime | None) -> Case:
    at = _now(at)
    case = _locked(case_id)
    who = {"mediator": case.mediator_id, "org": case.org_id}

    def release(c: Case) -> None:
        if c.channel != Channel.DIRECT:
            c.org = c.mediator = None
            c.assigned_at = None

    done = _step(
        case.pk,
        "decline",
        actor,
        at=at,
        summary=reason,
        mutate=release,
        reason=reason,
        declined_mediator=who["mediator"],
        declined_org=who["org"],
    )
    count_refusal(case, unanswered=False)
    return done


def count_refusal(case: Case, *, unanswered: bool) -> None:
    """OMR 29: the refusal counts on the roster entry of the court whose case it was
    (`case` as it was before the step released its mediator and organisation)."""
    if case.court is not None:
        refusals.count_refusal(
            court=case.court,
            mediator=case.mediator,
            org=case.org,
            unanswered=unanswered,
            case_ref=str(case),
        )


@transaction.atomic
def recuse(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """OMR 13–14: the mediator steps aside (a conflict disclosed and not accepted, or a
    party's request); the organisation or the court assigns another."""
    reason = required_reason(reason)
    case = _locked(case.pk)
    previous = case.mediator_id

    def release(c: Case) -> None:
        c.mediator = None
        c.accepted_at = None
        if not c.org_id:
            c.assigned_at = None

    return _step(
        case.pk,
        "recuse",
        actor,
        at=at,
        summary=reason,
        mutate=release,
        reason=reason,
        mediator=previous,
    )
