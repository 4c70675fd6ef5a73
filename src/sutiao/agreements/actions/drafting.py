"""Drafting an agreement: its structured terms, checked against the case; the preview PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.cases import lifecycle as case_lifecycle
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.lazy import lazy
from sutiao.core.policy import require
from sutiao.documents import actions as documents

from .. import terms
from ..errors import AgreementError
from ..models import Agreement, Term
from ..policies import may_draft
from ..queries import DEFAULT_TEMPLATE, current_version, document_context

if TYPE_CHECKING:
    from sutiao.documents import render
else:  # loaded on first use (sutiao.core.lazy)
    render = lazy("sutiao.documents.render")

if TYPE_CHECKING:
    from sutiao.accounts.models import User

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

    def data(self) -> dict[str, Any]:
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
    errors: dict[str, Any] = field(default_factory=dict)


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def locked(agreement_id: int) -> Agreement:
    try:
        return (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("case", "template_version")
            .get(pk=agreement_id)
        )
    except Agreement.DoesNotExist:
        raise NotFound() from None


def check_draft(case: Case, data: DraftIn) -> list[Term]:
    """The term rows of `data`, or Invalid with every field's error."""
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


def save_terms(agreement: Agreement, rows: list[Term]) -> None:
    for row in rows:
        row.agreement = agreement
    Term.objects.bulk_create(rows)


@transaction.atomic
def draft(*, actor: User, case: Case, data: DraftIn) -> Agreement:
    """The mediator drafts the agreement of a case under mediation (one open draft a case)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("mediator").get(pk=case.pk)
    if not case_roles(actor, case):
        raise NotFound()
    if not may_draft(actor, case):
        raise Forbidden(_("Only the case's mediator drafts the agreement while mediating."))
    case_lifecycle.check(case, "draft_agreement", case_roles(actor, case))  # OMR 4, 8
    if case.agreements.filter(state__in=[Agreement.State.DRAFT, Agreement.State.SIGNING]).exists():
        raise Conflict(
            _("This case already has an agreement being drafted or signed."),
            code=AgreementError.EXISTS,
        )
    rows = check_draft(case, data)
    agreement = Agreement.objects.create(
        case=case,
        template_version=current_version(data.template),
        facts=data.facts.strip(),
        issues=data.issues.strip(),
        performance=data.performance.strip(),
        place=data.place.strip(),
        created_by=actor,
    )
    save_terms(agreement, rows)
    record(
        actor,
        "agreement.drafted",
        agreement,
        summary=str(case),
        changes={"terms": [r.kind for r in rows]},
    )
    return agreement


@transaction.atomic
def update_draft(*, actor: User, agreement: Agreement, data: DraftIn) -> Agreement:
    agreement = locked(agreement.pk)
    require(actor, "edit", agreement)
    rows = check_draft(agreement.case, data)
    agreement.facts, agreement.issues = data.facts.strip(), data.issues.strip()
    agreement.performance, agreement.place = data.performance.strip(), data.place.strip()
    agreement.template_version = current_version(data.template)
    agreement.save()
    agreement.terms.all().delete()
    save_terms(agreement, rows)
    record(actor, "agreement.updated", agreement, changes={"terms": [r.kind for r in rows]})
    return agreement


def preview_pdf(agreement: Agreement) -> bytes:
    """The PDF as it would be opened for signing (not registered: its code finds nothing)."""
    code = agreement.verify_code or documents.new_verify_code()
    pdf: bytes = render.render_pdf(DOCUMENT_TEMPLATE, document_context(agreement), verify_code=code)
    return pdf
