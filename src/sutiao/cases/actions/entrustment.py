"""Entrustment (委托调解): a case on the court's docket is entrusted to mediation after filing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record, record_many
from sutiao.core import events
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.roster.models import Mediator

from .. import load, numbering
from ..choices import Channel, PartyRole, Procedure, State
from ..errors import CaseError
from ..models import (
    Case,
    CaseEvent,
    FiledCase,
    Party,
)
from . import invitations
from ._steps import _court, _now, _step
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
    return entrusted_mediations(actor, [(filed_case, procedure)], at)[0]


def entrusted_mediations(
    actor: User, plan: list[tuple[FiledCase, str]], at: datetime
) -> list[Case]:
    """A new mediation of each (filed case, procedure), in a constant number of queries for
    any number: the case, its parties (its origin's, or the docket's), its `created` event and
    audit entry, and the invitation of each party without an account."""
    origin_ids = [fc.origin_id for fc, _p in plan if fc.origin_id]
    origins = Case.objects.in_bulk(origin_ids)
    copied: dict[int, list[Party]] = {}
    for p in Party.objects.filter(case_id__in=origin_ids).order_by("case_id", "id"):
        copied.setdefault(p.case_id, []).append(p)
    made = Case.objects.bulk_create(
        [_mediation(actor, fc, proc, origins.get(fc.origin_id or 0), at) for fc, proc in plan]
    )
    parties: list[Party] = []
    for case, (fc, _p) in zip(made, plan, strict=True):
        if fc.origin_id:
            parties += [_copy(p, case) for p in copied.get(fc.origin_id, [])]
        else:
            parties += [_docket_party(case, p) for p in fc.parties_snapshot]
    Party.objects.bulk_create(parties)
    events.require_timeline("cases", "created")
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=c, at=at, actor=actor, kind="created", state_after=c.state, summary=fc.number
        )
        for c, (fc, _p) in zip(made, plan, strict=True)
    )
    record_many(
        actor,
        "case.created",
        [
            (c, fc.number, {"channel": Channel.ENTRUSTED, "filed_case": fc.pk})
            for c, (fc, _p) in zip(made, plan, strict=True)
        ],
    )
    invitations.invite_new_parties(parties, actor, at)  # parties of the docket without an account
    return made


def _mediation(
    actor: User, fc: FiledCase, procedure: str, origin: Case | None, at: datetime
) -> Case:
    return Case(
        channel=Channel.ENTRUSTED,
        procedure=procedure,
        state=State.SUBMITTED,
        court_id=fc.court_id,
        filed_case=fc,
        title=fc.title,
        created_by=actor,
        submitted_at=at,
        ip_kind_id=origin.ip_kind_id if origin else fc.ip_kind_id,
        claims=origin.claims if origin else "",
        amount_fen=origin.amount_fen if origin else None,
        description=origin.description if origin else "",
    )


def _copy(party: Party, case: Case) -> Party:
    fields = {f.attname: getattr(party, f.attname) for f in Party._meta.concrete_fields}
    copy = Party(**{**fields, "id": None, "case_id": case.pk})
    copy.case = case
    return copy


def _docket_party(case: Case, p: dict[str, Any]) -> Party:
    return Party(
        case=case,
        role=p.get("role", PartyRole.RESPONDENT),
        kind=p.get("kind", Party.Kind.NATURAL),
        name=p["name"],
        phone=p.get("phone", ""),
        email=p.get("email", ""),
        user_id=p.get("user_id"),
    )
