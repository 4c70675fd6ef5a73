"""Every change to an agreement: drafting, opening it for signing, each signature (after a
one-time code), the organisation's seal, a party's refusal, and agreements reached offline.

Each signature locks the agreement row, signs the latest registered version of its PDF with
the signer's own key (documents.pki / signing), and registers the result as the next version
under the same verification code: a version always extends the one before it. The agreement
takes effect when the last party signs; when the mediator has signed too (and the
organisation's seal is on it where an organisation presided) the case is settled.
A party that refuses to sign ends the mediation (OMR 25 reason 7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.choices import PartyRole
from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case, CaseFile, Party
from sutiao.cases.policies import case_roles
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.documents import actions as documents
from sutiao.documents import policies as document_policies
from sutiao.documents import render, signing
from sutiao.documents.models import Document
from sutiao.institutions.models import MediationOrg

from . import otp, terms
from .errors import AgreementError
from .models import (
    Agreement,
    Refusal,
    Signature,
    Term,
)
from .policies import may_draft, signing_parties
from .queries import (
    DEFAULT_TEMPLATE,
    Slot,
    current_version,
    document_context,
    due_for,
    field_for,
    person,
    purpose,
    signatories,
    signed_fields,
    warnings,
)
from .serving import serve

DOCUMENT_TEMPLATE = "agreements/agreement_document.html"


@dataclass
class TermIn:
    kind: str
    obligor: int | None = None
    beneficiary: int | None = None
    subject: str = ""
    amount_fen: int | None = None
    due_date: date | None = None
    details: str = ""

    def data(self) -> dict:
        spec = terms.KINDS[self.kind]
        out = {}
        for name in spec.fields:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            if value not in (None, ""):
                out[name] = value.strip() if isinstance(value, str) else value
        return out


@dataclass
class DraftIn:
    facts: str
    terms: list[TermIn]
    issues: str = ""
    performance: str = ""
    place: str = ""
    template: str = DEFAULT_TEMPLATE
    errors: dict = field(default_factory=dict)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _locked(agreement_id: int) -> Agreement:
    try:
        return (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("case", "template_version")
            .get(pk=agreement_id)
        )
    except Agreement.DoesNotExist:
        raise NotFound() from None


def _check_draft(case: Case, data: DraftIn) -> list[Term]:
    errors: dict[str, list[str]] = {}
    if not (data.facts or "").strip():
        errors["facts"] = [_("State the main facts of the dispute.")]
    party_ids = set(case.parties.values_list("pk", flat=True))
    rows = []
    for i, t in enumerate(data.terms):
        if t.kind not in terms.KINDS:
            errors[f"terms.{i}.kind"] = [_("Unknown kind of term.")]
            continue
        for name in ("obligor", "beneficiary"):
            value = getattr(t, name)
            if value is not None and value not in party_ids:
                errors[f"terms.{i}.{name}"] = [_("Choose a party of this case.")]
        if t.amount_fen is not None and t.amount_fen < 0:
            errors[f"terms.{i}.amount_fen"] = [_("The amount cannot be negative.")]
        rows.append(Term(order=i, kind=t.kind, data=t.data()))
    if not rows:
        errors["terms"] = [_("Add at least one term.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return rows


@transaction.atomic
def draft(*, actor, case: Case, data: DraftIn) -> Agreement:
    """The mediator drafts the agreement of a case under mediation (one open draft a case)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("mediator").get(pk=case.pk)
    if not case_roles(actor, case):
        raise NotFound()
    if not may_draft(actor, case):
        raise Forbidden(_("Only the case's mediator drafts the agreement while mediating."))
    if case.agreements.filter(state__in=[Agreement.State.DRAFT, Agreement.State.SIGNING]).exists():
        raise Conflict(
            _("This case already has an agreement being drafted or signed."),
            code=AgreementError.EXISTS,
        )
    rows = _check_draft(case, data)
    agreement = Agreement.objects.create(
        case=case,
        template_version=current_version(data.template),
        facts=data.facts.strip(),
        issues=data.issues.strip(),
        performance=data.performance.strip(),
        place=data.place.strip(),
        created_by=actor,
    )
    for row in rows:
        row.agreement = agreement
    Term.objects.bulk_create(rows)
    record(
        actor,
        "agreement.drafted",
        agreement,
        summary=str(case),
        changes={"terms": [r.kind for r in rows]},
    )
    return agreement


