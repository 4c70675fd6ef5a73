"""Every change to mediators, recommendations and court rosters; one transaction each, audited."""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts import actions as account_actions
from sutiao.accounts.identity import validate_phone, validate_resident_id
from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.audit.log import diff, record
from sutiao.core.errors import Conflict, Forbidden, Invalid, required_reason
from sutiao.core.policy import require
from sutiao.institutions import actions as institution_actions
from sutiao.institutions.models import Court, IPKind, IPOffice, MediationOrg, Region
from sutiao.institutions.validators import validate_region_code

from . import importing, spreadsheets
from .errors import RosterError
from .events import STATUS_VERBS
from .models import ImportJob, Mediator, Qualification, Recommendation, RosterEntry, RosterMeasure
from .policies import covers, may_import, office_may_recommend_to, offices_of

MEDIATOR_FIELDS = (
    "name",
    "phone",
    "region",
    "orgs",
    "ip_kinds",
    "technical_fields",
    "languages",
    "qualifications",
    "charges_fees",
    "fee_note",
    "bio",
)


def _invalid(errors: dict[str, list[str]]) -> Invalid:
    return Invalid.from_django(ValidationError(errors))


def _snapshot(m: Mediator) -> dict[str, Any]:
    return {
        "name": m.name,
        "phone": "***" if m.phone else "",  # never a phone number in a log
        "region": m.region_id,
        "orgs": sorted(m.orgs.values_list("pk", flat=True)) if m.pk else [],
        "ip_kinds": sorted(m.ip_kinds.values_list("pk", flat=True)) if m.pk else [],
        "technical_fields": m.technical_fields,
        "languages": m.languages,
        "qualifications": list(m.qualifications or []),
        "charges_fees": m.charges_fees,
        "fee_note": m.fee_note,
        "bio": m.bio,
        "status": m.status,
    }


@transaction.atomic
def save_mediator(*, actor: User, mediator: Mediator | None, data: dict[str, Any]) -> Mediator:
    """Create or edit a mediator; IP office staff only within their region and below."""
    errors: dict[str, list[str]] = {}
    if mediator is not None:
        mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
        require(actor, "manage", mediator)
        before = _snapshot(mediator)
    else:
        mediator = _new_mediator(actor, data, errors)
        before = {}
    _apply_details(actor, mediator, data, errors)
    kinds = _ip_kinds(data, errors)
    orgs = _orgs(data, errors)
    _apply_profile(mediator, data, errors)
    if errors:
        raise _invalid(errors)
    try:
        mediator.full_clean(exclude=["user", "import_job", "region", "id_number_hash"])
    except ValidationError as exc:
        raise Invalid.from_django(exc) from exc
    created = mediator.pk is None
    mediator.save()
    if kinds is not None:
        mediator.ip_kinds.set(kinds)  # type: ignore[arg-type]  # codes: IPKind's keys
    if orgs is not None:
        mediator.orgs.set(orgs)
    changes = diff(before, _snapshot(mediator))
    if created:
        changes["id_number"] = [None, mediator.id_number_masked]
    record(
        actor,
        "mediator.created" if created else "mediator.updated",
        mediator,
        summary=mediator.name,
        changes=changes,
    )
    return mediator


