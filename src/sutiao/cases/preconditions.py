"""The preconditions of the case lifecycle (cases/lifecycle.py): each a named check with the
reason a refused step gives, and the branches that pick a transition's target from the case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Precondition, branch

from .choices import Channel, PartyRole, ShamOutcome, State
from .models import Case, CaseFile, Party, ShamReport


def _applicants_consented(case: Case) -> bool:
    return all(
        p.consents_online and p.consents_e_service
        for p in case.parties.all()
        if p.role == PartyRole.APPLICANT
    )


def _agents_authorised(case: Case) -> bool:
    agents = any(p.role == PartyRole.APPLICANT and p.agent_id for p in case.parties.all())
    return not agents or case.files.filter(kind=CaseFile.Kind.POWER_OF_ATTORNEY).exists()


# OMR 4, 8; CPL 90: an application goes out only with the applicant's consent and address.
CONSENTED = Precondition(
    "applicant_consented",
    _applicants_consented,
    _("The applicant must consent to online mediation and give a service address."),
)
AUTHORISED = Precondition(
    "power_of_attorney", _agents_authorised, _("An agent must upload the power of attorney.")
)
# What an application lacks: the action answers `case.incomplete` with every one that fails.
INCOMPLETE = (CONSENTED, AUTHORISED)


def not_consented(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if not p.has_consented]


# OMR 4, 8; SIR 11, 14: sessions, agreement drafts and signatures wait for every party.
PARTIES_CONSENTED = Precondition(
    "parties_consented",
    lambda c: not not_consented(c),
    _(
        "Every party must first consent to online mediation, give or refuse an address for "
        "electronic service and acknowledge the notice of rights and duties."
    ),
)

# An offline agreement a party recorded waits (as a draft) for the other party's confirmation;
# it is never an application to send out (issue 13).
NOT_OFFLINE = Precondition(
    "not_offline",
    lambda c: c.channel != Channel.OFFLINE,
    _("An agreement reached offline is confirmed by the other party, not submitted."),
)
PRE_FILING = Precondition(
    "pre_filing",
    lambda c: c.channel == Channel.DELEGATED,
    _("Only a pre-filing application can be delegated."),
)
FILED = Precondition(
    "filed",
    lambda c: c.channel == Channel.ENTRUSTED and c.filed_case_id is not None,
    _("Only a filed case can be entrusted."),
)
SENT_TO_ORG = Precondition(
    "sent_to_org", lambda c: c.org_id is not None, _("The case was not sent to an organisation.")
)
HAS_MEDIATOR = Precondition(
    "has_mediator",
    lambda c: c.mediator_id is not None,
    _("A mediator must be assigned before the case is accepted."),
)
NOT_EXTENDED = Precondition(
    "not_extended", lambda c: not c.extended, _("The period was extended already.")
)
FILEABLE = Precondition(
    "fileable",
    lambda c: bool(c.channel in (Channel.DELEGATED, Channel.DIRECT) and c.court_id),
    _("Only a failed pre-filing or direct case sent to a court is filed."),
)
ENTRUSTED = Precondition(
    "entrusted",
    lambda c: c.channel == Channel.ENTRUSTED,
    _("Only an entrusted case returns to trial."),
)
DIRECT_WITHOUT_COURT = Precondition(
    "direct_without_court",
    lambda c: c.channel == Channel.DIRECT and not c.court_id,
    _("Only a failed direct case can be sent to a court."),
)


# SIR 18; OMR 23: the suspicion is reported to a court, which decides on it.
HAS_COURT = Precondition(
    "has_court",
    lambda c: c.court_id is not None,
    _("Send the case to a court first: the court decides on a suspected sham mediation."),
)


def _open_sham(case: Case) -> ShamReport | None:
    return case.sham_reports.filter(outcome=ShamOutcome.OPEN).first()


@branch(State.MEDIATING, State.PAUSED, State.SETTLED)
def _after_clearing(case: Case) -> str:
    # Mediation goes on where the report suspended it.
    report = _open_sham(case)
    return report.state_before if report else State.MEDIATING


def _signed_by_every_party(case: Case) -> bool:
    """An agreement every party has signed (in effect, OMR 19–20): the mediator's signature
    and the seal may still follow. Agreements name cases, not the other way round: the
    reverse relation is read by name, so cases imports nothing of agreements."""
    return bool(case.agreements.filter(effective_at__isnull=False).exists())


# OMR 19: once every party has signed, no timer undoes the agreement.
NO_PARTIES_AGREEMENT = Precondition(
    "no_agreement_signed_by_parties",
    lambda c: not _signed_by_every_party(c),
    _("Every party has signed the agreement: the period's end does not undo it (OMR 19)."),
)
# OMR 19; Seed §3: mediation is voluntary until the parties have agreed. Once every party has
# signed, refusing mediation or every mediator no longer ends the case or takes the mediator
# off it (the mediator's signature completes the agreement).
NOT_AGREED = Precondition(
    "parties_not_agreed",
    lambda c: not _signed_by_every_party(c),
    _(
        "Every party has signed the agreement: it is in effect, and mediation can no longer "
        "be refused nor its mediator changed (OMR 19)."
    ),
)
# OMR 26: appraisal or evaluation is excluded from the period only before filing.
BEFORE_FILING = Precondition(
    "before_filing",
    lambda c: c.channel != Channel.ENTRUSTED,
    _("Appraisal pauses the period only before filing (OMR 26)."),
)


@branch(State.AWAITING_ACCEPTANCE, State.SUBMITTED)
def _after_submit(case: Case) -> str:
    # A direct application goes straight to its organisation; others wait for the court.
    return State.AWAITING_ACCEPTANCE if case.channel == Channel.DIRECT else State.SUBMITTED


@branch(State.DECLINED, State.SUBMITTED)
def _after_decline(case: Case) -> str:
    # The court assigns again; an organisation that declines a direct application ends it.
    return State.DECLINED if case.channel == Channel.DIRECT else State.SUBMITTED


@branch(State.AWAITING_ACCEPTANCE, State.SUBMITTED)
def _after_recusal(case: Case) -> str:
    # An organisation picks another of its mediators; otherwise the court assigns again.
    return State.AWAITING_ACCEPTANCE if case.org_id else State.SUBMITTED


@branch(State.AWAITING_ACCEPTANCE, State.SUBMITTED)
def _after_lapse(case: Case) -> str:
    # OMR 12: no answer in 3 working days; a direct case goes back to its organisation,
    # others to the court, which assigns again.
    return State.AWAITING_ACCEPTANCE if case.channel == Channel.DIRECT else State.SUBMITTED


def _mediator_rejected(case: Case) -> bool:
    """A party did not agree, after the current mediator's disclosure, that they go on."""
    return bool(
        case.mediator_id
        and case.disclosures.filter(mediator_id=case.mediator_id, answers__consents=False).exists()
    )


def _change_requested(case: Case) -> bool:
    return bool(case.mediator_id and case.change_requests.filter(state="pending").exists())


# OMR 13: the mediator goes on only if every party agrees after the disclosure.
DISCLOSURE_REFUSED = Precondition(
    "disclosure_refused",
    _mediator_rejected,
    _("Only a party's refusal after a disclosure makes the mediator step aside."),
)
# OMR 14: a party asked for another mediator; the organisation or the court decides.
CHANGE_REQUESTED = Precondition(
    "change_requested",
    _change_requested,
    _("No party has asked for another mediator."),
)
