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

from sutiao.core.lifecycle import Machine, Transition, register, table
from sutiao.core.lifecycle import transition as _t
from sutiao.workdays import clocks

from .choices import Channel, Procedure, State
from .models import Case, MediatorChangeRequest
from .preconditions import (
    BEFORE_FILING,
    CHANGE_REQUESTED,
    DIRECT_WITHOUT_COURT,
    DISCLOSURE_REFUSED,
    ENTRUSTED,
    FILEABLE,
    FILED,
    HAS_COURT,
    HAS_MEDIATOR,
    INCOMPLETE,
    NO_PARTIES_AGREEMENT,
    NOT_AGREED,
    NOT_EXTENDED,
    NOT_OFFLINE,
    PARTIES_CONSENTED,
    PRE_FILING,
    SENT_TO_ORG,
    _after_clearing,
    _after_decline,
    _after_lapse,
    _after_recusal,
    _after_submit,
    not_consented,
)

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
        requires=[DISCLOSURE_REFUSED, NOT_AGREED],
    ),
    _t(
        "replace_mediator",
        _("Grant the request for another mediator"),
        {State.AWAITING_ACCEPTANCE, *ACTIVE},
        _after_recusal,
        {"org_admin", "court_clerk", "judge"},
        clock="accept_assignment",
        requires=[CHANGE_REQUESTED, NOT_AGREED],
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
        requires=[NOT_AGREED],
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
