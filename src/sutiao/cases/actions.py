"""Every change to a case: one function per use case, one transaction, audited, on the timeline.

Each transition goes through `_step`, which locks the case row (racing requests queue on
it), checks the lifecycle table against the actor's roles in this case, moves the state and
clock, writes the timeline event and the audit entry, and leaves an outbox event for
notifications (`sutiao.core.outbox`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.identity import validate_phone, validate_resident_id
from sutiao.audit.log import record
from sutiao.core import events, outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.institutions.validators import validate_uscc
from sutiao.roster import queries as roster
from sutiao.roster.models import Mediator
from sutiao.workdays import clocks
from sutiao.workdays.periods import deadline, local_date

from . import evidence, lifecycle, numbering
from .choices import Channel, EndReason, PartyRole, Procedure, State
from .errors import CaseError
from .models import (
    Case,
    CaseEvent,
    CaseFile,
    Disclosure,
    DisclosureAnswer,
    FiledCase,
    IdentityCheck,
    MediatorChoice,
    Message,
    Party,
    Transcript,
    TranscriptConfirmation,
)
from .policies import case_roles, parties_of


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _locked(case_id: int) -> Case:
    try:
        # of=("self",): PostgreSQL cannot lock the nullable side of the mediator join.
        return (
            Case.objects.select_for_update(of=("self",)).select_related("mediator").get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise NotFound() from None


def _event(
    case: Case, actor, kind: str, *, at: datetime, before: str = "", summary: str = "", **data: Any
) -> CaseEvent:
    events.require_timeline("cases", kind)
    return CaseEvent.objects.create(
        case=case,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        state_before=before,
        state_after=case.state,
        summary=summary[:300],
        data=data,
    )


def _step(
    case_id: int,
    name: str,
    actor,
    *,
    at: datetime | None = None,
    summary: str = "",
    mutate=None,
    **data: Any,
) -> Case:
    """Apply one lifecycle transition with everything that goes with it."""
    at = _now(at)
    case = _locked(case_id)
    roles = {"system"} if actor == "system" else case_roles(actor, case)
    if not roles:
        raise NotFound()
    t = lifecycle.check(case, name, roles)
    if mutate:
        mutate(case)  # what the step records, set before the clock reads it
    before = lifecycle.move(case, t, at=at)
    case.save()
    _event(case, actor, name, at=at, before=before, summary=summary, **data)
    record(
        actor,
        f"case.{name}",
        case,
        summary=summary or str(case),
        changes={
            "state": [before, case.state],
            **{k: v for k, v in data.items() if k != "consents"},
        },
    )
    outbox.emit(
        f"case.{name}", {"case": case.pk, "state": case.state, "actor": getattr(actor, "pk", None)}
    )
    return case


# Application -------------------------------------------------------------------------


@dataclass
class PartyIn:
    role: str
    name: str
    kind: str = Party.Kind.NATURAL
    id_number: str = ""
    uscc: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _party(case: Case, data: PartyIn, errors: dict[str, list[str]], prefix: str) -> Party:
    party = Party(
        case=case,
        role=data.role,
        kind=data.kind,
        name=(data.name or "").strip(),
        email=data.email or "",
        address=data.address or "",
    )
    if data.role not in PartyRole.values:
        errors[f"{prefix}.role"] = [_("Choose applicant or respondent.")]
    if not party.name:
        errors[f"{prefix}.name"] = [_("Enter the name.")]
    try:
        if data.kind == Party.Kind.LEGAL:
            if data.uscc:
                validate_uscc(data.uscc.strip().upper())
                party.uscc = data.uscc.strip().upper()
        elif data.id_number:
            party.set_id_number(validate_resident_id(data.id_number))
    except ValidationError as exc:
        key = "uscc" if data.kind == Party.Kind.LEGAL else "id_number"
        errors[f"{prefix}.{key}"] = list(exc.messages)
    if data.phone:
        try:
            party.phone = validate_phone(data.phone)
        except ValidationError as exc:
            errors[f"{prefix}.phone"] = list(exc.messages)
    return party


@transaction.atomic
def apply_for_mediation(
    *,
    actor,
    title: str,
    court: Court | None = None,
    org: MediationOrg | None = None,
    ip_kind: str = "",
    right_number: str = "",
    claims: str = "",
    amount_fen: int | None = None,
    description: str = "",
    applicant: PartyIn,
    respondents: list[PartyIn],
    as_agent: bool = False,
) -> Case:
    """A party (or an agent) starts an application to a court or straight to an organisation.
    It stays a draft, editable, until `submit`."""
    errors: dict[str, list[str]] = {}
    if bool(court) == bool(org):
        errors["court"] = [_("Apply either to a court or to a mediation organisation.")]
    if court is not None and not court.has_ip_jurisdiction:
        errors["court"] = [_("This court does not hear IP disputes.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the dispute a short title.")]
    kind = IPKind.objects.filter(code=ip_kind).first() if ip_kind else None
    if ip_kind and kind is None:
        errors["ip_kind"] = [_("Unknown IP kind.")]
    if amount_fen is not None and amount_fen < 0:
        errors["amount_fen"] = [_("The amount cannot be negative.")]
    if not respondents:
        errors["respondents"] = [_("Name at least one respondent.")]
    case = Case(
        channel=Channel.DIRECT if org else Channel.DELEGATED,
        court=court,
        org=org,
        title=(title or "").strip(),
        ip_kind=kind,
        right_number=right_number.strip(),
        claims=claims,
        amount_fen=amount_fen,
        description=description,
        created_by=actor,
    )
    applicant.role = PartyRole.APPLICANT
    parties = [_party(case, applicant, errors, "applicant")]
    for i, r in enumerate(respondents):
        r.role = PartyRole.RESPONDENT
        parties.append(_party(case, r, errors, f"respondents.{i}"))
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    case.save()
    for p in parties:
        p.case = case
    parties[0].user = None if as_agent else actor
    parties[0].agent = actor if as_agent else None
    Party.objects.bulk_create(parties)
    _event(case, actor, "created", at=_now(None), summary=case.title)
    record(
        actor,
        "case.created",
        case,
        summary=case.title,
        changes={"channel": case.channel, "court": court and court.pk, "org": org and org.pk},
    )
    return case


@transaction.atomic
def give_consent(
    *,
    actor,
    case: Case,
    party: Party,
    online: bool,
    e_service: bool,
    service_email: str = "",
    service_phone: str = "",
) -> Party:
    """OMR 4, 8; CPL 90: consent to online mediation and electronic service, with the
    addresses documents are served to (the service-address confirmation)."""
    case = _locked(case.pk)
    if party.case_id != case.pk or party not in parties_of(actor, case):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if e_service and not (service_email or service_phone):
        errors["service_email"] = [_("Give an e-mail address or a mobile phone for service.")]
    if service_phone:
        try:
            service_phone = validate_phone(service_phone)
        except ValidationError as exc:
            errors["service_phone"] = list(exc.messages)
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    party.consents_online, party.consents_e_service = online, e_service
    party.service_email, party.service_phone = service_email, service_phone
    party.consent_at = timezone.now()
    party.save()
    _event(
        case,
        actor,
        "consent",
        at=party.consent_at,
        summary=party.name,
        party=party.pk,
        online=online,
        e_service=e_service,
    )
    record(
        actor,
        "case.consent_given",
        case,
        summary=party.name,
        changes={"online": online, "e_service": e_service},
    )
    return party


@transaction.atomic
def add_file(
    *, actor, case: Case, upload, kind: str = CaseFile.Kind.EVIDENCE, party: Party | None = None
) -> CaseFile:
    """Store one checked file; a refused file leaves nothing behind (no row, no bytes)."""
    case = _locked(case.pk)
    require(actor, "upload", case)
    return _store_file(actor, case, upload, kind, party)


def _store_file(actor, case: Case, upload, kind: str, party: Party | None) -> CaseFile:
    if kind not in CaseFile.Kind.values:
        raise Invalid(_("Unknown kind of file."))
    total = CaseFile.objects.filter(case=case).aggregate(s=Sum("size"))["s"] or 0
    checked = evidence.check(upload, case_total=total)
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    f = CaseFile(
        case=case,
        party=party,
        kind=kind,
        name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    f.file.save("upload", ContentFile(checked.data), save=False)
    try:
        f.save()
        _event(case, actor, "file_added", at=f.uploaded_at, summary=name, file=f.pk, file_kind=kind)
        record(
            actor,
            "case.file_added",
            case,
            summary=name,
            changes={"file": f.pk, "sha256": f.sha256, "size": f.size},
        )
    except Exception:
        f.file.storage.delete(f.file.name)  # no bytes without their row
        raise
    return f


@transaction.atomic
def submit(*, actor, case: Case, at: datetime | None = None) -> Case:
    def ready(c: Case):
        problems = []
        for p in c.parties.all():
            if p.role == PartyRole.APPLICANT and not (p.consents_online and p.consents_e_service):
                problems.append(
                    _("The applicant must consent to online mediation and give a service address.")
                )
            if (
                p.role == PartyRole.APPLICANT
                and p.agent_id
                and not c.files.filter(kind=CaseFile.Kind.POWER_OF_ATTORNEY).exists()
            ):
                problems.append(_("An agent must upload the power of attorney."))
        if problems:
            raise Conflict(
                problems[0], code=CaseError.INCOMPLETE, problems=[str(p) for p in problems]
            )
        if c.channel == Channel.DIRECT:
            c.number = numbering.org_number(c.org, _now(at))
        c.submitted_at = _now(at)

    return _step(case.pk, "submit", actor, at=at, mutate=ready)


@transaction.atomic
def withdraw(*, actor, case: Case, reason: str = "", at: datetime | None = None) -> Case:
    return _step(case.pk, "withdraw", actor, at=at, summary=reason, reason=reason)


# Court side --------------------------------------------------------------------------


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


@transaction.atomic
def delegate(
    *,
    actor,
    case: Case,
    org: MediationOrg | None = None,
    mediator: Mediator | None = None,
    at: datetime | None = None,
) -> Case:
    """Before filing, the court sends the dispute to a rostered organisation or mediator."""
    at = _now(at)

    def route(c: Case):
        _target(c.court, org, mediator)
        chosen = joint_choice(c)
        if chosen is not None and (org is not None or mediator.pk != chosen.pk):
            raise Conflict(
                _("The parties chose %(name)s jointly; the court follows their choice (OMR 10).")
                % {"name": chosen.name},
                code=CaseError.JOINT_CHOICE,
                mediator=chosen.pk,
            )
        c.org, c.mediator, c.assigned_at = org, mediator, at
        if not c.number:
            c.number = numbering.court_number(c.court, "pre_filing", at)

    return _step(
        case.pk,
        "delegate",
        actor,
        at=at,
        mutate=route,
        org=org and org.pk,
        mediator=mediator and mediator.pk,
    )


def choice_deadline(case: Case) -> datetime | None:
    """The end of the parties' 2 working days to choose jointly (OMR 10), from submission."""
    if case.channel != Channel.DELEGATED or not case.submitted_at:
        return None
    return deadline(case.submitted_at, "choose_mediator")


