"""Reads of agreements shaped for the pages, the API and the steps: what the document says
(terms, warnings, parties), its signature fields, whose signatures are due, the current
draft of a case, a signer's pending one-time code. Nothing here writes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sutiao.audit.models import AuditEntry
from sutiao.cases.choices import PartyRole
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import case_roles
from sutiao.cases.timeline import LAST, Entry, Viewer, name_of
from sutiao.core.errors import Invalid
from sutiao.institutions.models import MediationOrg

from . import terms
from .models import (
    Agreement,
    AgreementTemplate,
    AgreementTemplateVersion,
    OneTimeCode,
    Refusal,
    Signature,
)
from .policies import signing_parties

if TYPE_CHECKING:
    from sutiao.accounts.models import User

DEFAULT_TEMPLATE = "ip_settlement"


def current_version(code: str = DEFAULT_TEMPLATE) -> AgreementTemplateVersion:
    template = AgreementTemplate.objects.filter(code=code, active=True).first()
    version = template.current() if template else None
    if version is None:
        raise Invalid(_("Unknown agreement template."), fields={"template": [code]})
    return version


def party_names(case: Case) -> dict[int, str]:
    return {p.pk: p.name for p in case.parties.all()}


def term_texts(agreement: Agreement) -> list[str]:
    names = party_names(agreement.case)
    wording = agreement.template_version.wording
    return [
        terms.render_term(t.kind, t.data, wording=wording, names=names)
        for t in agreement.terms.all()
    ]


def term_preview(case: Case, n: int, kind: str, data: dict) -> tuple[str, list[terms.Warning]]:
    """Term `n` (1-based) as the agreement will read it, with its warnings: the drafting form's
    live preview. The wording is the current template version, which saving the draft gives
    it (actions.draft, update_draft), and the sentence comes from terms.render_term, as
    term_texts gives it to the page and the PDF: what the preview shows is what gets signed."""
    wording = current_version().wording
    text = terms.render_term(kind, data, wording=wording, names=party_names(case))
    return text, terms.check_terms([(kind, data)], texts=[text], first=n)


def warnings(agreement: Agreement) -> list[terms.Warning]:
    rows = list(agreement.terms.all())
    return terms.check_terms([(t.kind, t.data) for t in rows], texts=term_texts(agreement))


def blocking_warnings(agreement: Agreement) -> list[terms.Warning]:
    return [w for w in warnings(agreement) if w.blocking]


def content_hash(agreement: Agreement) -> str:
    """What the agreement says (facts, issues, the sentences of its terms, how it is
    performed), as a SHA-256: the same content drafted again gives the same hash."""
    content = {
        "facts": agreement.facts.strip(),
        "issues": agreement.issues.strip(),
        "terms": term_texts(agreement),
        "performance": agreement.performance.strip(),
    }
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def party_details(p: Party) -> str:
    bits = []
    if p.is_organisation and p.uscc:
        bits.append(f"统一社会信用代码{p.uscc}")
    elif p.id_number_masked:
        bits.append(f"公民身份号码{p.id_number_masked}")
    if p.address:
        bits.append(f"住所地{p.address}")
    return "，".join(bits)


def field_for(party: Party) -> str:
    return f"party-{party.pk}"


def signatories(agreement: Agreement) -> list[dict[str, Any]]:
    """The signature fields of the document, in order: parties, mediator, organisation seal."""
    case = agreement.case
    out: list[dict[str, Any]] = []
    for p in case.parties.all():
        out.append(
            {
                "field": field_for(p),
                "label": f"{p.get_role_display()}（签名）",
                "kind": Signature.Kind.PARTY,
                "party": p,
            }
        )
    if not agreement.offline:
        out.append(
            {
                "field": "mediator",
                "label": "调解员（签名）",
                "kind": Signature.Kind.MEDIATOR,
                "party": None,
            }
        )
        if case.org_id:
            out.append(
                {
                    "field": "org_seal",
                    "label": "调解组织（印章）",
                    "seal": True,
                    "kind": Signature.Kind.ORG_SEAL,
                    "party": None,
                }
            )
    return out


def document_context(agreement: Agreement, *, on: date | None = None) -> dict[str, Any]:
    case = agreement.case
    wording = agreement.template_version.wording
    with_role: dict[str, str] = {PartyRole.APPLICANT: "申请人", PartyRole.RESPONDENT: "被申请人"}
    parties = [
        {"role": with_role.get(p.role, p.role), "name": p.name, "details": party_details(p)}
        for p in case.parties.all()
    ]
    if case.org:
        parties.append({"role": "调解组织", "name": case.org.name, "details": ""})
    if case.mediator:
        parties.append({"role": "调解员", "name": case.mediator.name, "details": ""})
    on = on or timezone.localdate()
    return {
        "title": agreement.template_version.title,
        "case_number": case.number,
        "wording": wording,
        "headings": wording.get("headings", {}),
        "parties": parties,
        "facts": [p for p in agreement.facts.splitlines() if p.strip()],
        "issues": [p for p in agreement.issues.splitlines() if p.strip()],
        "terms": term_texts(agreement),
        "performance": [p for p in agreement.performance.splitlines() if p.strip()],
        "closing": wording.get("closing", []),
        "signatories": signatories(agreement),
        "place": agreement.place,
        "date": terms.chinese_date(on),
        "author": case.org.name if case.org else "诉调平台",
    }


def person(user: Any) -> User:
    """The User behind request.user (a lazy proxy), as documents.pki keys certificates by type."""
    from sutiao.accounts.models import User

    return user if type(user) is User else User.objects.get(pk=user.pk)


@dataclass(frozen=True)
class Slot:
    kind: str
    field: str
    party: Party | None = None


def signed_fields(agreement: Agreement) -> set[str]:
    return set(agreement.signatures.values_list("field_name", flat=True))


def _controls_seal(user: User, org: MediationOrg | None) -> bool:
    from sutiao.accounts.roles import Role

    return org is not None and org.pk in user.org_ids(Role.ORG_ADMIN, Role.MEDIATOR)


def due_for(user: User, agreement: Agreement) -> list[Slot]:
    """The signatures `user` can add now: its parties' (any order); the mediator's once every
    party has signed (with the seal, when the mediator may use it); the seal alone for the
    organisation's administrator once every party has signed."""
    if agreement.state != Agreement.State.SIGNING:
        return []
    done = signed_fields(agreement)
    slots = [
        Slot(Signature.Kind.PARTY, field_for(p), p)
        for p in signing_parties(user, agreement)
        if field_for(p) not in done
    ]
    parties_done = all(field_for(p) in done for p in agreement.case.parties.all())
    if not parties_done:
        return slots
    roles = case_roles(user, agreement.case)
    org = agreement.case.org
    if "mediator" in roles and "mediator" not in done:
        if org and "org_seal" not in done and not _controls_seal(user, org):
            return slots  # the organisation seals first
        slots.append(Slot(Signature.Kind.MEDIATOR, "mediator"))
        if org and "org_seal" not in done:
            slots.append(Slot(Signature.Kind.ORG_SEAL, "org_seal"))
    elif "org_admin" in roles and org and "org_seal" not in done:
        slots.append(Slot(Signature.Kind.ORG_SEAL, "org_seal"))
    return slots


