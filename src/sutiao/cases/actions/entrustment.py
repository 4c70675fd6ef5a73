"""Entrustment (委托调解): a case on the court's docket is entrusted to mediation after filing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.roster.models import Mediator

from .. import load, numbering
from ..choices import Channel, PartyRole, Procedure, State
from ..errors import CaseError
from ..models import (
    Case,
    FiledCase,
    Party,
)
from . import invitations
from ._steps import _court, _event, _now, _step
from .delegation import _assign, _target


@transaction.atomic
def register_filed_case(
    *,
    actor: User,
    court: Court,
    title: str,
    procedure: str = Procedure.ORDINARY,
    parties: list[dict[str, Any]] | None = None,
    ip_kind: str = "",
    at: datetime | None = None,
) -> FiledCase:
    """A case on the court's docket (filed outside the platform), to be entrusted; its
    parties with their kind (CPL 51) and the IP kind carry over to the mediation."""
    if court.pk not in actor.court_ids("court_clerk", "judge"):
        raise NotFound()
    if procedure not in Procedure.values:
        raise Invalid(_("Choose ordinary or simple procedure."))
    kind = IPKind.objects.filter(code=ip_kind).first() if ip_kind else None
    if ip_kind and kind is None:
        raise Invalid(_("Unknown IP kind."), fields={"ip_kind": [_("Unknown IP kind.")]})
    for p in parties or []:
        if p.get("kind", Party.Kind.NATURAL) not in Party.Kind.values:
            message = _("Choose natural person, legal person or other organisation.")
            raise Invalid(message, fields={f"{p.get('role', '')}_kind": [message]})
    at = _now(at)
    fc = FiledCase.objects.create(
        court=court,
        number=numbering.court_number(court, "filing", at),
        title=title,
        procedure=procedure,
        ip_kind=kind,
        parties_snapshot=parties or [],
        filed_by=actor,
        filed_at=at,
    )
    record(actor, "filed_case.registered", fc, summary=fc.number)
    return fc


@transaction.atomic
def entrust(
    *,
    actor: User,
    filed_case: FiledCase,
    procedure: str | None = None,
    org: MediationOrg | None = None,
    mediator: Mediator | None = None,
    at: datetime | None = None,
    case: Case | None = None,
) -> Case:
    """After filing, a judge entrusts the case to a rostered organisation or mediator; the
    mediation gets its own number and the clock of the procedure (15 or 7 days).
    `case`: a mediation of this filed case that came back (declined, or its mediator stepped
    aside) is entrusted again, keeping its number and procedure."""
    at = _now(at)
    if case is not None and case.filed_case_id != filed_case.pk:
        raise NotFound()
    procedure = case.procedure if case is not None else procedure
    (procedure,) = entrustable(actor, [filed_case], procedure, again=case)
    if case is None:
        case = _entrusted_mediation(actor, filed_case, procedure, at)

    def route(c: Case) -> None:
        _target(_court(c), org, mediator)
        _assign(c, org, mediator, at, numbered_as="entrusted")

    return _step(
        case.pk,
        "entrust",
        actor,
        at=at,
        mutate=route,
        procedure=procedure,
        org=org and org.pk,
        mediator=mediator and mediator.pk,
    )


def entrustable(
    actor: User, filed_cases: list[FiledCase], procedure: str | None, *, again: Case | None = None
) -> list[str]:
    """What every entrustment checks before it changes anything, for one filed case or many
    (a few queries for any number): the judges of the filed case's court only (anyone else:
    404), a known procedure, and no mediation of it under way or settled (`again`: the one
    that came back, entrusted anew). Returns each filed case's procedure."""
    judged = set(actor.court_ids("judge"))
    if any(fc.court_id not in judged for fc in filed_cases):
        raise NotFound()
    chosen = [procedure or fc.procedure for fc in filed_cases]
    if any(p not in Procedure.values for p in chosen):
        raise Invalid(_("Choose ordinary or simple procedure."))
    busy = Case.objects.filter(
        filed_case__in=[fc.pk for fc in filed_cases],
        state__in=[*load.OPEN_STATES, State.SETTLED],
    )
    if again is not None:
        busy = busy.exclude(pk=again.pk)
    numbers = sorted(set(busy.values_list("filed_case__number", flat=True)))
    if numbers:
        raise Conflict(
            _(
                "A mediation of %(cases)s is under way or settled already: it cannot be entrusted again."
            )
            % {"cases": "、".join(numbers)},
            code=CaseError.MEDIATION_UNDER_WAY,
            cases=numbers,
        )
    return chosen


def _entrusted_mediation(actor: User, filed_case: FiledCase, procedure: str, at: datetime) -> Case:
    origin = getattr(filed_case, "origin", None)
    case = Case.objects.create(
        channel=Channel.ENTRUSTED,
        procedure=procedure,
        state=State.SUBMITTED,
        court=filed_case.court,
        filed_case=filed_case,
        title=filed_case.title,
        created_by=actor,
        submitted_at=at,
        ip_kind=origin.ip_kind if origin else filed_case.ip_kind,
        claims=origin.claims if origin else "",
        amount_fen=origin.amount_fen if origin else None,
        description=origin.description if origin else "",
    )
    if origin:
        for p in origin.parties.all():
            p.pk, p.case = None, case
            p.save()
    else:
        for p in filed_case.parties_snapshot:
            Party.objects.create(
                case=case,
                role=p.get("role", PartyRole.RESPONDENT),
                kind=p.get("kind", Party.Kind.NATURAL),
                name=p["name"],
                phone=p.get("phone", ""),
                email=p.get("email", ""),
                user_id=p.get("user_id"),
            )
    _event(case, actor, "created", at=at, summary=filed_case.number)
    record(
        actor,
        "case.created",
        case,
        summary=filed_case.number,
        changes={"channel": Channel.ENTRUSTED, "filed_case": filed_case.pk},
    )
    invitations.invite_unlinked(case, actor, at)  # parties of the docket without an account
    return case
