"""Agreements reached offline: the scan of the paper agreement and its structured terms, on
a settled case of the organisation that presided; it can then be confirmed like any other."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.actions import PartyIn
from sutiao.cases.choices import PartyRole
from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case, CaseFile
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Invalid
from sutiao.institutions.models import MediationOrg

from .. import lifecycle
from ..errors import AgreementError
from ..models import Agreement
from ..queries import current_version
from .drafting import DraftIn, check_draft, save_terms

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def _not_a_pdf() -> Invalid:
    return Invalid(_("Upload the scan as a PDF."), fields={"scan": [_("Upload a PDF.")]})


def _settled_at(signed_on: date | None, at: datetime) -> datetime:
    if not signed_on:
        return at
    midnight = datetime.combine(signed_on, datetime.min.time())
    return midnight.replace(tzinfo=timezone.get_current_timezone())


def _number_parties(case: Case, data: DraftIn) -> None:
    """The case did not exist when the terms were written: they name the parties by number
    (1 the applicant, 2 the respondent)."""
    respondent = case.parties.filter(role=PartyRole.RESPONDENT).first()
    numbered = {
        1: case.parties.get(role=PartyRole.APPLICANT).pk,
        2: respondent.pk if respondent else None,
    }
    for t in data.terms:
        t.obligor = numbered.get(t.obligor) if t.obligor else None
        t.beneficiary = numbered.get(t.beneficiary) if t.beneficiary else None


def _signed_agreement(
    actor: User, case: Case, data: DraftIn, scan: CaseFile, settled_at: datetime
) -> Agreement:
    """The agreement row, born a draft and moved along `record_offline` to signed."""
    agreement = Agreement(
        case=case,
        template_version=current_version(data.template),
        facts=data.facts.strip(),
        issues=data.issues.strip(),
        performance=data.performance.strip(),
        place=data.place,
        offline=True,
        scan=scan,
        created_by=actor,
        effective_at=settled_at,
        completed_at=settled_at,
        opened_at=settled_at,
    )
    if case.state == CaseState.SETTLED:
        # The case's own action decided the organisation's staff record it: signed at once.
        t = lifecycle.check(agreement, "record_offline", {"recorder"})
        lifecycle.move(agreement, t, at=settled_at)
    # Else a party recorded it: a draft until the other party confirms (`confirm_offline`).
    agreement.save()
    return agreement


@transaction.atomic
def record_offline(
    *,
    actor: User,
    org: MediationOrg,
    title: str,
    parties: list[PartyIn],
    data: DraftIn,
    scan: Any,
    signed_on: date,
    ip_kind: str = "",
    as_party: PartyIn | None = None,
) -> Agreement:
    """An agreement signed on paper: the scan (a PDF) and its structured terms, on a settled
    case of the organisation that presided; it can then be confirmed like any other. The
    terms' obligor and beneficiary are 1 (the applicant) or 2 (the respondent).

    Recorded by the organisation's staff, it is signed and the case settled; recorded by a
    party, both stay drafts until the other party confirms (`confirm_offline`)."""
    settled_at = _settled_at(signed_on, timezone.now())
    if scan is None or not (getattr(scan, "name", "") or "").lower().endswith(".pdf"):
        raise _not_a_pdf()
    case = case_actions.record_offline_settlement(
        actor=actor,
        org=org,
        title=title,
        parties=parties,
        ip_kind=ip_kind,
        settled_at=settled_at,
        as_party=as_party,
        scan=scan,
    )
    _number_parties(case, data)
    rows = check_draft(case, data)
    f = case.files.get(kind=CaseFile.Kind.DOCUMENT)
    if f.content_type != "application/pdf":
        raise _not_a_pdf()
    agreement = _signed_agreement(actor, case, data, f, settled_at)
    save_terms(agreement, rows)
    settled = case.state == CaseState.SETTLED
    event = "agreement.offline_recorded" if settled else "agreement.offline_proposed"
    record(actor, event, agreement, summary=case.number, changes={"scan": f.sha256})
    if settled:
        outbox.emit("agreement.effective", {"agreement": agreement.pk, "case": case.pk})
    return agreement


@transaction.atomic
def confirm_offline(*, actor: User, agreement: Agreement) -> Agreement:
    """The other party confirms, with their own account, an agreement reached offline that a
    party recorded: the case is settled and the agreement signed (as of the day on paper)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not locked.offline:
        raise Conflict(
            _("This agreement was not reached offline."), code=AgreementError.NOT_OFFLINE
        )
    t = lifecycle.check(locked, "record_offline", {"recorder"})
    settled_at = locked.effective_at or timezone.now()
    case = case_actions.confirm_offline_settlement(
        actor=actor, case=locked.case, settled_at=settled_at
    )
    lifecycle.move(locked, t, at=settled_at)
    locked.save()
    record(
        actor,
        "agreement.offline_confirmed",
        locked,
        summary=case.number,
        changes={"state": [Agreement.State.DRAFT, locked.state]},
    )
    outbox.emit("agreement.effective", {"agreement": locked.pk, "case": case.pk})
    return locked
