"""The batch application: one spreadsheet of respondents, one claim text, shared files
uploaded once; one application per respondent, made and submitted by the cases domain's
actions, all in one transaction. A bad row is reported with its column and reason and leaves
nothing behind; the same spreadsheet uploaded again creates nothing twice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases import actions as cases
from sutiao.cases import evidence
from sutiao.cases.actions import PartyIn
from sutiao.core import outbox
from sutiao.core.errors import Invalid
from sutiao.institutions.models import Court, IPKind
from sutiao.roster import spreadsheets as sheets

from .. import spreadsheet
from ..errors import BatchError
from ..models import Batch, BatchCase, BatchFile


@dataclass
class ConsentIn:
    """OMR 4, 8; SIR 14: the applicant's consent and service address, given once for all."""

    service_email: str = ""
    service_phone: str = ""
    notice_acknowledged: bool = False


def _refuse(message: str, field: str = "spreadsheet") -> Invalid:
    return Invalid(message, code=BatchError.BAD_SPREADSHEET, fields={field: [message]})


def _read(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    try:
        sheet = sheets.read(data, filename)
    except Exception:  # openpyxl and csv raise many kinds for a file that is not a sheet
        raise _refuse(_("The file is not a readable XLSX or CSV spreadsheet.")) from None
    missing = spreadsheet.missing_columns(sheet.headers)
    if missing:
        raise _refuse(_("Columns missing: %(columns)s.") % {"columns": "、".join(missing)})
    rows = list(spreadsheet.records(sheet))
    if not rows:
        raise _refuse(_("The spreadsheet has no respondent."))
    if len(rows) > spreadsheet.MAX_ROWS:
        raise _refuse(_("At most %(n)d respondents per batch.") % {"n": spreadsheet.MAX_ROWS})
    return rows


def _check_header(court: Court, title: str, ip_kind: str, claims: str, consent: ConsentIn):
    errors: dict[str, list[str]] = {}
    if not court.has_ip_jurisdiction:
        errors["court"] = [_("This court does not hear IP disputes.")]
    if not title.strip():
        errors["title"] = [_("Give the batch a short title.")]
    kind = IPKind.objects.filter(code=ip_kind).first()
    if kind is None:
        errors["ip_kind"] = [_("Unknown IP kind.")]
    if not claims.strip():
        errors["claims"] = [_("Write the claims shared by every case.")]
    if not consent.notice_acknowledged:
        errors["notice_acknowledged"] = [
            _("Read the notice of rights and duties and confirm that you have read it.")
        ]
    if not (consent.service_email or consent.service_phone):
        errors["service_email"] = [_("Give an e-mail address or a mobile phone for service.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return kind


@transaction.atomic
def upload_batch(
    *,
    actor: User,
    court: Court,
    title: str,
    ip_kind: str,
    claims: str,
    applicant: PartyIn,
    consent: ConsentIn,
    spreadsheet_file: File,
    files: list[tuple[File, str]],
    description: str = "",
    as_agent: bool = False,
) -> tuple[Batch, bool]:
    """The batch and whether this upload created it (False: the same spreadsheet was
    uploaded before by this person, and nothing was created again)."""
    require_verified(actor)
    data = spreadsheet_file.read()
    digest = hashlib.sha256(data).hexdigest()
    done = Batch.objects.filter(created_by=actor, sha256=digest).first()
    if done is not None:
        return done, False
    kind = _check_header(court, title, ip_kind, claims, consent)
    rows = _read(data, getattr(spreadsheet_file, "name", "") or "batch.xlsx")
    checked = [(evidence.check(f, case_total=0), f, k) for f, k in files]
    if as_agent and not any(k == "power_of_attorney" for _c, _f, k in checked):
        raise _refuse(_("An agent must upload the power of attorney."), "files")
    batch = Batch.objects.create(
        court=court,
        title=title.strip(),
        applicant_name=applicant.name.strip(),
        ip_kind=kind,
        claims=claims,
        description=description,
        filename=(getattr(spreadsheet_file, "name", "") or "batch.xlsx").rsplit("/", 1)[-1][:200],
        sha256=digest,
        as_agent=as_agent,
        total=len(rows),
        created_by=actor,
    )
    shared = _store_shared(batch, checked)
    try:
        _create_cases(actor, batch, rows, applicant, consent, shared)
    except Exception:
        for f in shared:
            f.file.storage.delete(f.file.name)  # no bytes without their rows
        raise
    return batch, True


def _store_shared(batch: Batch, checked) -> list[BatchFile]:
    stored = []
    for c, upload, kind in checked:
        name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
        f = BatchFile(
            batch=batch,
            kind=kind,
            name=name,
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
        )
        f.file.save("upload", ContentFile(c.data), save=False)
        f.save()
        stored.append(f)
    return stored


def _create_cases(actor, batch, rows, applicant, consent, shared) -> None:
    errors: list[dict[str, object]] = []
    created = 0
    for line, values in rows:
        row = spreadsheet.check_row(line, values)
        if row.errors:
            errors.extend(row.errors)
            continue
        try:
            with transaction.atomic():  # a row refused by the cases domain leaves nothing
                _one_case(actor, batch, row, applicant, consent, shared)
            created += 1
        except Invalid as exc:
            errors.extend(_row_errors(line, exc))
    batch.created_count, batch.error_count = created, len({e["line"] for e in errors})
    batch.errors = errors
    batch.save(update_fields=["created_count", "error_count", "errors"])
    record(
        actor,
        "batch.uploaded",
        batch,
        summary=batch.title,
        changes={"rows": batch.total, "created": created, "errors": batch.error_count},
    )
    outbox.emit("batch.uploaded", {"batch": batch.pk, "created": created})


_FIELD_COLUMNS = {
    "name": spreadsheet.NAME,
    "uscc": spreadsheet.IDENT,
    "id_number": spreadsheet.IDENT,
    "phone": spreadsheet.PHONE,
    "kind": spreadsheet.KIND,
}


def _row_errors(line: int, exc: Invalid) -> list[dict[str, object]]:
    """The cases domain's refusal of a row, each field named by its column."""
    found = []
    for key, texts in exc.details.get("fields", {}).items():
        column = _FIELD_COLUMNS.get(key.rsplit(".", 1)[-1], spreadsheet.NAME)
        found.append(spreadsheet.error(line, column, "；".join(str(t) for t in texts)))
    return found or [spreadsheet.error(line, spreadsheet.NAME, str(exc.message))]


def _one_case(actor, batch: Batch, row, applicant: PartyIn, consent: ConsentIn, shared) -> None:
    case = cases.apply_for_mediation(
        actor=actor,
        title=f"{batch.applicant_name}诉{row.respondent.name}{batch.ip_kind}纠纷"[:200],
        court=batch.court,
        ip_kind=batch.ip_kind_id,
        right_number=row.works,
        claims=batch.claims,
        amount_fen=row.amount_fen,
        description=batch.description,
        applicant=PartyIn(**{**applicant.__dict__, "role": "applicant"}),
        respondents=[row.respondent],
        as_agent=batch.as_agent,
    )
    cases.give_consent(
        actor=actor,
        case=case,
        party=case.parties.get(role="applicant"),
        online=True,
        e_service=True,
        service_email=consent.service_email,
        service_phone=consent.service_phone,
        notice_acknowledged=consent.notice_acknowledged,
    )
    for f in shared:
        cases.link_stored_file(
            actor=actor,
            case=case,
            name=f.name,
            kind=f.kind,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            stored_name=f.file.name,
        )
    cases.submit(actor=actor, case=case)
    BatchCase.objects.create(batch=batch, case=case, line=row.line)
