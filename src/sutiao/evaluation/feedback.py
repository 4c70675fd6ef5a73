"""Party feedback: the satisfaction survey sent when a case ends (the BC CRT's three
questions: a fair process, treated with respect, understood the outcome; 1–5 each) and
complaints about a mediator, decided by the court or IP office staff concerned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.cases.choices import State
from sutiao.cases.models import Case, Party
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.core.links import site_link

from . import lifecycle
from .errors import EvaluationError
from .models import Complaint, Survey, SurveyAnswer

# Ends after which parties are asked: mediation took place with a mediator (not a refusal
# by the organisation). Filed or returned to trial follow a failure already asked about.
SURVEYED = {State.SETTLED, State.FAILED, State.WITHDRAWN}
QUESTIONS = ("fair", "respect", "understood")


def _bad(code: str, key: str, message: str) -> Invalid:
    return Invalid(message, code=code, fields={key: [message]})


@transaction.atomic
def send_survey(case_id: int) -> Survey | None:
    """Once per case, when it has ended with a mediator: a notice to each party with an
    account, with the link to the survey (delivery)."""
    from sutiao.delivery.actions import notify
    from sutiao.delivery.messages import language_of

    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or case.state not in SURVEYED or case.mediator_id is None:
        return None
    survey, created = Survey.objects.get_or_create(
        case=case,
        defaults={
            "mediator_id": case.mediator_id,
            "org_id": case.org_id,
            "sent_at": timezone.now(),
        },
    )
    if not created:
        return survey
    link = site_link("evaluation:survey", case.pk)
    users = [p.user for p in case.parties.select_related("user") if p.user_id]
    for user in dict.fromkeys(users):
        with translation.override(language_of(user)):
            context = {
                "title": _("How did the mediation go?"),
                # The link on a line of its own: a translation may run text up to it, and
                # the inbox links only a word that starts with the address.
                "text": _(
                    "Mediation of %(case)s has ended. Three short questions (a minute): was "
                    "the process fair, were you treated with respect, did you understand the "
                    "outcome? Your mediator sees only totals, never your answers."
                )
                % {"case": case.number or case.title}
                + "\n"
                + link,
            }
        notify(case=case, topic="notice", recipients=[user], context=context)
    record(None, "survey.sent", case, summary=str(case), changes={"users": [u.pk for u in users]})
    return survey


def party_of(user: Any, case_id: int) -> Party:
    """The caller's own party in the case (parties only, not agents), else 404."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    party = Party.objects.select_related("case").filter(case_id=case_id, user_id=user.pk).first()
    if party is None:
        raise NotFound()
    return party


@transaction.atomic
def answer_survey(
    *, actor: Any, case_id: int, answers: dict[str, Any], comment: str = ""
) -> SurveyAnswer:
    party = party_of(actor, case_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    survey = Survey.objects.filter(case=case).first()
    if case.ended_at is None or case.state not in SURVEYED or survey is None:
        raise Conflict(
            _("The survey opens when mediation of the case has ended."),
            code=EvaluationError.CASE_NOT_ENDED,
        )
    if SurveyAnswer.objects.filter(survey=survey, party=party).exists():
        raise Conflict(_("You have answered this survey already."), code=EvaluationError.ANSWERED)
    values = {}
    for key in QUESTIONS:
        value = answers.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise _bad(EvaluationError.BAD_ANSWER, key, _("Choose a number from 1 to 5."))
        values[key] = value
    answer = SurveyAnswer.objects.create(
        survey=survey,
        party=party,
        comment=(comment or "").strip()[:1000],
        answered_at=timezone.now(),
        **values,
    )
    # The audit says that the party answered, not what: the answers are not attributed.
    record(actor, "survey.answered", case, summary=str(case))
    return answer


@transaction.atomic
def file_complaint(*, actor: Any, case_id: int, reason: str) -> Complaint:
    party = party_of(actor, case_id)
    case = party.case
    if case.mediator_id is None:
        raise Conflict(
            _("The case has no mediator to complain about."), code=EvaluationError.NO_MEDIATOR
        )
    reason = (reason or "").strip()
    if not reason:
        raise _bad(EvaluationError.REASON_MISSING, "reason", _("A reason is required."))
    complaint = Complaint.objects.create(
        case=case,
        party=party,
        mediator_id=case.mediator_id,
        reason=reason[:2000],
        filed_by=actor,
        filed_at=timezone.now(),
    )
    record(actor, "complaint.filed", complaint, summary=str(complaint))
    return complaint


@transaction.atomic
def decide_complaint(*, actor: Any, complaint: Complaint, step: str, reason: str) -> Complaint:
    """Uphold or dismiss an open complaint, with the reason."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("case__org")
        .get(pk=complaint.pk)
    )
    roles = lifecycle.roles(actor, complaint)
    if not roles and complaint.filed_by_id != actor.pk:
        raise NotFound()
    if step not in lifecycle.COMPLAINT.transitions:
        raise NotFound()
    t = lifecycle.COMPLAINT.check(complaint, step, roles)
    reason = (reason or "").strip()
    if not reason:
        raise _bad(EvaluationError.REASON_MISSING, "reason", _("A reason is required."))
    now = timezone.now()
    before = lifecycle.COMPLAINT.move(complaint, t, at=now)
    complaint.decided_by, complaint.decided_at, complaint.decision = actor, now, reason[:1000]
    complaint.save(update_fields=["state", "decided_by", "decided_at", "decision"])
    record(
        actor,
        f"complaint.{step}",
        complaint,
        summary=str(complaint),
        changes={"state": [before, complaint.state], "reason": complaint.decision},
    )
    return complaint