@transaction.atomic
def update_draft(*, actor, agreement: Agreement, data: DraftIn) -> Agreement:
    agreement = _locked(agreement.pk)
    require(actor, "edit", agreement)
    rows = _check_draft(agreement.case, data)
    agreement.facts, agreement.issues = data.facts.strip(), data.issues.strip()
    agreement.performance, agreement.place = data.performance.strip(), data.place.strip()
    agreement.template_version = current_version(data.template)
    agreement.save()
    agreement.terms.all().delete()
    for row in rows:
        row.agreement = agreement
    Term.objects.bulk_create(rows)
    record(actor, "agreement.updated", agreement, changes={"terms": [r.kind for r in rows]})
    return agreement


def preview_pdf(agreement: Agreement) -> bytes:
    """The PDF as it would be opened for signing (not registered: its code finds nothing)."""
    code = agreement.verify_code or documents.new_verify_code()
    return render.render_pdf(DOCUMENT_TEMPLATE, document_context(agreement), verify_code=code)


# Signing -----------------------------------------------------------------------------


@transaction.atomic
def open_for_signing(*, actor, agreement: Agreement, at: datetime | None = None) -> Agreement:
    """Render the agreement with its signature fields and register it (version 1)."""
    at = _now(at)
    agreement = _locked(agreement.pk)
    require(actor, "edit", agreement)
    if agreement.case.state != CaseState.MEDIATING:
        raise Conflict(
            _("The agreement is signed while the case is being mediated."),
            code=AgreementError.CASE_NOT_MEDIATING,
        )
    problems = [w for w in warnings(agreement) if w.code == "missing"]
    if problems:
        raise Conflict(problems[0].message, code=AgreementError.INCOMPLETE)
    missing = [p.name for p in agreement.case.parties.all() if not (p.user_id or p.agent_id)]
    if missing:
        raise Conflict(
            _("Every party needs an account on the platform to sign: %(names)s.")
            % {"names": "、".join(missing)},
            code=AgreementError.PARTY_WITHOUT_ACCOUNT,
        )
    agreement.verify_code = documents.new_verify_code()
    pdf = render.render_pdf(
        DOCUMENT_TEMPLATE,
        document_context(agreement, on=at.date()),
        verify_code=agreement.verify_code,
    )
    agreement.document = documents.register_document(
        kind=Document.Kind.AGREEMENT,
        title=agreement.template_version.title,
        case_number=agreement.case.number,
        pdf_bytes=pdf,
        verify_code=agreement.verify_code,
        actor=actor,
    )
    agreement.state = Agreement.State.SIGNING
    agreement.opened_at = at
    agreement.save()
    record(actor, "agreement.opened", agreement, summary=agreement.verify_code)
    outbox.emit("agreement.opened", {"agreement": agreement.pk, "case": agreement.case_id})
    return agreement


@transaction.atomic
def reopen(*, actor, agreement: Agreement) -> Agreement:
    """Back to drafting while nobody has signed (a new code is printed when opened again)."""
    agreement = _locked(agreement.pk)
    if "mediator" not in case_roles(actor, agreement.case):
        raise Forbidden()
    if agreement.state != Agreement.State.SIGNING or agreement.signatures.exists():
        raise Conflict(
            _("Once someone has signed, the agreement cannot be changed."),
            code=AgreementError.SIGNED_ALREADY,
        )
    agreement.state, agreement.document, agreement.verify_code = Agreement.State.DRAFT, None, ""
    agreement.save()
    record(actor, "agreement.reopened", agreement)
    return agreement


def request_code(*, actor, agreement: Agreement, channel: str):
    """Send the one-time code that unlocks this signer's signature(s)."""
    agreement = Agreement.objects.select_related("case").get(pk=agreement.pk)
    require(actor, "view", agreement)
    if not due_for(actor, agreement):
        raise Conflict(
            _("There is nothing for you to sign now."), code=AgreementError.NOTHING_TO_SIGN
        )
    what = _("sign the mediation agreement of %(case)s") % {"case": agreement.case.number}
    return otp.send_code(user=actor, purpose=purpose(agreement), channel=channel, what=what)


