"""Back to the court: filing a failed case (立案), resuming the trial, pushing to a court."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid
from sutiao.institutions.models import Court

from .. import numbering
from ..models import (
    Case,
    FiledCase,
)
from ._steps import _court, _event, _now, _step


@transaction.atomic
def file_case(*, actor: User, case: Case, at: datetime | None = None) -> FiledCase:
    """A failed pre-filing (or pushed direct) case becomes a lawsuit; its parties, files,
    transcripts and failure report stay reachable from the filed case (origin)."""
    at = _now(at)
    _step(case.pk, "file_case", actor, at=at)
    case = Case.objects.select_related("court").get(pk=case.pk)
    court = _court(case)
    fc = FiledCase.objects.create(
        court=court,
        number=numbering.court_number(court, "filing", at),
        title=case.title,
        origin=case,
        filed_by=actor,
        filed_at=at,
    )
    _event(case, actor, "filed_as", at=at, summary=fc.number, filed_case=fc.pk)
    record(actor, "filed_case.filed", fc, summary=fc.number, changes={"origin": case.pk})
    return fc


@transaction.atomic
def resume_trial(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    return _step(case.pk, "resume_trial", actor, at=at)


@transaction.atomic
def push_to_court(*, actor: User, case: Case, court: Court, at: datetime | None = None) -> Case:
    """At the party's request the e-file of a failed direct mediation goes to a court (OMR 21)."""
    if not court.has_ip_jurisdiction:
        raise Invalid(_("This court does not hear IP disputes."))

    def send(c: Case) -> None:
        c.court = court

    return _step(case.pk, "push_to_court", actor, at=at, mutate=send, court=court.pk)