def _new_mediator(actor: User, data: dict[str, Any], errors: dict[str, list[str]]) -> Mediator:
    """A mediator not yet saved, with the identity number of `data` (unique on the platform)."""
    if not (offices_of(actor) or covers(actor, None)):
        raise Forbidden()
    mediator = Mediator()
    id_number = (data.get("id_number") or "").strip()
    try:
        id_number = validate_resident_id(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    else:
        mediator.set_id_number(id_number)
        if Mediator.objects.filter(id_number_hash=mediator.id_number_hash).exists():
            errors["id_number"] = [_("A mediator with this identity number exists already.")]
    return mediator


def _apply_details(
    actor: User, mediator: Mediator, data: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    """Name, phone and region from `data`; each bad one goes to `errors`."""
    if "name" in data:
        mediator.name = (data["name"] or "").strip()
        if not mediator.name:
            errors["name"] = [_("This field is required.")]
    if "phone" in data:
        try:
            mediator.phone = validate_phone(data["phone"] or "")
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    if "region" in data:
        _apply_region(actor, mediator, data["region"], errors)
    elif not mediator.pk:
        errors["region"] = [_("This field is required.")]


def _apply_profile(mediator: Mediator, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Qualifications, fields, languages, fees and profile: what the public roster shows."""
    quals = data.get("qualifications")
    if quals is not None:
        if set(quals) - set(Qualification.values):
            errors["qualifications"] = [_("Unknown qualification.")]
        mediator.qualifications = list(dict.fromkeys(quals))
    for key in ("technical_fields", "languages", "fee_note", "bio"):
        if key in data:
            setattr(mediator, key, (data[key] or "").strip())
    if "charges_fees" in data:
        mediator.charges_fees = bool(data["charges_fees"])


def _apply_region(
    actor: User, mediator: Mediator, value: Any, errors: dict[str, list[str]]
) -> None:
    code = str(getattr(value, "code", value) or "")
    try:
        validate_region_code(code)
    except ValidationError as exc:
        errors["region"] = list(exc.messages)
    else:
        region = Region.objects.get(code=code)
        if not covers(actor, region):
            errors["region"] = [_("This region is outside the area of your IP office.")]
        mediator.region = region


def _ip_kinds(data: dict[str, Any], errors: dict[str, list[str]]) -> list[str] | None:
    """The IP kinds of `data` as codes (None: not given, left as they are)."""
    kinds = data.get("ip_kinds")
    if kinds is None:
        return None
    codes = [getattr(k, "pk", k) for k in kinds]
    unknown = set(codes) - set(IPKind.objects.values_list("code", flat=True))
    if unknown:
        errors["ip_kinds"] = [
            _("Unknown IP kind: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}
        ]
    return codes


def _orgs(data: dict[str, Any], errors: dict[str, list[str]]) -> list[int] | None:
    """The organisations of `data` as ids (None: not given, left as they are)."""
    orgs = data.get("orgs")
    if orgs is None:
        return None
    ids = [getattr(o, "pk", o) for o in orgs]
    if MediationOrg.objects.filter(pk__in=ids).count() != len(set(ids)):
        errors["orgs"] = [_("Unknown organisation.")]
    return ids


def _reason(reason: str) -> str:
    reason = required_reason(reason)
    if len(reason) > 300:
        raise Invalid(
            _("At most 300 characters."), fields={"reason": [_("At most 300 characters.")]}
        )
    return reason


@transaction.atomic
def set_mediator_status(*, actor: User, mediator: Mediator, status: str, reason: str) -> Mediator:
    """Suspend, reactivate or remove a mediator from the platform, with the reason."""
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    require(actor, "manage", mediator)
    reason = _reason(reason)
    if status not in Mediator.Status.values:
        raise Invalid(_("Unknown status."), fields={"status": [_("Unknown status.")]})
    if status == mediator.status:
        raise Conflict(
            _("The mediator already has this status."), code=RosterError.MEDIATOR_SAME_STATUS
        )
    before = mediator.status
    mediator.status, mediator.status_reason = status, reason
    mediator.save(update_fields=["status", "status_reason", "updated_at"])
    verb = STATUS_VERBS[status]
    record(
        actor,
        f"mediator.{verb}",
        mediator,
        summary=reason,
        changes={"status": [before, status], "reason": reason},
    )
    return mediator


@transaction.atomic
def set_org_active(*, actor: User, org: MediationOrg, active: bool, reason: str) -> MediationOrg:
    """Suspend or reactivate an organisation, with the reason (the institution keeps the flag)."""
    reason = _reason(reason)
    require(actor, "manage", org)
    if org.active == active:
        raise Conflict(
            _("The organisation already has this status."), code=RosterError.ORG_SAME_STATUS
        )
    org = institution_actions.save_org(actor=actor, org=org, data={"active": active})
    record(
        actor,
        "org.reactivated" if active else "org.suspended",
        org,
        summary=reason,
        changes={"active": [not active, active], "reason": reason},
    )
    return org


@transaction.atomic
def recommend(
    *,
    actor: User,
    court: Court,
    mediator: Mediator | None = None,
    org: MediationOrg | None = None,
    office: IPOffice | None = None,
    note: str = "",
) -> Recommendation:
    """An IP office recommends an organisation or mediator of its area to a court (Notice §8–9)."""
    subject = mediator or org
    if subject is None or (mediator and org):
        raise Invalid(_("Recommend one organisation or one mediator."))
    require(actor, "recommend", subject)
    offices = [o for o in offices_of(actor) if o.covers(subject.region)]
    if office is not None:
        offices = [o for o in offices if o.pk == office.pk]
    offices = [o for o in offices if office_may_recommend_to(o, court)]
    if not offices:
        msg = _("This court has no IP jurisdiction over your office's area.")
        raise Invalid(msg, fields={"court": [msg]})
    on_roster = RosterEntry.objects.filter(
        court=court, status=RosterEntry.Status.ADMITTED, mediator=mediator, org=org
    )
    if on_roster.exists():
        raise Conflict(_("Already on this court's roster."), code=RosterError.ALREADY_ADMITTED)
    try:
        with transaction.atomic():
            rec = Recommendation.objects.create(
                office=offices[0],
                court=court,
                mediator=mediator,
                org=org,
                note=(note or "").strip(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A recommendation to this court is already waiting."),
            code=RosterError.RECOMMENDATION_PENDING,
        ) from exc
    record(
        actor,
        "roster.recommended",
        rec,
        summary=str(rec),
        changes={"court": court.pk, rec.subject_kind: subject.pk, "office": offices[0].pk},
    )
    return rec


def _decidable(actor: User, rec: Recommendation) -> Recommendation:
    rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
    require(actor, "decide", rec)
    if rec.status != Recommendation.Status.PENDING:
        raise Conflict(_("This recommendation was decided already."), code=RosterError.DECIDED)
    return rec


@transaction.atomic
def admit(
    *,
    actor: User,
    recommendation: Recommendation,
    certificate_number: str,
    term_start: date | None = None,
    term_end: date | None = None,
    ip_specialty: bool = True,
) -> RosterEntry:
    """The court's clerk admits a recommended organisation or mediator to the court's roster."""
    rec = _decidable(actor, recommendation)
    certificate_number = (certificate_number or "").strip()
    term_start = term_start or timezone.localdate()
    errors = _admission_errors(rec, certificate_number, term_start, term_end)
    if errors:
        raise _invalid(errors)
    subject = rec.subject
    try:
        with transaction.atomic():
            entry = RosterEntry.objects.create(
                court=rec.court,
                mediator=rec.mediator,
                org=rec.org,
                recommendation=rec,
                certificate_number=certificate_number,
                term_start=term_start,
                term_end=term_end,
                ip_specialty=ip_specialty,
                admitted_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Already on this court's roster."), code=RosterError.ALREADY_ADMITTED
        ) from exc
    _decided(rec, Recommendation.Status.ADMITTED, actor)
    rec.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor,
        "roster.admitted",
        entry,
        summary=f"{subject} → {rec.court}",
        changes={
            "court": rec.court_id,
            rec.subject_kind: subject.pk,
            "certificate_number": certificate_number,
            "term": [str(term_start), str(term_end or "")],
            "ip_specialty": ip_specialty,
        },
    )
    return entry


def _admission_errors(
    rec: Recommendation, certificate_number: str, term_start: date, term_end: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not certificate_number:
        errors["certificate_number"] = [_("This field is required.")]
    if term_end and term_end <= term_start:
        errors["term_end"] = [_("The term must end after it starts.")]
    if rec.mediator and rec.mediator.status != Mediator.Status.ACTIVE:
        errors["__all__"] = [_("The mediator is suspended or removed.")]
    if rec.org and not rec.org.active:
        errors["__all__"] = [_("The organisation is suspended.")]
    return errors


def _decided(rec: Recommendation, status: str, actor: User) -> None:
    rec.status, rec.decided_by, rec.decided_at = status, actor, timezone.now()


@transaction.atomic
def decline(*, actor: User, recommendation: Recommendation, reason: str) -> Recommendation:
    rec = _decidable(actor, recommendation)
    rec.decline_reason = _reason(reason)
    _decided(rec, Recommendation.Status.DECLINED, actor)
    rec.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    record(actor, "roster.declined", rec, summary=rec.decline_reason, changes={"reason": reason})
    return rec


@transaction.atomic
def take_measure(*, actor: User, entry: RosterEntry, kind: str, reason: str) -> RosterMeasure:
    """Warn, publish a notice about, or remove an organisation or mediator (SIR 28, OMR 29)."""
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    require(actor, "manage", entry)
    if kind not in RosterMeasure.Kind.values:
        raise Invalid(_("Unknown measure."), fields={"kind": [_("Unknown measure.")]})
    reason = _reason(reason)
    if entry.status != RosterEntry.Status.ADMITTED:
        raise Conflict(_("This entry was removed from the roster."), code=RosterError.REMOVED)
    measure = RosterMeasure.objects.create(entry=entry, kind=kind, reason=reason, by=actor)
    if kind == RosterMeasure.Kind.REMOVAL:
        entry.status = RosterEntry.Status.REMOVED
        entry.removed_at, entry.removal_reason = measure.at, reason
        entry.save(update_fields=["status", "removed_at", "removal_reason"])
    record(
        actor,
        f"roster.{kind}",
        entry,
        summary=reason,
        changes={"court": entry.court_id, entry.subject_kind: entry.subject.pk, "reason": reason},
    )
    return measure


@transaction.atomic
def link_account(*, user: User) -> Mediator | None:
    """A mediator who logs in for the first time is linked to their record by identity number."""
    if not user.id_number_hash or _has_mediator(user):
        return None
    mediator = (
        Mediator.objects.select_for_update()
        .filter(id_number_hash=user.id_number_hash, user__isnull=True)
        .first()
    )
    if mediator is None:
        return None
    mediator.user = user
    mediator.save(update_fields=["user", "updated_at"])
    record(user, "mediator.account_linked", mediator, summary=mediator.name)
    if not user.has_role(Role.MEDIATOR):
        orgs: list[MediationOrg | None] = [*mediator.orgs.all()] or [None]
        for org in orgs:
            account_actions.add_membership(actor=None, user=user, role=Role.MEDIATOR, org=org)
    return mediator


def _has_mediator(user: User) -> bool:
    return Mediator.objects.filter(user=user).exists()


@transaction.atomic
def start_import(
    *, actor: User | None, filename: str, data: bytes, kind: str = "", queue: bool = True
) -> ImportJob:
    """Store the uploaded file and queue its import, which starts after commit.

    actor None is the operator at the command line, who then runs the job itself (queue=False).
    """
    if actor is not None and not may_import(actor):
        raise Forbidden()
    ext = os.path.splitext(filename or "")[1].lower()
    if ext not in {".xlsx", ".csv"}:
        msg = _("Upload an XLSX or CSV file made from the template.")
        raise Invalid(msg, fields={"file": [msg]})
    try:
        headers = spreadsheets.read(data, filename).headers
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        msg = _("The file could not be read. Save it as XLSX or UTF-8 CSV and try again.")
        raise Invalid(msg, fields={"file": [msg]}) from exc
    detected = spreadsheets.detect_kind(headers)
    if detected is None or (kind and kind != detected):
        msg = _("The columns are not those of the template for %(kind)s.") % {
            "kind": ImportJob.Kind(kind or ImportJob.Kind.MEDIATORS).label
        }
        raise Invalid(msg, fields={"file": [msg]})
    job = ImportJob.objects.create(
        kind=detected,
        filename=os.path.basename(filename)[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    job.stored_path = default_storage.save(
        f"roster/imports/{uuid.uuid4().hex}{ext}", ContentFile(data)
    )
    job.save(update_fields=["stored_path"])
    record(
        actor or "cli",
        "roster.import_started",
        job,
        summary=job.filename,
        changes={"kind": detected},
    )
    if not queue:
        return job
    if getattr(settings, "ROSTER_IMPORT_INLINE", False):
        transaction.on_commit(lambda: importing.run(job.pk))
    else:
        transaction.on_commit(lambda: importing.start_in_background(job.pk))
    return job
