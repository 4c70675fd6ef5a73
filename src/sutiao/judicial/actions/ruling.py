"""The ruling (民事裁定书): rendered, signed by the judge, sealed by the court, registered and
served; each party's 15 days to object run from its receipt (actions.objections)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.agreements import queries as agreement_queries
from sutiao.agreements.serving import serve
from sutiao.core.errors import Invalid, NotFound
from sutiao.core.lazy import lazy
from sutiao.documents import actions as documents
from sutiao.documents.models import Document
from sutiao.workdays import clocks
from sutiao.workdays.periods import local_date

from .. import lifecycle
from ..choices import DismissalGround, Outcome
from ..models import ConfirmationApplication, Ruling
from ..policies import application_roles
from ..queries import ruling_context
from .common import locked, now, step

if TYPE_CHECKING:
    from sutiao.documents import render, signing
else:  # loaded on first use (sutiao.core.lazy)
    render = lazy("sutiao.documents.render")
    signing = lazy("sutiao.documents.signing")

if TYPE_CHECKING:
    from sutiao.accounts.models import User
    from sutiao.institutions.models import Court

RULING_TEMPLATE = "judicial/ruling_document.html"


def sign_as_court(pdf: bytes, *, judge: User, court: Court, place: str) -> bytes:
    """The judge's signature, then the court's seal."""
    pdf = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(agreement_queries.person(judge), actor=judge),
        actor=judge,
        field_name="judge",
        stamp_text_lines=[f"审判员 {judge.real_name}"],
        reason="审判员签名",
        location=place,
    )
    sealed: bytes = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(court, actor=None),
        actor=judge,
        field_name="court_seal",
        stamp_text_lines=[court.name, "电子印章"],
        reason="人民法院印章",
        location=place,
    )
    return sealed


def court_document(
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    title: str,
    case_number: str,
    judge: User,
    court: Court,
    code: str,
) -> Document:
    """A court's document rendered, signed by the judge, sealed by the court and registered."""
    pdf = render.render_pdf(template, context, verify_code=code)
    pdf = sign_as_court(pdf, judge=judge, court=court, place=court.name)
    document: Document = documents.register_document(
        kind=kind,
        title=title,
        case_number=case_number,
        pdf_bytes=pdf,
        verify_code=code,
        actor=judge,
    )
    return document


def _check_ruling(outcome: str, ground: int | None) -> None:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if outcome == Outcome.DISMISSED and ground not in DismissalGround.values:
        errors["ground"] = [_("Choose the ground for dismissal (CPL-I 358).")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)


def application_document(
    app: ConfirmationApplication,
    actor: User,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    code: str,
) -> Document:
    """A ruling of the court applied to, in the application's case: signed by the judge,
    sealed by the court and registered."""
    return court_document(
        template,
        context,
        kind=Document.Kind.CONFIRMATION,
        title=f"{title} {app.number}",
        case_number=app.number,
        judge=actor,
        court=app.court,
        code=code,
    )


def serve_on_parties(actor: User, app: ConfirmationApplication, document: Document) -> None:
    """A ruling of the application is served on every party of its case (delivery)."""
    serve(
        actor=actor,
        case=app.case,
        document=document,
        title=document.title,
        kind=Document.Kind.CONFIRMATION,
    )


@transaction.atomic
def rule(
    *,
    actor: User,
    application: ConfirmationApplication,
    outcome: str,
    ground: int | None = None,
    reasoning: str = "",
    at: datetime | None = None,
) -> Ruling:
    """The judge rules; the ruling is signed and sealed, served, and objections may follow."""
    at = now(at)
    _check_ruling(outcome, ground)
    name = "confirm" if outcome == Outcome.VALID else "dismiss"
    dismissal = ground if outcome == Outcome.DISMISSED else None
    app = locked(application.pk)
    roles = application_roles(actor, app)
    if not roles:
        raise NotFound()
    lifecycle.check(app, name, roles)
    code = documents.new_verify_code()
    context = ruling_context(
        app, judge=actor, on=local_date(at), outcome=outcome, ground=dismissal, reasoning=reasoning
    )
    document = application_document(
        app, actor, RULING_TEMPLATE, context, title="民事裁定书", code=code
    )

    def decided(a: ConfirmationApplication) -> None:
        # Each party's 15 days to object run from its own receipt (queries.objection_windows).
        a.decided_at = at
        clocks.stop(a)

    app = step(
        app.pk,
        name,
        actor,
        at=at,
        mutate=decided,
        summary=str(Outcome(outcome).label),
        outcome=outcome,
        ground=ground,
    )
    ruling = Ruling.objects.create(
        application=app,
        outcome=outcome,
        ground=dismissal,
        reasoning=reasoning,
        judge=actor,
        verify_code=code,
        document=document,
        ruled_at=at,
    )
    serve_on_parties(actor, app, document)
    return ruling