def joint_choice(case: Case) -> Mediator | None:
    """The mediator every party chose, if they all chose the same one."""
    chosen = {c.party_id: c.mediator for c in case.mediator_choices.select_related("mediator")}
    party_ids = set(case.parties.values_list("pk", flat=True))
    mediators = {m.pk for m in chosen.values()}
    if party_ids and set(chosen) == party_ids and len(mediators) == 1:
        return next(iter(chosen.values()))
    return None


@transaction.atomic
def choose_mediator(
    *, actor, case: Case, mediator: Mediator, at: datetime | None = None
) -> MediatorChoice:
    """A party names the mediator it wants, from the competent court's roster (OMR 9(2), 10)."""
    at = _now(at)
    case = _locked(case.pk)
    require(actor, "view", case)
    mine = parties_of(actor, case)
    if not mine:
        raise Forbidden()
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
    if not roster.invited_by_jurisdiction(mediator, [case.court]):
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


DRAFT_FIELDS = ("title", "ip_kind", "right_number", "claims", "amount_fen", "description")


@transaction.atomic
def update_draft(*, actor, case: Case, data: dict[str, Any]) -> Case:
    """The applicant edits a saved application before submitting it."""
    case = _locked(case.pk)
    require(actor, "edit_draft", case)
    errors: dict[str, list[str]] = {}
    before = {k: getattr(case, "ip_kind_id" if k == "ip_kind" else k) for k in DRAFT_FIELDS}
    for key in DRAFT_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "title":
            value = (value or "").strip()
            if not value:
                errors["title"] = [_("Give the dispute a short title.")]
        if key == "ip_kind":
            kind = IPKind.objects.filter(code=value).first() if value else None
            if value and kind is None:
                errors["ip_kind"] = [_("Unknown IP kind.")]
            case.ip_kind = kind
            continue
        if key == "amount_fen" and value is not None and value < 0:
            errors["amount_fen"] = [_("The amount cannot be negative.")]
        setattr(case, key, value if value is not None or key == "amount_fen" else "")
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    case.save()
    after = {k: getattr(case, "ip_kind_id" if k == "ip_kind" else k) for k in DRAFT_FIELDS}
    changes = {k: [before[k], after[k]] for k in DRAFT_FIELDS if before[k] != after[k]}
    _event(case, actor, "draft_updated", at=_now(None), summary=case.title, fields=sorted(changes))
    record(actor, "case.draft_updated", case, changes=changes)
    return case


