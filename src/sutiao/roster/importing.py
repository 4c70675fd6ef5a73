"""Collection: importing organisations and mediators from the XLSX/CSV templates.

Each row is validated on its own; valid rows are created in batches of BATCH rows, each batch
in its own short transaction with its audit entry and the job's progress, so that a 50,000-row
file never holds the database for long and the page can show how far it got. Rows already on
the platform (same identity number; same organisation name) are counted, not created again:
importing the same file twice changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from sutiao.accounts.identity import normalise_id_number, validate_phone, validate_resident_id
from sutiao.accounts.policies import is_platform_admin
from sutiao.audit.log import record
from sutiao.core import crypto
from sutiao.core.background import start_thread
from sutiao.institutions import actions as institution_actions
from sutiao.institutions.models import IPOffice, MediationOrg, Region
from sutiao.institutions.validators import validate_region_code, validate_uscc

from . import spreadsheets
from .models import ImportJob, Mediator, Qualification
from .policies import offices_of

log = logging.getLogger(__name__)
BATCH = 1000
Progress = Callable[[ImportJob], None]


def area_prefixes(actor: Any) -> list[str] | None:
    """Region-code prefixes the actor may collect in; None for everywhere."""
    if not getattr(actor, "is_authenticated", False) or is_platform_admin(actor):
        return None  # the command line, or a platform administrator
    prefixes = []
    for office in offices_of(actor):
        if office.level == IPOffice.Level.NATIONAL:
            return None
        if office.region:
            prefixes.append(office.region.prefix())
    return prefixes


@dataclass
class Context:
    kind: str
    region_codes: set[str]
    prefixes: list[str] | None
    org_ids: dict[str, int]  # name -> id
    uscc_owner: dict[str, str]  # uscc -> org name
    seen: dict[str, int] = field(default_factory=dict)  # dedupe key -> first line

    @classmethod
    def load(cls, kind: str, actor: Any) -> Context:
        orgs = list(MediationOrg.objects.values_list("id", "name", "uscc"))
        return cls(
            kind=kind,
            region_codes=set(Region.objects.values_list("code", flat=True)),
            prefixes=area_prefixes(actor),
            org_ids={name: pk for pk, name, _u in orgs},
            uscc_owner={u: name for _pk, name, u in orgs if u},
        )

    def covers(self, code: str) -> bool:
        return self.prefixes is None or any(code.startswith(p) for p in self.prefixes)


class RowErrors:
    def __init__(self) -> None:
        self.reasons: list[str] = []

    def add(self, header: str, message: Any) -> None:
        self.reasons.append(f"{header}：{message}")

    def check(self, header: str, fn: Callable[[str], Any], value: str) -> Any:
        try:
            return fn(value)
        except ValidationError as exc:
            for m in exc.messages:
                self.add(header, m)
            return None


def _fee(value: str, errors: RowErrors, header: str = "是否收费") -> bool:
    v = value.strip().lower()
    if v in spreadsheets.YES:
        return True
    if v not in spreadsheets.NO:
        errors.add(header, _("Write 是 or 否."))
    return False


def _codes(value: str, names: dict[str, str], known: set[str]) -> tuple[list[str], list[str]]:
    codes, unknown = [], []
    for part in spreadsheets.split_list(value):
        code = names.get(part) or (part if part in known else None)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


IP_CODES = set(spreadsheets.IP_KIND_TITLES)


def _region(row: dict, ctx: Context, errors: RowErrors) -> str | None:
    code = row["region"]
    if code not in ctx.region_codes:
        errors.check("行政区划代码", validate_region_code, code)
        return None
    if not ctx.covers(code):
        errors.add("行政区划代码", _("This region is outside the area of your IP office."))
        return None
    return code


def _ip_kinds(row: dict, errors: RowErrors, header: str) -> list[str]:
    codes, unknown = _codes(row["ip_kinds"], spreadsheets.IP_KIND_NAMES, IP_CODES)
    if unknown:
        errors.add(header, _("Unknown value: %(values)s") % {"values": "、".join(unknown)})
    elif not codes:
        errors.add(header, _("Name at least one."))
    return codes


def _id_number(value: str, ctx: Context, errors: RowErrors) -> str | None:
    value = normalise_id_number(value)
    # Fast path without a query per row; the shared validator explains what is wrong.
    if ric.is_valid(value) and value[:2] + "0000" in ctx.region_codes:
        return value
    if not value:
        errors.add("身份证号码", _("This field is required."))
        return None
    return errors.check("身份证号码", validate_resident_id, value)


def mediator_from_row(
    line: int, row: dict, ctx: Context, job: ImportJob
) -> tuple[Mediator, list[int], list[str]] | RowErrors:
    errors = RowErrors()
    name = _name(row, errors, "姓名", 50, _("At most 50 characters."))
    id_number = _id_number(row["id_number"], ctx, errors)
    phone = errors.check("手机号码", validate_phone, row["phone"])
    region = _region(row, ctx, errors)
    org_ids = []
    for org_name in spreadsheets.split_list(row["orgs"]):
        if org_name in ctx.org_ids:
            org_ids.append(ctx.org_ids[org_name])
        else:
            errors.add(
                "所属调解组织",
                _("No organisation named “%(name)s” is on the platform.") % {"name": org_name},
            )
    kinds = _ip_kinds(row, errors, "擅长领域")
    quals, unknown = _codes(
        row["qualifications"], spreadsheets.QUALIFICATION_NAMES, set(Qualification.values)
    )
    if unknown:
        errors.add("资质", _("Unknown value: %(values)s") % {"values": "、".join(unknown)})
    fees = _fee(row["charges_fees"], errors)
    id_hash = crypto.lookup_hash(id_number) if id_number else ""
    first = _seen_before(ctx, id_hash, line)
    if first:
        errors.add(
            "身份证号码",
            _("The same identity number is on line %(line)s of this file.") % {"line": first},
        )
    if errors.reasons:
        return errors
    mediator = Mediator(
        name=name,
        phone=phone,
        region_id=region,
        technical_fields=row["technical_fields"][:200],
        languages="、".join(spreadsheets.split_list(row["languages"]))[:100],
        qualifications=[str(q) for q in quals],
        charges_fees=fees,
        fee_note=row["fee_note"][:200],
        bio=row["bio"],
        import_job=job,
        id_number_hash=id_hash,
        id_number_cipher=crypto.encrypt(id_number),
        id_number_masked=crypto.mask(id_number, head=6, tail=4),
    )
    return mediator, org_ids, kinds


def _name(row: dict, errors: RowErrors, column: str, longest: int, too_long: str) -> str:
    """The row's name, which must be there and no longer than `longest` characters."""
    name = row["name"]
    if not name:
        errors.add(column, _("This field is required."))
    elif len(name) > longest:
        errors.add(column, too_long)
    return name


