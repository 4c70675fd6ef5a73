"""The life of a confirmation application, as data (like cases/lifecycle.py).

Roles are relative to one application (policies.application_roles): "party" (a party of the
case or its agent), "judge" and "court_clerk" (of the court applied to).
Clocks: `confirmation_application` runs from the agreement's effect while the parties apply;
the court sets the supplement deadline; `confirmation_decision` (30 days, CPL 187) runs from
acceptance. The 15 days to object (CPL-I 372) are each party's own, from its receipt of the
ruling (queries.objection_windows: the ruling's effective service on that party); the
`objection` step is offered while one of them runs, and the court reviews what is filed
(`review_objections`, or `revoke_ruling` when it upholds; `OBJECTION` is an objection's own
table). `refuse` is the court's refusal to accept on a ground of CPL-I 355; `accept` and
`confirm` wait while a suspicion of sham mediation stands on the case (SIR 18; OMR 23).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, Precondition, Transition, branch, register, table
from sutiao.core.lifecycle import transition as _t
from sutiao.workdays import clocks

from . import queries
from .choices import ObjectionState, State
from .models import ConfirmationApplication, Ruling

__all__ = [
    "MACHINE",
    "OBJECTION",
    "TRANSITIONS",
    "Transition",
    "available",
    "check",
    "move",
    "targets",
]


@branch(State.DRAFT, State.SUBMITTED)
def _after_part(app: ConfirmationApplication) -> str:
    # Joint: submitted to the court once every party has given its part.
    return State.SUBMITTED if queries.every_party_in(app.case, app.parts) else State.DRAFT


OPEN = {State.DRAFT, State.SUBMITTED, State.SUPPLEMENT, State.ACCEPTED}
COURT = {"judge", "court_clerk"}
RULED = {State.CONFIRMED, State.DISMISSED}


def _no_sham(app: ConfirmationApplication) -> bool:
    return not queries.sham_suspected(app.case)


# SIR 18; OMR 23: while a suspicion of sham mediation stands, nothing is confirmed.
NO_SHAM = Precondition(
    "no_sham_suspicion",
    _no_sham,
    _(
        "The case is suspended on a suspicion of sham mediation: the agreement cannot be "
        "confirmed until the court clears it."
    ),
)


def _of_ruling(test: Callable[[Ruling], bool]) -> Callable[[ConfirmationApplication], bool]:
    """A precondition on the application's ruling (False while there is none)."""

    def holds(app: ConfirmationApplication) -> bool:
        ruling = getattr(app, "ruling", None)
        return ruling is not None and test(ruling)

    return holds


# CPL-I 372: each party's 15 days run from its own receipt of the ruling.
OBJECTION_WINDOW = Precondition(
    "objection_window",
    _of_ruling(queries.objection_open),
    _(
        "No party may object now: the 15 days run from each party's receipt of the ruling, "
        "and they have not started or have ended for every party who has not objected."
    ),
)


OBJECTIONS_PENDING = Precondition(
    "objections_pending",
    _of_ruling(lambda r: queries.pending_objections(r).exists()),
    _("There is no objection to review."),
)

TRANSITIONS = table(
    _t(
        "submit_part",
        _("Submit my part of the joint application"),
        {State.DRAFT},
        _after_part,
        {"party"},
    ),
    _t(
        "request_supplement",
        _("Ask for more materials"),
        {State.SUBMITTED},
        State.SUPPLEMENT,
        COURT,
        clock="set",
    ),
    _t(
        "supplement",
        _("Supplement the materials"),
        {State.SUPPLEMENT},
        State.SUBMITTED,
        {"party"},
        clock="stop",
    ),
    _t(
        "accept",
        _("Accept the application"),
        {State.SUBMITTED},
        State.ACCEPTED,
        COURT,
        clock="confirmation_decision",
        requires=[NO_SHAM],
    ),
    _t(
        "schedule_questioning",
        _("Schedule a questioning session"),
        {State.ACCEPTED},
        None,
        {"judge"},
    ),
    _t(
        "confirm",
        _("Rule: the agreement is valid"),
        {State.ACCEPTED},
        State.CONFIRMED,
        {"judge"},
        clock="set",
        requires=[NO_SHAM],
    ),
    _t(
        "dismiss",
        _("Rule: dismiss the application"),
        {State.ACCEPTED},
        State.DISMISSED,
        {"judge"},
        clock="set",
    ),
    _t(
        "refuse",
        _("Refuse to accept (CPL-I 355)"),
        {State.SUBMITTED},
        State.NOT_ACCEPTED,
        COURT,
        clock="stop",
    ),
    _t(
        "objection",
        _("Object to the ruling"),
        RULED,
        None,
        {"party"},
        requires=[OBJECTION_WINDOW],
    ),
    _t(
        "review_objections",
        _("Review the objections"),
        RULED,
        None,
        {"judge"},
        requires=[OBJECTIONS_PENDING],
    ),
    _t(
        "revoke_ruling",
        _("Revoke the ruling (objection upheld)"),
        RULED,
        State.REVOKED,
        {"judge"},
        requires=[OBJECTIONS_PENDING],
    ),
    _t(
        "withdraw",
        _("Withdraw the application"),
        OPEN,
        State.WITHDRAWN,
        {"party"},
        clock="stop",
    ),
    _t(
        "deem_withdrawn",
        _("Treat as withdrawn (materials not supplemented, or no appearance)"),
        {State.SUPPLEMENT, State.ACCEPTED},
        State.WITHDRAWN,
        {"judge"},
        clock="stop",
    ),
)


def _clock(app: ConfirmationApplication, t: Transition, at: datetime) -> None:
    # "set": the action sets the clock itself (the court's supplement days, the ruling).
    if t.clock == "stop":
        clocks.stop(app)
    elif t.clock and t.clock != "set":
        clocks.start(app, t.clock, at)


MACHINE = register(
    "judicial.ConfirmationApplication",
    Machine(
        "judicial",
        TRANSITIONS.values(),
        on_clock=_clock,
        invalid=_("“%(action)s” is not possible while the application is “%(state)s”."),
    ),
)
check, available, move, targets = MACHINE.check, MACHINE.available, MACHINE.move, MACHINE.targets


# An objection under review, upheld (the ruling is revoked) or dismissed (it stands).
OBJECTION = register(
    "judicial.Objection",
    Machine(
        "objection",
        [
            _t(
                "uphold",
                _("Uphold the objection"),
                {ObjectionState.FILED},
                ObjectionState.UPHELD,
                {"judge"},
            ),
            _t(
                "dismiss",
                _("Dismiss the objection"),
                {ObjectionState.FILED},
                ObjectionState.DISMISSED,
                {"judge"},
            ),
        ],
        invalid=_("“%(action)s” is not possible while the objection is “%(state)s”."),
    ),
)
