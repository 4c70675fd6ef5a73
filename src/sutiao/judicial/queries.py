"""Reads of judicial confirmation and mediation documents shaped for the pages and the
steps: whether an agreement can be applied for and until when, a case's applications, the
court's queue, the contents of a ruling or a mediation document, who still signs for one.
Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Manager, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sutiao.agreements import queries as agreement_queries
from sutiao.agreements.models import Agreement
from sutiao.agreements.terms import chinese_date
from sutiao.audit.models import AuditEntry
from sutiao.cases.choices import Channel, ShamOutcome
from sutiao.cases.models import Case, Party
from sutiao.cases.policies import parties_of
from sutiao.cases.timeline import Entry, Viewer, fact, name_of
from sutiao.core.errors import Conflict
from sutiao.delivery.models import Service
from sutiao.workdays.periods import deadline, local_date

from .choices import DismissalGround, MediationDocumentState, ObjectionState, Outcome, State
from .errors import JudicialError
from .models import (
    ApplicationEvent,
    ApplicationPart,
    ConfirmationApplication,
    MediationDocument,
    MediationDocumentReceipt,
    Objection,
    Ruling,
)

if TYPE_CHECKING:
    from sutiao.accounts.models import User

# Applying ----------------------------------------------------------------------------------


def every_party_in(case: Case, rows: Manager[Any] | QuerySet[Any]) -> bool:
    """Whether every party of the case stands in `rows` (by `party_id`): an application's
    parts, a mediation document's receipts."""
    parties = set(case.parties.values_list("pk", flat=True))
    return parties <= set(rows.values_list("party_id", flat=True))


def sham_suspected(case: Case) -> bool:
    """SIR 18; OMR 23: a suspicion of sham mediation stands on the case (reported and not
    cleared, or confirmed by the court)."""
    return case.sham_reports.exclude(outcome=ShamOutcome.CLEARED).exists()


def application_deadline(agreement: Agreement) -> datetime | None:
    """The end of the 30 days within which the parties apply (CPL 205)."""
    return (
        deadline(agreement.effective_at, "confirmation_application")
        if agreement.effective_at
        else None
    )


def confirmable(agreement: Agreement, *, at: datetime) -> None:
    """Conflict with the reason if this agreement cannot be applied for now."""
    if agreement.state != Agreement.State.SIGNED or agreement.effective_at is None:
        raise Conflict(
            _("Only an agreement signed by everyone can be confirmed."),
            code=JudicialError.AGREEMENT_NOT_SIGNED,
        )
    if sham_suspected(agreement.case):
        raise Conflict(
            _(
                "A sham mediation is suspected or found in this case (SIR 18; OMR 23): the "
                "agreement cannot be confirmed while the suspicion stands."
            ),
            code=JudicialError.SHAM_SUSPECTED,
        )
    if agreement.case.channel == Channel.ENTRUSTED:
        raise Conflict(
            _(
                "An entrusted case settles by a mediation document of the court, not "
                "by judicial confirmation."
            ),
            code=JudicialError.ENTRUSTED_CASE,
        )
    # The flags of CPL-I 355 (an IP right confirmed, a personal-status matter) do not refuse
    # here: the court decides whether to accept (actions.refuse); the pages show them.
    end = application_deadline(agreement)
    if end is not None and agreement.effective_at is not None and at > end:
        raise Conflict(
            _(
                "Too late: the parties apply within 30 days of the agreement taking effect "
                "(CPL 205). It took effect on %(start)s; the last day was %(end)s."
            )
            % {
                "start": local_date(agreement.effective_at).isoformat(),
                "end": local_date(end).isoformat(),
            },
            code=JudicialError.TOO_LATE,
            effective=local_date(agreement.effective_at).isoformat(),
            last_day=local_date(end).isoformat(),
        )


def acceptance_flags(agreement: Agreement) -> list[Any]:
    """What the drafting checks found that may be a ground not to accept (CPL-I 355)."""
    return agreement_queries.blocking_warnings(agreement)


def signed_agreement(case: Case) -> Agreement | None:
    """The case's latest agreement signed by everyone: the one the parties apply for."""
    return case.agreements.filter(state=Agreement.State.SIGNED).order_by("-id").first()


def applications_of(case: Case) -> list[ConfirmationApplication]:
    return list(case.confirmation_applications.select_related("court").order_by("-id"))


