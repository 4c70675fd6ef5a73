"""The court's review of an application: asking for more materials and the parties'
answer, acceptance (the 30 days to rule start, CPL 187), questioning sessions, withdrawal
by the parties or deemed by the court, and deadlines moved by a year's holiday schedule."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.cases import numbering
from sutiao.core.errors import Conflict, Invalid
from sutiao.workdays import clocks

from ..choices import State
from ..errors import JudicialError
from ..models import ConfirmationApplication, QuestioningSession, SupplementRequest
from .common import locked, now, on_timeline, step

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def deadline_recomputed(move: clocks.Move, actor: User | None) -> None:
    """Entering a year's official schedule moved this application's deadline, or kept the
    later one already shown (workdays.clocks): on its timeline, audited, parties told."""
    app: ConfirmationApplication = move.obj
    summary = move.summary()
    who = actor if getattr(actor, "is_authenticated", False) else None
    on_timeline(
        app, "deadline_recomputed", who, at=timezone.now(), before=app.state, summary=summary
    )
    move.audit(actor, "judicial.deadline_recomputed", case_id=app.case_id)


def _required(errors: dict[str, list[str]]) -> None:
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)


@transaction.atomic
def request_supplement(
    *,
    actor: User,
    application: ConfirmationApplication,
    items: str,
    days: int = 7,
    at: datetime | None = None,
) -> SupplementRequest:
    at = now(at)
    items = (items or "").strip()
    errors = {}
    if not items:
        errors["items"] = [_("Say what is missing.")]
    if not 1 <= int(days or 0) <= 30:
        errors["days"] = [_("Give between 1 and 30 days.")]
    _required(errors)

    def set_deadline(a: ConfirmationApplication) -> None:
        clocks.start(a, "", at, clock="supplement", days=int(days))

    app = step(
        application.pk,
        "request_supplement",
        actor,
        at=at,
        mutate=set_deadline,
        summary=items[:300],
        days=int(days),
    )
    assert app.deadline_at is not None  # set_deadline started the supplement clock
    return SupplementRequest.objects.create(
        application=app,
        items=items,
        deadline_at=app.deadline_at,
        requested_by=actor,
        requested_at=at,
    )


@transaction.atomic
def supplement(
    *, actor: User, application: ConfirmationApplication, answer: str, at: datetime | None = None
) -> ConfirmationApplication:
    at = now(at)
    answer = (answer or "").strip()
    if not answer:
        raise Invalid(_("Describe what you supplement."), fields={"answer": [_("Required.")]})
    app = locked(application.pk)
    if app.deadline_at and at > app.deadline_at:
        raise Conflict(
            _("The deadline to supplement has passed."), code=JudicialError.SUPPLEMENT_LATE
        )
    request = app.supplement_requests.filter(answered_at__isnull=True).last()
    app = step(app.pk, "supplement", actor, at=at, summary=answer[:300])
    if request:
        request.answer, request.answered_by, request.answered_at = answer, actor, at
        request.save()
    return app


@transaction.atomic
def accept(
    *, actor: User, application: ConfirmationApplication, at: datetime | None = None
) -> ConfirmationApplication:
    """Complete: the court accepts; it rules within 30 days (CPL 187)."""
    at = now(at)

    def accepted(a: ConfirmationApplication) -> None:
        year, seq = numbering.court_sequence(a.court, "confirmation", at)
        a.number = f"（{year}）{a.court.case_number_code or a.court.name}民特{seq}号"
        a.accepted_at = at
        if a.court_id in actor.court_ids("judge"):
            a.judge = actor

    return step(application.pk, "accept", actor, at=at, mutate=accepted)


@transaction.atomic
def schedule_questioning(
    *,
    actor: User,
    application: ConfirmationApplication,
    starts_at: datetime,
    place: str,
    notes: str = "",
    at: datetime | None = None,
) -> QuestioningSession:
    at = now(at)
    if not (place or "").strip():
        raise Invalid(
            _("Say where (or in which online room) the session is."),
            fields={"place": [_("Required.")]},
        )
    if starts_at <= at:
        raise Invalid(
            _("The session must be in the future."),
            fields={"starts_at": [_("The session must be in the future.")]},
        )
    app = step(
        application.pk,
        "schedule_questioning",
        actor,
        at=at,
        summary=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M} {place}"[:300],
    )
    return QuestioningSession.objects.create(
        application=app,
        starts_at=starts_at,
        place=place,
        notes=notes,
        scheduled_by=actor,
        scheduled_at=at,
    )


def _withdrawn(
    name: str, app_id: int, actor: User, reason: str, at: datetime
) -> ConfirmationApplication:
    def why(a: ConfirmationApplication) -> None:
        a.withdrawal_reason = reason[:300]

    return step(app_id, name, actor, at=at, mutate=why, summary=reason)


@transaction.atomic
def withdraw(
    *, actor: User, application: ConfirmationApplication, reason: str, at: datetime | None = None
) -> ConfirmationApplication:
    return _withdrawn("withdraw", application.pk, actor, reason or "", now(at))


@transaction.atomic
def deem_withdrawn(
    *, actor: User, application: ConfirmationApplication, reason: str, at: datetime | None = None
) -> ConfirmationApplication:
    """CPL-I 356–357: materials not supplemented in time, or a party failed to appear."""
    at = now(at)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    app = locked(application.pk)
    if app.state == State.SUPPLEMENT and app.deadline_at and at <= app.deadline_at:
        raise Conflict(
            _("The parties still have time to supplement."), code=JudicialError.SUPPLEMENT_RUNNING
        )
    return _withdrawn("deem_withdrawn", app.pk, actor, reason, at)
