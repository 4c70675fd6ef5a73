"""The case lifecycle as data: every transition, who may take it, from where, to where,
and which clock it starts. Actions take transitions only through `check` then `move`; pages show
only the buttons `available` returns; the API answers 409 with the reason for the rest.

Case roles are relative to one case (see policies.case_roles): "applicant" and "party"
(a party or its agent), "court_clerk" and "judge" (of the case's court), "org_admin"
(of the case's organisation), "mediator" (the case's mediator), "system" (scheduled jobs).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, Precondition, Transition, branch, register, table
from sutiao.core.lifecycle import transition as _t
from sutiao.workdays import clocks

from .choices import Channel, PartyRole, Procedure, ShamOutcome, State
from .models import Case, CaseFile, MediatorChangeRequest, Party, ShamReport

__all__ = [
    "ELSEWHERE",
    "GATES",
    "PARTIES_CONSENTED",
    "INCOMPLETE",
    "MACHINE",
    "TRANSITIONS",
    "Transition",
    "available",
    "check",
    "mediation_rule",
    "move",
    "not_consented",
    "targets",
]


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

ACTIVE = {State.MEDIATING, State.PAUSED}
COURT = {"judge", "court_clerk"}
# Where a party may still refuse mediation, which ends the case (OMR 15; Seed §3).
REFUSABLE = {State.SUBMITTED, State.AWAITING_ACCEPTANCE, *ACTIVE}

TRANSITIONS = table(
    _t(
        "submit",
        _("Submit the application"),
        {State.DRAFT},
        _after_submit,
        {"applicant"},
        clock="assign_mediator",
        requires=[*INCOMPLETE, NOT_OFFLINE],
    ),
    _t(
        "withdraw",
        _("Withdraw the application"),
        {State.DRAFT, State.SUBMITTED, State.AWAITING_ACCEPTANCE},
        State.WITHDRAWN,
        {"applicant"},
        clock="stop",
    ),
    _t(
        "delegate",
        _("Delegate to a mediator"),
        {State.SUBMITTED},
        State.AWAITING_ACCEPTANCE,
        {"court_clerk"},
        clock="accept_assignment",
        requires=[PRE_FILING],
    ),
    _t(
        "entrust",
        _("Entrust to a mediator"),
        {State.SUBMITTED},
        State.AWAITING_ACCEPTANCE,
        {"judge"},
        clock="accept_assignment",
        requires=[FILED],
    ),
    _t(
        "assign",
        _("Assign a mediator of the organisation"),
        {State.AWAITING_ACCEPTANCE},
        None,
        {"org_admin"},
        requires=[SENT_TO_ORG],
    ),
    _t(
        "accept",
        _("Accept the case"),
        {State.AWAITING_ACCEPTANCE},
        State.MEDIATING,
        {"mediator", "org_admin"},
        clock="mediation",
        requires=[HAS_MEDIATOR],
    ),
    _t(
        "decline",
        _("Decline the case"),
        {State.AWAITING_ACCEPTANCE},
        _after_decline,
        {"mediator", "org_admin"},
        clock="assign_mediator",
    ),
    _t(
        "recuse",
        _("Step aside (another mediator)"),
        {State.AWAITING_ACCEPTANCE, *ACTIVE},
        _after_recusal,
        {"mediator", "org_admin"},
        clock="accept_assignment",
    ),
    _t(
        "lapse",
        _("Returned: no answer within 3 working days"),
        {State.AWAITING_ACCEPTANCE},
        _after_lapse,
        {"system"},
        clock="assign_mediator",
    ),
    _t(
        "mediator_rejected",
        _("The mediator steps aside: a party did not agree after the disclosure"),
        {State.AWAITING_ACCEPTANCE, *ACTIVE},
        _after_recusal,
        {"party"},
        clock="accept_assignment",
        requires=[DISCLOSURE_REFUSED],
    ),
    _t(
        "replace_mediator",
        _("Grant the request for another mediator"),
        {State.AWAITING_ACCEPTANCE, *ACTIVE},
        _after_recusal,
        {"org_admin", "court_clerk", "judge"},
        clock="accept_assignment",
        requires=[CHANGE_REQUESTED],
    ),
    _t(
        "extend",
        _("Extend the mediation period"),
        {State.MEDIATING},
        None,
        {"mediator"},
        requires=[NOT_EXTENDED],
    ),
    _t(
        "pause",
        _("Pause for appraisal"),
        {State.MEDIATING},
        State.PAUSED,
        {"mediator"},
        requires=[BEFORE_FILING],
    ),
    _t("resume", _("Resume after appraisal"), {State.PAUSED}, State.MEDIATING, {"mediator"}),
    _t(
        "settle",
        _("Record the settlement"),
        {State.MEDIATING},
        State.SETTLED,
        {"mediator"},
        clock="stop",
    ),
    _t("end", _("End without agreement"), ACTIVE, State.FAILED, {"mediator"}, clock="stop"),
    # OMR 15: a party refuses mediation at consent; the case ends and its materials go back
    # to the court (filing, trial) or to the organisation's file.
    _t(
        "refuse_mediation",
        _("Refuse mediation"),
        REFUSABLE,
        State.FAILED,
        {"party"},
        clock="stop",
    ),
    # OMR 15: the other side did not answer within 3 working days of acceptance.
    _t(
        "unanswered",
        _("End: the other party did not answer"),
        ACTIVE,
        State.FAILED,
        {"system"},
        clock="stop",
    ),
    # Gates without a move: what sessions and agreement drafts need (checked by the records
    # and agreements actions; their pages show the forms only when available).
    _t(
        "hold_session",
        _("Record a session"),
        ACTIVE,
        None,
        {"mediator"},
        requires=[PARTIES_CONSENTED],
    ),
    _t(
        "draft_agreement",
        _("Draft the agreement"),
        {State.MEDIATING},
        None,
        {"mediator"},
        requires=[PARTIES_CONSENTED],
    ),
    _t(
        "expire",
        _("End: the period expired"),
        {State.MEDIATING},
        State.FAILED,
        {"system"},
        clock="stop",
        requires=[NO_PARTIES_AGREEMENT],
    ),
    _t(
        "file_case",
        _("File the case (立案)"),
        {State.FAILED},
        State.FILED,
        {"court_clerk"},
        requires=[FILEABLE],
    ),
    _t(
        "resume_trial",
        _("Resume the trial"),
        {State.FAILED},
        State.TRIAL_RESUMED,
        {"judge"},
        requires=[ENTRUSTED],
    ),
    _t(
        "push_to_court",
        _("Send to a court for online filing"),
        {State.FAILED},
        None,
        {"mediator", "org_admin"},
        requires=[DIRECT_WITHOUT_COURT],
    ),
    _t(
        "suspend_sham",
        _("Suspend and report a suspected sham mediation"),
        {*ACTIVE, State.SETTLED},
        State.SUSPENDED,
        {"mediator", *COURT},
        requires=[HAS_COURT],
    ),
    _t(
        "clear_sham",
        _("Clear the suspicion: mediation goes on"),
        {State.SUSPENDED},
        _after_clearing,
        COURT,
    ),
    _t(
        "confirm_sham",
        _("Confirm the sham mediation: mediation ends"),
        {State.SUSPENDED},
        State.FAILED,
        COURT,
        clock="stop",
    ),
    # Taken from the agreement and mediation-document pages (sutiao.agreements, .judicial).
    _t(
        "refuse_to_sign",
        _("Refuse to sign the agreement"),
        {State.MEDIATING},
        State.FAILED,
        {"party"},
        clock="stop",
    ),
    _t(
        "withdraw_settlement",
        _("Withdraw from the settlement before the mediation document takes effect"),
        {State.SETTLED},
        State.TRIAL_RESUMED,
        {"party"},
        requires=[ENTRUSTED],
    ),
)

# Steps taken from other pages than the case page (agreements, mediation documents).
ELSEWHERE = frozenset(
    {
        "refuse_to_sign",
        "withdraw_settlement",
        "refuse_mediation",
        "unanswered",
        "hold_session",
        "draft_agreement",
    }
)
# Steps taken from a form of the case page other than its buttons (the disclosure's answer,
# the decision on a party's request for another mediator).
FROM_FORMS = frozenset({"mediator_rejected", "replace_mediator"})
# Steps that only check the table and move nothing (no audit entry of their own).
GATES = frozenset({"hold_session", "draft_agreement"})


def mediation_rule(case: Case) -> str:
    if case.channel == Channel.ENTRUSTED:
        if case.procedure == Procedure.SIMPLE:
            return "mediation_entrusted_simple"
        return "mediation_entrusted_ordinary"
    return "mediation_direct" if case.channel == Channel.DIRECT else "mediation_delegated"


def _clock(case: Case, t: Transition, at: datetime) -> None:
    if t.clock == "stop":
        clocks.stop(case)
    elif t.clock:  # the engine calls only for a transition with a clock
        rule = mediation_rule(case) if t.clock == "mediation" else t.clock
        if case.state == State.SUBMITTED:  # back with the court: it assigns (OMR 10)
            rule = "assign_mediator"
        clocks.start(case, rule, at)
    # An escalation (OMR 10) is about the clock that ran; a new clock starts afresh.
    case.escalated_at = None


MACHINE = register(
    "cases.Case",
    Machine(
        "case",
        TRANSITIONS.values(),
        on_clock=_clock,
        invalid=_("“%(action)s” is not possible while the case is “%(state)s”."),
    ),
)
check, available, move, targets = MACHINE.check, MACHINE.available, MACHINE.move, MACHINE.targets

# OMR 14: a party's request for another mediator, decided by the organisation or the court
# ("decider": `actions.decide_change_request` says who that is for the case).
_Req = MediatorChangeRequest.State
REQUEST_MACHINE = register(
    "cases.MediatorChangeRequest",
    Machine(
        "case",  # its refusals share the case codes (case.invalid_transition …)
        [
            _t("grant", _("Grant the request"), {_Req.PENDING}, _Req.GRANTED, {"decider"}),
            _t("refuse", _("Refuse the request"), {_Req.PENDING}, _Req.REFUSED, {"decider"}),
        ],
        invalid=_("“%(action)s” is not possible while the request is “%(state)s”."),
    ),
)
