"""Signing an agreement: opening it (version 1 of its PDF), going back to drafting, the
one-time code, each signature as the next version of the PDF, and a party's refusal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.choices import PartyRole
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import case_roles, lacks_special_authority
from sutiao.core import outbox
from sutiao.core.errors import Conflict, DomainError, Forbidden, required_reason
from sutiao.core.lazy import lazy
from sutiao.core.policy import require
from sutiao.documents import actions as documents
from sutiao.documents import policies as document_policies
from sutiao.documents.models import Document, SignerCertificate
from sutiao.institutions.models import MediationOrg
from sutiao.workdays.periods import local_date

from .. import lifecycle, otp
from ..errors import AgreementError
from ..models import Agreement, OneTimeCode, Refusal, Signature
from ..policies import signing_parties
from ..queries import Slot, document_context, due_for, field_for, person, purpose, signed_fields
from ..recording import record_parties_step
from ..serving import serve
from .drafting import DOCUMENT_TEMPLATE, locked, now

if TYPE_CHECKING:
    from sutiao.documents import render, signing
else:  # loaded on first use (sutiao.core.lazy)
    render = lazy("sutiao.documents.render")
    signing = lazy("sutiao.documents.signing")

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def _register(actor: User, agreement: Agreement, pdf: bytes) -> Document:
    """The next version of the agreement's PDF, under its verification code."""
    document: Document = documents.register_document(
        kind=Document.Kind.AGREEMENT,
        title=agreement.template_version.title,
        case_number=agreement.case.number,
        pdf_bytes=pdf,
        verify_code=agreement.verify_code,
        actor=actor,
    )
    return document


@transaction.atomic
def open_for_signing(*, actor: User, agreement: Agreement, at: datetime | None = None) -> Agreement:
    """Render the agreement with its signature fields and register it (version 1)."""
    at = now(at)
    agreement = locked(agreement.pk)
    require(actor, "edit", agreement)
    t = lifecycle.check(agreement, "open", case_roles(actor, agreement.case))
    agreement.verify_code = documents.new_verify_code()
    pdf = render.render_pdf(
        DOCUMENT_TEMPLATE,
        document_context(agreement, on=local_date(at)),  # the Beijing day, not UTC's
        verify_code=agreement.verify_code,
    )
    agreement.document = _register(actor, agreement, pdf)
    lifecycle.move(agreement, t, at=at)
    agreement.opened_at = at
    agreement.save()
    record(actor, "agreement.opened", agreement, summary=agreement.verify_code)
    outbox.emit("agreement.opened", {"agreement": agreement.pk, "case": agreement.case_id})
    return agreement


@transaction.atomic
def reopen(*, actor: User, agreement: Agreement, at: datetime | None = None) -> Agreement:
    """Back to drafting while nobody has signed (a new code is printed when opened again)."""
    agreement = locked(agreement.pk)
    roles = case_roles(actor, agreement.case)
    if "mediator" not in roles:
        raise Forbidden()
    t = lifecycle.check(agreement, "reopen", roles)
    lifecycle.move(agreement, t, at=now(at))
    agreement.document, agreement.verify_code = None, ""
    agreement.save()
    record(actor, "agreement.reopened", agreement)
    return agreement


def _nothing_due(actor: User | None = None, agreement: Agreement | None = None) -> DomainError:
    """Nothing to sign; said as such to an agent whose power of attorney does not reach it."""
    if actor is not None and agreement is not None:
        unauthorised = lacks_special_authority(actor, agreement.case)
        if unauthorised:
            return Forbidden(
                _(
                    "Your power of attorney for %(names)s is a general authorisation: signing "
                    "an agreement needs special authorisation (CPL 62). The party signs, or "
                    "names you again with special authorisation."
                )
                % {"names": "、".join(p.name for p in unauthorised)},
                code=AgreementError.AGENT_WITHOUT_SPECIAL_AUTHORITY,
            )
    return Conflict(_("There is nothing for you to sign now."), code=AgreementError.NOTHING_TO_SIGN)


def _due_signer(actor: User, agreement: Agreement) -> Agreement:
    """The agreement (with its case), once `actor` may see it, is due to sign it now and,
    signing for a party, has a verified identity: what asking for a code and signing share."""
    agreement = Agreement.objects.select_related("case").get(pk=agreement.pk)
    require(actor, "view", agreement)
    if not due_for(actor, agreement):
        raise _nothing_due(actor, agreement)
    if signing_parties(actor, agreement):
        require_verified(actor)  # OLR 7: a party signs with a verified identity
    return agreement


def request_code(*, actor: User, agreement: Agreement, channel: str) -> OneTimeCode:
    """Send the one-time code that unlocks this signer's signature(s)."""
    agreement = _due_signer(actor, agreement)
    what = _("sign the mediation agreement of %(case)s") % {"case": agreement.case.number}
    return otp.send_code(user=actor, purpose=purpose(agreement), channel=channel, what=what)


def sign(*, actor: User, agreement: Agreement, code: str, at: datetime | None = None) -> Agreement:
    """Check the one-time code, then add every signature `actor` is due to give."""
    agreement = _due_signer(actor, agreement)
    used = otp.verify_code(user=actor, purpose=purpose(agreement), code=code)
    return _sign(actor, agreement.pk, now(at), verified_by=used.channel)


