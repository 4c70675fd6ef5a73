"""The life of a mediation agreement, as data (like cases/lifecycle.py).

Roles are relative to the agreement's case (cases.policies.case_roles): "mediator",
"org_admin", "party"; "recorder" is whoever the cases actions allowed to record an agreement
reached offline: the organisation's staff (`record_offline_settlement`), or the other party
confirming what a party recorded (`confirm_offline_settlement`).
An agreement row is born a draft (`actions.draft`); one the organisation records offline is
born a draft and moved to signed in the same transaction; one a party records stays a draft
until the other party confirms it. `withdrawn` is a stored state no step reaches.

Each transition is one fact with the audit/outbox name it has always had (`EVENTS`).
A refusal keeps the stable error code the action raised before the table held the rule:
a precondition is a `Rule` carrying its code, and `REFUSED` gives the code and message of a
step taken in a state its table does not leave.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.cases import lifecycle as case_lifecycle
from sutiao.cases.choices import State as CaseState
from sutiao.core.lifecycle import CodedMachine, Rule, Transition, branch, register, table
from sutiao.core.lifecycle import transition as _t

from . import terms
from .errors import AgreementError
from .models import Agreement
from .queries import signatories, signed_fields, warnings

__all__ = [
    "EVENTS",
    "MACHINE",
    "REFUSED",
    "TRANSITIONS",
    "CodedMachine",
    "Rule",
    "Transition",
    "available",
    "check",
    "move",
    "names",
    "targets",
]

State = Agreement.State


def missing_terms(agreement: Agreement) -> list[terms.Warning]:
    return [w for w in warnings(agreement) if w.code == "missing"]


def parties_without_account(agreement: Agreement) -> list[str]:
    return [p.name for p in agreement.case.parties.all() if not (p.user_id or p.agent_id)]


def _first_missing(agreement: Agreement) -> Any:
    return missing_terms(agreement)[0].message


def _without_account(agreement: Agreement) -> Any:
    return _("Every party needs an account on the platform to sign: %(names)s.") % {
        "names": "、".join(parties_without_account(agreement))
    }


CASE_MEDIATING = Rule(
    "case_mediating",
    lambda a: a.case.state == CaseState.MEDIATING,
    _("The agreement is signed while the case is being mediated."),
    code=AgreementError.CASE_NOT_MEDIATING,
)
COMPLETE = Rule(
    "complete",
    lambda a: not missing_terms(a),
    _("The agreement lacks terms it needs before it can be opened for signing."),
    code=AgreementError.INCOMPLETE,
    explain=_first_missing,
)
PARTIES_HAVE_ACCOUNTS = Rule(
    "parties_have_accounts",
    lambda a: not parties_without_account(a),
    _("Every party needs an account on the platform to sign online."),
    code=AgreementError.PARTY_WITHOUT_ACCOUNT,
    explain=_without_account,
)
PARTIES_CONSENTED = Rule(
    "parties_consented",
    lambda a: case_lifecycle.PARTIES_CONSENTED.holds(a.case),
    case_lifecycle.PARTIES_CONSENTED.reason,
    code=AgreementError.PARTIES_NOT_CONSENTED,
)
NOBODY_SIGNED = Rule(
    "nobody_signed",
    lambda a: not a.signatures.exists(),
    _("Once someone has signed, the agreement cannot be changed."),
    code=AgreementError.SIGNED_ALREADY,
)


@branch(State.SIGNING, State.SIGNED)
def _after_signature(agreement: Agreement) -> str:
    # Complete once every signature field of the document is signed (parties, mediator, seal).
    needed = {s["field"] for s in signatories(agreement)}
    return State.SIGNED if needed <= signed_fields(agreement) else State.SIGNING


TRANSITIONS = table(
    _t(
        "open",
        _("Open for signing"),
        {State.DRAFT},
        State.SIGNING,
        {"mediator"},
        requires=[CASE_MEDIATING, COMPLETE, PARTIES_HAVE_ACCOUNTS, PARTIES_CONSENTED],
    ),
    _t(
        "reopen",
        _("Back to drafting"),
        {State.SIGNING},
        State.DRAFT,
        {"mediator"},
        requires=[NOBODY_SIGNED],
    ),
    _t(
        "sign",
        _("Sign the agreement"),
        {State.SIGNING},
        _after_signature,
        {"party", "mediator", "org_admin"},
        requires=[PARTIES_CONSENTED],
    ),
    _t("refuse", _("Refuse to sign"), {State.SIGNING}, State.REFUSED, {"party"}),
    _t(
        "record_offline",
        _("Record an agreement reached offline"),
        {State.DRAFT},
        State.SIGNED,
        {"recorder"},
    ),
)

# The audit action (and outbox topic, where it has one) of each step, as stored.
EVENTS: dict[str, str] = {
    "open": "agreement.opened",
    "reopen": "agreement.reopened",
    "sign": "agreement.signed",
    "refuse": "agreement.refused",
    "record_offline": "agreement.offline_recorded",
}

REFUSED: dict[str, tuple[str, Any]] = {
    "reopen": (
        AgreementError.SIGNED_ALREADY,
        _("Once someone has signed, the agreement cannot be changed."),
    ),
    "refuse": (
        AgreementError.CANNOT_REFUSE,
        _("Only a party that has not signed can refuse, while the agreement is being signed."),
    ),
    "sign": (AgreementError.NOTHING_TO_SIGN, _("There is nothing for you to sign now.")),
}

MACHINE = CodedMachine(
    "agreement",
    TRANSITIONS.values(),
    invalid=_("“%(action)s” is not possible while the agreement is “%(state)s”."),
    refused=REFUSED,
)
register("agreements.Agreement", MACHINE)
check, available, move, targets = MACHINE.check, MACHINE.available, MACHINE.move, MACHINE.targets
names = MACHINE.names
