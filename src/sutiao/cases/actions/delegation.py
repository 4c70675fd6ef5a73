"""Delegation (委派调解): before filing, the court sends the dispute to a rostered organisation
or mediator, following the parties' joint choice of a mediator (OMR 10)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Invalid
from sutiao.institutions.models import Court, MediationOrg
from sutiao.roster import queries as roster
from sutiao.roster.models import Mediator
from sutiao.workdays.periods import deadline

from .. import numbering
from ..choices import Channel, State
from ..errors import CaseError
from ..models import (
    Case,
    MediatorChoice,
)
from ._steps import _court, _event, _locked, _now, _parties_acting, _step


def _target(court: Court, org: MediationOrg | None, mediator: Mediator | None) -> None:
    if bool(org) == bool(mediator):
        raise Invalid(
            _("Choose one organisation or one mediator."),
            fields={"org": [_("Choose one organisation or one mediator.")]},
        )
    if not roster.may_use(court, org=org, mediator=mediator):
        message = _(
            "Only organisations and mediators on this court's roster (or a higher "
            "court's) can receive its cases."
        )
        raise Conflict(message, code=CaseError.NOT_ON_ROSTER)


def _assign(
    c: Case, org: MediationOrg | None, mediator: Mediator | None, at: datetime, *, numbered_as: str
) -> None:
    """The court sends the case to `org` or `mediator`, and numbers it (`numbered_as`, the
    court's series) unless it has its number already."""
    c.org, c.mediator, c.assigned_at = org, mediator, at
    if not c.number:
        c.number = numbering.court_number(_court(c), numbered_as, at)


@transaction.atomic
def delegate(
    *,
    actor: User,
    case: Case,
    org: MediationOrg | None = None,
    mediator: Mediator | None = None,
    at: datetime | None = None,
) -> Case:
    """Before filing, the court sends the dispute to a rostered organisation or mediator."""
    at = _now(at)

    def route(c: Case) -> None:
        _target(_court(c), org, mediator)
        _joint_conflict(c, org, mediator)
        _assign(c, org, mediator, at, numbered_as="pre_filing")

    return _step(
        case.pk,
        "delegate",
        actor,
        at=at,
        mutate=route,
        org=org and org.pk,
        mediator=mediator and mediator.pk,
    )


def _joint_conflict(c: Case, org: MediationOrg | None, mediator: Mediator | None) -> None:
    """OMR 10: where the parties chose a mediator jointly, the court sends the case to them."""
    chosen = joint_choice(c)
    if chosen is not None and (org is not None or mediator is None or mediator.pk != chosen.pk):
        raise Conflict(
            _("The parties chose %(name)s jointly; the court follows their choice (OMR 10).")
            % {"name": chosen.name},
            code=CaseError.JOINT_CHOICE,
            mediator=chosen.pk,
        )


def choice_deadline(case: Case) -> datetime | None:
    """The end of the parties' 2 working days to choose jointly (OMR 10), from submission."""
    if case.channel != Channel.DELEGATED or not case.submitted_at:
        return None
    return deadline(case.submitted_at, "choose_mediator")


def joint_choice(case: Case) -> Mediator | None:
    """The mediator every party chose, if they all chose the same one."""
    prefetched = getattr(case, "_prefetched_objects_cache", {})
    choices = (
        case.mediator_choices.all()  # a bulk action prefetched them with their mediators
        if "mediator_choices" in prefetched
        else case.mediator_choices.select_related("mediator")
    )
    chosen = {c.party_id: c.mediator for c in choices}
    if "parties" in prefetched:
        party_ids = {p.pk for p in case.parties.all()}
    else:
        party_ids = set(case.parties.values_list("pk", flat=True))
    mediators = {m.pk for m in chosen.values()}
    if party_ids and set(chosen) == party_ids and len(mediators) == 1:
        return next(iter(chosen.values()))
    return None


@transaction.atomic
def choose_mediator(
    *, actor: User, case: Case, mediator: Mediator, at: datetime | None = None
) -> MediatorChoice:
    """A party names the mediator it wants, from the competent court's roster (OMR 9(2), 10)."""
    at = _now(at)
    case = _locked(case.pk)
    mine = _parties_acting(actor, case)
    if case.state != State.SUBMITTED or case.channel != Channel.DELEGATED:
        raise Conflict(
            _("A mediator can only be chosen while the court has not assigned one."),
            code=CaseError.INVALID_TRANSITION,
            state=case.state,
        )
    limit = choice_deadline(case)
    if limit and at > limit:
        raise Conflict(
            _(
                "The 2 working days to choose a mediator jointly have passed; the "
                "court appoints one."
            ),
            code=CaseError.CHOICE_TOO_LATE,
        )
    # OMR 9(2): only a mediator invited by a court with jurisdiction over the dispute.
    if not roster.invited_by_jurisdiction(mediator, [_court(case)]):
        message = _(
            "This mediator is not invited by a court with jurisdiction over the "
            "dispute and cannot be chosen."
        )
        raise Invalid(message, code=CaseError.NOT_ON_ROSTER, fields={"mediator": [message]})
    choices = []
    for party in mine:
        choice, _created = MediatorChoice.objects.update_or_create(
            case=case, party=party, defaults={"mediator": mediator, "chosen_by": actor, "at": at}
        )
        choices.append(choice)
        _event(
            case,
            actor,
            "mediator_chosen",
            at=at,
            summary=f"{party.name} → {mediator.name}",
            party=party.pk,
            mediator=mediator.pk,
        )
        record(
            actor,
            "case.mediator_chosen",
            case,
            changes={"party": party.pk, "mediator": mediator.pk},
        )
    if joint_choice(case) is not None:
        outbox.emit("case.joint_choice", {"case": case.pk, "mediator": mediator.pk})
    return choices[0]
