"""The life of a confirmation application, as data (like cases/lifecycle.py).

Roles are relative to one application (policies.application_roles): "party" (a party of the
case or its agent), "judge" and "court_clerk" (of the court applied to).
Clocks: `confirmation_application` runs from the agreement's effect while the parties apply;
the court sets the supplement deadline; `confirmation_decision` (30 days, CPL 187) runs from
acceptance; `objection` (15 days, CPL-I 372) from the service of the ruling.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, Transition, branch, register, table
from sutiao.core.lifecycle import transition as _t
from sutiao.workdays import clocks

from .choices import State
from .models import ConfirmationApplication

__all__ = ["MACHINE", "TRANSITIONS", "Transition", "available", "check", "move", "targets"]


@branch(State.DRAFT, State.SUBMITTED)
def _after_part(app: ConfirmationApplication) -> str:
    # Joint: submitted to the court once every party has given its part.
    parties = set(app.case.parties.values_list("pk", flat=True))
    given = set(app.parts.values_list("party_id", flat=True))
    return State.SUBMITTED if parties <= given else State.DRAFT


OPEN = {State.DRAFT, State.SUBMITTED, State.SUPPLEMENT, State.ACCEPTED}
COURT = {"judge", "court_clerk"}

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
