"""Every change in judicial confirmation and mediation documents: one function per use case,
one transaction, audited, on the application's timeline, with an outbox event.

The parties apply jointly (each submits its part, itself or by its agent) within 30 days of
the agreement taking effect, to a court RULES §7 allows; an agreement that would confirm the
ownership or validity of an IP right is refused at submission (CPL-I 355(5)). The court
checks completeness (and may ask for more within a deadline), accepts, may question the
parties, and rules within 30 days: the ruling (民事裁定书) is rendered, signed by the judge,
sealed by the court, registered, and starts the 15-day objection window.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.agreements import otp
from sutiao.agreements import queries as agreement_queries
from sutiao.agreements.models import Agreement
from sutiao.agreements.serving import serve
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases import numbering
from sutiao.cases.choices import Channel
from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles, parties_of
from sutiao.core import events, outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.documents import actions as documents
from sutiao.documents import render, signing
from sutiao.documents.models import Document
from sutiao.workdays import clocks
from sutiao.workdays.periods import local_date

from . import competence, lifecycle
from .choices import DismissalGround, MediationDocumentState, Outcome, State
from .errors import JudicialError
from .models import (
    ApplicationEvent,
    ApplicationPart,
    ConfirmationApplication,
    MediationDocument,
    MediationDocumentReceipt,
    Objection,
    QuestioningSession,
    Ruling,
    SupplementRequest,
)
from .policies import application_roles, document_roles
from .queries import (
    confirmable,
    mediation_document_context,
    receipt_purpose,
    ruling_context,
    to_sign_for,
)

RULING_TEMPLATE = "judicial/ruling_document.html"
MEDIATION_DOCUMENT_TEMPLATE = "judicial/mediation_document_pdf.html"


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _locked(app_id: int) -> ConfirmationApplication:
    try:
        return (
            ConfirmationApplication.objects.select_for_update(of=("self",))
            .select_related("case", "agreement", "court")
            .get(pk=app_id)
        )
    except ConfirmationApplication.DoesNotExist:
        raise NotFound() from None


def _step(
    app_id: int, name: str, actor, *, at: datetime, summary: str = "", mutate=None, **data: Any
) -> ConfirmationApplication:
    app = _locked(app_id)
    roles = application_roles(actor, app)
    if not roles:
        raise NotFound()
    t = lifecycle.check(app, name, roles)
    if mutate:
        mutate(app)
    before = lifecycle.move(app, t, at=at)
    app.save()
    events.require_timeline("judicial", name)
    ApplicationEvent.objects.create(
        application=app,
        at=at,
        actor=actor,
        kind=name,
        state_before=before,
        state_after=app.state,
        summary=summary[:300],
    )
    record(
        actor,
        f"judicial.{name}",
        app,
        summary=summary or str(app),
        changes={"state": [before, app.state], **data},
    )
    outbox.emit(
        f"judicial.{name}", {"application": app.pk, "case": app.case_id, "state": app.state}
    )
    return app


def deadline_recomputed(move: clocks.Move, actor) -> None:
    """Entering a year's official schedule moved this application's deadline, or kept the
    later one already shown (workdays.clocks): on its timeline, audited, parties told."""
    app: ConfirmationApplication = move.obj
    summary = move.summary()
    events.require_timeline("judicial", "deadline_recomputed")
    ApplicationEvent.objects.create(
        application=app,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind="deadline_recomputed",
        state_before=app.state,
        state_after=app.state,
        summary=summary[:300],
    )
    days = move.days()
    record(
        actor,
        "judicial.deadline_recomputed",
        app,
        summary=summary,
        changes={"deadline": [days["before"], days["after"]], "computed": days["computed"]},
    )
    if move.moved:
        outbox.emit("deadline.moved", move.payload(app.case_id, actor))


# Applying -----------------------------------------------------------------------------


def _part(
    app: ConfirmationApplication,
    actor,
    *,
    at: datetime,
    statement: str,
    contact_phone: str,
    address: str,
) -> list[ApplicationPart]:
    given = set(app.parts.values_list("party_id", flat=True))
    mine = [p for p in parties_of(actor, app.case) if p.pk not in given]
    if not mine:
        raise Conflict(
            _("Your part of the application is in already."), code=JudicialError.PART_GIVEN
        )
    return [
        ApplicationPart.objects.create(
            application=app,
            party=p,
            submitted_by=actor,
            as_agent=p.agent_id == actor.pk and p.user_id != actor.pk,
            contact_phone=contact_phone,
            address=address or p.address,
            statement=statement,
            submitted_at=at,
        )
        for p in mine
    ]


@transaction.atomic
def apply(
    *,
    actor,
    agreement: Agreement,
    court_id: int,
    subject_matter_address: str = "",
    statement: str = "",
    contact_phone: str = "",
    address: str = "",
    at: datetime | None = None,
) -> ConfirmationApplication:
    """A party starts the joint application, choosing the court, and gives its own part."""
    at = _now(at)
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("case", "case__org", "case__court")
        .get(pk=agreement.pk)
    )
    case = agreement.case
    if not parties_of(actor, case):
        if case_roles(actor, case):
            raise Forbidden(_("The parties apply for confirmation themselves."))
        raise NotFound()
    confirmable(agreement, at=at)
    if agreement.confirmation_applications.exclude(
        state__in=[State.WITHDRAWN, State.DISMISSED]
    ).exists():
        raise Conflict(
            _("An application for this agreement is under way already."),
            code=JudicialError.APPLICATION_EXISTS,
        )
    choices = {
        c.court.pk: c
        for c in competence.candidates(case, subject_matter_address=subject_matter_address)
    }
    chosen = choices.get(court_id)
    if chosen is None:
        raise Invalid(
            _("Choose one of the courts that may confirm this agreement."),
            fields={"court": [_("Choose one of the courts listed.")]},
        )
    app = ConfirmationApplication.objects.create(
        agreement=agreement,
        case=case,
        court=chosen.court,
        court_basis=chosen.basis,
        court_reason=chosen.reason[:300],
        started_by=actor,
        created_at=at,
    )
    clocks.start(app, "confirmation_application", agreement.effective_at)
    app.save(update_fields=["clock", "deadline_at", "clock_basis", "deadline_provisional_year"])
    events.require_timeline("judicial", "started")
    ApplicationEvent.objects.create(
        application=app,
        at=at,
        actor=actor,
        kind="started",
        state_after=app.state,
        summary=chosen.court.name,
    )
    record(
        actor,
        "judicial.started",
        app,
        summary=chosen.court.name,
        changes={"court": chosen.court.pk, "basis": chosen.basis},
    )
    return _submit_part(
        app.pk, actor, at=at, statement=statement, contact_phone=contact_phone, address=address
    )


@transaction.atomic
def submit_part(
    *,
    actor,
    application: ConfirmationApplication,
    statement: str = "",
    contact_phone: str = "",
    address: str = "",
    at: datetime | None = None,
) -> ConfirmationApplication:
    """Another party (or its agent) joins the application with its own part."""
    return _submit_part(
        application.pk,
        actor,
        at=_now(at),
        statement=statement,
        contact_phone=contact_phone,
        address=address,
    )


def _submit_part(app_id: int, actor, *, at: datetime, **fields) -> ConfirmationApplication:
    app = _locked(app_id)
    if "party" not in application_roles(actor, app):
        raise NotFound()
    confirmable(app.agreement, at=at)  # also on the last day for the second party
    lifecycle.check(app, "submit_part", {"party"})
    parts = _part(app, actor, at=at, **fields)

    def submitted(a: ConfirmationApplication):
        if lifecycle.TRANSITIONS["submit_part"].target(a) == State.SUBMITTED:
            a.submitted_at = at
            clocks.stop(a)

    app = _step(
        app.pk,
        "submit_part",
        actor,
        at=at,
        mutate=submitted,
        summary=", ".join(p.party.name for p in parts),
        parties=[p.party_id for p in parts],
    )
    return app


@transaction.atomic
def request_supplement(
    *,
    actor,
    application: ConfirmationApplication,
    items: str,
    days: int = 7,
    at: datetime | None = None,
) -> SupplementRequest:
    at = _now(at)
    items = (items or "").strip()
    errors = {}
    if not items:
        errors["items"] = [_("Say what is missing.")]
    if not 1 <= int(days or 0) <= 30:
        errors["days"] = [_("Give between 1 and 30 days.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)

    def set_deadline(a):
        clocks.start(a, "", at, clock="supplement", days=int(days))

    app = _step(
        application.pk,
        "request_supplement",
        actor,
        at=at,
        mutate=set_deadline,
        summary=items[:300],
        days=int(days),
    )
    return SupplementRequest.objects.create(
        application=app,
        items=items,
        deadline_at=app.deadline_at,
        requested_by=actor,
        requested_at=at,
    )


@transaction.atomic
def supplement(
    *, actor, application: ConfirmationApplication, answer: str, at: datetime | None = None
) -> ConfirmationApplication:
    at = _now(at)
    answer = (answer or "").strip()
    if not answer:
        raise Invalid(_("Describe what you supplement."), fields={"answer": [_("Required.")]})
    app = _locked(application.pk)
    if app.deadline_at and at > app.deadline_at:
        raise Conflict(
            _("The deadline to supplement has passed."), code=JudicialError.SUPPLEMENT_LATE
        )
    request = app.supplement_requests.filter(answered_at__isnull=True).last()
    app = _step(app.pk, "supplement", actor, at=at, summary=answer[:300])
    if request:
        request.answer, request.answered_by, request.answered_at = answer, actor, at
        request.save()
    return app


@transaction.atomic
def accept(
    *, actor, application: ConfirmationApplication, at: datetime | None = None
) -> ConfirmationApplication:
    """Complete: the court accepts; it rules within 30 days (CPL 187)."""
    at = _now(at)

    def accepted(a: ConfirmationApplication):
        year, seq = numbering.court_sequence(a.court, "confirmation", at)
        a.number = f"（{year}）{a.court.case_number_code or a.court.name}民特{seq}号"
        a.accepted_at = at
        if a.court_id in actor.court_ids("judge"):
            a.judge = actor

    return _step(application.pk, "accept", actor, at=at, mutate=accepted)


@transaction.atomic
def schedule_questioning(
    *,
    actor,
    application: ConfirmationApplication,
    starts_at: datetime,
    place: str,
    notes: str = "",
    at: datetime | None = None,
) -> QuestioningSession:
    at = _now(at)
    if not (place or "").strip():
        raise Invalid(
            _("Say where (or in which online room) the session is."),
            fields={"place": [_("Required.")]},
        )
    if starts_at <= at:
        raise Invalid(
            _("The session must be in the future."),
            fields={"starts_at": [_("The session must be in the future.")]},
        )
    app = _step(
        application.pk,
        "schedule_questioning",
        actor,
        at=at,
        summary=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M} {place}"[:300],
    )
    return QuestioningSession.objects.create(
        application=app,
        starts_at=starts_at,
        place=place,
        notes=notes,
        scheduled_by=actor,
        scheduled_at=at,
    )


@transaction.atomic
def withdraw(
    *, actor, application: ConfirmationApplication, reason: str, at: datetime | None = None
) -> ConfirmationApplication:
    def why(a):
        a.withdrawal_reason = (reason or "")[:300]

    return _step(application.pk, "withdraw", actor, at=_now(at), mutate=why, summary=reason)


@transaction.atomic
def deem_withdrawn(
    *, actor, application: ConfirmationApplication, reason: str, at: datetime | None = None
) -> ConfirmationApplication:
    """CPL-I 356–357: materials not supplemented in time, or a party failed to appear."""
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    app = _locked(application.pk)
    if app.state == State.SUPPLEMENT and app.deadline_at and at <= app.deadline_at:
        raise Conflict(
            _("The parties still have time to supplement."), code=JudicialError.SUPPLEMENT_RUNNING
        )

    def why(a):
        a.withdrawal_reason = reason[:300]

    return _step(app.pk, "deem_withdrawn", actor, at=at, mutate=why, summary=reason)


# The ruling ---------------------------------------------------------------------------


def _sign_as_court(pdf: bytes, *, judge, court, place: str) -> bytes:
    pdf = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(agreement_queries.person(judge), actor=judge),
        actor=judge,
        field_name="judge",
        stamp_text_lines=[f"审判员 {judge.real_name}"],
        reason="审判员签名",
        location=place,
    )
    return signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(court, actor=None),
        actor=judge,
        field_name="court_seal",
        stamp_text_lines=[court.name, "电子印章"],
        reason="人民法院印章",
        location=place,
    )


@transaction.atomic
def rule(
    *,
    actor,
    application: ConfirmationApplication,
    outcome: str,
    ground: int | None = None,
    reasoning: str = "",
    at: datetime | None = None,
) -> Ruling:
    """The judge rules; the ruling is signed and sealed, served, and objections may follow."""
    at = _now(at)
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if outcome == Outcome.DISMISSED and ground not in DismissalGround.values:
        errors["ground"] = [_("Choose the ground for dismissal (CPL-I 358).")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    name = "confirm" if outcome == Outcome.VALID else "dismiss"
    app = _locked(application.pk)
    roles = application_roles(actor, app)
    if not roles:
        raise NotFound()
    lifecycle.check(app, name, roles)
    code = documents.new_verify_code()
    context = ruling_context(
        app,
        outcome=outcome,
        ground=ground if outcome == Outcome.DISMISSED else None,
        reasoning=reasoning,
        judge=actor,
        on=local_date(at),
    )
    pdf = render.render_pdf(RULING_TEMPLATE, context, verify_code=code)
    pdf = _sign_as_court(pdf, judge=actor, court=app.court, place=app.court.name)
    document = documents.register_document(
        kind=Document.Kind.CONFIRMATION,
        title=f"民事裁定书 {app.number}",
        case_number=app.number,
        pdf_bytes=pdf,
        verify_code=code,
        actor=actor,
    )

    def decided(a: ConfirmationApplication):
        a.decided_at = at
        clocks.start(a, "objection", at)

    app = _step(
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
        ground=ground if outcome == Outcome.DISMISSED else None,
        reasoning=reasoning,
        judge=actor,
        verify_code=code,
        document=document,
        ruled_at=at,
        served_at=at,
        objection_deadline_at=app.deadline_at,
    )
    serve(
        actor=actor,
        case=app.case,
        document=document,
        title=document.title,
        kind=Document.Kind.CONFIRMATION,
    )
    return ruling


@transaction.atomic
def object_to_ruling(
    *, actor, ruling: Ruling, text: str, at: datetime | None = None
) -> list[Objection]:
    """CPL-I 372: within 15 days of receiving the ruling."""
    at = _now(at)
    app = _locked(ruling.application_id)
    mine = parties_of(actor, app.case)
    if not mine:
        raise NotFound()
    if at > ruling.objection_deadline_at:
        raise Conflict(
            _("The 15 days for an objection ended on %(day)s.")
            % {"day": local_date(ruling.objection_deadline_at).isoformat()},
            code=JudicialError.OBJECTION_LATE,
        )
    if not (text or "").strip():
        raise Invalid(_("Write the objection."), fields={"text": [_("Required.")]})
    made = [
        Objection.objects.create(ruling=ruling, party=p, submitted_by=actor, text=text, at=at)
        for p in mine
    ]
    events.require_timeline("judicial", "objection")
    ApplicationEvent.objects.create(
        application=app,
        at=at,
        actor=actor,
        kind="objection",
        state_before=app.state,
        state_after=app.state,
        summary=text[:300],
    )
    record(
        actor,
        "judicial.objection",
        ruling,
        summary=text[:200],
        changes={"parties": [p.pk for p in mine]},
    )
    outbox.emit("judicial.objection", {"application": app.pk, "ruling": ruling.pk})
    return made


# Mediation documents -------------------------------------------------------------------


@transaction.atomic
def issue_mediation_document(
    *,
    actor,
    case: Case,
    claims: str,
    facts: str,
    result: str,
    clerk_name: str,
    at: datetime | None = None,
) -> MediationDocument:
    """The judge issues the mediation document of a settled entrusted case (CPL 100)."""
    at = _now(at)
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
    errors = {
        k: [_("Required.")]
        for k, v in {
            "claims": claims,
            "facts": facts,
            "result": result,
            "clerk_name": clerk_name,
        }.items()
        if not (v or "").strip()
    }
    if errors:
        raise Invalid(_("Fill in every part of the mediation document."), fields=errors)
    code = documents.new_verify_code()
    context = mediation_document_context(
        case,
        claims=claims,
        facts=facts,
        result=result,
        judge=actor,
        clerk_name=clerk_name,
        on=local_date(at),
    )
    pdf = render.render_pdf(MEDIATION_DOCUMENT_TEMPLATE, context, verify_code=code)
    pdf = _sign_as_court(pdf, judge=actor, court=case.court, place=case.court.name)
    document = documents.register_document(
        kind=Document.Kind.MEDIATION_DOCUMENT,
        title=f"民事调解书 {case.filed_case.number}",
        case_number=case.filed_case.number,
        pdf_bytes=pdf,
        verify_code=code,
        actor=actor,
    )
    md = MediationDocument.objects.create(
        case=case,
        filed_case=case.filed_case,
        agreement=case.agreements.filter(state=Agreement.State.SIGNED).first(),
        claims=claims,
        facts=facts,
        result=result,
        judge=actor,
        clerk_name=clerk_name,
        verify_code=code,
        document=document,
        issued_at=at,
    )
    record(actor, "judicial.mediation_document_issued", md, summary=case.filed_case.number)
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


def request_receipt_code(*, actor, mediation_document: MediationDocument, channel: str):
    md = mediation_document
    require(actor, "view", md)
    if md.state != MediationDocumentState.ISSUED or not to_sign_for(actor, md):
        raise Conflict(
            _("There is nothing for you to sign for."), code=JudicialError.NOTHING_TO_SIGN
        )
    what = _("sign for the mediation document %(number)s") % {"number": md.filed_case.number}
    return otp.send_code(user=actor, purpose=receipt_purpose(md), channel=channel, what=what)


def sign_for(
    *, actor, mediation_document: MediationDocument, code: str, at: datetime | None = None
) -> MediationDocument:
    """A party signs for (签收) the document after a one-time code; when every party has, it
    takes effect (CPL 100)."""
    md = mediation_document
    require(actor, "view", md)
    if md.state != MediationDocumentState.ISSUED or not to_sign_for(actor, md):
        raise Conflict(
            _("There is nothing for you to sign for."), code=JudicialError.NOTHING_TO_SIGN
        )
    used = otp.verify_code(user=actor, purpose=receipt_purpose(md), code=code)
    return _sign_for(actor, md.pk, _now(at), used.channel)


@transaction.atomic
def _sign_for(actor, md_id: int, at: datetime, channel: str) -> MediationDocument:
    md = _locked_document(md_id)
    mine = to_sign_for(actor, md)
    if md.state != MediationDocumentState.ISSUED or not mine:
        raise Conflict(
            _("There is nothing for you to sign for."), code=JudicialError.NOTHING_TO_SIGN
        )
    for p in mine:
        MediationDocumentReceipt.objects.create(
            mediation_document=md, party=p, signed_by=actor, verified_by=channel, at=at
        )
    record(
        actor, "judicial.mediation_document_received", md, changes={"parties": [p.pk for p in mine]}
    )
    signed = set(md.receipts.values_list("party_id", flat=True))
    if set(md.case.parties.values_list("pk", flat=True)) <= signed:
        md.state, md.effective_at = MediationDocumentState.EFFECTIVE, at
        md.save()
        record(actor, "judicial.mediation_document_effective", md)
        outbox.emit("judicial.mediation_document_effective", {"mediation_document": md.pk})
    return md


@transaction.atomic
def withdraw_from_mediation_document(
    *, actor, mediation_document: MediationDocument, reason: str, at: datetime | None = None
) -> MediationDocument:
    """Before it takes effect a party may change its mind; the trial resumes (CPL 102)."""
    at = _now(at)
    md = _locked_document(mediation_document.pk)
    if "party" not in document_roles(actor, md):
        raise NotFound()
    if md.state != MediationDocumentState.ISSUED:
        raise Conflict(
            _("The mediation document is in effect: it can no longer be refused."),
            code=JudicialError.DOCUMENT_EFFECTIVE,
        )
    case_actions.withdraw_settlement(actor=actor, case=md.case, reason=reason, at=at)
    md.state, md.withdrawn_at, md.withdrawal_reason = (
        MediationDocumentState.WITHDRAWN,
        at,
        reason[:300],
    )
    md.save()
    record(actor, "judicial.mediation_document_withdrawn", md, summary=reason[:200])
    outbox.emit("judicial.mediation_document_withdrawn", {"mediation_document": md.pk})
    return md
