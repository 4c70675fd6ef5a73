"""The case lifecycle as data: every transition, who may take it, from where, to where,
and which clock it starts. Actions take transitions only through `check` then `move`; pages show
only the buttons `available` returns; the API answers 409 with the reason for the rest.

Case roles are relative to one case (see policies.case_roles): "applicant" and "party"
(a party or its agent), "court_clerk" and "judge" (of the case's court), "org_admin"
(of the case's organisation), "mediator" (the case's mediator), "system" (scheduled jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sutiao.core.errors import Conflict

from .choices import Channel, Procedure, State
from .models import Case


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    source: frozenset[str]
    target: str | Callable[[Case], str] | None  # None: the state does not change
    by: frozenset[str]
    clock: str | None = None  # a rule of workdays.periods.RULES, "mediation" (by channel), or "stop"
    guard: Callable[[Case], bool] | None = None
    guard_reason: object = ""
    records: tuple[str, ...] = field(default=())


def _t(name, label, source, target, by, clock=None, guard=None, guard_reason="", records=()):
    return Transition(name, label, frozenset(source), target, frozenset(by), clock, guard,
                      guard_reason, tuple(records))


def branch(*states: str):
    """A target that depends on the case; names every state it can choose."""

    def mark(fn):
        fn.targets = frozenset(states)
        return fn

    return mark


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


ACTIVE = {State.MEDIATING, State.PAUSED}

TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    _t("submit", _("Submit the application"), {State.DRAFT}, _after_submit, {"applicant"},
       clock="assign_mediator", records=("parties", "claims")),
    _t("withdraw", _("Withdraw the application"),
       {State.DRAFT, State.SUBMITTED, State.AWAITING_ACCEPTANCE}, State.WITHDRAWN,
       {"applicant"}, clock="stop"),
    _t("delegate", _("Delegate to a mediator"), {State.SUBMITTED}, State.AWAITING_ACCEPTANCE,
       {"court_clerk"}, clock="accept_assignment",
       guard=lambda c: c.channel == Channel.DELEGATED,
       guard_reason=_("Only a pre-filing application can be delegated."),
       records=("org", "mediator")),
    _t("entrust", _("Entrust to a mediator"), {State.SUBMITTED}, State.AWAITING_ACCEPTANCE,
       {"judge"}, clock="accept_assignment",
       guard=lambda c: c.channel == Channel.ENTRUSTED and c.filed_case_id is not None,
       guard_reason=_("Only a filed case can be entrusted."), records=("org", "mediator")),
    _t("assign", _("Assign a mediator of the organisation"), {State.AWAITING_ACCEPTANCE},
       None, {"org_admin"}, guard=lambda c: c.org_id is not None,
       guard_reason=_("The case was not sent to an organisation."), records=("mediator",)),
    _t("accept", _("Accept the case"), {State.AWAITING_ACCEPTANCE}, State.MEDIATING,
       {"mediator", "org_admin"}, clock="mediation", guard=lambda c: c.mediator_id is not None,
       guard_reason=_("A mediator must be assigned before the case is accepted.")),
    _t("decline", _("Decline the case"), {State.AWAITING_ACCEPTANCE}, _after_decline,
       {"mediator", "org_admin"}, clock="assign_mediator", records=("reason",)),
    _t("recuse", _("Step aside (another mediator)"), {State.AWAITING_ACCEPTANCE, *ACTIVE},
       _after_recusal, {"mediator", "org_admin"}, clock="accept_assignment",
       records=("reason",)),
    _t("extend", _("Extend the mediation period"), {State.MEDIATING}, None, {"mediator"},
       guard=lambda c: not c.extended, guard_reason=_("The period was extended already."),
       records=("consents",)),
    _t("pause", _("Pause for appraisal"), {State.MEDIATING}, State.PAUSED, {"mediator"},
       records=("reason",)),
    _t("resume", _("Resume after appraisal"), {State.PAUSED}, State.MEDIATING, {"mediator"}),
    _t("settle", _("Record the settlement"), {State.MEDIATING}, State.SETTLED, {"mediator"},
       clock="stop"),
    _t("end", _("End without agreement"), ACTIVE, State.FAILED, {"mediator"}, clock="stop",
       records=("end_reason", "failure_report")),
    _t("expire", _("End: the period expired"), {State.MEDIATING}, State.FAILED, {"system"},
       clock="stop"),
    _t("file_case", _("File the case (立案)"), {State.FAILED}, State.FILED, {"court_clerk"},
       guard=lambda c: c.channel in (Channel.DELEGATED, Channel.DIRECT) and c.court_id,
       guard_reason=_("Only a failed pre-filing or direct case sent to a court is filed.")),
    _t("resume_trial", _("Resume the trial"), {State.FAILED}, State.TRIAL_RESUMED, {"judge"},
       guard=lambda c: c.channel == Channel.ENTRUSTED,
       guard_reason=_("Only an entrusted case returns to trial.")),
    _t("push_to_court", _("Send to a court for online filing"), {State.FAILED}, None,
       {"mediator", "org_admin"}, guard=lambda c: c.channel == Channel.DIRECT and not c.court_id,
       guard_reason=_("Only a failed direct case can be sent to a court."), records=("court",)),
    # Taken from the agreement and mediation-document pages (sutiao.agreements, .judicial).
    _t("refuse_to_sign", _("Refuse to sign the agreement"), {State.MEDIATING}, State.FAILED,
       {"party"}, clock="stop", records=("end_reason", "refusal")),
    _t("withdraw_settlement", _("Withdraw from the settlement before the mediation document "
                                "takes effect"), {State.SETTLED}, State.TRIAL_RESUMED,
       {"party"}, guard=lambda c: c.channel == Channel.ENTRUSTED,
       guard_reason=_("Only an entrusted case returns to trial."), records=("reason",)),
]}

# Steps taken from other pages than the case page (agreements, mediation documents).
ELSEWHERE = frozenset({"refuse_to_sign", "withdraw_settlement"})

def targets(t: Transition) -> set[str]:
    """Every state a transition can lead to (for tests and diagrams)."""
    if t.target is None:
        return set(t.source)
    if callable(t.target):
        return set(t.target.targets)
    return {t.target}


def mediation_rule(case: Case) -> str:
    if case.channel == Channel.ENTRUSTED:
        if case.procedure == Procedure.SIMPLE:
            return "mediation_entrusted_simple"
        return "mediation_entrusted_ordinary"
    return "mediation_direct" if case.channel == Channel.DIRECT else "mediation_delegated"


def check(case: Case, name: str, roles: set[str]) -> Transition:
    """The transition, or Conflict with the reason the table forbids it."""
    t = TRANSITIONS[name]
    if case.state not in t.source:
        raise Conflict(
            _("“%(action)s” is not possible while the case is “%(state)s”.")
            % {"action": t.label, "state": case.get_state_display()},
            code="case.invalid_transition", transition=name, state=case.state,
        )
    if not roles & t.by:
        from sutiao.core.errors import Forbidden

        raise Forbidden(code="case.not_your_step", transition=name)
    if t.guard and not t.guard(case):
        raise Conflict(t.guard_reason, code="case.invalid_transition", transition=name,
                       state=case.state)
    return t


def available(case: Case, roles: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values()
            if case.state in t.source and roles & t.by and (not t.guard or t.guard(case))]


def move(case: Case, t: Transition, *, at: datetime) -> str:
    """Move a checked case along `t` and set its clock; returns the state it left.
    The caller saves, audits and records the event."""
    from sutiao.workdays import clocks

    before = case.state
    if callable(t.target):
        case.state = t.target(case)
    elif t.target:
        case.state = t.target
    if t.clock == "stop":
        clocks.stop(case)
    elif t.clock:
        clocks.start(case, mediation_rule(case) if t.clock == "mediation" else t.clock, at)
    return before
