"""The proof of service (电子送达凭证): rendered, sealed with the court's or organisation's
seal and registered, so that its code verifies on /documents/verify/."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Forbidden
from sutiao.core.policy import require
from sutiao.documents.models import Document

from ..lifecycle import SERVICE, allows, check
from ..models import Service
from ..policies import service_roles
from .common import Ev, event, locked_service


def sealer(service: Service, actor: User | None = None) -> tuple[Any, User] | tuple[None, None]:
    """Whose seal the proof bears, and who applies it: the court's seal (a court case) or the
    organisation's (a direct one), by `actor`, the person who served, or the case's mediator:
    the first of them who controls that seal (documents.policies)."""
    from sutiao.accounts.roles import Role
    from sutiao.institutions.models import Court

    from ..policies import courts_of

    case = service.case
    courts = courts_of(case)
    candidates = [actor, service.served_by, case.mediator.user if case.mediator else None]
    for user in candidates:
        if user is None or not user.is_active:
            continue
        mine = user.court_ids(Role.JUDGE, Role.COURT_CLERK)
        court_id = next((c for c in courts if c in mine), None)
        if court_id is not None:
            return Court.objects.get(pk=court_id), user
        if case.org_id and case.org_id in user.org_ids(Role.ORG_ADMIN, Role.MEDIATOR):
            return case.org, user
    return None, None


@dataclass(frozen=True)
class PreparedProof:
    """A proof rendered and sealed ahead of the transaction that registers it, with what it
    was made from: used only if the service still says the same then."""

    basis: tuple
    holder: Any
    signer: User
    code: str
    signed: bytes


def _basis(service: Service) -> tuple:
    """What a proof states that can change: the service's events and when it took effect."""
    events = service.events.exclude(kind="proof_issued").order_by("id").values_list("id", flat=True)
    return (tuple(events), service.effective_at, service.effective_channel)


def _render_and_seal(service: Service, holder: Any, signer: User) -> tuple[str, bytes]:
    """The proof rendered and sealed by `signer` with `holder`'s seal: its code and bytes."""
    from sutiao.documents import actions as documents
    from sutiao.documents import signing

    from .. import proof

    code = documents.new_verify_code()
    pdf = proof.render(service, verify_code=code, issuer=holder.name)
    signed = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(holder),
        actor=signer,
        field_name="seal",
        stamp_text_lines=[holder.name, "电子送达专用章"],
        reason="电子送达凭证",
        location=holder.name,
    )
    return code, signed


def prepare_proof(service_pk: int) -> PreparedProof | None:
    """The worker's proof made outside any transaction (a second of rendering and sealing,
    several under load: inside one it would hold SQLite's only write lock that long)."""
    service = Service.objects.select_related("case", "served_by").filter(pk=service_pk).first()
    if service is None or service.proof_id or not allows(SERVICE, service, "issue_proof"):
        return None
    holder, signer = sealer(service)
    if holder is None or signer is None:
        return None
    basis = _basis(service)
    code, signed = _render_and_seal(service, holder, signer)
    return PreparedProof(basis=basis, holder=holder, signer=signer, code=code, signed=signed)


def _sealed_proof(
    service: Service, holder: Any, signer: User, prepared: PreparedProof | None
) -> tuple[Document, str]:
    """The proof rendered (or the one prepared, if made by the same hands from the same
    events), sealed by `signer` with `holder`'s seal, and registered."""
    from sutiao.documents import actions as documents

    if (
        prepared is not None
        and prepared.holder == holder
        and prepared.signer == signer
        and prepared.basis == _basis(service)
    ):
        code, signed = prepared.code, prepared.signed
    else:
        code, signed = _render_and_seal(service, holder, signer)
    document = documents.register_document(
        kind=Document.Kind.SERVICE_PROOF,
        title=f"电子送达凭证（{service.title}）",
        case_number=service.case.number,
        pdf_bytes=signed,
        verify_code=code,
        actor=signer,
    )
    return document, code


@transaction.atomic
def issue_proof(
    *,
    actor: User | None,
    service: Service,
    again: bool = False,
    prepared: PreparedProof | None = None,
) -> Document | None:
    """Render, seal and register the proof of service of an effective service. The worker
    calls it (actor None, with the proof it `prepare_proof`-ed) once every channel has
    settled; staff call it to seal one nobody could seal automatically, or (`again`) to issue
    a fresh one with the later events. Returns None when nobody who may apply the seal is at
    hand (it waits for staff)."""
    service = locked_service(service.pk)
    if actor is not None:
        require(actor, "manage", service)
    check(SERVICE, service, "issue_proof", service_roles(actor, service))  # effective
    if service.proof_id and not again:
        return service.proof
    holder, signer = sealer(service, actor)
    if holder is None or signer is None:
        if actor is not None:
            raise Forbidden(_("Only who controls the court's or organisation's seal issues it."))
        return None
    document, code = _sealed_proof(service, holder, signer, prepared)
    service.proof = document
    service.proof_due = False
    service.save(update_fields=["proof", "proof_due"])
    event(Ev.PROOF_ISSUED, service=service, actor=actor, verify_code=code, sealed_by=holder.name)
    record(
        actor or "system",
        "delivery.proof_issued",
        service,
        summary=f"{service.title} → {service.party.name}",
        changes={"document": document.pk, "verify_code": code},
    )
    return document