def sign(*, actor, agreement: Agreement, code: str, at: datetime | None = None) -> Agreement:
    """Check the one-time code, then add every signature `actor` is due to give."""
    agreement = Agreement.objects.select_related("case").get(pk=agreement.pk)
    require(actor, "view", agreement)
    if not due_for(actor, agreement):
        raise Conflict(
            _("There is nothing for you to sign now."), code=AgreementError.NOTHING_TO_SIGN
        )
    used = otp.verify_code(user=actor, purpose=purpose(agreement), code=code)
    return _sign(actor, agreement.pk, _now(at), verified_by=used.channel)


def sign_verified(
    *, actor, agreement: Agreement, verified_by: str, at: datetime | None = None
) -> Agreement:
    """Sign for a caller that verified the signer's identity another way (the demo data; a
    face-verification provider). Pages and the API always go through `sign`."""
    return _sign(actor, agreement.pk, _now(at), verified_by=verified_by)


def _stamp_lines(slot: Slot, actor, agreement: Agreement) -> tuple[list[str], str]:
    if slot.kind == Signature.Kind.PARTY:
        p = slot.party
        role = {PartyRole.APPLICANT: "申请人", PartyRole.RESPONDENT: "被申请人"}.get(p.role, "")
        if p.agent_id == actor.pk and p.user_id != actor.pk:
            return [f"{role} {p.name}", f"代理人 {actor.real_name}"], f"{role}{p.name}的代理人签名"
        return [
            f"{role} {actor.real_name if p.kind == Party.Kind.NATURAL else p.name}"
        ], f"{role}签名"
    if slot.kind == Signature.Kind.MEDIATOR:
        return [f"调解员 {actor.real_name}"], "调解员签名"
    return [agreement.case.org.name, "电子印章"], "调解组织盖章"


@transaction.atomic
def _sign(actor, agreement_id: int, at: datetime, *, verified_by: str) -> Agreement:
    agreement = _locked(agreement_id)  # racing signers queue here; each signs the latest
    slots = due_for(actor, agreement)
    if not slots:
        raise Conflict(
            _("There is nothing for you to sign now."), code=AgreementError.NOTHING_TO_SIGN
        )
    case = agreement.case
    document = Document.objects.select_for_update().get(pk=agreement.document_id)
    with document.file.open("rb") as fh:
        pdf = fh.read()
    for slot in slots:
        if slot.kind == Signature.Kind.ORG_SEAL:
            if not document_policies.controls(actor, _seal_probe(case.org)):
                raise Forbidden()
            cert = documents.signer_certificate_for(case.org, actor=None)
        else:
            cert = documents.signer_certificate_for(person(actor), actor=actor)
        lines, reason = _stamp_lines(slot, actor, agreement)
        pdf = signing.sign_pdf(
            pdf,
            signer_cert=cert,
            actor=actor,
            field_name=slot.field,
            stamp_text_lines=lines,
            reason=reason,
            location=agreement.place or "",
        )
        document = documents.register_document(
            kind=Document.Kind.AGREEMENT,
            title=agreement.template_version.title,
            case_number=case.number,
            pdf_bytes=pdf,
            verify_code=agreement.verify_code,
            actor=actor,
        )
        Signature.objects.create(
            agreement=agreement,
            kind=slot.kind,
            field_name=slot.field,
            party=slot.party,
            signed_by=actor,
            as_agent=bool(
                slot.party and slot.party.agent_id == actor.pk and slot.party.user_id != actor.pk
            ),
            certificate=cert,
            verified_by=verified_by,
            version=document.version,
            signed_at=at,
        )
        record(
            actor,
            "agreement.signed",
            agreement,
            summary=slot.field,
            changes={
                "field": slot.field,
                "certificate": cert.serial,
                "version": document.version,
                "sha256": document.sha256,
            },
        )
    done = signed_fields(agreement)
    if agreement.effective_at is None and all(field_for(p) in done for p in case.parties.all()):
        agreement.effective_at = at  # in effect once every party has signed (OMR 20)
        outbox.emit(
            "agreement.effective",
            {"agreement": agreement.pk, "case": case.pk, "document": document.pk},
        )
    needed = {s["field"] for s in signatories(agreement)}
    if needed <= done:
        agreement.state = Agreement.State.SIGNED
        agreement.completed_at = at
        case_actions.settle(actor=actor, case=case, at=at)
        outbox.emit(
            "agreement.signed",
            {"agreement": agreement.pk, "case": case.pk, "document": document.pk},
        )
        serve(
            actor=actor,
            case=case,
            document=document,
            title=document.title,
            kind=Document.Kind.AGREEMENT,
        )
    agreement.save()
    return agreement