def sign_verified(
    *, actor: User, agreement: Agreement, verified_by: str, at: datetime | None = None
) -> Agreement:
    """Sign for a caller that verified the signer's identity another way (the demo data; a
    face-verification provider). Pages and the API always go through `sign`."""
    return _sign(actor, agreement.pk, now(at), verified_by=verified_by)


def _stamp_lines(slot: Slot, actor: User, agreement: Agreement) -> tuple[list[str], str]:
    if slot.kind == Signature.Kind.PARTY and slot.party is not None:
        p = slot.party
        roles: dict[str, str] = {PartyRole.APPLICANT: "申请人", PartyRole.RESPONDENT: "被申请人"}
        role = roles.get(p.role, "")
        if p.agent_id == actor.pk and p.user_id != actor.pk:
            return [f"{role} {p.name}", f"代理人 {actor.real_name}"], f"{role}{p.name}的代理人签名"
        return [
            f"{role} {actor.real_name if p.kind == Party.Kind.NATURAL else p.name}"
        ], f"{role}签名"
    if slot.kind == Signature.Kind.MEDIATOR:
        return [f"调解员 {actor.real_name}"], "调解员签名"
    org = agreement.case.org
    return [org.name if org else "", "电子印章"], "调解组织盖章"


def _seal_probe(org: MediationOrg | None) -> SignerCertificate:
    """A stand-in certificate row to ask the documents policy who controls `org`'s seal."""
    return SignerCertificate(holder_kind=SignerCertificate.Holder.ORG_SEAL, org=org)


def _certificate(actor: User, slot: Slot, case: Case) -> SignerCertificate:
    if slot.kind == Signature.Kind.ORG_SEAL:
        org = case.org
        if org is None or not document_policies.controls(actor, _seal_probe(org)):
            raise Forbidden()
        cert: SignerCertificate = documents.signer_certificate_for(org, actor=None)
    else:
        cert = documents.signer_certificate_for(person(actor), actor=actor)
    return cert


def _add_signature(
    actor: User, agreement: Agreement, slot: Slot, pdf: bytes, at: datetime, verified_by: str
) -> tuple[bytes, Document]:
    """Sign `pdf` in `slot`'s field, register it as the next version, and record it."""
    cert = _certificate(actor, slot, agreement.case)
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
    document = _register(actor, agreement, pdf)
    party = slot.party
    Signature.objects.create(
        agreement=agreement,
        kind=slot.kind,
        field_name=slot.field,
        party=party,
        signed_by=actor,
        as_agent=bool(party and party.agent_id == actor.pk and party.user_id != actor.pk),
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
    outbox.emit(
        "agreement.signature_added",
        {"agreement": agreement.pk, "case": agreement.case_id, "actor": actor.pk},
    )
    return pdf, document


def _after_signatures(
    actor: User, agreement: Agreement, document: Document, t: lifecycle.Transition, at: datetime
) -> None:
    """In effect once every party has signed (OMR 20); signed, and the case settled, once
    every field is."""
    case = agreement.case
    done = signed_fields(agreement)
    if agreement.effective_at is None and all(field_for(p) in done for p in case.parties.all()):
        agreement.effective_at = at
        outbox.emit(
            "agreement.effective",
            {"agreement": agreement.pk, "case": case.pk, "document": document.pk},
        )
    lifecycle.move(agreement, t, at=at)
    if agreement.state != Agreement.State.SIGNED:
        return
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


@transaction.atomic
def _sign(actor: User, agreement_id: int, at: datetime, *, verified_by: str) -> Agreement:
    agreement = locked(agreement_id)  # racing signers queue here; each signs the latest
    slots = due_for(actor, agreement)
    if not slots:
        raise _nothing_due(actor, agreement)
    t = lifecycle.check(agreement, "sign", case_roles(actor, agreement.case))
    assert agreement.document_id is not None  # registered when opened for signing
    document = Document.objects.select_for_update().get(pk=agreement.document_id)
    with document.file.open("rb") as fh:
        pdf = fh.read()
    for slot in slots:
        pdf, document = _add_signature(actor, agreement, slot, pdf, at, verified_by)
    _after_signatures(actor, agreement, document, t, at)
    agreement.save()
    return agreement


@transaction.atomic
def refuse(
    *, actor: User, agreement: Agreement, reason: str, at: datetime | None = None
) -> Agreement:
    """A party refuses to sign: recorded, and mediation ends with OMR 25 reason 7."""
    at = now(at)
    agreement = locked(agreement.pk)
    require(actor, "view", agreement)
    done = signed_fields(agreement)
    mine = [p for p in signing_parties(actor, agreement) if field_for(p) not in done]
    if not mine:
        code, message = lifecycle.REFUSED["refuse"]
        raise Conflict(message, code=code)
    t = lifecycle.check(agreement, "refuse", case_roles(actor, agreement.case))
    reason = required_reason(reason)
    for p in mine:
        Refusal.objects.create(agreement=agreement, party=p, refused_by=actor, reason=reason, at=at)
    lifecycle.move(agreement, t, at=at)
    agreement.save()
    case_actions.refuse_to_sign(actor=actor, case=agreement.case, reason=reason, at=at)
    record_parties_step(
        actor,
        "agreement.refused",
        agreement,
        text=reason,
        parties=mine,
        payload={"agreement": agreement.pk, "case": agreement.case_id},
    )
    return agreement
