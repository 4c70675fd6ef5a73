"""The life of a mediation document (CPL 100–102), as data (like judicial/lifecycle.py).

Roles are relative to one document (policies.document_roles): "party" (a party of the case
or its agent), "court" (the case's judges and clerks), "mediation" (its mediator and
organisation). A document is born issued (`actions.issue_mediation_document`); each party
signs for it, and it takes effect when every party has; before that a party may withdraw
from the settlement and the trial resumes.

Each step keeps the audit/outbox names it has always had (`EVENTS`); a step taken in a
state the table does not leave keeps its stable error code and message (`REFUSED`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import CodedMachine, Transition, branch, register, table
from sutiao.core.lifecycle import transition as _t

from . import queries
from .choices import MediationDocumentState as State
from .errors import JudicialError
from .models import MediationDocument

__all__ = [
    "EVENTS",
    "MACHINE",
    "REFUSED",
    "TRANSITIONS",
    "Transition",
    "available",
    "check",
    "move",
    "names",
    "targets",
]


@branch(State.ISSUED, State.EFFECTIVE)
def _after_receipt(md: MediationDocument) -> str:
    # In effect once every party of the case has signed for it (CPL 100).
    return State.EFFECTIVE if queries.every_party_in(md.case, md.receipts) else State.ISSUED


TRANSITIONS = table(
    _t(
        "sign_for",
        _("Sign for the mediation document"),
        {State.ISSUED},
        _after_receipt,
        {"party"},
    ),
    _t(
        "withdraw",
        _("Withdraw from the settlement"),
        {State.ISSUED},
        State.WITHDRAWN,
        {"party"},
    ),
)

# The audit action and outbox topic of each step, as stored; signing for it records
# `judicial.mediation_document_received`, and `..._effective` when it moves to effective.
EVENTS: dict[str, str] = {
    "sign_for": "judicial.mediation_document_received",
    "withdraw": "judicial.mediation_document_withdrawn",
}
EFFECTIVE_EVENT = "judicial.mediation_document_effective"

REFUSED: dict[str, tuple[str, Any]] = {
    "sign_for": (JudicialError.NOTHING_TO_SIGN, _("There is nothing for you to sign for.")),
    "withdraw": (
        JudicialError.DOCUMENT_EFFECTIVE,
        _("The mediation document is in effect: it can no longer be refused."),
    ),
}

MACHINE = CodedMachine(
    "mediation_document",
    TRANSITIONS.values(),
    invalid=_("“%(action)s” is not possible while the mediation document is “%(state)s”."),
    refused=REFUSED,
)
register("judicial.MediationDocument", MACHINE)
check, available, move, targets = MACHINE.check, MACHINE.available, MACHINE.move, MACHINE.targets
names = MACHINE.names
