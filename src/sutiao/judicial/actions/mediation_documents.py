"""Mediation documents (CPL 100–102): the judge issues one for a settled entrusted case, each
party signs for it after a one-time code, and it takes effect when every party has; before
that a party may withdraw and the trial resumes. State changes go through the table in
judicial/document_lifecycle.py."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.agreements import otp
from sutiao.agreements.models import Agreement, OneTimeCode
from sutiao.agreements.serving import serve
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.choices import Channel
from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.documents import actions as documents
from sutiao.documents.models import Document
from sutiao.workdays.periods import local_date

from .. import document_lifecycle as lifecycle
from ..choices import MediationDocumentState
from ..errors import JudicialError
from ..models import MediationDocument, MediationDocumentReceipt
from ..policies import document_roles
from ..queries import mediation_document_context, receipt_purpose, to_sign_for
from .common import now
from .ruling import court_document

if TYPE_CHECKING:
    from sutiao.accounts.models import User
    from sutiao.cases.models import FiledCase
    from sutiao.institutions.models import Court

MEDIATION_DOCUMENT_TEMPLATE = "judicial/mediation_document_pdf.html"


def _issuable(case: Case, actor: User) -> tuple[Case, FiledCase, Court]:
    """The case, locked, once the judge may issue its mediation document; its filed case
    and court (an entrusted case has both)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("court", "filed_case")
        .get(pk=case.pk)
    )
    roles = case_roles(actor, case)
    if not roles:
        raise NotFound()
    if "judge" not in roles:
        raise Forbidden()
    if case.channel != Channel.ENTRUSTED or case.state != CaseState.SETTLED:
        raise Conflict(
            _("A mediation document is issued for a settled entrusted case."),
            code=JudicialError.NOT_SETTLED_ENTRUSTED,
        )
    if case.mediation_documents.exclude(state=MediationDocumentState.WITHDRAWN).exists():
        raise Conflict(
            _("This case has a mediation document already."), code=JudicialError.DOCUMENT_EXISTS
        )
    assert case.filed_case is not None and case.court is not None  # entrusted
    return case, case.filed_case, case.court


def _rendered(
    case: Case, filed: FiledCase, court: Court, actor: User, code: str, at: datetime, **parts: str
) -> Document:
    return court_document(
        MEDIATION_DOCUMENT_TEMPLATE,
        mediation_document_context(case, judge=actor, on=local_date(at), **parts),
        kind=Document.Kind.MEDIATION_DOCUMENT,
        title=f"民事调解书 {filed.number}",
        case_number=filed.number,
        judge=actor,
        court=court,
        code=code,
    )


@transaction.atomic
def issue_mediation_document(
    *,
    actor: User,
    case: Case,
    claims: str,
    facts: str,
    result: str,
    clerk_name: str,
    at: datetime | None = None,
) -> MediationDocument:
    """The judge issues the mediation document of a settled entrusted case (CPL 100)."""
    at = now(at)
    case, filed, court = _issuable(case, actor)
    parts = {"claims": claims, "facts": facts, "result": result, "clerk_name": clerk_name}
    errors = {k: [_("Required.")] for k, v in parts.items() if not (v or "").strip()}
    if errors:
        raise Invalid(_("Fill in every part of the mediation document."), fields=errors)
    code = documents.new_verify_code()
    document = _rendered(case, filed, court, actor, code, at, **parts)
    md = MediationDocument.objects.create(
        case=case,
        filed_case=filed,
        agreement=case.agreements.filter(state=Agreement.State.SIGNED).first(),
        judge=actor,
        verify_code=code,
        document=document,
        issued_at=at,
        **parts,
    )
    record(actor, "judicial.mediation_document_issued", md, summary=filed.number)
    outbox.emit(
        "judicial.mediation_document_issued", {"mediation_document": md.pk, "case": case.pk}
    )
    serve(
        actor=actor,
        case=case,
        document=document,
        title=document.title,
        kind=Document.Kind.MEDIATION_DOCUMENT,
    )
    return md


def _locked_document(md_id: int) -> MediationDocument:
    try:
        return (
            MediationDocument.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=md_id)
        )
    except MediationDocument.DoesNotExist:
        raise NotFound() from None


def _signing_for(actor: User, md: MediationDocument) -> lifecycle.Transition:
    """The `sign_for` step, when `actor` has parties still to sign for `md`."""
    if not to_sign_for(actor, md):
        code, message = lifecycle.REFUSED["sign_for"]
        raise Conflict(message, code=code)
    return lifecycle.check(md, "sign_for", document_roles(actor, md))


def request_receipt_code(
    *, actor: User, mediation_document: MediationDocument, channel: str
) -> OneTimeCode:
    md = mediation_document
    require(actor, "view", md)
    _signing_for(actor, md)
    what = _("sign for the mediation document %(number)s") % {"number": md.filed_case.number}
    return otp.send_code(user=actor, purpose=receipt_purpose(md), channel=channel, what=what)


def sign_for(
    *, actor: User, mediation_document: MediationDocument, code: str, at: datetime | None = None
) -> MediationDocument:
    """A party signs for (签收) the document after a one-time code; when every party has, it
    takes effect (CPL 100)."""
    md = mediation_document
    require(actor, "view", md)
    _signing_for(actor, md)
    used = otp.verify_code(user=actor, purpose=receipt_purpose(md), code=code)
    return _sign_for(actor, md.pk, now(at), used.channel)


@transaction.atomic
def _sign_for(actor: User, md_id: int, at: datetime, channel: str) -> MediationDocument:
    md = _locked_document(md_id)
    t = _signing_for(actor, md)
    mine = to_sign_for(actor, md)
    for p in mine:
        MediationDocumentReceipt.objects.create(
            mediation_document=md, party=p, signed_by=actor, verified_by=channel, at=at
        )
    record(
        actor, "judicial.mediation_document_received", md, changes={"parties": [p.pk for p in mine]}
    )
    lifecycle.move(md, t, at=at)
    if md.state == MediationDocumentState.EFFECTIVE:
        md.effective_at = at
        md.save()
        record(actor, "judicial.mediation_document_effective", md)
        outbox.emit("judicial.mediation_document_effective", {"mediation_document": md.pk})
    return md


@transaction.atomic
def withdraw_from_mediation_document(
    *, actor: User, mediation_document: MediationDocument, reason: str, at: datetime | None = None
) -> MediationDocument:
    """Before it takes effect a party may change its mind; the trial resumes (CPL 102)."""
    at = now(at)
    md = _locked_document(mediation_document.pk)
    roles = document_roles(actor, md)
    if "party" not in roles:
        raise NotFound()
    t = lifecycle.check(md, "withdraw", roles)
    case_actions.withdraw_settlement(actor=actor, case=md.case, reason=reason, at=at)
    lifecycle.move(md, t, at=at)
    md.withdrawn_at, md.withdrawal_reason = at, reason[:300]
    md.save()
    record(actor, "judicial.mediation_document_withdrawn", md, summary=reason[:200])
    outbox.emit("judicial.mediation_document_withdrawn", {"mediation_document": md.pk})
    return md
