"""The parties apply jointly: one starts the application, choosing the court, and each gives
its own part (itself or by its agent) within 30 days of the agreement taking effect."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.agreements import queries as agreement_queries
from sutiao.agreements.models import Agreement
from sutiao.audit.log import record
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles, may_settle_for, parties_of
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.workdays import clocks

from .. import competence, lifecycle
from ..choices import ENDED, REFUSED, State
from ..errors import JudicialError
from ..models import ApplicationPart, ConfirmationApplication
from ..policies import application_roles
from ..queries import confirmable
from .common import locked, now, on_timeline, step

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def _part(
    app: ConfirmationApplication,
    actor: User,
    *,
    at: datetime,
    statement: str,
    contact_phone: str,
    address: str,
) -> list[ApplicationPart]:
    given = set(app.parts.values_list("party_id", flat=True))
    mine = [p for p in parties_of(actor, app.case) if p.pk not in given]
    if not mine:
        raise Conflict(
            _("Your part of the application is in already."), code=JudicialError.PART_GIVEN
        )
    _within_authority(actor, mine)
    return [
        ApplicationPart.objects.create(
            application=app,
            party=p,
            submitted_by=actor,
            as_agent=p.agent_id == actor.pk and p.user_id != actor.pk,
            contact_phone=contact_phone,
            address=address or p.address,
            statement=statement,
            submitted_at=at,
        )
        for p in mine
    ]


def _within_authority(actor: User, parties: list) -> None:
    """CPL 62, CPL-I 89: applying for confirmation of a settlement disposes of the claims, so
    an agent applies (or joins) only with special authorisation."""
    unauthorised = [p for p in parties if not may_settle_for(actor, p)]
    if unauthorised:
        raise Forbidden(
            _(
                "Your power of attorney for %(names)s is a general authorisation: applying for "
                "judicial confirmation needs special authorisation (CPL 62). The party applies, "
                "or names you again with special authorisation."
            )
            % {"names": "、".join(p.name for p in unauthorised)},
            code=JudicialError.AGENT_WITHOUT_SPECIAL_AUTHORITY,
        )


def _locked_agreement(agreement: Agreement, actor: User) -> Agreement:
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("case", "case__org", "case__court")
        .get(pk=agreement.pk)
    )
    case = agreement.case
    if not parties_of(actor, case):
        if case_roles(actor, case):
            raise Forbidden(_("The parties apply for confirmation themselves."))
        raise NotFound()
    return agreement


def _chosen_court(case: Case, court_id: int, subject_matter_address: str) -> competence.Candidate:
    choices = {
        c.court.pk: c
        for c in competence.candidates(case, subject_matter_address=subject_matter_address)
    }
    chosen = choices.get(court_id)
    if chosen is None:
        raise Invalid(
            _("Choose one of the courts that may confirm this agreement."),
            fields={"court": [_("Choose one of the courts listed.")]},
        )
    return chosen


def _not_refused_before(agreement: Agreement, content: str) -> None:
    """A court dismissed (CPL-I 358) or refused (CPL-I 355) this very content: changed, the
    agreement may be applied for again; unchanged, it may not."""
    before = (
        ConfirmationApplication.objects.filter(
            case=agreement.case, state__in=REFUSED, agreement_hash=content
        )
        .select_related("court")
        .first()
    )
    if before is not None:
        raise Conflict(
            _(
                "%(court)s dismissed or refused an application for an agreement with the same "
                "content (%(number)s). Change the agreement (mediate again) before applying."
            )
            % {"court": before.court.name, "number": before.number or before.pk},
            code=JudicialError.DISMISSED_UNCHANGED,
            application=before.pk,
        )


def _start(
    actor: User,
    agreement: Agreement,
    chosen: competence.Candidate,
    at: datetime,
    content: str,
) -> ConfirmationApplication:
    app = ConfirmationApplication.objects.create(
        agreement=agreement,
        agreement_hash=content,
        case=agreement.case,
        court=chosen.court,
        court_basis=chosen.basis,
        court_reason=chosen.reason[:300],
        started_by=actor,
        created_at=at,
    )
    assert agreement.effective_at is not None  # confirmable: in effect
    clocks.start(app, "confirmation_application", agreement.effective_at)
    app.save(update_fields=["clock", "deadline_at", "clock_basis", "deadline_provisional_year"])
    on_timeline(app, "started", actor, at=at, summary=chosen.court.name)
    record(
        actor,
        "judicial.started",
        app,
        summary=chosen.court.name,
        changes={"court": chosen.court.pk, "basis": chosen.basis},
    )
    return app


@transaction.atomic
def apply(
    *,
    actor: User,
    agreement: Agreement,
    court_id: int,
    subject_matter_address: str = "",
    statement: str = "",
    contact_phone: str = "",
    address: str = "",
    at: datetime | None = None,
) -> ConfirmationApplication:
    """A party starts the joint application, choosing the court, and gives its own part."""
    at = now(at)
    agreement = _locked_agreement(agreement, actor)
    confirmable(agreement, at=at)
    if agreement.confirmation_applications.exclude(state__in=ENDED).exists():
        raise Conflict(
            _("An application for this agreement is under way already."),
            code=JudicialError.APPLICATION_EXISTS,
        )
    content = agreement_queries.content_hash(agreement)
    _not_refused_before(agreement, content)
    chosen = _chosen_court(agreement.case, court_id, subject_matter_address)
    app = _start(actor, agreement, chosen, at, content)
    return _submit_part(
        app.pk, actor, at=at, statement=statement, contact_phone=contact_phone, address=address
    )


@transaction.atomic
def submit_part(
    *,
    actor: User,
    application: ConfirmationApplication,
    statement: str = "",
    contact_phone: str = "",
    address: str = "",
    at: datetime | None = None,
) -> ConfirmationApplication:
    """Another party (or its agent) joins the application with its own part."""
    return _submit_part(
        application.pk,
        actor,
        at=now(at),
        statement=statement,
        contact_phone=contact_phone,
        address=address,
    )


def _submit_part(
    app_id: int, actor: User, *, at: datetime, **fields: Any
) -> ConfirmationApplication:
    app = locked(app_id)
    if "party" not in application_roles(actor, app):
        raise NotFound()
    confirmable(app.agreement, at=at)  # also on the last day for the second party
    lifecycle.check(app, "submit_part", {"party"})
    parts = _part(app, actor, at=at, **fields)

    target = lifecycle.TRANSITIONS["submit_part"].target

    def submitted(a: ConfirmationApplication) -> None:
        if callable(target) and target(a) == State.SUBMITTED:
            a.submitted_at = at
            clocks.stop(a)

    return step(
        app.pk,
        "submit_part",
        actor,
        at=at,
        mutate=submitted,
        summary=", ".join(p.party.name for p in parts),
        parties=[p.party_id for p in parts],
    )