def waiting_for(app: ConfirmationApplication) -> list[Party]:
    """The parties whose part of the joint application is still missing."""
    given = set(app.parts.values_list("party_id", flat=True))
    return [p for p in app.case.parties.all() if p.pk not in given]


def parts(app: ConfirmationApplication) -> QuerySet[ApplicationPart]:
    return app.parts.select_related("party", "submitted_by")


def events(app: ConfirmationApplication) -> QuerySet[ApplicationEvent]:
    return app.events.select_related("actor")


def objections(ruling: Ruling) -> QuerySet[Objection]:
    return ruling.objections.select_related("party", "reviewed_by")


@dataclass(frozen=True)
class ObjectionWindow:
    """One party's 15 days to object (CPL-I 372), from its own receipt of the ruling: the
    moment its service took effect (delivery). Not served yet: the days have not started."""

    party: Party
    served_at: datetime | None
    ends_at: datetime | None
    objected: bool

    def status(self, at: datetime) -> str:
        if self.served_at is None or self.ends_at is None:
            return "not_served"
        return "open" if at <= self.ends_at else "closed"

    def is_open(self, at: datetime) -> bool:
        return self.status(at) == "open"


def receipts_of_ruling(ruling: Ruling) -> dict[int, datetime]:
    """Party id → when the ruling's service on that party took effect (the earliest)."""
    rows = (
        Service.objects.filter(document_id=ruling.document_id, effective_at__isnull=False)
        .values("party_id")
        .annotate(first=Min("effective_at"))
    )
    return {r["party_id"]: r["first"] for r in rows}


def objection_windows(ruling: Ruling) -> list[ObjectionWindow]:
    served = receipts_of_ruling(ruling)
    objected = set(ruling.objections.values_list("party_id", flat=True))
    windows = []
    for p in _names(ruling.application.case):
        at = served.get(p.pk)
        ends = deadline(at, "objection") if at else None
        windows.append(ObjectionWindow(p, at, ends, p.pk in objected))
    return windows


def objection_open(ruling: Ruling, *, at: datetime | None = None) -> bool:
    """Some party may still object: its ruling is served, its 15 days run, it has not."""
    at = at or timezone.now()
    return ruling.revoked_at is None and any(
        w.is_open(at) and not w.objected for w in objection_windows(ruling)
    )


def pending_objections(ruling: Ruling) -> QuerySet[Objection]:
    return ruling.objections.filter(state=ObjectionState.FILED)


def court_queue(court_ids: set[int], *, state: str) -> QuerySet[ConfirmationApplication]:
    """The courts' applications to check, review and rule on ("open": those under way),
    oldest deadline first."""
    qs = (
        ConfirmationApplication.objects.filter(court_id__in=court_ids)
        .exclude(state=State.DRAFT)
        .select_related("case", "court")
    )
    if state == "open":
        qs = qs.filter(state__in=[State.SUBMITTED, State.SUPPLEMENT, State.ACCEPTED])
    elif state in State.values:
        qs = qs.filter(state=state)
    return qs.order_by("deadline_at", "id")


# The ruling --------------------------------------------------------------------------------


def _day(at: datetime | None) -> str:
    return chinese_date(local_date(at)) if at else ""


def _names(case: Case) -> list[Party]:
    return list(case.parties.all())


def ruling_context(
    app: ConfirmationApplication,
    *,
    outcome: str,
    ground: int | None,
    reasoning: str,
    judge: User,
    on: date,
) -> dict[str, Any]:
    agreement = app.agreement
    case = app.case
    parties = [
        {"name": p.name, "details": agreement_queries.party_details(p)} for p in _names(case)
    ]
    presided = case.org.name if case.org else (case.mediator.name if case.mediator else "")
    return {
        "title": "民事裁定书",
        "court": app.court.name,
        "case_number": app.number,
        "parties": parties,
        "party_names": "、".join(p.name for p in _names(case)),
        "agreement_date": _day(agreement.effective_at),
        "presided": presided,
        "mediation_number": case.number,
        "terms": agreement_queries.term_texts(agreement),
        "applied_on": _day(app.submitted_at),
        "valid": outcome == Outcome.VALID,
        "ground": DismissalGround(ground).label if ground else "",
        "reasoning": reasoning,
        "judge_name": judge.real_name,
        "date": chinese_date(on),
        "clerk": "",
        "author": app.court.name,
    }


