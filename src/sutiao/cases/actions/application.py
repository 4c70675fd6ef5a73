"""The application (调解申请): a party or its agent applies, consents to online mediation and
electronic service, edits the draft, submits or withdraws it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.identity import validate_phone, validate_resident_id
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.institutions.validators import validate_uscc

from .. import lifecycle, numbering
from ..choices import Channel, PartyRole
from ..errors import CaseError
from ..models import (
    Case,
    Party,
)
from ..policies import parties_of
from . import invitations
from ._steps import _event, _locked, _now, _step


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
    actor: User,
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
    kind = _title_and_kind(title, ip_kind, errors)
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
    return _created(actor, case, parties, as_agent=as_agent)


def _title_and_kind(title: str, ip_kind: str, errors: dict[str, list[str]]) -> IPKind | None:
    """Check a new case's title and IP kind (into `errors`); the kind, when it is known."""
    if not (title or "").strip():
        errors["title"] = [_("Give the dispute a short title.")]
    kind = IPKind.objects.filter(code=ip_kind).first() if ip_kind else None
    if ip_kind and kind is None:
        errors["ip_kind"] = [_("Unknown IP kind.")]
    return kind


def _created(actor: User, case: Case, parties: list[Party], *, as_agent: bool) -> Case:
    """Save a checked application with its parties (the first is the applicant)."""
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
        changes={"channel": case.channel, "court": case.court_id, "org": case.org_id},
    )
    return case


@transaction.atomic
def give_consent(
    *,
    actor: User,
    case: Case,
    party: Party,
    online: bool,
    e_service: bool,
    service_email: str = "",
    service_phone: str = "",
    notice_acknowledged: bool = False,
    refuses_mediation: bool = False,
    at: datetime | None = None,
) -> Party:
    """OMR 4, 8; CPL 90: consent to online mediation and electronic service, with the
    addresses documents are served to (the service-address confirmation); SIR 14: the notice
    of rights and duties acknowledged. The person acting has a verified identity (OLR 7).

    Refusing electronic service is a consent still (documents are then served on paper);
    `refuses_mediation` (with `online` False) once the application is out ends the case
    (OMR 15); without it, `online` False only records that the party has not consented."""
    at = _now(at)
    case = _locked(case.pk)
    if party.case_id != case.pk or party not in parties_of(actor, case):
        raise NotFound()
    require_verified(actor)
    service_phone = _checked_consent(
        online, e_service, service_email, service_phone, notice_acknowledged
    )
    party.consents_online, party.consents_e_service = online, e_service
    party.service_email, party.service_phone = service_email, service_phone
    party.consent_at = at
    if online:
        party.notice_acknowledged_at = at
    party.save()
    _event(
        case,
        actor,
        "consent",
        at=party.consent_at,
        summary=party.name
        if e_service
        else _("%(name)s: documents served on paper") % {"name": party.name},
        party=party.pk,
        online=online,
        e_service=e_service,
        notice_acknowledged=online,
    )
    record(
        actor,
        "case.consent_given",
        case,
        summary=party.name,
        changes={"online": online, "e_service": e_service, "notice_acknowledged": online},
    )
    if online or refuses_mediation:
        invitations.answered(party, at)
    if refuses_mediation and not online and case.state in lifecycle.REFUSABLE:
        invitations.refuse_mediation(case, party, actor, at)
    return party


def _checked_consent(
    online: bool, e_service: bool, email: str, phone: str, notice_acknowledged: bool
) -> str:
    """The consent form's checks, all reported at once; the phone in its stored form."""
    errors: dict[str, list[str]] = {}
    if online and not notice_acknowledged:
        errors["notice_acknowledged"] = [
            _("Read the notice of rights and duties and confirm that you have read it.")
        ]
    if e_service and not (email or phone):
        errors["service_email"] = [_("Give an e-mail address or a mobile phone for service.")]
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors["service_phone"] = list(exc.messages)
    if errors:
        invalid = Invalid.from_django(ValidationError(errors))
        if "notice_acknowledged" in errors:
            invalid.code = CaseError.NOTICE_NOT_ACKNOWLEDGED
        raise invalid
    return phone


DRAFT_FIELDS = ("title", "ip_kind", "right_number", "claims", "amount_fen", "description")


@transaction.atomic
def update_draft(*, actor: User, case: Case, data: dict[str, Any]) -> Case:
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
def submit(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    """The applicant sends the application: a direct one is numbered by its organisation.
    What it lacks is a precondition of the table (no button); the refusal names every lack."""
    at = _now(at)

    def numbered(c: Case) -> None:
        if c.channel == Channel.DIRECT:
            assert c.org is not None  # a direct application names its organisation
            c.number = numbering.org_number(c.org, at)
        c.submitted_at = at

    try:
        submitted = _step(case.pk, "submit", actor, at=at, mutate=numbered)
    except Conflict as exc:
        if exc.details.get("precondition") not in {p.name for p in lifecycle.INCOMPLETE}:
            raise
        locked = _locked(case.pk)
        problems = [str(p.reason) for p in lifecycle.INCOMPLETE if not p.holds(locked)]
        raise Conflict(problems[0], code=CaseError.INCOMPLETE, problems=problems) from None
    invitations.invite_unlinked(submitted, actor, at)
    return submitted


@transaction.atomic
def withdraw(*, actor: User, case: Case, reason: str = "", at: datetime | None = None) -> Case:
    return _step(case.pk, "withdraw", actor, at=at, summary=reason, reason=reason)
