"""Files of a case (evidence, powers of attorney, documents): checked, stored, audited."""

from __future__ import annotations

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid
from sutiao.core.policy import require

from .. import evidence
from ..models import (
    Case,
    CaseFile,
    Party,
)
from ._steps import _event, _locked


@transaction.atomic
def add_file(
    *,
    actor: User,
    case: Case,
    upload: File,
    kind: str = CaseFile.Kind.EVIDENCE,
    party: Party | None = None,
) -> CaseFile:
    """Store one checked file; a refused file leaves nothing behind (no row, no bytes)."""
    case = _locked(case.pk)
    require(actor, "upload", case)
    return _store_file(actor, case, upload, kind, party)


def _store_file(actor: User, case: Case, upload: File, kind: str, party: Party | None) -> CaseFile:
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
def link_stored_file(
    *,
    actor: User,
    case: Case,
    name: str,
    kind: str,
    content_type: str,
    size: int,
    sha256: str,
    stored_name: str,
) -> CaseFile:
    """A file already checked and stored elsewhere (a batch's shared evidence: batches/)
    becomes one of this case's files without storing its bytes again."""
    case = _locked(case.pk)
    require(actor, "upload", case)
    if kind not in CaseFile.Kind.values:
        raise Invalid(_("Unknown kind of file."))
    f = CaseFile(
        case=case,
        kind=kind,
        name=name[:200],
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    f.file.name = stored_name
    f.save()
    _event(case, actor, "file_added", at=f.uploaded_at, summary=f.name, file=f.pk, file_kind=kind)
    record(
        actor,
        "case.file_added",
        case,
        summary=f.name,
        changes={"file": f.pk, "sha256": sha256, "size": size, "shared": True},
    )
    return f