@transaction.atomic
def register_filed_case(
    *,
    actor,
    court: Court,
    title: str,
    procedure: str = Procedure.ORDINARY,
    parties: list[dict] | None = None,
    at: datetime | None = None,
) -> FiledCase:
    """A case on the court's docket (filed outside the platform), to be entrusted."""
    if court.pk not in actor.court_ids("court_clerk", "judge"):
        raise NotFound()
    if procedure not in Procedure.values:
        raise Invalid(_("Choose ordinary or simple procedure."))
    at = _now(at)
    fc = FiledCase.objects.create(
        court=court,
        number=numbering.court_number(court, "filing", at),
        title=title,
        procedure=procedure,
        parties_snapshot=parties or [],
        filed_by=actor,
        filed_at=at,
    )
    record(actor, "filed_case.registered", fc, summary=fc.number)
    return fc


@transaction.atomic
def entrust(
    *,
    actor,
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
    if filed_case.court_id not in actor.court_ids("judge"):
        raise NotFound()
    if case is not None and case.filed_case_id != filed_case.pk:
        raise NotFound()
    procedure = case.procedure if case is not None else procedure or filed_case.procedure
    if procedure not in Procedure.values:
        raise Invalid(_("Choose ordinary or simple procedure."))
    if case is None:
        case = _entrusted_mediation(actor, filed_case, procedure, at)

    def route(c: Case):
        _target(c.court, org, mediator)
        c.org, c.mediator, c.assigned_at = org, mediator, at
        if not c.number:
            c.number = numbering.court_number(c.court, "entrusted", at)

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


def _entrusted_mediation(actor, filed_case: FiledCase, procedure: str, at: datetime) -> Case:
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
        ip_kind=origin.ip_kind if origin else None,
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
    return case


# Organisation and mediator -----------------------------------------------------------


@transaction.atomic
def assign(*, actor, case: Case, mediator: Mediator, at: datetime | None = None) -> Case:
    """The organisation's administrator hands the case to one of its mediators."""

    def pick(c: Case):
        if (
            mediator.status != Mediator.Status.ACTIVE
            or not mediator.orgs.filter(pk=c.org_id).exists()
        ):
            raise Invalid(
                _("Choose an active mediator of your organisation."),
                fields={"mediator": [_("Choose an active mediator of your organisation.")]},
            )
        c.mediator = mediator

    return _step(case.pk, "assign", actor, at=at, mutate=pick, mediator=mediator.pk)


@transaction.atomic
def accept(*, actor, case: Case, at: datetime | None = None) -> Case:
    """The mediation period starts on the day acceptance is confirmed on the platform (OMR 24)."""
    at = _now(at)

    def started(c: Case):
        c.accepted_at = at

    return _step(case.pk, "accept", actor, at=at, mutate=started)


@transaction.atomic
def decline(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Declining needs a reason; each decline is counted against the mediator (OMR 29)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Give the reason for declining."),
            fields={"reason": [_("Give the reason for declining.")]},
        )
    return _decline(case.pk, actor, reason, at)


def _decline(case_id: int, actor, reason: str, at: datetime | None) -> Case:
    at = _now(at)
    case = _locked(case_id)
    who = {"mediator": case.mediator_id, "org": case.org_id}

    def release(c: Case):
        if c.channel != Channel.DIRECT:
            c.org = c.mediator = None
            c.assigned_at = None

    return _step(
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


@transaction.atomic
def recuse(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """OMR 13–14: the mediator steps aside (a conflict disclosed and not accepted, or a
    party's request); the organisation or the court assigns another."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    case = _locked(case.pk)
    previous = case.mediator_id

    def release(c: Case):
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


@transaction.atomic
def extend(
    *, actor, case: Case, consenting_parties: list[int], days: int = 30, at: datetime | None = None
) -> Case:
    """With every party's consent the period is extended (entrusted: 30 days since 2025)."""
    at = _now(at)

    def longer(c: Case):
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
def pause(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Appraisal or evaluation is not counted in the period (OMR 26)."""
    at = _now(at)

    def stop(c: Case):
        c.paused_at = at

    return _step(case.pk, "pause", actor, at=at, summary=reason, mutate=stop, reason=reason)


@transaction.atomic
def resume(*, actor, case: Case, at: datetime | None = None) -> Case:
    at = _now(at)

    def restart(c: Case):
        paused_days = (local_date(at) - local_date(c.paused_at)).days
        if paused_days > 0:
            clocks.prolong(c, paused_days)
        c.paused_at = None

    return _step(case.pk, "resume", actor, at=at, mutate=restart)


@transaction.atomic
def settle(*, actor, case: Case, at: datetime | None = None) -> Case:
    """Agreement reached (OMR 25 reason 1); the agreement flow takes over."""
    at = _now(at)

    def done(c: Case):
        c.end_reason, c.ended_at = EndReason.AGREEMENT, at

    return _step(case.pk, "settle", actor, at=at, mutate=done)


@transaction.atomic
def end(
    *,
    actor,
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
    if not (course or "").strip():
        errors["course"] = [_("Describe the course of mediation.")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("Explain why no agreement was reached.")]
    if errors:
        raise Invalid.from_django(ValidationError(errors))

    def report(c: Case):
        c.end_reason, c.ended_at = reason, at
        c.failure_course, c.failure_reasons = course, reasons
        c.cost_conduct, c.notes_for_court = cost_conduct, notes_for_court

    return _step(
        case.pk, "end", actor, at=at, mutate=report, summary=EndReason(reason).label, reason=reason
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
    grace = timedelta(days=settings.PROVISIONAL_EXPIRY_GRACE_DAYS)
    due = Q(deadline_provisional_year__isnull=True, deadline_at__lt=now) | Q(
        deadline_provisional_year__isnull=False, deadline_at__lt=now - grace
    )
    ids = list(Case.objects.filter(due, state=State.MEDIATING).values_list("pk", flat=True))
    ended = []
    for case_id in ids:
        with transaction.atomic():
            _locked(case_id)  # queue behind whoever holds the case, then look again
            if not Case.objects.filter(due, pk=case_id, state=State.MEDIATING).exists():
                continue

            def expired(c: Case):
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


def deadline_recomputed(move: clocks.Move, actor) -> None:
    """Entering a year's official schedule moved this case's deadline, or kept the later one
    already shown (workdays.clocks): on the timeline, audited, and the parties are told."""
    case: Case = move.obj
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
    record(
        actor,
        "case.deadline_recomputed",
        case,
        summary=summary,
        changes={"deadline": [days["before"], days["after"]], "computed": days["computed"]},
    )
    if move.moved:
        outbox.emit("deadline.moved", move.payload(case.pk, actor))


# Back to the court --------------------------------------------------------------------


@transaction.atomic
def file_case(*, actor, case: Case, at: datetime | None = None) -> FiledCase:
    """A failed pre-filing (or pushed direct) case becomes a lawsuit; its parties, files,
    transcripts and failure report stay reachable from the filed case (origin)."""
    at = _now(at)
    _step(case.pk, "file_case", actor, at=at)
    case = Case.objects.select_related("court").get(pk=case.pk)
    fc = FiledCase.objects.create(
        court=case.court,
        number=numbering.court_number(case.court, "filing", at),
        title=case.title,
        origin=case,
        filed_by=actor,
        filed_at=at,
    )
    _event(case, actor, "filed_as", at=at, summary=fc.number, filed_case=fc.pk)
    record(actor, "filed_case.filed", fc, summary=fc.number, changes={"origin": case.pk})
    return fc


@transaction.atomic
def resume_trial(*, actor, case: Case, at: datetime | None = None) -> Case:
    return _step(case.pk, "resume_trial", actor, at=at)


@transaction.atomic
def push_to_court(*, actor, case: Case, court: Court, at: datetime | None = None) -> Case:
    """At the party's request the e-file of a failed direct mediation goes to a court (OMR 21)."""
    if not court.has_ip_jurisdiction:
        raise Invalid(_("This court does not hear IP disputes."))

    def send(c: Case):
        c.court = court

    return _step(case.pk, "push_to_court", actor, at=at, mutate=send, court=court.pk)


# During mediation ---------------------------------------------------------------------


@transaction.atomic
def post_message(*, actor, case: Case, body: str, caucus_party: Party | None = None) -> Message:
    case = _locked(case.pk)
    require(actor, "post_message", case)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write a message."), fields={"body": [_("Write a message.")]})
    roles = case_roles(actor, case)
    if caucus_party is not None:
        if caucus_party.case_id != case.pk:
            raise NotFound()
        if "mediator" not in roles and caucus_party not in parties_of(actor, case):
            raise Forbidden()
    message = Message.objects.create(case=case, caucus_party=caucus_party, author=actor, body=body)
    outbox.emit("case.message", {"case": case.pk, "message": message.pk})
    return message


@transaction.atomic
def record_transcript(
    *, actor, case: Case, session_date, text: str, undisputed_facts: str = ""
) -> Transcript:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    if not (text or "").strip():
        raise Invalid(
            _("Write the record of the session."),
            fields={"text": [_("Write the record of the session.")]},
        )
    t = Transcript.objects.create(
        case=case,
        session_date=session_date,
        text=text,
        undisputed_facts=undisputed_facts,
        recorded_by=actor,
    )
    _event(case, actor, "transcript", at=t.recorded_at, summary=str(session_date), transcript=t.pk)
    record(actor, "case.transcript_recorded", case, changes={"transcript": t.pk})
    return t


@transaction.atomic
def confirm_transcript(*, actor, transcript: Transcript) -> list[TranscriptConfirmation]:
    """A party confirms the undisputed facts of a session's record (OMR 22)."""
    case = _locked(transcript.case_id)
    require(actor, "view", case)
    mine = parties_of(actor, case)
    if not mine:
        raise Forbidden()
    done = []
    for party in mine:
        c, created = TranscriptConfirmation.objects.get_or_create(
            transcript=transcript, party=party, defaults={"confirmed_by": actor}
        )
        if created:
            done.append(c)
            _event(
                case,
                actor,
                "transcript_confirmed",
                at=c.at,
                summary=party.name,
                transcript=transcript.pk,
                party=party.pk,
            )
            record(
                actor,
                "case.transcript_confirmed",
                case,
                changes={"transcript": transcript.pk, "party": party.pk},
            )
    return done


@transaction.atomic
def record_identity_check(
    *, actor, case: Case, party: Party, session_date, method: str
) -> IdentityCheck:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    if party.case_id != case.pk:
        raise NotFound()
    if method not in IdentityCheck.Method.values:
        raise Invalid(_("Choose how the identity was verified."))
    check = IdentityCheck.objects.create(
        case=case, party=party, session_date=session_date, method=method, verified_by=actor
    )
    _event(
        case,
        actor,
        "identity_checked",
        at=check.at,
        summary=party.name,
        party=party.pk,
        method=method,
    )
    record(actor, "case.identity_checked", case, changes={"party": party.pk, "method": method})
    return check


@transaction.atomic
def disclose(*, actor, case: Case, statement: str) -> Disclosure:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    if not (statement or "").strip():
        raise Invalid(
            _("Describe what you disclose."),
            fields={"statement": [_("Describe what you disclose.")]},
        )
    d = Disclosure.objects.create(case=case, mediator=case.mediator, statement=statement)
    _event(case, actor, "disclosure", at=d.at, summary=statement[:100], disclosure=d.pk)
    record(actor, "case.disclosure", case, changes={"disclosure": d.pk})
    return d


@transaction.atomic
def answer_disclosure(*, actor, disclosure: Disclosure, consents: bool) -> list[DisclosureAnswer]:
    """Each party agrees that the mediator continues, or asks for another one (OMR 13–14)."""
    case = _locked(disclosure.case_id)
    mine = parties_of(actor, case)
    if not mine:
        raise NotFound()
    answers = []
    for party in mine:
        a, created = DisclosureAnswer.objects.get_or_create(
            disclosure=disclosure,
            party=party,
            defaults={"consents": consents, "answered_by": actor},
        )
        if not created:
            raise Conflict(_("This party has answered already."), code=CaseError.ALREADY_ANSWERED)
        answers.append(a)
        _event(
            case,
            actor,
            "disclosure_answered",
            at=a.at,
            summary=party.name,
            disclosure=disclosure.pk,
            party=party.pk,
            consents=consents,
        )
        record(
            actor,
            "case.disclosure_answered",
            case,
            changes={"party": party.pk, "consents": consents},
        )
    if not consents:
        outbox.emit("case.mediator_challenged", {"case": case.pk})
    return answers


# Settlement steps taken from the agreement and mediation-document pages --------------


@transaction.atomic
def refuse_to_sign(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """A party refuses to sign the agreement: mediation ends with OMR 25 reason 7."""
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})

    def report(c: Case):
        c.end_reason, c.ended_at = EndReason.REFUSES_TO_SIGN, at
        c.failure_reasons = reason

    return _step(
        case.pk,
        "refuse_to_sign",
        actor,
        at=at,
        mutate=report,
        summary=str(EndReason.REFUSES_TO_SIGN.label),
        reason=int(EndReason.REFUSES_TO_SIGN),
        refusal=reason,
    )


@transaction.atomic
def withdraw_settlement(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """Before the mediation document takes effect a party may change its mind; the court then
    gives judgment (CPL 102): the entrusted case returns to trial."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    return _step(case.pk, "withdraw_settlement", actor, at=at, summary=reason, reason=reason)


@transaction.atomic
def record_offline_settlement(
    *,
    actor,
    org: MediationOrg,
    title: str,
    parties: list[PartyIn],
    ip_kind: str = "",
    claims: str = "",
    description: str = "",
    settled_at: datetime | None = None,
    as_party: PartyIn | None = None,
    scan=None,
) -> Case:
    """An agreement reached offline (Notice §10) becomes a settled case of the organisation
    that presided, so that it can be confirmed online; `scan` (the signed paper) is stored
    with it. The organisation's staff record it, or a party (`as_party`: which of `parties`
    the actor is)."""
    at = _now(None)
    settled_at = settled_at or at
    errors: dict[str, list[str]] = {}
    staff = org.pk in actor.org_ids()
    if not staff and as_party is None:
        raise Forbidden()
    if not (title or "").strip():
        errors["title"] = [_("Give the dispute a short title.")]
    kind = IPKind.objects.filter(code=ip_kind).first() if ip_kind else None
    if ip_kind and kind is None:
        errors["ip_kind"] = [_("Unknown IP kind.")]
    roles = {p.role for p in parties}
    if roles != {PartyRole.APPLICANT, PartyRole.RESPONDENT}:
        errors["parties"] = [_("Name the applicant and at least one respondent.")]
    if settled_at > at:
        errors["settled_at"] = [_("The agreement cannot be signed in the future.")]
    case = Case(
        channel=Channel.OFFLINE,
        org=org,
        state=State.SETTLED,
        title=(title or "").strip(),
        ip_kind=kind,
        claims=claims,
        description=description,
        created_by=actor,
        submitted_at=at,
        ended_at=settled_at,
        end_reason=EndReason.AGREEMENT,
        mediator=Mediator.objects.filter(user=actor, orgs=org).first() if staff else None,
    )
    rows = [_party(case, p, errors, f"parties.{i}") for i, p in enumerate(parties)]
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    case.number = numbering.org_number(org, at)
    case.save()
    from sutiao.accounts.models import User

    for p, row in zip(parties, rows, strict=True):
        row.case = case
        if as_party is p:
            row.user = actor
        elif row.phone:  # a party registered on the platform with this phone joins the case
            row.user = User.objects.filter(phone=row.phone, is_active=True).first()
    Party.objects.bulk_create(rows)
    _event(case, actor, "created", at=at, summary=case.title)
    if scan is not None:  # the signed paper agreement, scanned
        _store_file(actor, case, scan, CaseFile.Kind.DOCUMENT, None)
    _event(case, actor, "settle", at=at, before=State.DRAFT, summary=_("Agreement reached offline"))
    record(
        actor,
        "case.offline_settlement",
        case,
        summary=case.title,
        changes={"channel": Channel.OFFLINE, "org": org.pk},
    )
    outbox.emit("case.settle", {"case": case.pk, "state": case.state, "actor": actor.pk})
    return case