def objection_context(
    app: ConfirmationApplication,
    ruling: Ruling,
    objections: list[Objection],
    *,
    upheld: bool,
    reasoning: str,
    judge: User,
    on: date,
) -> dict[str, Any]:
    """The decision on the objections to a ruling (CPL-I 372)."""
    return {
        "title": "民事裁定书",
        "court": app.court.name,
        "case_number": app.number,
        "objectors": "、".join(dict.fromkeys(o.party.name for o in objections)),
        "objections": [o.text for o in objections],
        "ruled_on": _day(ruling.ruled_at),
        "valid": ruling.outcome == Outcome.VALID,
        "upheld": upheld,
        "reasoning": reasoning,
        "judge_name": judge.real_name,
        "date": chinese_date(on),
        "clerk": "",
        "author": app.court.name,
    }


# Mediation documents -----------------------------------------------------------------------


def latest_mediation_document(case: Case) -> MediationDocument | None:
    return case.mediation_documents.order_by("-id").first()


def mediation_document_context(
    case: Case, *, claims: str, facts: str, result: str, judge: User, clerk_name: str, on: date
) -> dict[str, Any]:
    fc, court = case.filed_case, case.court
    assert fc is not None and court is not None  # an entrusted case, filed at its court
    parties = [
        {
            "role": p.get_role_display(),
            "name": p.name,
            "details": agreement_queries.party_details(p),
        }
        for p in case.parties.all()
    ]
    return {
        "title": "民事调解书",
        "court": court.name,
        "case_number": fc.number,
        "parties": parties,
        "claims": [x for x in claims.splitlines() if x.strip()],
        "facts": [x for x in facts.splitlines() if x.strip()],
        "result": [x for x in result.splitlines() if x.strip()],
        "judge_name": judge.real_name,
        "clerk": clerk_name,
        "date": chinese_date(on),
        "author": court.name,
    }


def receipt_purpose(md: MediationDocument) -> str:
    return f"mediation_document:{md.pk}:receive"


def to_sign_for(actor: User, md: MediationDocument) -> list[Party]:
    done = set(md.receipts.values_list("party_id", flat=True))
    return [p for p in parties_of(actor, md.case) if p.pk not in done]


def receipts(md: MediationDocument) -> QuerySet[MediationDocumentReceipt]:
    return md.receipts.select_related("party", "signed_by")


# The case's timeline (cases.timeline) ---------------------------------------------------


def timeline_entries(case: Case, viewer: Viewer) -> list[Entry]:
    """The confirmation applications of the case, step by step (the application, its parts,
    supplements, the ruling, objections), and its mediation documents (issued, signed for,
    in effect, withdrawn): in four queries."""
    entries: list[Entry] = []
    steps = ApplicationEvent.objects.filter(application__case=case).select_related("actor")
    for e in steps.order_by("at", "pk"):
        known = fact("judicial", e.kind)
        if known is None:
            continue
        entries.append(
            Entry(e.at, known.name, e.summary, name_of(e.actor), "judicial", e.pk, known.label)
        )
    documents = [str(pk) for pk in case.mediation_documents.values_list("pk", flat=True)]
    if documents:
        audited = AuditEntry.objects.filter(
            object_type=MediationDocument._meta.label_lower, object_id__in=documents
        ).select_related("actor")
        for a in audited.order_by("id"):
            entries.append(Entry(a.at, a.action, a.summary, name_of(a.actor), "judicial", a.pk))
    return entries


def stages(case: Case) -> list[tuple[int, Any]]:
    """已申请司法确认 → 已司法确认 (or dismissed); 已出具调解书 → 调解书已生效."""
    found: list[tuple[int, Any]] = []
    states = set(case.confirmation_applications.values_list("state", flat=True))
    if states - {State.DRAFT, State.WITHDRAWN}:
        found.append((20, gettext_lazy("Judicial confirmation applied for")))
    if State.CONFIRMED in states:
        found.append((30, gettext_lazy("Judicially confirmed")))
    elif State.DISMISSED in states:
        found.append((30, gettext_lazy("Judicial confirmation dismissed")))
    md_states = set(case.mediation_documents.values_list("state", flat=True))
    if md_states:
        found.append((20, gettext_lazy("Mediation document issued")))
    if MediationDocumentState.EFFECTIVE in md_states:
        found.append((30, gettext_lazy("Mediation document in effect")))
    return found