def _seen_before(ctx: Context, key: str, line: int) -> int | None:
    """The line of this file that already had `key` (an identity hash, a name); otherwise
    None, and this line is remembered as having it. An empty key is never a repeat."""
    if not key:
        return None
    first = ctx.seen.get(key)
    if not first:
        ctx.seen[key] = line
    return first


def _contact_phone(value: str) -> str:
    import re

    if re.fullmatch(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?", value):
        return value
    return validate_phone(value)


def org_from_row(
    line: int, row: dict, ctx: Context, job: ImportJob
) -> tuple[MediationOrg, list[str]] | RowErrors:
    errors = RowErrors()
    name = _name(row, errors, "名称", 120, _("At most 120 characters."))
    kind = spreadsheets.ORG_KIND_NAMES.get(row["kind"]) or (
        row["kind"] if row["kind"] in MediationOrg.Kind.values else None
    )
    if not kind:
        errors.add("类型", _("Unknown value: %(values)s") % {"values": row["kind"] or "—"})
    region = _region(row, ctx, errors)
    uscc = row["uscc"].upper()
    if uscc:
        errors.check("统一社会信用代码", validate_uscc, uscc)
        owner = ctx.uscc_owner.get(uscc)
        if owner and owner != name:
            errors.add(
                "统一社会信用代码",
                _("This code belongs to “%(name)s”.") % {"name": owner},
            )
    kinds = _ip_kinds(row, errors, "受理纠纷类型")
    fees = _fee(row["charges_fees"], errors)
    phone = row["contact_phone"]
    if phone:
        phone = errors.check("联系电话", _contact_phone, phone) or ""
    first = _seen_before(ctx, name, line)
    if first:
        errors.add("名称", _("The same name is on line %(line)s of this file.") % {"line": first})
    if errors.reasons:
        return errors
    if uscc:
        ctx.uscc_owner[uscc] = name
    org = MediationOrg(
        name=name,
        kind=kind,
        region_id=region,
        uscc=uscc,
        charges_fees=fees,
        fee_note=row["fee_note"][:200],
        contact_person=row["contact_person"][:50],
        contact_phone=phone,
        address=row["address"][:200],
        description=row["description"],
    )
    return org, kinds


def _flush(job: ImportJob, actor: Any, ctx: Context, batch: list, counts: dict) -> None:
    """Create the batch's new rows, skip those already there, save progress: one transaction."""
    if ctx.kind == ImportJob.Kind.MEDIATORS:
        hashes = [m.id_number_hash for m, _o, _k in batch]
        there = set(
            Mediator.objects.filter(id_number_hash__in=hashes).values_list(
                "id_number_hash", flat=True
            )
        )
        new = [b for b in batch if b[0].id_number_hash not in there]
    else:
        names = [o.name for o, _k in batch]
        there = set(MediationOrg.objects.filter(name__in=names).values_list("name", flat=True))
        new = [b for b in batch if b[0].name not in there]
    with transaction.atomic():
        if ctx.kind == ImportJob.Kind.MEDIATORS and new:
            created = Mediator.objects.bulk_create([m for m, _o, _k in new])
            orgs_through = Mediator.orgs.through
            kinds_through = Mediator.ip_kinds.through
            orgs_through.objects.bulk_create(
                [
                    orgs_through(mediator_id=m.pk, mediationorg_id=o)
                    for m, (_m, org_ids, _k) in zip(created, new, strict=True)
                    for o in dict.fromkeys(org_ids)
                ]
            )
            kinds_through.objects.bulk_create(
                [
                    kinds_through(mediator_id=m.pk, ipkind_id=k)
                    for m, (_m, _o, kinds) in zip(created, new, strict=True)
                    for k in kinds
                ]
            )
            record(
                actor,
                "mediator.imported",
                job,
                summary=f"{len(created)} mediators imported from {job.filename}",
                changes={"created": len(created), "first": created[0].pk, "last": created[-1].pk},
            )
        elif new:
            created = institution_actions.create_orgs_in_bulk(
                actor=actor, orgs=[o for o, _k in new], ip_kinds=[k for _o, k in new], source=job
            )
            for org in created:
                ctx.org_ids[org.name] = org.pk
        counts["created"] += len(new)
        counts["existing"] += len(batch) - len(new)
        ImportJob.objects.filter(pk=job.pk).update(
            processed=counts["processed"],
            created_count=counts["created"],
            existing_count=counts["existing"],
            error_count=len(job.errors),
            errors=job.errors,
        )


def run(job_id: int, *, actor: Any = None, progress: Progress | None = None) -> ImportJob:
    """Import a stored job's file. Called by the background thread and by the command line."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = actor or job.created_by or "import"
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with default_storage.open(job.stored_path, "rb") as fh:
            data = fh.read()
        sheet = spreadsheets.read(data, job.filename)
        missing = spreadsheets.missing_columns(sheet.headers, job.kind)
        if missing:
            raise ImportFailed(
                _("The file lacks these columns: %(columns)s. Use the template.")
                % {"columns": "、".join(missing)}
            )
        job.total = sheet.total
        job.save(update_fields=["total"])
        ctx = Context.load(job.kind, actor)
        build = mediator_from_row if job.kind == ImportJob.Kind.MEDIATORS else org_from_row
        counts = {"processed": 0, "created": 0, "existing": 0}
        batch: list = []
        for line, row in spreadsheets.records(sheet, job.kind):
            counts["processed"] += 1
            result = build(line, row, ctx, job)
            if isinstance(result, RowErrors):
                job.errors.append({"line": line, "name": row["name"], "reasons": result.reasons})
            else:
                batch.append(result)
            if counts["processed"] % BATCH == 0:
                _flush(job, actor, ctx, batch, counts)
                batch = []
                if progress:
                    job.refresh_from_db()
                    progress(job)
        _flush(job, actor, ctx, batch, counts)
        job.refresh_from_db()
        job.total = counts["processed"]
        job.status = ImportJob.Status.DONE
    except ImportFailed as exc:
        job.status, job.failure = ImportJob.Status.FAILED, str(exc)
    except Exception:  # a broken file must not leave the job "running" for ever
        log.exception("roster import %s failed", job.pk)
        job.refresh_from_db()
        job.status = ImportJob.Status.FAILED
        job.failure = _("The file could not be read. Save it as XLSX or UTF-8 CSV and try again.")
    finally:
        default_storage.delete(job.stored_path)  # the file holds identity numbers: not kept
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure", "total", "finished_at"])
    if progress:
        progress(job)
    return job


class ImportFailed(Exception):
    pass


def start_in_background(job_id: int) -> threading.Thread:
    """The embedded platform has no task queue: a thread, started after the job is committed."""
    return start_thread(lambda: run(job_id), name=f"roster-import-{job_id}")