def purpose(agreement: Agreement) -> str:
    return f"agreement:{agreement.pk}:sign"


def current(case: Case) -> Agreement | None:
    """The case's latest agreement, whatever its state."""
    return case.agreements.select_related("template_version").order_by("-id").first()


def code_sent(user: User, agreement: Agreement) -> OneTimeCode | None:
    """The signer's one-time code for this agreement that is still usable, if any."""
    return user.one_time_codes.filter(
        purpose=purpose(agreement), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def signatures_by_field(agreement: Agreement) -> dict[str, Signature]:
    """The signatures on the agreement, by the name of their field."""
    return {s.field_name: s for s in agreement.signatures.select_related("signed_by")}


def refusals(agreement: Agreement) -> QuerySet[Refusal]:
    return agreement.refusals.select_related("party")


# The case's timeline (cases.timeline) ---------------------------------------------------

# Facts of the drafting, whose text is the mediator's work until it is opened for signing.
DRAFTING = {"agreement.drafted", "agreement.updated", "agreement.reopened"}


def timeline_entries(case: Case, viewer: Viewer) -> list[Entry]:
    """Each agreement of the case: drafted, opened, each signature (by whom, as agent), in
    effect, refused — from the audit log and the signatures, in three queries."""
    agreements = list(case.agreements.all())
    if not agreements:
        return []
    entries: list[Entry] = []
    audited = AuditEntry.objects.filter(
        object_type=Agreement._meta.label_lower,
        object_id__in=[str(a.pk) for a in agreements],
        action__startswith="agreement.",
    ).exclude(action="agreement.signed")
    for e in audited.select_related("actor").order_by("id"):
        summary = "" if e.action in DRAFTING and not viewer.staff else e.summary
        entries.append(Entry(e.at, e.action, summary, name_of(e.actor), "agreements", e.pk))
    signatures = Signature.objects.filter(agreement__in=agreements).select_related(
        "party", "signed_by"
    )
    for s in signatures.order_by("signed_at", "pk"):
        who = s.party.name if s.party else str(s.get_kind_display())
        if s.as_agent:
            who = _("%(party)s, by the agent %(agent)s") % {
                "party": who,
                "agent": s.signed_by.display_name,
            }
        entries.append(
            Entry(s.signed_at, "agreement.signed", who, name_of(s.signed_by), "agreements", s.pk)
        )
    for a in agreements:
        if a.effective_at is not None:
            entries.append(Entry(a.effective_at, "agreement.effective", "", "", "agreements", LAST))
    return entries


def stages(case: Case) -> list[tuple[int, Any]]:
    if case.agreements.filter(state=Agreement.State.SIGNED).exists():
        return [(10, gettext_lazy("Mediation agreement signed"))]
    return []