def _seal_probe(org):
    """A stand-in certificate row to ask the documents policy who controls `org`'s seal."""
    from sutiao.documents.models import SignerCertificate

    return SignerCertificate(holder_kind=SignerCertificate.Holder.ORG_SEAL, org=org)


@transaction.atomic
def refuse(*, actor, agreement: Agreement, reason: str, at: datetime | None = None) -> Agreement:
    """A party refuses to sign: recorded, and mediation ends with OMR 25 reason 7."""
    at = _now(at)
    agreement = _locked(agreement.pk)
    require(actor, "view", agreement)
    mine = [
        p for p in signing_parties(actor, agreement) if field_for(p) not in signed_fields(agreement)
    ]
    if agreement.state != Agreement.State.SIGNING or not mine:
        raise Conflict(
            _("Only a party that has not signed can refuse, while the agreement is being signed."),
            code=AgreementError.CANNOT_REFUSE,
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    for p in mine:
        Refusal.objects.create(agreement=agreement, party=p, refused_by=actor, reason=reason, at=at)
    agreement.state = Agreement.State.REFUSED
    agreement.save()
    case_actions.refuse_to_sign(actor=actor, case=agreement.case, reason=reason, at=at)
    record(
        actor,
        "agreement.refused",
        agreement,
        summary=reason[:200],
        changes={"parties": [p.pk for p in mine]},
    )
    outbox.emit("agreement.refused", {"agreement": agreement.pk, "case": agreement.case_id})
    return agreement


# Agreements reached offline ------------------------------------------------------------


@transaction.atomic
def record_offline(
    *,
    actor,
    org: MediationOrg,
    title: str,
    parties: list,
    data: DraftIn,
    scan,
    signed_on: date,
    ip_kind: str = "",
    as_party=None,
) -> Agreement:
    """An agreement signed on paper: the scan (a PDF) and its structured terms, on a settled
    case of the organisation that presided; it can then be confirmed like any other. The
    terms' obligor and beneficiary are 1 (the applicant) or 2 (the respondent)."""
    at = timezone.now()
    settled_at = (
        datetime.combine(signed_on, datetime.min.time()).replace(
            tzinfo=timezone.get_current_timezone()
        )
        if signed_on
        else at
    )
    if scan is None or not (getattr(scan, "name", "") or "").lower().endswith(".pdf"):
        raise Invalid(_("Upload the scan as a PDF."), fields={"scan": [_("Upload a PDF.")]})
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
    # The case did not exist when the terms were written: they name the parties by number
    # (1 the applicant, 2 the respondent).
    numbered = {
        1: case.parties.get(role=PartyRole.APPLICANT).pk,
        2: case.parties.filter(role=PartyRole.RESPONDENT).first().pk,
    }
    for t in data.terms:
        t.obligor = numbered.get(t.obligor) if t.obligor else None
        t.beneficiary = numbered.get(t.beneficiary) if t.beneficiary else None
    rows = _check_draft(case, data)
    f = case.files.get(kind=CaseFile.Kind.DOCUMENT)
    if f.content_type != "application/pdf":
        raise Invalid(_("Upload the scan as a PDF."), fields={"scan": [_("Upload a PDF.")]})
    agreement = Agreement.objects.create(
        case=case,
        template_version=current_version(data.template),
        facts=data.facts.strip(),
        issues=data.issues.strip(),
        performance=data.performance.strip(),
        place=data.place,
        offline=True,
        scan=f,
        created_by=actor,
        state=Agreement.State.SIGNED,
        effective_at=settled_at,
        completed_at=settled_at,
        opened_at=settled_at,
    )
    for row in rows:
        row.agreement = agreement
    Term.objects.bulk_create(rows)
    record(
        actor,
        "agreement.offline_recorded",
        agreement,
        summary=case.number,
        changes={"scan": f.sha256},
    )
    outbox.emit("agreement.effective", {"agreement": agreement.pk, "case": case.pk})
    return agreement
